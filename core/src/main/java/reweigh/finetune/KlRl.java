package reweigh.finetune;

import static reweigh.world.Check.positive;

/** KL-regularised RL over algorithms, in closed form: w*_a ∝ w0_a exp(R_a / beta). The reweighting prediction. */
public record KlRl(double beta) implements Method {
    public static final KlRl DEFAULTS = new KlRl(0.1);

    public KlRl { positive("beta", beta); }

    public String name() { return "kl-rl"; }

    @Override
    public Role role() { return Role.REWEIGHTING_PREDICTION; }

    @Override
    public boolean closedForm() { return true; }

    public void run(Problem problem, long seed, Recorder recorder) {
        recorder.start(1);
        double[] w0 = problem.population.priors();
        double[] returns = problem.returns();
        recorder.weights(0, w0, null);
        recorder.weights(1, optimum(w0, returns), (a, b) -> logOdds(w0, returns, a, b), null);
    }

    /**
     * w0 · exp(R / beta), normalised, in log space: theta_a = log w0_a + (R_a - R_max) / beta, R_max over the
     * algorithms with weight. The best algorithms' logits are then exactly log w0 for every beta, so their
     * prior ratio survives beta = 1e-300 (log w0 + R/beta would absorb log w0 and give them equal weight),
     * and no logit overflows: the others are at most 0 before the log-sum-exp of the softmax.
     */
    public double[] optimum(double[] w0, double[] returns) {
        double best = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < w0.length; a++) if (w0[a] > 0) best = Math.max(best, returns[a]);
        double[] theta = Logits.log(w0);
        for (int a = 0; a < theta.length; a++) {
            if (w0[a] > 0) theta[a] += (returns[a] - best) / beta;
        }
        return Logits.softmax(theta);
    }

    /**
     * log(w*_a / w*_b) = log(w0_a / w0_b) + (R_a - R_b) / beta, a difference of logs: when a and b earn the same
     * return it is the prior's log-odds exactly, for every beta > 0, even where both weights round to 0.
     */
    public double logOdds(double[] w0, double[] returns, int a, int b) {
        return Math.log(w0[a] / w0[b]) + (returns[a] - returns[b]) / beta;
    }
}
