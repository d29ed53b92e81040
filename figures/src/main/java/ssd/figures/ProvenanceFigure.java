package ssd.figures;

import ssd.tables.Origin;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Figure 3: a completion drawn in a monospace font with each token on the colour of the model that produced it
 * ({@link OriginStyle#colour}). Spaces show as faint middle dots, newlines as a faint ↵ followed by a line break, tabs
 * as a faint → over four cells; lines longer than the image wrap.
 */
public final class ProvenanceFigure {
    public static final int WIDTH = 1000;
    private static final int MARGIN = 20, COLUMNS_MIN = 20, TAB = 4;
    private static final Color FAINT = new Color(0x80, 0x80, 0x80), INK = new Color(0x20, 0x20, 0x20);

    private ProvenanceFigure() {
    }

    /** The image and, for each piece, the cells its characters occupy (empty for a piece with no text). */
    public record Rendered(BufferedImage image, List<List<Rectangle>> cells) {
    }

    private record Glyph(int piece, String shown, boolean faint, int col, int row, int width) {
    }

    /** Renders the completion and writes it as a PNG. */
    public static void write(List<TokenPiece> pieces, String title, Path file) {
        Png.write(render(pieces, title).image(), file);
    }

    public static Rendered render(List<TokenPiece> pieces, String title) {
        Font font = new Font(Font.MONOSPACED, Font.PLAIN, 15), titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(font), tm = pg.getFontMetrics(titleFont);
        pg.dispose();
        int cw = fm.charWidth('m'), lh = fm.getHeight() + 4;
        int columns = Math.max(COLUMNS_MIN, (WIDTH - 2 * MARGIN) / cw);

        List<Glyph> glyphs = layout(pieces, columns);
        int rows = glyphs.isEmpty() ? 1 : glyphs.get(glyphs.size() - 1).row() + 1;
        int top = MARGIN + tm.getHeight() + 8 + lh + 12; // title, legend, gap
        int height = top + rows * lh + MARGIN;

        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            g.setColor(INK);
            g.setFont(titleFont);
            g.drawString(title, MARGIN, MARGIN + tm.getAscent());
            drawLegend(g, fm, font, MARGIN, MARGIN + tm.getHeight() + 8, lh);

            List<List<Rectangle>> cells = new ArrayList<>();
            for (int i = 0; i < pieces.size(); i++) cells.add(new ArrayList<>());
            g.setFont(font);
            int previous = -1;
            for (Glyph gl : glyphs) {
                Rectangle cell = new Rectangle(MARGIN + gl.col() * cw, top + gl.row() * lh, gl.width() * cw, lh);
                cells.get(gl.piece()).add(cell);
                g.setColor(OriginStyle.colour(pieces.get(gl.piece()).origin()));
                g.fillRect(cell.x, cell.y, cell.width, cell.height);
                if (gl.piece() != previous) { // a thin white seam where a token starts
                    g.setColor(Color.WHITE);
                    g.fillRect(cell.x, cell.y, 1, cell.height);
                }
                previous = gl.piece();
                g.setColor(gl.faint() ? FAINT : INK);
                g.drawString(gl.shown(), cell.x, cell.y + 2 + fm.getAscent());
            }
            return new Rendered(img, cells.stream().map(List::copyOf).toList());
        } finally {
            g.dispose();
        }
    }

    /** Character cells, row by row: one cell per character (a tab takes four), newlines and full rows wrap. */
    private static List<Glyph> layout(List<TokenPiece> pieces, int columns) {
        List<Glyph> out = new ArrayList<>();
        int col = 0, row = 0;
        for (int i = 0; i < pieces.size(); i++) {
            String t = pieces.get(i).text();
            for (int k = 0; k < t.length(); ) {
                int cp = t.codePointAt(k);
                k += Character.charCount(cp);
                String shown;
                boolean faint = true;
                int width = 1;
                if (cp == '\n') shown = "↵";
                else if (cp == ' ') shown = "·";
                else if (cp == '\t') {
                    shown = "→";
                    width = TAB;
                } else if (cp == '\r') continue;
                else if (Character.isISOControl(cp)) shown = "¤";
                else {
                    shown = new String(Character.toChars(cp));
                    faint = false;
                }
                if (col + width > columns) {
                    col = 0;
                    row++;
                }
                out.add(new Glyph(i, shown, faint, col, row, width));
                col += width;
                if (cp == '\n') {
                    col = 0;
                    row++;
                }
            }
        }
        return out;
    }

    private static void drawLegend(Graphics2D g, FontMetrics fm, Font font, int x, int y, int lh) {
        g.setFont(font);
        for (Origin o : List.of(Origin.NGRAM, Origin.DRAFT, Origin.ORACLE)) {
            g.setColor(OriginStyle.colour(o));
            g.fillRect(x, y, 2 * lh, lh);
            g.setColor(INK);
            g.drawRect(x, y, 2 * lh, lh);
            String label = OriginStyle.label(o);
            g.drawString(label, x + 2 * lh + 8, y + 2 + fm.getAscent());
            x += 2 * lh + 8 + fm.stringWidth(label) + 30;
        }
    }
}
