package reweigh.measure;

import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.world.Context;

/**
 * In-context inference as Bayesian updating over the population (many-shot elicitation). An episode
 * is written by one algorithm, so k earlier turns that each show response r are evidence about the
 * writer: {@code p(a | k shots) ∝ w_a · pi_a(r | x)^k}, and the next turn shows r with probability
 * {@code P(r | k) = Σ_a p(a | k shots) · pi_a(r | x)}. Every turn here is in the same context x.
 *
 * <p>Two shapes follow. A finite mixture approaches its floor geometrically: the posterior log-odds of
 * two algorithms are the prior log-odds plus k times the per-shot log-likelihood ratio, so
 * {@code NLL(k) − K} falls like {@code (π_2/π_1)^k} where {@code K = −log π_1} of the likeliest writer.
 * A continuum of writers whose propensity for r is Beta(α, β) gives
 * {@code P(r | k) = (α + k)/(α + β + k)}, so {@code NLL(k) ≈ β/(α + β + k)}: a power law of exponent 1
 * whose intercept β is what a change in the writers' mean propensity moves (cf. Anil et al., Many-shot
 * Jailbreaking, Anthropic 2024: safety training moves the intercept, not the exponent).
 */
public final class InContext {
    private InContext() {}

    /** pi_a(r | x) for every algorithm a: the per-shot likelihood of a demonstration of r. (K) */
    public static double[] likelihoods(Population population, Context x, Response r) {
        double[] pi = new double[population.size()];
        for (int a = 0; a < pi.length; a++) pi[a] = population.get(a).algorithm().respond(x).vector()[r.index()];
        return pi;
    }

    /**
     * p(a | k shots) ∝ w_a · pi_a^k, computed in logs so that k in the thousands does not underflow.
     * Algorithms with w_a = 0, or with pi_a = 0 once k ≥ 1, get 0. Throws when no algorithm can write k shots.
     */
    public static double[] posterior(double[] weights, double[] pi, int k) {
        if (weights.length != pi.length) throw new IllegalArgumentException("one likelihood per weight");
        if (k < 0) throw new IllegalArgumentException("shots must be >= 0, got " + k);
        double[] log = new double[weights.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < log.length; a++) {
            log[a] = weights[a] > 0 && (k == 0 || pi[a] > 0) ? Math.log(weights[a]) + (k == 0 ? 0 : k * Math.log(pi[a]))
                    : Double.NEGATIVE_INFINITY;
            max = Math.max(max, log[a]);
        }
        if (max == Double.NEGATIVE_INFINITY) throw new IllegalArgumentException("no algorithm with weight > 0 can write " + k + " such shots");
        double sum = 0;
        double[] p = new double[log.length];
        for (int a = 0; a < p.length; a++) {
            p[a] = Math.exp(log[a] - max);
            sum += p[a];
        }
        for (int a = 0; a < p.length; a++) p[a] /= sum;
        return p;
    }

    /** P(the next turn shows r | k shots of r) = Σ_a p(a | k shots) · pi_a. */
    public static double probability(double[] weights, double[] pi, int k) { return probability(weights, pi, pi, k); }

    /**
     * P(the next turn falls in a set T of responses | k shots of r) = Σ_a p(a | k shots of r) · pi_a(T | x):
     * the shots are evidence through {@code likelihood} (pi_a(r | x)), the prediction reads {@code target}
     * (pi_a(T | x)); e.g. shots of a correct answer with the power action, and any answer with it next.
     */
    public static double probability(double[] weights, double[] likelihood, double[] target, int k) {
        double[] post = posterior(weights, likelihood, k);
        double p = 0;
        for (int a = 0; a < target.length; a++) p += post[a] * target[a];
        return p;
    }

    /** pi_a(T | x) = Σ_{y in T} pi_a(y | x) for every algorithm a. (K) */
    public static double[] likelihoods(Population population, Context x, java.util.Collection<Response> target) {
        double[] pi = new double[population.size()];
        for (int a = 0; a < pi.length; a++) {
            double[] p = population.get(a).algorithm().respond(x).vector();
            for (Response y : target) pi[a] += p[y.index()];
        }
        return pi;
    }

    /**
     * The posterior log-odds of algorithm a against b after k shots: the prior log-odds plus k times
     * the per-shot log-likelihood ratio, {@code log(w_a/w_b) + k·log(pi_a/pi_b)}.
     */
    public static double logOdds(double[] weights, double[] pi, int a, int b, int k) {
        return Math.log(weights[a] / weights[b]) + k * Math.log(pi[a] / pi[b]);
    }

    /**
     * With two writers, one that always shows r (pi = 1) and one that shows it w.p. q < 1, P(r | k) ≥ t
     * exactly when the posterior log-odds λ0 + k·log(1/q) reach log((t − q)/(1 − t)); so the shots needed
     * are {@code ceil((log((t − q)/(1 − t)) − λ0) / log(1/q))}, at least 0: each nat of prior log-odds that
     * fine-tuning removes costs 1/log(1/q) more shots. Requires q < t < 1.
     */
    public static int shotsToElicit(double priorLogOdds, double q, double threshold) {
        if (!(q >= 0 && q < threshold && threshold < 1)) throw new IllegalArgumentException("need 0 <= q < threshold < 1");
        if (q == 0) return priorLogOdds == Double.NEGATIVE_INFINITY ? Integer.MAX_VALUE : (priorLogOdds >= Math.log(threshold / (1 - threshold)) ? 0 : 1);
        double needed = Math.log((threshold - q) / (1 - threshold));
        return (int) Math.max(0, Math.ceil((needed - priorLogOdds) / Math.log(1 / q) - 1e-12));
    }

    /**
     * The real number of shots k ≥ 0 at which P(r | k) reaches {@code threshold}, reading
     * {@code p(a | k) ∝ w_a · pi_a^k} at real k (so ties between whole shots are told apart): 0 when
     * P(r | 0) already reaches it, +∞ when no writer's pi_a does. P(r | k) rises with k (its derivative
     * is the posterior covariance of pi and log pi), so bisection finds the crossing to 1e-9 shots. One
     * exception: writers that never show r (pi_a = 0) drop out at the first shot, a jump at k = 0+; when
     * there are such writers and the first shot already crosses, k is interpolated linearly in P
     * between k = 0 and 1.
     */
    public static double crossing(double[] weights, double[] pi, double threshold) { return crossing(weights, pi, pi, threshold); }

    /** The same for a prediction of a set of responses ({@link #probability(double[], double[], double[], int)}). */
    public static double crossing(double[] weights, double[] pi, double[] target, double threshold) {
        double p0 = probabilityAt(weights, pi, target, 0);
        if (p0 >= threshold) return 0;
        boolean jump = false;
        for (int a = 0; a < pi.length; a++) jump |= weights[a] > 0 && pi[a] == 0;
        double lo = jump ? 1 : 0;
        double hi = 1;
        if (jump) {
            double p1 = probabilityAt(weights, pi, target, 1);
            if (p1 >= threshold) return (threshold - p0) / (p1 - p0);
            hi = 2;
        }
        while (probabilityAt(weights, pi, target, hi) < threshold) {
            lo = hi;
            hi *= 2;
            if (hi > 1e9) return Double.POSITIVE_INFINITY;
        }
        while (hi - lo > 1e-9) {
            double mid = (lo + hi) / 2;
            if (probabilityAt(weights, pi, target, mid) >= threshold) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    /** P(r | k) at real k ≥ 0: the posterior ∝ w_a · pi_a^k, in logs. */
    static double probabilityAt(double[] weights, double[] pi, double[] target, double k) {
        double max = Double.NEGATIVE_INFINITY;
        double[] log = new double[weights.length];
        for (int a = 0; a < log.length; a++) {
            log[a] = weights[a] > 0 && (k == 0 || pi[a] > 0) ? Math.log(weights[a]) + (k == 0 ? 0 : k * Math.log(pi[a]))
                    : Double.NEGATIVE_INFINITY;
            max = Math.max(max, log[a]);
        }
        if (max == Double.NEGATIVE_INFINITY) return 0;
        double num = 0, den = 0;
        for (int a = 0; a < log.length; a++) {
            double e = Math.exp(log[a] - max);
            num += e * target[a];
            den += e;
        }
        return num / den;
    }

    /** The first k in {@code shots} (ascending) whose probability reaches {@code threshold}, or -1. */
    public static int shotsToElicit(int[] shots, double[] probability, double threshold) {
        for (int i = 0; i < shots.length; i++) if (probability[i] >= threshold) return shots[i];
        return -1;
    }

    /**
     * A continuum of writers whose propensity θ for the shown response is Beta(α, β): the writer is one
     * draw of θ, and each turn shows the response w.p. θ. α = 0 or β = 0 is the point mass at 1 or 0.
     */
    public record BetaFamily(double alpha, double beta) {
        public BetaFamily {
            if (!(alpha >= 0 && beta >= 0 && alpha + beta > 0 && Double.isFinite(alpha + beta))) {
                throw new IllegalArgumentException("need alpha, beta >= 0, finite, not both 0; got " + alpha + ", " + beta);
            }
        }

        /** The family with mean propensity {@code mean} and concentration α + β = {@code concentration}. */
        public static BetaFamily ofMean(double mean, double concentration) {
            if (!(mean >= 0 && mean <= 1 && concentration > 0)) throw new IllegalArgumentException("need mean in [0, 1], concentration > 0");
            return new BetaFamily(mean * concentration, (1 - mean) * concentration);
        }

        public double mean() { return alpha / (alpha + beta); }

        /** P(next shows r | k shots, all showing r) = E[θ^(k+1)] / E[θ^k] = (α + k)/(α + β + k). */
        public double probability(int k) {
            if (k < 0) throw new IllegalArgumentException("shots must be >= 0, got " + k);
            if (alpha == 0) return 0;
            return (alpha + k) / (alpha + beta + k);
        }

        /** −log P(r | k) = log(1 + β/(α + k)); for large k about β/k: a power law of exponent 1, intercept β. */
        public double nll(int k) { return alpha == 0 ? Double.POSITIVE_INFINITY : Math.log1p(beta / (alpha + k)); }

        /** The fewest shots with P(r | k) ≥ t: k ≥ (t(α + β) − α)/(1 − t), or -1 when never (α = 0). */
        public int shotsToElicit(double threshold) {
            if (!(threshold > 0 && threshold < 1)) throw new IllegalArgumentException("threshold must be in (0, 1)");
            if (alpha == 0) return -1;
            return (int) Math.max(0, Math.ceil((threshold * (alpha + beta) - alpha) / (1 - threshold) - 1e-12));
        }
    }
}
