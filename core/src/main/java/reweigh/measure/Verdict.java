package reweigh.measure;

import java.util.EnumMap;
import java.util.Map;
import reweigh.stats.MeanInterval;

/**
 * Which hypothesis a measured effect followed, stated over independent replicates (each its own
 * pretraining and tuning seed). The one rule every experiment uses:
 *
 * <ul>
 *   <li>per replicate r, the measured effect of tuning, {@code measured[r] − tilting[r]} (tilting predicts
 *       that the base's value stays, an effect of 0), and reweighting's predicted effect
 *       {@code reweighting[r] − tilting[r]}, each from that replicate's own base;</li>
 *   <li>the 95% Student-t interval of the measured effect over the replicates ({@link MeanInterval});</li>
 *   <li>the gap between the two predictions' effects (0 for tilting, the mean over replicates of
 *       reweighting's predicted effect) is cut in four: the quarter beside each prediction, on either side
 *       of it, is <em>near</em> that prediction ({@link #NEAR}), the half between them is between;</li>
 *   <li>the effect axis is then five regions, none overlapping: below both (further below the lower
 *       prediction than a quarter of the gap), near the lower, between, near the upper, above both; the
 *       verdict is the region the whole interval lies in ({@link Kind#TILTING} or {@link Kind#REWEIGHTING}
 *       when it lies near that prediction, {@link Kind#BELOW}, {@link Kind#BETWEEN}, {@link Kind#ABOVE}),
 *       and {@link Kind#INCONCLUSIVE} when it straddles a boundary, and always with fewer than two
 *       replicates, whose interval is unknown;</li>
 *   <li>where both predictions coincide in every replicate there is no gap to cut: an interval that holds
 *       the common prediction is inconclusive, one wholly below or above it is {@link Kind#BELOW} or
 *       {@link Kind#ABOVE}.</li>
 * </ul>
 *
 * Because the regions do not overlap, two sets of replicates can give two different decided verdicts only
 * when their intervals are disjoint, that is, when the sets really measured different things; a verdict can
 * still be decided at one set and inconclusive at another when an interval's edge sits at a boundary. An
 * earlier rule called a prediction followed when the interval merely held it and excluded the other: at
 * the default scale two disjoint sets of 8 replicates read deployment's reinforce as "followed tilting" and
 * "below both" from effects of −5.4 and −5.3 points, because a wide interval that reached 0 by a tenth of a
 * point counted as holding tilting ({@code docs/replication.md}).
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
 * @param effect    the effect of tuning (measured minus tilting's prediction): its mean and interval over replicates
 * @param predicted reweighting's predicted effect, the mean over replicates of its prediction minus tilting's
 * @param agree     whether the two predictions coincide in every replicate
 * @param commonest the commonest reading of single replicates
 * @param agreeing  how many replicates gave {@code commonest} on their own
 */
public record Verdict(Kind kind, MeanInterval measured, MeanInterval effect, double predicted, boolean agree, Kind commonest, int agreeing) {

    /** Predictions closer than this are one prediction. */
    public static final double SAME = 1e-9;

    /** How far either side of a prediction counts as near it, as a share of the gap between the predictions. */
    public static final double NEAR = 0.25;

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
        return new Verdict(kind, MeanInterval.of(measured), e, predicted, agree, commonest, alone.get(commonest));
    }

    /** The rule, on an interval of the effect: tilting predicts 0, reweighting {@code predicted}. */
    static Kind decide(double low, double high, double predicted, boolean agree) {
        if (agree) {
            if (low <= 0 && 0 <= high) return Kind.AGREED;
            return high < 0 ? Kind.BELOW : Kind.ABOVE;
        }
        Regions r = new Regions(predicted);
        if (high < r.lower() - r.near()) return Kind.BELOW;
        if (low > r.upper() + r.near()) return Kind.ABOVE;
        if (low > r.lower() + r.near() && high < r.upper() - r.near()) return Kind.BETWEEN;
        if (0 - r.near() <= low && high <= 0 + r.near()) return Kind.TILTING;
        if (predicted - r.near() <= low && high <= predicted + r.near()) return Kind.REWEIGHTING;
        return Kind.INCONCLUSIVE;
    }

    /** The two predictions' effects in order (tilting's is 0), and how far either side of each is near it. */
    private record Regions(double lower, double upper, double near) {
        Regions(double predicted) { this(Math.min(0, predicted), Math.max(0, predicted), NEAR * Math.abs(predicted)); }
    }

    /**
     * The verdict in words, first: "followed algorithm reweighting (4 replicates)", "inconclusive at 4
     * replicates (3 of 4 alone: below both predictions)", "inconclusive: one replicate is not a verdict".
     */
    public String sentence() {
        int n = replicates();
        if (kind != Kind.INCONCLUSIVE) return kind.words() + " (" + n + " replicates)";
        if (n < 2) return "inconclusive: one replicate is not a verdict (alone it reads " + commonest.words() + ")";
        String interval = agree ? "the interval holds no change, which both predict"
                : "the interval runs from " + where(effect.low()) + " to " + where(effect.high());
        return "inconclusive at " + n + " replicates: " + interval + " (" + agreeing + " of " + n + " alone: " + commonest.words() + ")";
    }

    /** Which region of the rule an effect lies in, in words: "below both predictions", "near tilting's". */
    private String where(double x) {
        Regions r = new Regions(predicted);
        String low = predicted < 0 ? "reweighting's" : "tilting's";
        String high = predicted < 0 ? "tilting's" : "reweighting's";
        if (x < r.lower() - r.near()) return "below both predictions";
        if (x <= r.lower() + r.near()) return "near " + low;
        if (x < r.upper() - r.near()) return "between them";
        if (x <= r.upper() + r.near()) return "near " + high;
        return "above both";
    }
}
