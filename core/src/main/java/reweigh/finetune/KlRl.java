package reweigh.finetune;

import static reweigh.world.Check.positive;

/** KL-regularised RL over algorithms, in closed form: w*_a ∝ w0_a exp(R_a / beta). The reweighting prediction. */
public record KlRl(double beta) implements Method {
    public static final KlRl DEFAULTS = new KlRl(0.1);

    public KlRl { positive("beta", beta); }

    public String name() { return "kl-rl"; }

    @Override
    public boolean closedForm() { return true; }

    public void run(Problem problem, long seed, Recorder recorder) {
        recorder.start(1);
        double[] w0 = problem.population.priors();
        recorder.weights(0, w0, null);
        recorder.weights(1, optimum(w0, problem.returns()), null);
    }

    /** w0 · exp(R / beta), normalised, computed in log space so large R/beta does not overflow. */
    public double[] optimum(double[] w0, double[] returns) {
        double[] theta = Logits.log(w0);
        for (int a = 0; a < theta.length; a++) theta[a] += returns[a] / beta;
        return Logits.softmax(theta);
    }
}
