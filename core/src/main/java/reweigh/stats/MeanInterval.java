package reweigh.stats;

/**
 * The mean of a few repeats (e.g. one value per seed) with its two-sided 95% Student-t interval,
 * {@code mean ± t(0.975, n−1)·s/√n} with {@code s} the sample standard deviation. With one repeat the
 * interval is unknown (NaN); with identical repeats it has width zero.
 */
public record MeanInterval(int n, double mean, double low, double high) {

    public static MeanInterval of(double[] values) {
        int n = values.length;
        if (n == 0) return new MeanInterval(0, Double.NaN, Double.NaN, Double.NaN);
        double mean = 0;
        for (double v : values) mean += v / n;
        if (n == 1) return new MeanInterval(1, mean, Double.NaN, Double.NaN);
        double ss = 0;
        for (double v : values) ss += (v - mean) * (v - mean);
        double half = tQuantile(0.975, n - 1) * Math.sqrt(ss / (n - 1) / n);
        return new MeanInterval(n, mean, mean - half, mean + half);
    }

    public double halfWidth() { return (high - low) / 2; }

    /**
     * The geometric mean of ratios given as their logs, exp(mean), with the Student-t interval taken on the
     * log scale and mapped back, exp(mean ± t·s/√n); the interval is NaN for one value.
     */
    public static MeanInterval geometric(double[] logs) {
        MeanInterval m = of(logs);
        return new MeanInterval(m.n, Math.exp(m.mean), Math.exp(m.low), Math.exp(m.high));
    }

    /** The p-quantile of Student's t with df degrees of freedom, by bisection on {@link #tCdf}; |error| < 1e-10. */
    public static double tQuantile(double p, int df) {
        if (!(p > 0 && p < 1) || df < 1) throw new IllegalArgumentException("need 0 < p < 1 and df >= 1 (got p=" + p + ", df=" + df + ")");
        double lo = -1e4;
        double hi = 1e4;
        for (int i = 0; i < 200 && hi - lo > 1e-11; i++) {
            double mid = (lo + hi) / 2;
            if (tCdf(mid, df) < p) lo = mid;
            else hi = mid;
        }
        return (lo + hi) / 2;
    }

    /** P(T <= t) for Student's t: 1 − I_x(df/2, 1/2)/2 with x = df/(df+t²), for t >= 0; symmetric below. */
    static double tCdf(double t, int df) {
        double tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2.0, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /** I_x(a, b) by its continued fraction (Numerical Recipes, 6.4), using the symmetry for x > (a+1)/(a+b+2). */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
        if (x > (a + 1) / (a + b + 2)) return 1 - front * continuedFraction(1 - x, b, a) / b;
        return front * continuedFraction(x, a, b) / a;
    }

    private static double continuedFraction(double x, double a, double b) {
        double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.abs(d) < tiny ? tiny : d);
        double h = d;
        for (int m = 1; m <= 300; m++) {
            double even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 / nonZero(1 + even * d, tiny);
            c = nonZero(1 + even / c, tiny);
            h *= d * c;
            double odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 / nonZero(1 + odd * d, tiny);
            c = nonZero(1 + odd / c, tiny);
            double step = d * c;
            h *= step;
            if (Math.abs(step - 1) < 1e-15) break;
        }
        return h;
    }

    private static double nonZero(double v, double tiny) { return Math.abs(v) < tiny ? tiny : v; }

    /** ln Γ(z) for z > 0, Lanczos (g = 7, 9 terms); relative error about 1e-15. */
    static double logGamma(double z) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
                12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
        z -= 1;
        double sum = c[0];
        for (int i = 1; i < c.length; i++) sum += c[i] / (z + i);
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
