package ssd.harness.report;

import ssd.figures.FigureFile;
import ssd.figures.TokenPiece;
import ssd.harness.results.Provenance;
import ssd.tables.GreedyExactness;
import ssd.tables.PaperComparison;

import java.util.List;

/**
 * Everything the report page shows, computed and checked before anything is written.
 *
 * @param table1          Table 1 as text cells, header first
 * @param roofline        Figure 1, or null without bench-forward CSVs
 * @param provenanceText  Figure 3's tokens, or empty when there is no staged run
 * @param peerExactness   the cross-implementation exactness file, or null when none was given
 * @param peerJson        that file's JSON, pretty-printed (null with it)
 * @param generated       this report's own provenance
 */
record ReportContent(String title, PaperComparison comparison, List<List<String>> table1, List<List<String>> table2,
                     FigureFile roofline, List<FigureFile> speedups, FigureFile provenanceFigure, List<TokenPiece> provenanceText,
                     List<GreedyExactness.Row> exactness, SourceProvenance peerExactness, String peerJson,
                     List<SourceProvenance> sources, Provenance generated) {
    ReportContent {
        speedups = List.copyOf(speedups);
        provenanceText = List.copyOf(provenanceText);
        exactness = List.copyOf(exactness);
        sources = List.copyOf(sources);
    }
}
