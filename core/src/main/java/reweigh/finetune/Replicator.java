package reweigh.finetune;

import static reweigh.world.Check.atLeast;
import static reweigh.world.Check.positive;

/**
 * Exact expected natural policy gradient on J(w) = sum_a w_a R_a - beta KL(w || w0). In logits
 * theta = log w, the natural gradient of J is g_a = R_a - beta log(w_a / w0_a) (up to a constant), so
 * theta += lr g: a multiplicative (replicator) update whose fixed point is kl-rl's w0 exp(R/beta).
 * It contracts towards that point by a factor (1 - lr·beta) per step.
 */
public record Replicator(double lr, int steps, double beta) implements Method {
    public static final Replicator DEFAULTS = new Replicator(0.1, 500, 0.1);

    public Replicator {
        positive("lr", lr);
        atLeast("steps", steps, 1);
        positive("beta", beta);
    }

    public String name() { return "replicator"; }

    public void run(Problem problem, long seed, Recorder recorder) {
        recorder.start(steps);
        double[] w0 = problem.population.priors();
        double[] returns = problem.returns();
        double[] theta = Logits.log(w0);
        recorder.weights(0, w0, null);
        for (int step = 1; step <= steps; step++) {
            double[] w = Logits.softmax(theta);
            double[] g = new double[w.length];
            for (int a = 0; a < w.length; a++) {
                if (w0[a] > 0) g[a] = returns[a] - beta * Math.log(w[a] / w0[a]);
            }
            Logits.ascend(theta, lr, g);
            if (recorder.wants(step)) recorder.weights(step, Logits.softmax(theta), null);
        }
    }
}
