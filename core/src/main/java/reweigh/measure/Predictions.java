package reweigh.measure;

/**
 * Closed forms of algorithm reweighting's predictions ({@link reweigh.finetune.KlRl}: w* ∝ w0·exp(R/β)), as
 * functions of the algorithms' returns R, their prior weights w0 and β. Experiments compute the returns of
 * their own worlds and ask these what kl-rl says.
 */
public final class Predictions {
    private Predictions() {}

    /**
     * The smallest share h in [0, 1] of honeypots at which kl-rl's log-odds move of one algorithm over
     * another reaches {@code target} nats, where that move is linear in h: Δ(h) = (1−h)·{@code watched} +
     * h·{@code honeypots}, each the move (R_num − R_den)/β in watched contexts and in honeypots alone.
     * 0 when the watched contexts already reach it; +∞ when no h in [0, 1] does.
     */
    public static double honeypotShare(double watched, double honeypots, double target) {
        if (watched >= target) return 0;
        if (honeypots <= watched) return Double.POSITIVE_INFINITY;
        double h = (target - watched) / (honeypots - watched);
        return h <= 1 ? h : Double.POSITIVE_INFINITY;
    }

    /**
     * The bonus k to algorithm {@code a}'s return at which kl-rl leaves its weight where it was:
     * w*_a = w0_a ⇔ exp((R_a + k)/β) = Z, that is k = β·log(Σ_{b≠a} w0_b·exp(R_b/β) / (1 − w0_a)) − R_a
     * (computed shifted by max R, a log-sum-exp).
     */
    public static double breakEven(double[] returns, double[] priors, int a, double beta) {
        double max = java.util.Arrays.stream(returns).max().orElse(0);
        double others = 0;
        for (int b = 0; b < priors.length; b++) if (b != a) others += priors[b] * Math.exp((returns[b] - max) / beta);
        return max + beta * Math.log(others / (1 - priors[a])) - returns[a];
    }
}
