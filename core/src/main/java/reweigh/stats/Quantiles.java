package reweigh.stats;

import java.util.Arrays;

/** Quantiles by linear interpolation between order statistics (type 7 of Hyndman and Fan, R's default). */
public final class Quantiles {
    private Quantiles() {}

    /** The two-sided level of every interval reweigh states. */
    public static final double LEVEL = 0.95;

    /**
     * The p-quantile (0..1) of values already sorted ascending. Equal neighbours are returned as they are,
     * so infinities (a log-odds of a zero weight) pass through instead of becoming NaN.
     */
    public static double sorted(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        double frac = h - lo;
        if (frac == 0 || sorted[lo] == sorted[hi]) return sorted[lo];
        return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
    }

    /** The p-quantile of the finite values; NaN when there are none. */
    public static double ofFinite(double[] values, double p) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        return v.length == 0 ? Double.NaN : sorted(v, p);
    }

    /** The central 95% interval of values (a percentile bootstrap's, over its replicates); infinities kept. */
    public static Interval central(double[] values) {
        if (values.length == 0) return new Interval(Double.NaN, Double.NaN);
        double[] s = values.clone();
        Arrays.sort(s);
        double tail = (1 - LEVEL) / 2;
        return new Interval(sorted(s, tail), sorted(s, 1 - tail));
    }
}
