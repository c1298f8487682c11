package reweigh.finetune;

import static reweigh.world.Check.atLeast;
import static reweigh.world.Check.nonNegative;
import static reweigh.world.Check.positive;


/**
 * Sampled REINFORCE with no baseline on the softmax logits of the weights, through the marginal
 * likelihood: each sample adds (r - beta·kl) · w_a (pi_a(y|x)/pi_w(y|x) - 1) to the gradient of theta_a.
 * The reward is shaped by the per-sample KL estimator {@code kl} (k1 or k3) against the base.
 */
public record Reinforce(double lr, int steps, int batch, double beta, KlEstimator kl) implements Method {
    public static final Reinforce DEFAULTS = new Reinforce(0.5, 1000, 32, 0.1, KlEstimator.K1);

    public Reinforce {
        positive("lr", lr);
        atLeast("steps", steps, 1);
        atLeast("batch", batch, 1);
        nonNegative("beta", beta);
        if (kl == null) throw new reweigh.world.Check.InvalidParameter("kl", "k1 or k3", "nothing");
    }

    public String name() { return "reinforce"; }

    public void run(Problem problem, long seed, Recorder recorder) {
        PolicyGradient.run(problem, seed, recorder, lr, steps, batch, 1, beta, kl);
    }
}
