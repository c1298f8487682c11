package reweigh.report;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A grid of coloured cells: one column per x category, one row per y category (first row at the top), the colour
 * of each cell its value on a sequential scale (viridis: dark purple low, yellow high) that a bar on the right
 * keys. Cells large enough show their value; a NaN or infinite value is a grey cell marked "–".
 */
public final class Heatmap {

    /** Viridis at 0, 1/8, ..., 1: perceptually even, readable in grey and by most colour-blind readers. */
    private static final int[][] VIRIDIS = {
            {68, 1, 84}, {70, 50, 127}, {54, 92, 141}, {39, 127, 142}, {31, 161, 135},
            {74, 194, 109}, {159, 218, 58}, {253, 231, 37}};
    private static final double KEY_WIDTH = 14;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<String> xs;
    private final List<String> ys;
    private final double[][] values; // [y][x]

    /** values[i][j] is the cell at row ys[i], column xs[j]. */
    public Heatmap(String title, String xLabel, List<String> xs, String yLabel, List<String> ys, double[][] values) {
        this.title = title == null ? "" : title;
        this.xLabel = xLabel == null ? "" : xLabel;
        this.yLabel = yLabel == null ? "" : yLabel;
        this.xs = List.copyOf(Objects.requireNonNull(xs, "xs"));
        this.ys = List.copyOf(Objects.requireNonNull(ys, "ys"));
        if (values.length != ys.size()) throw new IllegalArgumentException("need one row of values per y category (" + ys.size() + ")");
        this.values = new double[ys.size()][];
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != xs.size()) throw new IllegalArgumentException("need one value per x category (" + xs.size() + ") in each row");
            this.values[i] = values[i].clone();
        }
    }

    /** 640 × 420 px. */
    public String svg() {
        return svg(640, 420);
    }

    /** Width and height in px; raised to at least 240 × 160. */
    public String svg(int width, int height) {
        width = Math.max(width, Svg.MIN_WIDTH);
        height = Math.max(height, Svg.MIN_HEIGHT);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            return Svg.noData(width, height, title);
        }
        Axis scale = Axis.linear(lo, hi, true); // the scale spans the data exactly: lowest dark, highest yellow
        double keyLabels = 0;
        for (String s : scale.labels()) {
            keyLabels = Math.max(keyLabels, Svg.textWidth(s, Svg.TICK_PX));
        }
        double yLabels = 0;
        for (String s : ys) {
            yLabels = Math.max(yLabels, Svg.textWidth(s, Svg.TICK_PX));
        }
        double top = title.isEmpty() ? 14 : 36;
        double left = 8 + (yLabel.isEmpty() ? 0 : 20) + Math.min(yLabels, width * 0.25) + 8;
        double right = width - 16 - KEY_WIDTH - 6 - keyLabels - 8;
        double bottom = height - 6 - (xLabel.isEmpty() ? 0 : 18) - 20;
        Svg.Box b = new Svg.Box(left, top, right - left, bottom - top);
        double cw = b.w() / xs.size();
        double ch = b.h() / ys.size();

        Svg g = new Svg(width, height, title);
        boolean labelled = cw >= 34 && ch >= 15;
        for (int i = 0; i < ys.size(); i++) {
            for (int j = 0; j < xs.size(); j++) {
                double v = values[i][j];
                double x = b.x() + j * cw;
                double y = b.y() + i * ch;
                int[] rgb = Double.isFinite(v) ? colour(scale.frac(v)) : new int[] {221, 221, 221};
                g.raw("<rect x=\"" + Svg.num(x) + "\" y=\"" + Svg.num(y) + "\" width=\"" + Svg.num(cw) + "\" height=\""
                        + Svg.num(ch) + "\" fill=\"" + hex(rgb) + "\" stroke=\"#fff\" stroke-width=\"0.5\"><title>"
                        + Html.escape(named(xLabel, xs.get(j)) + ", " + named(yLabel, ys.get(i)) + ": " + (Double.isFinite(v) ? Fmt.num(v) : "no value"))
                        + "</title></rect>\n");
                if (labelled || !Double.isFinite(v)) {
                    String text = Double.isFinite(v) ? Svg.fit(Fmt.num(v), cw - 4, Svg.TICK_PX) : "–";
                    boolean dark = Double.isFinite(v) && luminance(rgb) < 0.45;
                    g.text(x + cw / 2, y + ch / 2 + 4, text, "middle", Svg.TICK_PX, "fill=\"" + (dark ? "#fff" : "#222") + "\"");
                }
            }
        }
        int every = 1; // label every n-th column when labels would collide
        double widest = 0;
        for (String s : xs) {
            widest = Math.max(widest, Svg.textWidth(s, Svg.TICK_PX) + 6);
        }
        while (every < xs.size() && widest > cw * every) {
            every++;
        }
        for (int j = 0; j < xs.size(); j += every) {
            g.text(b.x() + (j + 0.5) * cw, b.bottom() + 15, Svg.fit(xs.get(j), cw * every - 2, Svg.TICK_PX), "middle", Svg.TICK_PX, "fill=\"#333\"");
        }
        int everyRow = (int) Math.ceil(14 / ch);
        for (int i = 0; i < ys.size(); i += everyRow) {
            g.text(b.x() - 6, b.y() + (i + 0.5) * ch + 4, Svg.fit(ys.get(i), width * 0.25, Svg.TICK_PX), "end", Svg.TICK_PX, "fill=\"#333\"");
        }
        if (!yLabel.isEmpty()) {
            g.raw("<text transform=\"translate(18 " + Svg.num(b.y() + b.h() / 2) + ") rotate(-90)\" text-anchor=\"middle\""
                    + " font-size=\"12\" fill=\"#222\">" + Html.escape(Svg.fit(yLabel, b.h(), Svg.LABEL_PX)) + "</text>\n");
        }
        if (!xLabel.isEmpty()) {
            g.text(b.x() + b.w() / 2, height - 9, Svg.fit(xLabel, b.w(), Svg.LABEL_PX), "middle", Svg.LABEL_PX, "fill=\"#222\"");
        }
        key(g, scale, new Svg.Box(b.right() + 16, b.y(), KEY_WIDTH, b.h()));
        return g.end();
    }

    /** The colour bar: the scale from bottom (low) to top (high), ticked as a linear axis. */
    private static void key(Svg g, Axis scale, Svg.Box k) {
        int bands = 64;
        for (int i = 0; i < bands; i++) {
            double f = (i + 0.5) / bands;
            g.raw("<rect x=\"" + Svg.num(k.x()) + "\" y=\"" + Svg.num(k.bottom() - (i + 1) * k.h() / bands) + "\" width=\""
                    + Svg.num(k.w()) + "\" height=\"" + Svg.num(k.h() / bands + 0.5) + "\" fill=\"" + hex(colour(f)) + "\"/>\n");
        }
        g.raw("<rect x=\"" + Svg.num(k.x()) + "\" y=\"" + Svg.num(k.y()) + "\" width=\"" + Svg.num(k.w()) + "\" height=\""
                + Svg.num(k.h()) + "\" fill=\"none\" stroke=\"#555\"/>\n");
        for (int i = 0; i < scale.ticks().size(); i++) {
            double y = Svg.py(scale, k, scale.ticks().get(i));
            g.line(k.right(), y, k.right() + 4, y, "#555", 1, "shape-rendering=\"crispEdges\"");
            g.text(k.right() + 6, y + 4, scale.labels().get(i), "start", Svg.TICK_PX, "fill=\"#333\"");
        }
    }

    /** "detect=0.5" for a cell's tooltip; the bare category when the axis has no label. */
    private static String named(String label, String category) {
        return label.isEmpty() ? category : label + "=" + category;
    }

    /** Viridis at f in [0, 1], interpolated linearly between its stops. */
    static int[] colour(double f) {
        double t = Math.max(0, Math.min(1, f)) * (VIRIDIS.length - 1);
        int i = Math.min((int) t, VIRIDIS.length - 2);
        double u = t - i;
        int[] c = new int[3];
        for (int k = 0; k < 3; k++) {
            c[k] = (int) Math.round(VIRIDIS[i][k] + u * (VIRIDIS[i + 1][k] - VIRIDIS[i][k]));
        }
        return c;
    }

    private static String hex(int[] rgb) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    }

    /** Relative luminance in [0, 1] (sRGB weights, without gamma: enough to pick black or white text). */
    private static double luminance(int[] rgb) {
        return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
    }

}
