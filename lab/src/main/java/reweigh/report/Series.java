package reweigh.report;

import java.util.Objects;

/**
 * One line on a {@link LineChart}. {@code lower}/{@code upper} may be null; when given, they are drawn as a
 * translucent band (e.g. a 95% interval). Arrays are copied on construction; NaN or infinite entries are gaps.
 */
public record Series(String name, double[] x, double[] y, double[] lower, double[] upper, Style style) {

    public enum Style { SOLID, DASHED, POINTS, LINE_POINTS }

    public Series {
        name = name == null ? "" : name;
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y lengths differ: " + x.length + " vs " + y.length);
        }
        if ((lower == null) != (upper == null)) {
            throw new IllegalArgumentException("give both lower and upper, or neither");
        }
        if (lower != null && (lower.length != x.length || upper.length != x.length)) {
            throw new IllegalArgumentException("band arrays must have the same length as x");
        }
        x = x.clone();
        y = y.clone();
        lower = lower == null ? null : lower.clone();
        upper = upper == null ? null : upper.clone();
        style = style == null ? Style.SOLID : style;
    }

    /** A solid line without a band. */
    public static Series line(String name, double[] x, double[] y) {
        return new Series(name, x, y, null, null, Style.SOLID);
    }

    public Series dashed() {
        return new Series(name, x, y, lower, upper, Style.DASHED);
    }

    public Series points() {
        return new Series(name, x, y, lower, upper, Style.POINTS);
    }

    public Series linePoints() {
        return new Series(name, x, y, lower, upper, Style.LINE_POINTS);
    }

    /** Same series with a band; pass two nulls to remove it. */
    public Series withBand(double[] lower, double[] upper) {
        return new Series(name, x, y, lower, upper, style);
    }

    public boolean hasBand() {
        return lower != null;
    }
}
