package reweigh.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A grid of small charts under one title, one SVG: the same question asked of each condition side by side, where
 * one panel of every series would be a tangle (Tufte's small multiples). Each panel is a {@link Chart} drawn at
 * the panel's size and placed as a nested {@code <svg>}, so its hover titles, legend and click-to-hide work as in a
 * chart of its own. For the panels to compare, give them the same axes (e.g. {@link LineChart#yRange}) and add the
 * series in the same order: series i has the same colour, dash and marker in every panel.
 */
public final class SmallMultiples {

    private static final int GAP = 8;

    private final String title;
    private final int columns;
    private final List<Chart> panels = new ArrayList<>();

    /** @param columns panels per row, at least 1 */
    public SmallMultiples(String title, int columns) {
        if (columns < 1) throw new IllegalArgumentException("columns must be at least 1: " + columns);
        this.title = title == null ? "" : title;
        this.columns = columns;
    }

    public SmallMultiples add(Chart panel) {
        panels.add(java.util.Objects.requireNonNull(panel, "panel"));
        return this;
    }

    public int size() { return panels.size(); }

    /**
     * {@code width} px wide in all, each panel {@code panelHeight} px high (or more, where its legend needs it); with
     * one panel, that panel as a chart of its own under this title.
     */
    public String svg(int width, int panelHeight) {
        if (panels.isEmpty()) return Svg.noData(width, panelHeight, title);
        int cols = Math.min(columns, panels.size());
        int panelWidth = Math.max(Svg.MIN_WIDTH, (width - GAP * (cols - 1)) / cols);
        width = Math.max(width, panelWidth * cols + GAP * (cols - 1));
        Svg g = new Svg(width, 0, title);
        double top = title.isEmpty() ? 0 : 30;
        double rowTop = top;
        for (int row = 0; row * cols < panels.size(); row++) {
            int rowHeight = 0;
            for (int c = 0; c < cols && row * cols + c < panels.size(); c++) {
                String panel = panels.get(row * cols + c).svg(panelWidth, panelHeight);
                int h = heightOf(panel);
                rowHeight = Math.max(rowHeight, h);
                g.raw(placed(panel, c * (panelWidth + GAP), rowTop));
            }
            rowTop += rowHeight + GAP;
        }
        g.height((int) Math.ceil(rowTop - GAP));
        return g.end();
    }

    /** A chart's outer {@code <svg ...>} opened at (x, y) inside another. */
    private static String placed(String svg, double x, double y) {
        String open = "<svg xmlns=\"http://www.w3.org/2000/svg\" ";
        if (!svg.startsWith(open)) throw new IllegalStateException("not a chart of this package: " + svg.substring(0, Math.min(40, svg.length())));
        return "<svg x=\"" + Svg.num(x) + "\" y=\"" + Svg.num(y) + "\" " + svg.substring(open.length());
    }

    private static int heightOf(String svg) {
        int at = svg.indexOf(" height=\"") + " height=\"".length();
        return Integer.parseInt(svg.substring(at, svg.indexOf('"', at)));
    }
}
