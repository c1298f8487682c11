package reweigh.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Lines (optionally with interval bands) over a numeric x axis. Points whose x or y is NaN, infinite, or
 * non-positive on a log axis are skipped and break the line there. Series colours follow the Okabe–Ito palette in
 * order, then never repeat ({@link Svg#colour}); past eight series the dash pattern changes too, and neighbouring series
 * have different marker shapes ({@link Svg#markerShape}).
 */
public final class LineChart implements Chart {

    private record HLine(double y, String label) {}

    /** A curve fitted to series number {@code series}: {@code curve}'s name is its hover text. */
    private record Fit(int series, Series curve) {}

    /** A fitted curve's dash and width: finer than a series' dash (7 4), so a fit reads apart from a dashed series. */
    private static final String FIT_DASH = "3 2";
    private static final double FIT_WIDTH = 1.3;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<HLine> hlines = new ArrayList<>();
    private final List<Fit> fits = new ArrayList<>();
    private boolean logX;
    private boolean integerX;
    private boolean logY;
    private double xMin = Double.NaN;
    private double xMax = Double.NaN;
    private double yMin = Double.NaN;
    private double yMax = Double.NaN;
    private double clipAbove = Double.NaN;

    public LineChart(String title, String xLabel, String yLabel) {
        this.title = title == null ? "" : title;
        this.xLabel = xLabel == null ? "" : xLabel;
        this.yLabel = yLabel == null ? "" : yLabel;
    }

    public LineChart add(Series s) {
        series.add(java.util.Objects.requireNonNull(s, "series"));
        return this;
    }

    /** Base-10 x axis; non-positive x values are dropped. */
    /** x is a count or a level: ticks only at whole numbers. */
    public LineChart integerX() {
        integerX = true;
        return this;
    }

    public LineChart logX() {
        logX = true;
        return this;
    }

    /** Base-10 y axis; non-positive y (and band) values are dropped. */
    public LineChart logY() {
        logY = true;
        return this;
    }

    /** Fixed x range (linear axes), e.g. the same levels in every panel of a small multiple; data outside it are clipped. */
    public LineChart xRange(double min, double max) {
        Axis.checkRange("xRange", min, max);
        xMin = min;
        xMax = max;
        return this;
    }

    /** Fixed y range; data outside it are clipped. On a log axis a non-positive bound falls back to the data. */
    public LineChart yRange(double min, double max) {
        Axis.checkRange("yRange", min, max);
        yMin = min;
        yMax = max;
        return this;
    }

    /**
     * A curve fitted to the series added last (e.g. C·k^(−α) + K at many x), drawn thin and dashed in that series' colour
     * over its points; {@code label} is what hovering it shows. It has no legend entry and does not widen the axes, so a
     * fit that runs past the data is cut at the plot's edge rather than squashing the data.
     */
    public LineChart fit(double[] x, double[] y, String label) {
        if (series.isEmpty()) throw new IllegalStateException("add the series a fit belongs to first");
        fits.add(new Fit(series.size() - 1, Series.line(label, x, y)));
        return this;
    }

    /**
     * Lets values above {@code max} run off the top, so that one outlier does not flatten the rest: the y axis spans the
     * data up to {@code max} and ends at the first tick at or above it; each point above the axis is marked by a
     * triangle on the top edge that shows its value on hover. Without data above {@code max} the chart is as without it.
     */
    public LineChart clipAbove(double max) {
        if (!Double.isFinite(max)) throw new IllegalArgumentException("clipAbove needs a finite value: " + max);
        clipAbove = max;
        return this;
    }

    /** A thin grey dashed reference line at y, labelled at its right end. */
    public LineChart hline(double y, String label) {
        hlines.add(new HLine(y, label == null ? "" : label));
        return this;
    }

    /** 640 × 360 px. */
    public String svg() {
        return svg(640, 360);
    }

    /** Width and height in px; raised to at least 240 × 160. */
    @Override
    public String svg(int width, int height) {
        width = Math.max(width, Svg.MIN_WIDTH);
        height = Math.max(height, Svg.MIN_HEIGHT);
        double[] xr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        double[] yr = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (!okX(s.x()[i])) {
                    continue;
                }
                if (okY(s.y()[i])) {
                    extend(xr, s.x()[i]);
                    extend(yr, clipped(s.y()[i]));
                }
                if (bandOk(s, i)) {
                    extend(xr, s.x()[i]);
                    extend(yr, clipped(s.lower()[i]));
                    extend(yr, clipped(s.upper()[i]));
                }
            }
        }
        if (xr[0] > xr[1]) {
            return Svg.noData(width, height, title);
        }
        for (HLine h : hlines) {
            if (okY(h.y())) {
                extend(yr, h.y());
            }
        }
        boolean fixedX = !Double.isNaN(xMin) && !logX;
        Axis ax = logX ? Axis.log(xr[0], xr[1], false)
                : Axis.linear(fixedX ? xMin : xr[0], fixedX ? xMax : xr[1], fixedX, integerX);
        boolean fixed = !Double.isNaN(yMin) && (!logY || yMin > 0);
        Axis ay = logY ? Axis.log(fixed ? yMin : yr[0], fixed ? yMax : yr[1], fixed)
                : Axis.linear(fixed ? yMin : yr[0], fixed ? yMax : yr[1], fixed);

        List<Svg.Key> keys = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            if (!s.name().isEmpty()) {
                Series.Style st = s.style();
                keys.add(new Svg.Key(i, s.name(), Svg.colour(i), Svg.dash(i, st == Series.Style.DASHED),
                        st != Series.Style.POINTS, hasMarkers(st) ? Svg.markerShape(i) : -1, s.hasBand(), false));
            }
        }
        Svg g = new Svg(width, height, title);
        Svg.Box b = g.frame(ax, xLabel, ay, yLabel, keys, 0);
        g.openClip(b);
        for (int i = 0; i < series.size(); i++) {
            if (series.get(i).hasBand()) {
                g.openSeries(i);
                band(g, series.get(i), Svg.colour(i), ax, ay, b);
                g.closeSeries();
            }
        }
        List<HLine> drawn = hlines.stream().filter(h -> okY(h.y())).toList();
        g.references(drawn.stream().mapToDouble(h -> Svg.py(ay, b, h.y())).toArray(), drawn.stream().map(HLine::label).toList(), b);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            g.openSeries(i);
            draw(g, s, Svg.colour(i), Svg.dash(i, s.style() == Series.Style.DASHED), 1.8, hasMarkers(s.style()) ? Svg.markerShape(i) : -1, ax, ay, b);
            if (!Double.isNaN(clipAbove)) aboveTheTop(g, s, Svg.colour(i), ax, ay, b);
            g.closeSeries();
        }
        for (Fit f : fits) {
            g.openSeries(f.series());
            draw(g, f.curve(), Svg.colour(f.series()), FIT_DASH, FIT_WIDTH, -1, ax, ay, b);
            g.closeSeries();
        }
        g.closeClip();
        return g.end();
    }

    /** A value as it counts towards the y range: no higher than {@link #clipAbove}. */
    private double clipped(double v) {
        return Double.isNaN(clipAbove) ? v : Math.min(v, clipAbove);
    }

    /** A triangle on the top edge at each point of s above the axis, pointing up, with the point's value on hover. */
    private void aboveTheTop(Svg g, Series s, String colour, Axis ax, Axis ay, Svg.Box b) {
        for (int i = 0; i < s.x().length; i++) {
            if (!(okX(s.x()[i]) && okY(s.y()[i]) && s.y()[i] > ay.max())) continue;
            double x = Svg.px(ax, b, s.x()[i]);
            g.raw("<polygon points=\"" + Svg.num(x - 4) + "," + Svg.num(b.y() + 3) + " " + Svg.num(x + 4) + "," + Svg.num(b.y() + 3) + " "
                    + Svg.num(x) + "," + Svg.num(b.y() - 4) + "\" fill=\"" + colour + "\" stroke=\"#fff\" stroke-width=\"0.8\"><title>"
                    + Html.escape(hover(s, i) + " (above the axis)") + "</title></polygon>\n");
        }
    }

    private static boolean hasMarkers(Series.Style st) {
        return st == Series.Style.POINTS || st == Series.Style.LINE_POINTS;
    }

    private boolean okX(double v) {
        return Double.isFinite(v) && (!logX || v > 0);
    }

    private boolean okY(double v) {
        return Double.isFinite(v) && (!logY || v > 0);
    }

    private boolean bandOk(Series s, int i) {
        return s.hasBand() && okX(s.x()[i]) && okY(s.lower()[i]) && okY(s.upper()[i]);
    }

    private static void extend(double[] r, double v) {
        r[0] = Math.min(r[0], v);
        r[1] = Math.max(r[1], v);
    }

    /** One translucent polygon per unbroken run of valid band points: upper edge forward, lower edge back. */
    private void band(Svg g, Series s, String colour, Axis ax, Axis ay, Svg.Box b) {
        int n = s.x().length;
        for (int i = 0; i < n; ) {
            if (!bandOk(s, i)) {
                i++;
                continue;
            }
            int j = i;
            while (j < n && bandOk(s, j)) {
                j++;
            }
            if (j - i >= 2) {
                StringBuilder pts = new StringBuilder();
                for (int k = i; k < j; k++) {
                    point(pts, Svg.px(ax, b, s.x()[k]), Svg.py(ay, b, s.upper()[k]));
                }
                for (int k = j - 1; k >= i; k--) {
                    point(pts, Svg.px(ax, b, s.x()[k]), Svg.py(ay, b, s.lower()[k]));
                }
                g.raw("<polygon fill=\"" + colour + "\" fill-opacity=\"0.2\" stroke=\"none\" points=\"" + pts + "\"/>\n");
            }
            i = j;
        }
    }

    /** A series' lines in this colour, dash ("" solid) and width; its markers in this shape, none when -1. */
    private void draw(Svg g, Series s, String colour, String dash, double width, int marker, Axis ax, Axis ay, Svg.Box b) {
        int n = s.x().length;
        for (int i = 0; i < n; ) {
            if (!(okX(s.x()[i]) && okY(s.y()[i]))) {
                i++;
                continue;
            }
            int j = i;
            StringBuilder pts = new StringBuilder();
            boolean moves = false; // a run whose points all coincide would draw an invisible zero-length line
            while (j < n && okX(s.x()[j]) && okY(s.y()[j])) {
                point(pts, Svg.px(ax, b, s.x()[j]), Svg.py(ay, b, s.y()[j]));
                moves |= s.x()[j] != s.x()[i] || s.y()[j] != s.y()[i];
                j++;
            }
            if (s.style() != Series.Style.POINTS) {
                if (moves) {
                    g.raw("<polyline fill=\"none\" stroke=\"" + colour + "\" stroke-width=\"" + Svg.num(width) + "\" stroke-linejoin=\"round\""
                            + (dash.isEmpty() ? " stroke-linecap=\"round\"" : " stroke-dasharray=\"" + dash + "\"")
                            + " points=\"" + pts + "\">" + (s.name().isEmpty() ? "" : "<title>" + Html.escape(s.name()) + "</title>") + "</polyline>\n");
                } else if (marker < 0) { // an isolated point: a dot, so it is not lost
                    g.raw("<circle cx=\"" + Svg.num(Svg.px(ax, b, s.x()[i])) + "\" cy=\"" + Svg.num(Svg.py(ay, b, s.y()[i]))
                            + "\" r=\"2.5\" fill=\"" + colour + "\"><title>" + Html.escape(hover(s, i)) + "</title></circle>\n");
                }
            }
            if (marker >= 0) {
                for (int k = i; k < j; k++) {
                    g.marker(Svg.px(ax, b, s.x()[k]), Svg.py(ay, b, s.y()[k]), marker, colour, hover(s, k));
                }
            }
            i = j;
        }
    }

    /** What hovering point i shows: the series, x and y, and y's interval where the series has a band. */
    private static String hover(Series s, int i) {
        String y = s.hasBand() ? Fmt.withInterval(s.y()[i], s.lower()[i], s.upper()[i]) : Fmt.num(s.y()[i]);
        return (s.name().isEmpty() ? "" : s.name() + ": ") + Fmt.num(s.x()[i]) + ", " + y;
    }

    private static void point(StringBuilder pts, double x, double y) {
        if (pts.length() > 0) {
            pts.append(' ');
        }
        pts.append(Svg.num(x)).append(',').append(Svg.num(y));
    }
}
