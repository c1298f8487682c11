package reweigh.finetune;

import java.util.Locale;

/**
 * Per-sample estimators of KL(pi || pi_ref) from y ~ pi (Schulman, "Approximating KL divergence", 2020).
 * The same estimator that shapes the reward is the one a report shows.
 */
public enum KlEstimator {
    /** log pi(y) - log pi_ref(y): unbiased, can be negative. */
    K1,
    /** (rho - 1) - log rho with rho = pi_ref(y) / pi(y): unbiased and non-negative. */
    K3;

    public double estimate(double p, double pRef) {
        return switch (this) {
            case K1 -> Math.log(p / pRef);
            case K3 -> {
                double rho = pRef / p;
                yield (rho - 1) - Math.log(rho);
            }
        };
    }

    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
