package reweigh.measure;

import java.util.Arrays;

/**
 * A least-squares fit of a decaying curve {@code y(k) = C·f(k; r) + K}: the power law
 * {@code f = k^(−α)} or the exponential {@code f = exp(−λk)}. For a fixed rate r the model is linear in
 * C and K, so both have closed forms; the rate is found by profiling the residual sum of squares over a
 * log-spaced grid and refining by golden-section search between the grid neighbours of the best point.
 *
 * @param form  which family
 * @param scale C, the intercept: y − K at k = 1 for the power law, at k = 0 for the exponential
 * @param rate  α (power law) or λ (exponential)
 * @param floor K, the asymptote as k → ∞
 * @param rss   the residual sum of squares
 * @param points how many (k, y) pairs were fitted
 */
public record DecayFit(Form form, double scale, double rate, double floor, double rss, int points) {
    /** The rate is searched in [RATE_MIN, RATE_MAX]. */
    public static final double RATE_MIN = 1e-3, RATE_MAX = 10;
    private static final int GRID = 240;
    private static final int GOLDEN_ITERATIONS = 100;
    /** Parameters of either form (C, rate, K), for the AIC. */
    public static final int PARAMETERS = 3;

    public enum Form {
        POWER, EXPONENTIAL;

        double basis(double k, double rate) { return this == POWER ? Math.pow(k, -rate) : Math.exp(-rate * k); }
    }

    public double predict(double k) { return scale * form.basis(k, rate) + floor; }

    /**
     * Whether the rate stopped at an end of the search range (within a relative 1e-6 of it): the data asked for a
     * faster or slower decay than [RATE_MIN, RATE_MAX] allows, so the rate is the search's limit, not a measured one.
     */
    public boolean rateAtBound() { return atBound(rate); }

    /** Whether a rate (a fit's, or an end of a bootstrap interval of fits') is within a relative 1e-6 of RATE_MIN or RATE_MAX. */
    public static boolean atBound(double rate) {
        return Math.abs(rate - RATE_MIN) <= 1e-6 * RATE_MIN || Math.abs(rate - RATE_MAX) <= 1e-6 * RATE_MAX;
    }

    /**
     * Akaike's criterion for Gaussian residuals, {@code n·log(RSS/n) + 2p}; lower is better. Both forms
     * have p = 3, so comparing AIC compares RSS; the RSS is floored at 1e-300 so an exact fit stays finite.
     */
    public double aic() { return points * Math.log(Math.max(rss, 1e-300) / points) + 2 * PARAMETERS; }

    /** Fits {@code form} to the pairs (k_i, y_i); needs at least 3 distinct k, all ≥ 1 for the power law. */
    public static DecayFit fit(Form form, double[] k, double[] y) {
        if (k.length != y.length) throw new IllegalArgumentException("one y per k");
        if (Arrays.stream(k).distinct().count() < PARAMETERS) throw new IllegalArgumentException("need at least 3 distinct k");
        for (double v : k) if (form == Form.POWER && !(v >= 1)) throw new IllegalArgumentException("the power law needs k >= 1, got " + v);
        for (double v : y) if (!Double.isFinite(v)) throw new IllegalArgumentException("y must be finite, got " + v);
        double logMin = Math.log(RATE_MIN), logMax = Math.log(RATE_MAX);
        double best = Double.POSITIVE_INFINITY;
        int bestIndex = 0;
        for (int i = 0; i <= GRID; i++) {
            double rss = linear(form, k, y, Math.exp(logMin + (logMax - logMin) * i / GRID))[2];
            if (rss < best) {
                best = rss;
                bestIndex = i;
            }
        }
        double lo = logMin + (logMax - logMin) * Math.max(0, bestIndex - 1) / GRID;
        double hi = logMin + (logMax - logMin) * Math.min(GRID, bestIndex + 1) / GRID;
        double phi = (Math.sqrt(5) - 1) / 2;
        double a = hi - phi * (hi - lo), b = lo + phi * (hi - lo);
        double fa = linear(form, k, y, Math.exp(a))[2], fb = linear(form, k, y, Math.exp(b))[2];
        for (int i = 0; i < GOLDEN_ITERATIONS; i++) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - phi * (hi - lo);
                fa = linear(form, k, y, Math.exp(a))[2];
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + phi * (hi - lo);
                fb = linear(form, k, y, Math.exp(b))[2];
            }
        }
        double rate = Math.exp((lo + hi) / 2);
        double[] ck = linear(form, k, y, rate);
        if (ck[2] > best) { // the grid point was better than the refinement's end (a flat or edge minimum)
            rate = Math.exp(logMin + (logMax - logMin) * bestIndex / GRID);
            ck = linear(form, k, y, rate);
        }
        return new DecayFit(form, ck[0], rate, ck[1], ck[2], k.length);
    }

    /** Least squares of y on (f(k; rate), 1): {C, K, RSS}. A constant basis (no decay visible) gives C = 0. */
    private static double[] linear(Form form, double[] k, double[] y, double rate) {
        int n = k.length;
        double[] f = new double[n];
        double meanF = 0, meanY = 0;
        for (int i = 0; i < n; i++) {
            f[i] = form.basis(k[i], rate);
            meanF += f[i] / n;
            meanY += y[i] / n;
        }
        double sff = 0, sfy = 0;
        for (int i = 0; i < n; i++) {
            sff += (f[i] - meanF) * (f[i] - meanF);
            sfy += (f[i] - meanF) * (y[i] - meanY);
        }
        double c = sff > 0 ? sfy / sff : 0;
        double floor = meanY - c * meanF;
        double rss = 0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - c * f[i] - floor;
            rss += r * r;
        }
        return new double[] {c, floor, rss};
    }

    /** The better of two fits by AIC (ties to the first). */
    public static DecayFit better(DecayFit first, DecayFit second) {
        return second.aic() < first.aic() ? second : first;
    }
}
