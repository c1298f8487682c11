package reweigh.measure;

import java.util.EnumMap;
import java.util.Map;

/**
 * Which hypothesis a measured effect followed, stated over independent replicates (each its own
 * pretraining and tuning seed). The one rule every experiment uses:
 *
 * <ul>
 *   <li>per replicate r, the measured effect of tuning, {@code measured[r] − tilting[r]} (tilting predicts
 *       that the base's value stays, an effect of 0), and reweighting's predicted effect
 *       {@code reweighting[r] − tilting[r]}, each from that replicate's own base;</li>
 *   <li>the 95% Student-t interval of the measured effect over the replicates ({@link MeanInterval});</li>
 *   <li>a prediction is <em>held</em> when that interval contains it (0 for tilting, the mean over
 *       replicates of reweighting's predicted effect), <em>excluded</em> otherwise;</li>
 *   <li>{@link Kind#TILTING} or {@link Kind#REWEIGHTING} when that prediction is held and the other
 *       excluded; {@link Kind#BELOW}, {@link Kind#ABOVE} or {@link Kind#BETWEEN} when both are excluded;
 *       otherwise {@link Kind#INCONCLUSIVE}: the interval holds both (or both predictions coincide and it
 *       holds them), and always with fewer than two replicates, whose interval is unknown.</li>
 * </ul>
 *
 * Reweighting's prediction is taken as its mean over the replicates: its spread between bases (a base's
 * implied weights, times exp(R/beta)) is reported beside it, not folded into the interval. Folding it in
 * (the interval of measured − prediction, replicate by replicate) was tried first: at the default scale it
 * let a prediction that spread widely between bases be "held" by a measurement that fell in every
 * replicate while the prediction rose on average.
 *
 * <p>Beside it, each replicate's reading on its own (the same rule, on its own interval over prompts),
 * and how many replicates share the commonest of those: "3 of 4 alone: below both predictions".
 *
 * @param kind      the verdict over replicates
 * @param measured  the measurement's mean and interval over replicates
 * @param agree     whether the two predictions coincide in every replicate
 * @param commonest the commonest reading of single replicates
 * @param agreeing  how many replicates gave {@code commonest} on their own
 */
public record Verdict(Kind kind, MeanInterval measured, boolean agree, Kind commonest, int agreeing) {

    /** Predictions closer than this are one prediction. */
    public static final double SAME = 1e-9;

    public enum Kind {
        REWEIGHTING("followed algorithm reweighting"),
        TILTING("followed behaviour tilting"),
        /** A single replicate's reading only: its interval holds both predictions, which coincide. */
        AGREED("consistent with both predictions, which agree here"),
        BELOW("below both predictions"),
        ABOVE("above both predictions"),
        BETWEEN("between the predictions, matching neither"),
        INCONCLUSIVE("inconclusive");

        private final String words;

        Kind(String words) { this.words = words; }

        public String words() { return words; }
    }

    /** Replicates in the verdict. */
    public int replicates() { return measured.n(); }

    /**
     * The verdict over replicates.
     *
     * @param measured    per replicate, the measured value
     * @param low         per replicate, the low end of its own interval (over prompts)
     * @param high        per replicate, the high end of that interval
     * @param tilting     per replicate, tilting's prediction from its base (the base's own value)
     * @param reweighting per replicate, reweighting's prediction from its base
     */
    public static Verdict of(double[] measured, double[] low, double[] high, double[] tilting, double[] reweighting) {
        int n = measured.length;
        if (n == 0 || low.length != n || high.length != n || tilting.length != n || reweighting.length != n) {
            throw new IllegalArgumentException("need one value of each per replicate, at least one replicate");
        }
        double[] effect = new double[n];
        double predicted = 0;
        boolean agree = true;
        Map<Kind, Integer> alone = new EnumMap<>(Kind.class);
        for (int r = 0; r < n; r++) {
            effect[r] = measured[r] - tilting[r];
            double p = reweighting[r] - tilting[r];
            predicted += p / n;
            agree &= Math.abs(p) < SAME;
            alone.merge(decide(low[r] - tilting[r], high[r] - tilting[r], p, Math.abs(p) < SAME), 1, Integer::sum);
        }
        Kind commonest = null;
        for (Map.Entry<Kind, Integer> e : alone.entrySet()) {
            if (commonest == null || e.getValue() > alone.get(commonest)) commonest = e.getKey();
        }
        MeanInterval e = MeanInterval.of(effect);
        Kind kind = n < 2 ? Kind.INCONCLUSIVE : decide(e.low(), e.high(), predicted, agree);
        if (kind == Kind.AGREED) kind = Kind.INCONCLUSIVE; // holding both predictions tells them apart no more when they coincide
        return new Verdict(kind, MeanInterval.of(measured), agree, commonest, alone.get(commonest));
    }

    /** The rule, on an interval of the effect: tilting predicts 0, reweighting {@code predicted}. */
    static Kind decide(double low, double high, double predicted, boolean agree) {
        boolean holdsTilt = low <= 0 && 0 <= high;
        boolean holdsRew = low <= predicted && predicted <= high;
        if (agree) {
            if (holdsTilt) return Kind.AGREED;
            return high < 0 ? Kind.BELOW : Kind.ABOVE;
        }
        if (holdsTilt && holdsRew) return Kind.INCONCLUSIVE;
        if (holdsTilt) return Kind.TILTING;
        if (holdsRew) return Kind.REWEIGHTING;
        if (high < Math.min(0, predicted)) return Kind.BELOW;
        if (low > Math.max(0, predicted)) return Kind.ABOVE;
        return Kind.BETWEEN;
    }

    /**
     * The verdict in words, first: "followed algorithm reweighting (4 replicates)", "inconclusive at 4
     * replicates (3 of 4 alone: below both predictions)", "inconclusive: one replicate is not a verdict".
     */
    public String sentence() {
        int n = replicates();
        if (kind != Kind.INCONCLUSIVE) return kind.words() + " (" + n + " replicates)";
        if (n < 2) return "inconclusive: one replicate is not a verdict (alone it reads " + commonest.words() + ")";
        return "inconclusive at " + n + " replicates: the interval holds " + (agree ? "no change, which both predict" : "both predictions")
                + " (" + agreeing + " of " + n + " alone: " + commonest.words() + ")";
    }
}
