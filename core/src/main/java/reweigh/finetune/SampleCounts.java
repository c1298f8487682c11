package reweigh.finetune;

import java.util.Map;
import java.util.SplittableRandom;
import reweigh.population.Response;

/**
 * A multiset of (training context, response) samples, kept as counts: the exact engine's data set for
 * supervised methods. Fitting on counts is exact and as fast for a million samples as for ten.
 */
final class SampleCounts {
    final double[][] counts; // (X, R)
    double total;

    SampleCounts(int contexts) { counts = new double[contexts][Response.COUNT]; }

    void add(int x, int y) {
        counts[x][y]++;
        total++;
    }

    /**
     * EM for the mixture weights, from {@code w}: w_a <- (1/N) sum_i w_a pi_a(y_i|x_i) / pi_w(y_i|x_i).
     * Multiplicative, so two algorithms that agree on every sample keep their ratio exactly.
     */
    double[] emStep(Problem problem, double[] w) {
        if (total == 0) return w.clone(); // nothing accepted: no evidence, no change
        double[][] mix = problem.mixtureTable(w);
        double[] next = new double[w.length];
        for (int x = 0; x < counts.length; x++) {
            for (int y = 0; y < Response.COUNT; y++) {
                if (counts[x][y] == 0) continue;
                for (int a = 0; a < w.length; a++) next[a] += counts[x][y] * w[a] * problem.pi[a][x][y] / mix[x][y];
            }
        }
        for (int a = 0; a < w.length; a++) next[a] /= total;
        return next;
    }

    /** Mean log-likelihood of the samples under weights w. */
    double logLikelihood(Problem problem, double[] w) {
        double[][] mix = problem.mixtureTable(w);
        double sum = 0;
        if (total == 0) return Double.NaN;
        for (int x = 0; x < counts.length; x++) {
            for (int y = 0; y < Response.COUNT; y++) if (counts[x][y] > 0) sum += counts[x][y] * Math.log(mix[x][y]);
        }
        return sum / total;
    }

    /** One sample drawn in proportion to the counts, as {x, y}. */
    int[] draw(SplittableRandom rng) {
        double u = rng.nextDouble() * total;
        double running = 0;
        int[] last = {0, 0};
        for (int x = 0; x < counts.length; x++) {
            for (int y = 0; y < Response.COUNT; y++) {
                if (counts[x][y] == 0) continue;
                running += counts[x][y];
                last = new int[] {x, y};
                if (u < running) return last;
            }
        }
        return last;
    }

    /** Fits the weights by {@code steps} EM iterations from the base, recording the trajectory and {@code extra}. */
    void fitEm(Problem problem, int steps, Recorder recorder, Map<String, Double> extra) {
        recorder.start(steps);
        double[] w = problem.population.priors();
        recorder.weights(0, w, scalars(problem, w, extra));
        for (int step = 1; step <= steps; step++) {
            w = emStep(problem, w);
            if (recorder.wants(step)) recorder.weights(step, w, scalars(problem, w, extra));
        }
    }

    private Map<String, Double> scalars(Problem problem, double[] w, Map<String, Double> extra) {
        Map<String, Double> s = new java.util.LinkedHashMap<>(extra);
        s.put("log_likelihood", logLikelihood(problem, w));
        return s;
    }
}
