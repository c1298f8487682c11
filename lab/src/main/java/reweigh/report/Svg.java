package reweigh.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Shared SVG writing for the charts: palette, number formatting, text-width estimates and the chart frame (title,
 * grid, axes, tick labels, axis titles, legend). Sizes are in px.
 */
final class Svg {

    /** Okabe–Ito, ordered for contrast on white; yellow last because it is faint on white. */
    static final String[] PALETTE = {
            "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"};
    /** stroke-dasharray values; see {@link #dash}. */
    private static final String[] DASHES = {"", "7 4", "2 3", "9 3 2 3", "1 4", "12 4 4 4"};
    static final double TITLE_PX = 14;
    static final double LABEL_PX = 12;
    static final double TICK_PX = 11;
    /** Least distance between the baselines of two reference lines' labels, px. */
    private static final double REFERENCE_GAP = 11;
    /** Average sans-serif glyph advance in em; text cannot be measured here, so layout budgets with this. */
    private static final double ADVANCE_EM = 0.6;
    /** Data may spill this far past the plot area before clipping, so markers on the edge are not cut in half. */
    private static final double BLEED = 6;
    static final int MIN_WIDTH = 240;
    static final int MIN_HEIGHT = 160;

    record Box(double x, double y, double w, double h) {
        double right() {
            return x + w;
        }

        double bottom() {
            return y + h;
        }
    }

    /**
     * A legend entry for series number {@code series}. marker: -1 none, else a {@link #marker} shape; bar: draw a filled
     * square swatch.
     */
    record Key(int series, String name, String colour, String dash, boolean line, int marker, boolean band, boolean bar) {}

    /** Height of one line of a legend entry, px; an entry of one line is {@link #KEY_ROW} tall. */
    private static final double KEY_LINE = 14;
    private static final double KEY_ROW = 18;

    /** What goes inside the svg element; {@link #end} writes the element itself, once the height is final. */
    private final StringBuilder out = new StringBuilder(8192);
    private final String title;
    final int width;
    /** As asked for, or taller where the legend needs it ({@link #frame}). */
    private int height;
    private final boolean titled;

    Svg(int width, int height, String title) {
        this.width = width;
        this.height = height;
        this.title = title;
        this.titled = !title.isEmpty();
        if (titled) {
            text(width / 2.0, 21, fit(title, width - 16, TITLE_PX), "middle", TITLE_PX, "font-weight=\"bold\" fill=\"#111\"");
        }
    }

    /** A valid chart that says "no data", for empty or all-invalid input. */
    static String noData(int width, int height, String title) {
        Svg g = new Svg(width, height, title);
        double top = g.titled ? 34 : 10;
        g.raw("<rect x=\"10\" y=\"" + num(top) + "\" width=\"" + (width - 20) + "\" height=\"" + num(height - top - 10)
                + "\" fill=\"none\" stroke=\"#ccc\" stroke-dasharray=\"4 4\"/>\n");
        g.text(width / 2.0, (top + height) / 2.0, "no data", "middle", LABEL_PX + 2, "fill=\"#777\"");
        return g.end();
    }

    String end() {
        return new StringBuilder(out.length() + 512).append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n")
                .append("<title>").append(Html.escape(title)).append("</title>\n")
                .append("<rect width=\"").append(width).append("\" height=\"").append(height).append("\" fill=\"#fff\"/>\n")
                .append(out).append("</svg>\n").toString();
    }

    /** Sets the height {@link #end} declares, for a drawing laid out before its height was known. */
    void height(int height) {
        this.height = height;
    }

    void raw(String s) {
        out.append(s);
    }

    /** Fixed two decimals (Locale.ROOT), trailing zeros dropped: "12.5", "3", "-0.07". */
    static String num(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        s = s.substring(0, end);
        return s.equals("-0") ? "0" : s;
    }

    static double textWidth(String s, double px) {
        return s.codePointCount(0, s.length()) * px * ADVANCE_EM;
    }

    /** s, or a prefix ending in "…" that fits in maxWidth px at the given font size. */
    static String fit(String s, double maxWidth, double px) {
        if (textWidth(s, px) <= maxWidth) {
            return s;
        }
        int keep = Math.max(1, (int) (maxWidth / (px * ADVANCE_EM)) - 1);
        return s.substring(0, s.offsetByCodePoints(0, Math.min(keep, s.codePointCount(0, s.length())))) + "…";
    }

    /**
     * s broken at spaces into lines of at most maxWidth px at the given font size; a word longer than a line is split
     * across lines. Nothing is left out: the lines, rejoined (with a space where one broke at a space), are s.
     */
    static List<String> wrap(String s, double maxWidth, double px) {
        int perLine = Math.max(1, (int) (maxWidth / (px * ADVANCE_EM)));
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : s.split(" ", -1)) {
            int need = (line.length() == 0 ? 0 : line.codePointCount(0, line.length()) + 1) + word.codePointCount(0, word.length());
            if (line.length() > 0 && need > perLine) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(word);
            while (line.codePointCount(0, line.length()) > perLine) { // one word longer than a line
                int cut = line.offsetByCodePoints(0, perLine);
                lines.add(line.substring(0, cut));
                line.delete(0, cut);
            }
        }
        lines.add(line.toString());
        return lines;
    }

    /** Dash for series number i: solid series use even entries, dashed odd ones, advancing per palette cycle. */
    static String dash(int i, boolean dashed) {
        int cycle = i / PALETTE.length;
        return DASHES[(2 * cycle + (dashed ? 1 : 0)) % DASHES.length];
    }

    /**
     * Series i's colour, never repeated within a chart: the eight of the palette (Okabe and Ito's, which
     * colour-blind readers tell apart), then hues a golden angle apart at two lightnesses.
     */
    static String colour(int i) {
        if (i < PALETTE.length) return PALETTE[i];
        int k = i - PALETTE.length;
        double hue = (20 + 137.50776 * k) % 360;
        double light = k % 2 == 0 ? 0.40 : 0.55;
        double sat = 0.65;
        double c = (1 - Math.abs(2 * light - 1)) * sat;
        double x = c * (1 - Math.abs((hue / 60) % 2 - 1));
        double m = light - c / 2;
        double[] rgb = switch ((int) (hue / 60)) {
            case 0 -> new double[] {c, x, 0};
            case 1 -> new double[] {x, c, 0};
            case 2 -> new double[] {0, c, x};
            case 3 -> new double[] {0, x, c};
            case 4 -> new double[] {x, 0, c};
            default -> new double[] {c, 0, x};
        };
        return String.format(java.util.Locale.ROOT, "#%02X%02X%02X", Math.round((rgb[0] + m) * 255), Math.round((rgb[1] + m) * 255),
                Math.round((rgb[2] + m) * 255));
    }

    /**
     * Marker shape for series number i: filled circle, filled square, open circle, open square in turn, so that series
     * which coincide (three methods that all keep the log-odds at the prior) still show each other's marks.
     */
    static int markerShape(int i) {
        return i % 4;
    }

    void text(double x, double y, String s, String anchor, double px, String attrs) {
        out.append("<text x=\"").append(num(x)).append("\" y=\"").append(num(y)).append('"');
        if (!"start".equals(anchor)) {
            out.append(" text-anchor=\"").append(anchor).append('"');
        }
        if (px != 11) {
            out.append(" font-size=\"").append(num(px)).append('"');
        }
        if (!attrs.isEmpty()) {
            out.append(' ').append(attrs);
        }
        out.append('>').append(Html.escape(s)).append("</text>\n");
    }

    void line(double x1, double y1, double x2, double y2, String stroke, double width, String attrs) {
        out.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1)).append("\" x2=\"").append(num(x2))
                .append("\" y2=\"").append(num(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"")
                .append(num(width)).append('"');
        if (!attrs.isEmpty()) {
            out.append(' ').append(attrs);
        }
        out.append("/>\n");
    }

    void marker(double cx, double cy, int shape, String colour) { marker(cx, cy, shape, colour, ""); }

    /** A marker; a non-empty {@code title} is what hovering it shows. */
    void marker(double cx, double cy, int shape, String colour, String title) {
        String fill = shape >= 2 ? "#fff" : colour;
        String stroke = shape >= 2 ? " stroke=\"" + colour + "\" stroke-width=\"1.5\"" : "";
        String close = title.isEmpty() ? "/>\n" : "><title>" + Html.escape(title) + "</title></" + (shape % 2 == 0 ? "circle" : "rect") + ">\n";
        if (shape % 2 == 0) {
            out.append("<circle cx=\"").append(num(cx)).append("\" cy=\"").append(num(cy)).append("\" r=\"3\" fill=\"")
                    .append(fill).append('"').append(stroke).append(close);
        } else {
            out.append("<rect x=\"").append(num(cx - 2.8)).append("\" y=\"").append(num(cy - 2.8))
                    .append("\" width=\"5.6\" height=\"5.6\" fill=\"").append(fill).append('"').append(stroke).append(close);
        }
    }

    /**
     * Dashed reference lines at pixel heights {@code ys}, each labelled at its right end; labels that would
     * overlap (lines closer than a label's height) are stacked apart, so two close predictions stay legible.
     */
    void references(double[] ys, List<String> labels, Box b) {
        Integer[] order = new Integer[ys.length];
        for (int i = 0; i < ys.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (p, q) -> Double.compare(ys[p], ys[q]));
        double previous = Double.NEGATIVE_INFINITY;
        for (int i : order) {
            line(b.x, ys[i], b.right(), ys[i], "#888", 1, "stroke-dasharray=\"4 3\"");
            if (labels.get(i).isEmpty()) continue;
            double ty = ys[i] - 14 < b.y ? ys[i] + 13 : ys[i] - 4; // below the line when it hugs the top
            if (ty < previous + REFERENCE_GAP) ty = previous + REFERENCE_GAP;
            // a white halo keeps the label legible where it crosses a bar or a line
            text(b.right() - 4, ty, fit(labels.get(i), b.w - 8, 10), "end", 10, "fill=\"#444\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\"");
            previous = ty;
        }
    }

    /**
     * Opens the group of what series i draws. It and the legend entry of the same number ({@code data-key}) are what a
     * page's script pairs to hide or show a series on a click ({@link Html}); without script they are plain groups.
     */
    void openSeries(int i) {
        out.append("<g data-series=\"").append(i).append("\">\n");
    }

    void closeSeries() {
        out.append("</g>\n");
    }

    /** Opens a clip region: the plot area plus {@link #BLEED}, in the same coordinates as the whole chart. */
    void openClip(Box b) {
        String box = num(b.x - BLEED) + "\" y=\"" + num(b.y - BLEED) + "\" width=\"" + num(b.w + 2 * BLEED)
                + "\" height=\"" + num(b.h + 2 * BLEED);
        out.append("<svg x=\"").append(box).append("\" viewBox=\"").append(num(b.x - BLEED)).append(' ')
                .append(num(b.y - BLEED)).append(' ').append(num(b.w + 2 * BLEED)).append(' ').append(num(b.h + 2 * BLEED))
                .append("\" overflow=\"hidden\">\n");
    }

    void closeClip() {
        out.append("</svg>\n");
    }

    static double px(Axis a, Box b, double v) {
        return b.x + a.frac(v) * b.w;
    }

    static double py(Axis a, Box b, double v) {
        return b.y + (1 - a.frac(v)) * b.h;
    }

    /**
     * Draws grid, axes, tick labels, axis titles and legend, and returns the plot area. {@code x} null means a categorical x axis, for which
     * {@code categoryRoom} px are reserved below the plot. The legend goes to the right of the plot area.
     */
    Box frame(Axis x, String xLabel, Axis y, String yLabel, List<Key> keys, double categoryRoom) {
        double top = titled ? 36 : 14;
        double yLabelWidth = 0;
        for (String s : y.labels()) {
            yLabelWidth = Math.max(yLabelWidth, textWidth(s, TICK_PX));
        }
        double left = 8 + (yLabel.isEmpty() ? 0 : 20) + yLabelWidth + 8;
        double keyWidth = 0;
        for (Key k : keys) {
            keyWidth = Math.max(keyWidth, textWidth(k.name(), LABEL_PX) + 30);
        }
        keyWidth = Math.min(keyWidth, width * 0.3);
        double right = width - 12 - (keys.isEmpty() ? 0 : keyWidth + 10);
        if (x != null && !x.labels().isEmpty()) {
            right = Math.min(right, width - 4 - textWidth(x.labels().get(x.labels().size() - 1), TICK_PX) / 2);
        }
        double below = 6 + (xLabel.isEmpty() ? 0 : 18) + (x != null ? 20 : categoryRoom);
        // The legend, right of the plot, wraps long names and may not fit beside it: then the chart grows.
        List<List<String>> names = new ArrayList<>();
        double legendHeight = 0;
        for (Key k : keys) {
            names.add(wrap(k.name(), width - right - 18 - 26, LABEL_PX));
            legendHeight += keyHeight(names.get(names.size() - 1).size());
        }
        height = Math.max(height, (int) Math.ceil(top + legendHeight + below));
        Box b = new Box(left, top, right - left, height - below - top);

        String grid = "shape-rendering=\"crispEdges\"";
        for (double v : y.minor()) {
            line(b.x, py(y, b, v), b.right(), py(y, b, v), "#f0f0f0", 1, grid);
        }
        if (x != null) {
            for (double v : x.minor()) {
                line(px(x, b, v), b.y, px(x, b, v), b.bottom(), "#f0f0f0", 1, grid);
            }
        }
        for (int i = 0; i < y.ticks().size(); i++) {
            double yy = py(y, b, y.ticks().get(i));
            line(b.x, yy, b.right(), yy, "#e2e2e2", 1, grid);
            line(b.x - 4, yy, b.x, yy, "#555", 1, grid);
            text(b.x - 7, yy + 4, y.labels().get(i), "end", TICK_PX, "fill=\"#333\"");
        }
        if (x != null) {
            double widest = 0;
            for (String s : x.labels()) {
                widest = Math.max(widest, textWidth(s, TICK_PX) + 8);
            }
            int every = 1; // label every n-th tick when labels would collide
            while (every < x.ticks().size() && widest * x.ticks().size() / every > b.w) {
                every++;
            }
            for (int i = 0; i < x.ticks().size(); i++) {
                double xx = px(x, b, x.ticks().get(i));
                line(xx, b.y, xx, b.bottom(), "#e2e2e2", 1, grid);
                line(xx, b.bottom(), xx, b.bottom() + 4, "#555", 1, grid);
                if (i % every == 0) {
                    text(xx, b.bottom() + 16, x.labels().get(i), "middle", TICK_PX, "fill=\"#333\"");
                }
            }
        }
        line(b.x, b.y, b.x, b.bottom(), "#555", 1, grid);
        line(b.x, b.bottom(), b.right(), b.bottom(), "#555", 1, grid);
        if (!yLabel.isEmpty()) {
            double cy = b.y + b.h / 2;
            out.append("<text transform=\"translate(18 ").append(num(cy)).append(") rotate(-90)\" text-anchor=\"middle\"")
                    .append(" font-size=\"12\" fill=\"#222\">").append(Html.escape(fit(yLabel, b.h, LABEL_PX)))
                    .append("</text>\n");
        }
        if (!xLabel.isEmpty()) {
            text(b.x + b.w / 2, height - 9, fit(xLabel, b.w, LABEL_PX), "middle", LABEL_PX, "fill=\"#222\"");
        }
        if (!keys.isEmpty()) {
            legend(keys, names, b.right() + 14, b.y);
        }
        return b;
    }

    private static double keyHeight(int lines) {
        return KEY_ROW + (lines - 1) * KEY_LINE;
    }

    /** One entry per key, each name on the lines it was wrapped to; the swatch beside the first line. */
    private void legend(List<Key> keys, List<List<String>> names, double x0, double top) {
        double y = top;
        for (int i = 0; i < keys.size(); i++) {
            Key k = keys.get(i);
            double cy = y + KEY_ROW / 2;
            out.append("<g data-key=\"").append(k.series()).append("\">\n");
            if (k.band()) {
                out.append("<rect x=\"").append(num(x0)).append("\" y=\"").append(num(cy - 5))
                        .append("\" width=\"20\" height=\"10\" fill=\"").append(k.colour()).append("\" fill-opacity=\"0.2\"/>\n");
            }
            if (k.bar()) {
                out.append("<rect x=\"").append(num(x0 + 4)).append("\" y=\"").append(num(cy - 6))
                        .append("\" width=\"12\" height=\"12\" fill=\"").append(k.colour()).append("\"/>\n");
            }
            if (k.line()) {
                line(x0, cy, x0 + 20, cy, k.colour(), 2, k.dash().isEmpty() ? "" : "stroke-dasharray=\"" + k.dash() + "\"");
            }
            if (k.marker() >= 0) {
                marker(x0 + 10, cy, k.marker(), k.colour());
            }
            List<String> lines = names.get(i);
            out.append("<text x=\"").append(num(x0 + 26)).append("\" y=\"").append(num(cy + 4))
                    .append("\" font-size=\"12\" fill=\"#222\">").append(Html.escape(lines.get(0)));
            for (String more : lines.subList(1, lines.size())) {
                out.append("<tspan x=\"").append(num(x0 + 26)).append("\" dy=\"").append(num(KEY_LINE)).append("\">")
                        .append(Html.escape(more)).append("</tspan>");
            }
            out.append("</text>\n</g>\n");
            y += keyHeight(lines.size());
        }
    }
}
