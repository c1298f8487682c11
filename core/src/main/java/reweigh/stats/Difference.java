package reweigh.stats;

/**
 * The difference of two independent samples' means, a − b, with its standard error sqrt(v_a/n_a + v_b/n_b),
 * each variance the plug-in one (the mean square about the sample's mean, divided by n).
 */
public record Difference(double estimate, double se) {
    /** Both samples need at least one value. */
    public static Difference ofMeans(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) throw new IllegalArgumentException("a difference of means needs both samples non-empty");
        double[] ma = moments(a), mb = moments(b);
        return new Difference(ma[0] - mb[0], Math.sqrt(ma[1] / a.length + mb[1] / b.length));
    }

    /** {mean, plug-in variance} by sums of values and of squares, in order. */
    private static double[] moments(double[] x) {
        double sum = 0, squares = 0;
        for (double v : x) {
            sum += v;
            squares += v * v;
        }
        double mean = sum / x.length;
        return new double[] {mean, Math.max(0, squares / x.length - mean * mean)};
    }
}
