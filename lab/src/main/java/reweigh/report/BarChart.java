package reweigh.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Grouped bars: one group per category, one bar per series in each group, optional error bars. On a linear axis
 * bars start at zero (so the range always includes zero); on a log axis they start at the bottom of the axis and
 * non-positive values are not drawn. NaN draws no bar; +infinity (e.g. "never": no number of shots elicits it) draws an
 * ∞ at the bar's foot in the series' colour.
 */
public final class BarChart implements Chart {

    private record Bars(String name, double[] values, double[] lower, double[] upper) {}

    private record Line(double y, String label) {}

    /** Rotation of category labels that do not fit under their group, in degrees. */
    private static final double TILT = 35;
    /** Longest rotated category label, in px; longer ones are truncated. */
    private static final double MAX_TILTED = 110;

    private final String title;
    private final String yLabel;
    private final List<String> categories;
    private final List<Bars> bars = new ArrayList<>();
    private final List<Line> lines = new ArrayList<>();
    private boolean logY;
    private double yMin = Double.NaN;
    private double yMax = Double.NaN;

    public BarChart(String title, String yLabel, List<String> categories) {
        this.title = title == null ? "" : title;
        this.yLabel = yLabel == null ? "" : yLabel;
        List<String> cs = new ArrayList<>();
        for (String c : Objects.requireNonNull(categories, "categories")) {
            cs.add(c == null ? "" : c);
        }
        this.categories = List.copyOf(cs);
    }

    /** values.length must equal the number of categories. */
    public BarChart add(String seriesName, double[] values) {
        return add(seriesName, values, null, null);
    }

    /** Error bars from lower to upper (each array nullable, entries may be NaN). */
    public BarChart add(String seriesName, double[] values, double[] lower, double[] upper) {
        int n = categories.size();
        if (values.length != n || (lower != null && lower.length != n) || (upper != null && upper.length != n)) {
            throw new IllegalArgumentException("need one value per category (" + n + ")");
        }
        bars.add(new Bars(seriesName == null ? "" : seriesName, values.clone(),
                lower == null ? null : lower.clone(), upper == null ? null : upper.clone()));
        return this;
    }

    /** A dashed reference line across the bars at {@code y} (chance, a prediction), labelled. */
    public BarChart hline(double y, String label) {
        lines.add(new Line(y, label == null ? "" : label));
        return this;
    }

    /** Fixed y range on a linear axis (e.g. a rate's 0..1, the same in every panel of a small multiple); bars are cut at its edges. */
    public BarChart yRange(double min, double max) {
        Axis.checkRange("yRange", min, max);
        yMin = min;
        yMax = max;
        return this;
    }

    public BarChart logY() {
        logY = true;
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
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        boolean any = false;
        for (Bars s : bars) {
            for (int i = 0; i < categories.size(); i++) {
                if (ok(s.values()[i])) {
                    any = true;
                }
                for (double v : new double[] {s.values()[i], at(s.lower(), i), at(s.upper(), i)}) {
                    if (ok(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        if (!any) {
            return Svg.noData(width, height, title);
        }
        for (Line l : lines) {
            if (ok(l.y())) {
                lo = Math.min(lo, l.y());
                hi = Math.max(hi, l.y());
            }
        }
        // On log, start below the smallest value so a bar equal to a decade (e.g. 1) is not drawn zero-tall.
        Axis ay = logY ? Axis.log(lo * 0.999, hi, false)
                : Double.isNaN(yMin) ? Axis.linear(Math.min(lo, 0), Math.max(hi, 0), false) : Axis.linear(yMin, yMax, true);

        List<Svg.Key> keys = new ArrayList<>();
        for (int j = 0; j < bars.size(); j++) {
            if (!bars.get(j).name().isEmpty()) {
                keys.add(new Svg.Key(j, bars.get(j).name(), Svg.colour(j), "", false, -1, false, true));
            }
        }
        // The plot width is only known after layout, so decide on tilting labels from an estimate of it.
        double keyRoom = 0;
        for (Svg.Key k : keys) {
            keyRoom = Math.max(keyRoom, Math.min(Svg.textWidth(k.name(), Svg.LABEL_PX) + 40, width * 0.3 + 10));
        }
        double groupEstimate = (width - 80 - keyRoom) / categories.size();
        double widest = 0;
        for (String c : categories) {
            widest = Math.max(widest, Svg.textWidth(c, Svg.TICK_PX));
        }
        boolean tilt = widest > groupEstimate * 0.95;
        double room = tilt ? Math.min(widest, MAX_TILTED) * Math.sin(Math.toRadians(TILT)) + 24 : 22;

        Svg g = new Svg(width, height, title);
        Svg.Box b = g.frame(null, "", ay, yLabel, keys, room);
        double group = b.w() / categories.size();
        for (int i = 0; i < categories.size(); i++) {
            double cx = b.x() + group * (i + 0.5);
            if (tilt) {
                double max = Math.min(MAX_TILTED, (cx - 4) / Math.cos(Math.toRadians(TILT)));
                g.raw("<text transform=\"translate(" + Svg.num(cx + 3) + " " + Svg.num(b.bottom() + 12) + ") rotate(-"
                        + Svg.num(TILT) + ")\" text-anchor=\"end\" fill=\"#333\">"
                        + Html.escape(Svg.fit(categories.get(i), max, Svg.TICK_PX)) + "</text>\n");
            } else {
                g.text(cx, b.bottom() + 16, Svg.fit(categories.get(i), group - 4, Svg.TICK_PX), "middle", Svg.TICK_PX,
                        "fill=\"#333\"");
            }
        }
        g.openClip(b);
        double base = logY ? b.bottom() : Svg.py(ay, b, 0);
        double slot = group * 0.8 / Math.max(1, bars.size());
        double gap = slot > 6 ? 1 : 0; // px between neighbouring bars
        for (int j = 0; j < bars.size(); j++) {
            Bars s = bars.get(j);
            g.openSeries(j);
            for (int i = 0; i < categories.size(); i++) {
                double x = b.x() + group * i + group * 0.1 + slot * j;
                double v = s.values()[i];
                if (ok(v)) {
                    double y = Svg.py(ay, b, v);
                    g.raw("<rect x=\"" + Svg.num(x + gap / 2) + "\" y=\"" + Svg.num(Math.min(y, base)) + "\" width=\""
                            + Svg.num(slot - gap) + "\" height=\"" + Svg.num(Math.abs(base - y)) + "\" fill=\"" + Svg.colour(j)
                            + "\"><title>" + Html.escape(hover(s, i)) + "</title></rect>\n");
                } else if (v == Double.POSITIVE_INFINITY) {
                    g.raw("<text x=\"" + Svg.num(x + slot / 2) + "\" y=\"" + Svg.num(base - 3) + "\" text-anchor=\"middle\" font-size=\"14\" "
                            + "font-weight=\"bold\" fill=\"" + Svg.colour(j) + "\"><title>" + Html.escape(hover(s, i)) + "</title>∞</text>\n");
                }
                errorBar(g, ay, b, x + slot / 2, Math.min(slot * 0.4, 10), at(s.lower(), i), at(s.upper(), i));
            }
            g.closeSeries();
        }
        if (!logY && ay.min() < 0) {
            g.line(b.x(), base, b.right(), base, "#555", 1, "shape-rendering=\"crispEdges\"");
        }
        List<Line> drawn = lines.stream().filter(l -> ok(l.y())).toList();
        g.references(drawn.stream().mapToDouble(l -> Svg.py(ay, b, l.y())).toArray(), drawn.stream().map(Line::label).toList(), b);
        g.closeClip();
        return g.end();
    }

    /** A whisker with caps; on a log axis a non-positive lower end runs uncapped to the bottom of the axis. */
    private void errorBar(Svg g, Axis ay, Svg.Box b, double cx, double cap, double lower, double upper) {
        boolean capLow = ok(lower);
        double yLo = capLow ? Svg.py(ay, b, lower) : logY && lower <= 0 ? b.bottom() : Double.NaN;
        if (!ok(upper) || Double.isNaN(yLo)) {
            return;
        }
        double yHi = Svg.py(ay, b, upper);
        g.line(cx, yLo, cx, yHi, "#222", 1.2, "");
        g.line(cx - cap / 2, yHi, cx + cap / 2, yHi, "#222", 1.2, "");
        if (capLow) {
            g.line(cx - cap / 2, yLo, cx + cap / 2, yLo, "#222", 1.2, "");
        }
    }

    /** What hovering a bar shows: its category, its series, its value and its interval where it has one. */
    private String hover(Bars s, int i) {
        String name = categories.get(i) + (s.name().isEmpty() ? "" : ", " + s.name());
        if (s.values()[i] == Double.POSITIVE_INFINITY) return name + ": ∞";
        return name + ": " + Fmt.withInterval(s.values()[i], at(s.lower(), i), at(s.upper(), i));
    }

    private boolean ok(double v) {
        return Double.isFinite(v) && (!logY || v > 0);
    }

    private static double at(double[] a, int i) {
        return a == null ? Double.NaN : a[i];
    }
}
