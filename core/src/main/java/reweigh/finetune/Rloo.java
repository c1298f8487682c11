package reweigh.finetune;

import static reweigh.world.Check.atLeast;
import static reweigh.world.Check.nonNegative;
import static reweigh.world.Check.positive;

/**
 * REINFORCE leave-one-out (Ahmadian et al., arXiv 2402.14740): k samples per context, each sample's
 * advantage is its shaped reward minus the mean of the other k-1. Unbiased, lower variance.
 */
public record Rloo(double lr, int steps, int batch, int k, double beta, KlEstimator kl) implements Method {
    public static final Rloo DEFAULTS = new Rloo(0.5, 1000, 8, 4, 0.1, KlEstimator.K1);

    public Rloo {
        positive("lr", lr);
        atLeast("steps", steps, 1);
        atLeast("batch", batch, 1);
        atLeast("k", k, 2);
        nonNegative("beta", beta);
        if (kl == null) throw new reweigh.world.Check.InvalidParameter("kl", "k1 or k3", "nothing");
    }

    public String name() { return "rloo"; }

    public void run(Problem problem, long seed, Recorder recorder) {
        PolicyGradient.run(problem, seed, recorder, lr, steps, batch, k, beta, kl);
    }
}
