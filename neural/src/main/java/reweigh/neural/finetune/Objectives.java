package reweigh.neural.finetune;

import reweigh.finetune.KlEstimator;

/**
 * The fine-tuning losses as functions of the sequence log-probabilities log pi(y_i | x_i) of a
 * batch, each with its exact gradient. A step then back-propagates the surrogate
 * sum_i gradient_i · log pi(y_i | x_i), whose gradient in the parameters is the loss's (chain rule):
 * the maths stays here in doubles, checked against finite differences, and the network only ever
 * differentiates one sum.
 */
final class Objectives {
    private Objectives() {}

    /** A loss at the batch's log-probabilities, and d loss / d log pi(y_i | x_i) for each row. */
    record Objective(double loss, double[] gradient, double clipped) {
        Objective(double loss, double[] gradient) { this(loss, gradient, 0); }
    }

    /**
     * A per-sequence estimate of KL(pi || pi_ref) from y ~ pi, in log space (sequence probabilities
     * can be tiny): k1 = log pi - log pi_ref; k3 = (rho - 1) - log rho with rho = pi_ref / pi
     * (Schulman, "Approximating KL divergence", 2020). The same numbers as {@link KlEstimator#estimate}.
     */
    static double kl(KlEstimator estimator, double logProb, double refLogProb) {
        return switch (estimator) {
            case K1 -> logProb - refLogProb;
            case K3 -> {
                double logRho = refLogProb - logProb;
                yield Math.expm1(logRho) - logRho;
            }
        };
    }

    /** The policy-gradient surrogate -mean_i A_i · log pi(y_i | x_i), advantages held fixed. */
    static Objective policyGradient(double[] logProb, double[] advantage) {
        int n = logProb.length;
        double loss = 0;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            loss -= advantage[i] * logProb[i] / n;
            g[i] = -advantage[i] / n;
        }
        return new Objective(loss, g);
    }

    /**
     * PPO's clipped surrogate at the sequence level: mean_i max(-A_i rho_i, -A_i clip(rho_i, 1-eps,
     * 1+eps)) with rho_i = pi(y_i|x_i) / pi_old(y_i|x_i). Where the clipped term is the larger, the
     * loss is flat in rho_i and the row has no gradient; {@code clipped} is the fraction of such rows.
     */
    static Objective ppo(double[] logProb, double[] oldLogProb, double[] advantage, double clip) {
        int n = logProb.length;
        double loss = 0;
        int flat = 0;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            double ratio = Math.exp(logProb[i] - oldLogProb[i]);
            double bounded = Math.min(Math.max(ratio, 1 - clip), 1 + clip);
            double unclipped = -advantage[i] * ratio;
            double clipped = -advantage[i] * bounded;
            if (clipped > unclipped) {
                loss += clipped / n;
                flat++;
            } else {
                loss += unclipped / n;
                g[i] = unclipped / n; // d(-A rho)/d log pi = -A rho
            }
        }
        return new Objective(loss, g, flat / (double) n);
    }

    /**
     * The DPO loss on {@code m} pairs, rows 0..m-1 preferred and m..2m-1 rejected:
     * mean_j -log sigmoid(z_j), z_j = beta·[(log pi(w_j) - log ref(w_j)) - (log pi(l_j) - log ref(l_j))].
     * d/d log pi(w_j) = -beta·sigmoid(-z_j)/m, and the opposite for l_j.
     */
    static Objective dpo(double[] logProb, double[] refLogProb, double beta) {
        int m = logProb.length / 2;
        double loss = 0;
        double[] g = new double[2 * m];
        for (int j = 0; j < m; j++) {
            double z = beta * ((logProb[j] - refLogProb[j]) - (logProb[m + j] - refLogProb[m + j]));
            loss += softplus(-z) / m;
            double pull = beta * sigmoid(-z) / m;
            g[j] = -pull;
            g[m + j] = pull;
        }
        return new Objective(loss, g);
    }

    /** Mean beta·[(log pi(w) - log ref(w)) - (log pi(l) - log ref(l))] over pairs laid out as in {@link #dpo}. */
    static double dpoMargin(double[] logProb, double[] refLogProb, double beta) {
        int m = logProb.length / 2;
        double sum = 0;
        for (int j = 0; j < m; j++) {
            sum += beta * ((logProb[j] - refLogProb[j]) - (logProb[m + j] - refLogProb[m + j]));
        }
        return sum / m;
    }

    /** (x - mean) / sd over the batch (population sd); all zeros when the batch does not vary. */
    static double[] whiten(double[] x) {
        double mean = 0;
        for (double v : x) mean += v / x.length;
        double var = 0;
        for (double v : x) var += (v - mean) * (v - mean) / x.length;
        double sd = Math.sqrt(var);
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) out[i] = sd > 1e-8 ? (x[i] - mean) / sd : 0;
        return out;
    }

    /** Each row's value minus the mean of the other k-1 rows of its group (groups of k consecutive rows). */
    static double[] leaveOneOut(double[] x, int k) {
        double[] out = new double[x.length];
        for (int start = 0; start < x.length; start += k) {
            double sum = 0;
            for (int j = 0; j < k; j++) sum += x[start + j];
            for (int j = 0; j < k; j++) out[start + j] = x[start + j] - (sum - x[start + j]) / (k - 1);
        }
        return out;
    }

    static double softplus(double x) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }
}
