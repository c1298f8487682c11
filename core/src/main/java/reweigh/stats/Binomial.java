package reweigh.stats;

/** The interval of a proportion at 95%, and the normal quantile it uses. */
public final class Binomial {
    private Binomial() {}

    /** The standard normal's 97.5% quantile. */
    public static final double Z95 = 1.959963984540054;

    /** The Wilson score interval of {@code successes} of {@code n}; (0, 1) when n is 0. */
    public static Interval wilson(long successes, long n) {
        if (n == 0) return new Interval(0, 1);
        double p = (double) successes / n;
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
    }
}
