package ssd.harness.report;

import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.DocumentType;
import org.jsoup.nodes.Element;
import ssd.figures.FigureFile;
import ssd.figures.OriginStyle;
import ssd.figures.TokenPiece;
import ssd.tables.Comparison;
import ssd.tables.ComparedValue;
import ssd.tables.GreedyExactness;
import ssd.tables.MarkdownTables;
import ssd.tables.Origin;
import ssd.tables.PaperCell;
import ssd.tables.PaperClaims;
import ssd.tables.PaperComparison;
import ssd.tables.Profile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report as one HTML page: the paper comparison, Tables 1-2, Figures 1-3, greedy exactness, and the provenance
 * of every input. Built as a jsoup DOM (so every text is escaped) with the CSS inline; figures are {@code <img>}s of
 * files in the same folder, referred to by name, so the folder can be moved or served as it is.
 */
final class ReportPage {
    static final String PEERS_ID = "cross-implementation-exactness";

    private ReportPage() {
    }

    static String html(ReportContent c) {
        Document doc = Document.createShell("");
        doc.outputSettings().charset(StandardCharsets.UTF_8).prettyPrint(true);
        doc.prependChild(new DocumentType("html", "", ""));
        doc.child(0).attr("lang", "en");
        doc.head().appendElement("meta").attr("charset", "utf-8");
        doc.head().appendElement("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1");
        doc.title(c.title());
        doc.head().appendElement("style").appendChild(new DataNode(css()));
        Element body = doc.body();
        header(body.appendElement("header"), c);
        comparison(section(body, "comparison", "Paper vs ours: Tables 1 and 2, cell by cell"), c);
        tables(section(body, "tables", "Our Tables 1 and 2 in full"), c);
        figures(section(body, "figures", "Figures"), c);
        exactness(section(body, "exactness", "Exactness"), c);
        provenance(section(body, "provenance", "Provenance of every input"), c);
        return doc.outerHtml();
    }

    private static void header(Element h, ReportContent c) {
        h.appendElement("h1").text(c.title());
        h.appendElement("p").addClass("meta").text("Generated " + c.generated().date() + " on " + c.generated().machine() + " at commit "
                + c.generated().gitCommit() + " by: " + c.generated().command());
        h.appendElement("p").addClass("meta").text("From " + c.sources().size() + " input files; each one's provenance is listed at the end.");
        Element nav = h.appendElement("nav");
        for (String[] link : new String[][]{{"comparison", "Paper vs ours"}, {"tables", "Tables 1-2"}, {"figures", "Figures 1-3"},
                {"exactness", "Exactness"}, {"provenance", "Provenance"}})
            nav.appendElement("a").attr("href", "#" + link[0]).text(link[1]);
    }

    private static Element section(Element body, String id, String title) {
        Element s = body.appendElement("section").id(id);
        s.appendElement("h2").text(title);
        return s;
    }

    private static void comparison(Element s, ReportContent c) {
        PaperComparison pc = c.comparison();
        s.appendElement("p").text("Each row is a cell of the paper's table: the paper's value (GPT-2-L oracle on one RTX 4090), what the "
                + "roofline simulator predicts for that card by replaying our runs' traces under each implementation profile, and what we "
                + "measured. Ratios compare two methods on the same sampling mode; predicted ratios are taken within one profile.");
        for (PaperComparison.Section sec : pc.sections()) {
            s.appendElement("h3").text("Measured on " + sec.setup());
            for (int table : new int[]{1, 2}) {
                s.appendElement("p").addClass("note").text("Table " + table + (table == 1 ? ": memory traffic per generated token"
                        : ": decoding throughput"));
                Element t = s.appendElement("table").addClass("comparison").attr("data-table", Integer.toString(table));
                Element head = t.appendElement("thead").appendElement("tr");
                for (String h : headers(pc)) head.appendElement("th").text(h);
                Element tbody = t.appendElement("tbody");
                for (PaperComparison.Row r : sec.table(table)) {
                    Comparison cmp = r.claim().comparison();
                    Element tr = tbody.appendElement("tr");
                    tr.appendElement("td").text(cmp.label());
                    tr.appendElement("td").text(r.claim().samplingMode());
                    PaperCell paper = r.claim().paper();
                    Element pcell = tr.appendElement("td").addClass("paper").addClass("num").text(paper.text(cmp));
                    pcell.addClass(paper.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                    if (!paper.note().isEmpty()) pcell.attr("title", paper.note());
                    for (ComparedValue v : r.predicted()) value(tr, v, cmp);
                    value(tr, r.measured(), cmp);
                }
            }
        }
        s.appendElement("p").addClass("note").text(PaperClaims.TABLE1_NOTE + " " + PaperClaims.TABLE2_NOTE);
        Element ul = s.appendElement("ul").addClass("note");
        for (Profile p : pc.profiles()) ul.appendElement("li").text(p.header() + ": " + p.description() + ".");
        ul.appendElement("li").text("measured: Table 1 from the decoder's own byte accounting (stats.bytes_read: weights and KV cache read by "
                + "oracle and draft forwards), Table 2 from wall time (total tokens / total seconds of each group).");
    }

    private static List<String> headers(PaperComparison pc) {
        List<String> h = new java.util.ArrayList<>(List.of("comparison", "sampling", "paper"));
        pc.profiles().forEach(p -> h.add(p.header()));
        h.add("measured");
        return h;
    }

    private static void value(Element tr, ComparedValue v, Comparison cmp) {
        Element td = tr.appendElement("td").addClass("num").text(v.text(cmp));
        if (!v.present()) td.addClass("absent");
    }

    private static void tables(Element s, ReportContent c) {
        s.appendElement("h3").text("Table 1: memory traffic per generated token, relative to the baseline");
        grid(s, c.table1(), "table1");
        s.appendElement("p").addClass("note").text(plain(MarkdownTables.TABLE1_NOTE));
        s.appendElement("h3").text("Table 2: decoding throughput, relative to the baseline");
        grid(s, c.table2(), "table2");
        s.appendElement("p").addClass("note").text(plain(MarkdownTables.TABLE2_NOTE));
        s.appendElement("p").addClass("note").append("The same tables as Markdown and CSV: ")
                .appendChild(link("table1.md")).appendText(", ").appendChild(link("table2.md")).appendText(", ")
                .appendChild(link("tables.csv")).appendText("; the comparison: ").appendChild(link("paper-comparison.md")).appendText(", ")
                .appendChild(link("paper-comparison.csv")).appendText(".");
    }

    /** Text cells as a table: the first row is the header; the first two or three columns are labels, the rest numbers. */
    private static void grid(Element parent, List<List<String>> cells, String id) {
        Element t = parent.appendElement("table").id(id);
        Element head = t.appendElement("thead").appendElement("tr");
        for (String h : cells.get(0)) head.appendElement("th").text(h);
        int labels = cells.get(0).indexOf("method") + 1;
        Element tbody = t.appendElement("tbody");
        for (List<String> row : cells.subList(1, cells.size())) {
            Element tr = tbody.appendElement("tr");
            for (int i = 0; i < row.size(); i++) {
                Element td = tr.appendElement("td").text(row.get(i));
                if (i >= labels) td.addClass("num");
            }
        }
    }

    private static void figures(Element s, ReportContent c) {
        s.appendElement("h3").text("Figure 1: roofline");
        if (c.roofline() == null) s.appendElement("p").addClass("note").text("Not drawn: no bench-forward CSV was given (ssd report --forward CSV).");
        else chart(s, c.roofline());
        s.appendElement("h3").text("Figure 2: relative throughput per prompt");
        if (c.speedups().isEmpty()) s.appendElement("p").addClass("note").text("Not drawn: no prompt has both a baseline run and a speculative or staged run.");
        for (FigureFile f : c.speedups()) chart(s, f);
        s.appendElement("h3").text("Figure 3: which model produced each token");
        if (c.provenanceFigure() == null) {
            s.appendElement("p").addClass("note").text("Not drawn: the results have no staged run.");
            return;
        }
        Element fig = s.appendElement("figure").id("figure3");
        Element legend = fig.appendElement("p").addClass("legend");
        for (Origin o : Origin.values()) legend.appendElement("span").addClass("swatch").addClass(cssClass(o)).text(OriginStyle.label(o));
        Element pre = fig.appendElement("pre").addClass("tokens");
        for (TokenPiece p : c.provenanceText()) {
            Element span = pre.appendElement("span").addClass(cssClass(p.origin())).attr("title", OriginStyle.label(p.origin()));
            String[] lines = p.text().replace("\r", "").split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    span.appendElement("span").addClass("nl").text("↵");
                    span.appendText("\n");
                }
                if (!lines[i].isEmpty()) span.appendText(lines[i]);
            }
        }
        fig.appendElement("figcaption").text(c.provenanceFigure().title() + " (as text; the image below is the same completion).");
        Element img = s.appendElement("figure");
        img.appendElement("img").attr("src", c.provenanceFigure().png().getFileName().toString()).attr("alt", c.provenanceFigure().title());
    }

    private static void chart(Element s, FigureFile f) {
        Element fig = s.appendElement("figure");
        String svg = f.svg().getFileName().toString(), png = f.png().getFileName().toString();
        fig.appendElement("img").attr("src", svg).attr("alt", f.title()).attr("width", "1000");
        fig.appendElement("figcaption").text(f.title() + " (").appendChild(link(svg)).appendText(", ").appendChild(link(png)).appendText(")");
    }

    private static void exactness(Element s, ReportContent c) {
        s.appendElement("h3").text("Greedy decoding: speculative and staged against the baseline");
        if (c.exactness().isEmpty()) {
            s.appendElement("p").addClass("note").text("No greedy speculative or staged runs in the results.");
        } else {
            List<List<String>> cells = GreedyExactness.grid(c.exactness());
            Element t = s.appendElement("table").id("greedy-exactness");
            Element head = t.appendElement("thead").appendElement("tr");
            for (String h : cells.get(0)) head.appendElement("th").text(h);
            Element tbody = t.appendElement("tbody");
            for (int r = 1; r < cells.size(); r++) {
                Element tr = tbody.appendElement("tr");
                List<String> row = cells.get(r);
                for (int i = 0; i < row.size(); i++) {
                    Element td = tr.appendElement("td").text(row.get(i));
                    if (i >= 2 && i < row.size() - 1) td.addClass("num");
                }
                String verdict = c.exactness().get(r - 1).verdict();
                tr.child(row.size() - 1).addClass(verdict.equals("exact") ? "verdict-exact" : verdict.equals("exact up to rounding") ? "verdict-rounding" : "verdict-not");
            }
        }
        s.appendElement("p").addClass("note").text("Each greedy run is compared token for token with the baseline run of the same prompt, device "
                + "and dtype. Where they differ, bench-decode recorded a verdict from the reference (eager) forward's logits at the first "
                + "differing token: a tie (the two logits within rounding), the reference preferring the method's token (the baseline's own "
                + "forward rounded the other way), or a mismatch. Sampled (top-k) runs are exact in distribution, which the test suite checks "
                + "with a chi-square test; single runs cannot show it.");
        Element peers = s.appendElement("div").id(PEERS_ID).addClass("placeholder");
        peers.appendElement("h3").text("Cross-implementation exactness (Hugging Face transformers)");
        if (c.peerExactness() == null) {
            peers.appendElement("p").text("Not included: no cross-implementation exactness file was given (ssd report --peer-exactness FILE).");
        } else {
            peers.appendElement("p").text("From " + c.peerExactness().file() + " (provenance below), as recorded:");
            peers.appendElement("pre").addClass("json").text(c.peerJson());
        }
    }

    private static void provenance(Element s, ReportContent c) {
        s.appendElement("p").text("Every file the report was made from, with its size, SHA-256 and the provenance sidecar written beside it "
                + "(FILE.provenance.json: the command, machine, date and commit of the run).");
        for (SourceProvenance p : c.sources()) {
            s.appendElement("h3").text(p.file().toString());
            Element dl = s.appendElement("dl").addClass("provenance");
            entry(dl, "used for", p.role());
            entry(dl, "size", String.format(Locale.ROOT, "%,d bytes", p.bytes()));
            entry(dl, "sha256", p.sha256());
            if (p.sidecar().isEmpty()) {
                dl.appendElement("dt").text("provenance");
                dl.appendElement("dd").addClass("missing").text("no " + p.file().getFileName() + ".provenance.json beside it");
            }
            for (Map.Entry<String, String> e : p.orderedSidecar().entrySet()) entry(dl, e.getKey(), e.getValue());
        }
    }

    private static void entry(Element dl, String key, String value) {
        dl.appendElement("dt").text(key);
        dl.appendElement("dd").text(value.isEmpty() ? "(empty)" : value);
    }

    /** Markdown's code spans as plain text. */
    private static String plain(String markdown) {
        return markdown.replace("`", "");
    }

    private static Element link(String file) {
        return new Element("a").attr("href", file).text(file);
    }

    static String cssClass(Origin o) {
        return "origin-" + o.name().toLowerCase(Locale.ROOT);
    }

    private static String css() {
        StringBuilder css = new StringBuilder();
        try (InputStream in = ReportPage.class.getResourceAsStream("report.css")) {
            if (in == null) throw new IllegalStateException("report.css is missing from the harness jar");
            css.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Origin o : Origin.values()) css.append("span.").append(cssClass(o)).append(" { background: ").append(OriginStyle.cssColour(o)).append("; }\n");
        return css.toString();
    }
}
