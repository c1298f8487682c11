package reweigh.measure;

import java.util.EnumMap;
import java.util.Map;

/**
 * Which hypothesis a measured effect followed, stated over independent replicates (each its own
 * pretraining and tuning seed). The one rule every experiment uses:
 *
 * <ul>
 *   <li>per replicate r, the distance of the measurement from each prediction made from that
 *       replicate's own base: {@code d_tilt[r] = measured[r] − tilting[r]},
 *       {@code d_rew[r] = measured[r] − reweighting[r]};</li>
 *   <li>the 95% Student-t interval of each distance over the replicates ({@link MeanInterval});</li>
 *   <li>a prediction is <em>held</em> when its interval contains 0, <em>excluded</em> otherwise;</li>
 *   <li>{@link Kind#TILTING} or {@link Kind#REWEIGHTING} when that prediction is held and the other
 *       excluded; {@link Kind#BELOW}, {@link Kind#ABOVE} or {@link Kind#BETWEEN} when both are excluded;
 *       {@link Kind#INCONCLUSIVE} when both are held (the interval cannot tell them apart) and always
 *       with fewer than two replicates, whose interval is unknown.</li>
 * </ul>
 *
 * Where the two predictions coincide in every replicate (e.g. both say "no change"), the answer is
 * {@link Kind#AGREED} when held, {@link Kind#BELOW} or {@link Kind#ABOVE} when excluded.
 *
 * <p>Beside it, each replicate's verdict on its own (the same rule, read off its own interval over
 * prompts), and how many replicates share the commonest of those: "3 of 4 alone say below both".
 *
 * @param kind      the verdict over replicates
 * @param measured  the measurement's mean and interval over replicates
 * @param tilting   the tilting prediction's mean over replicates (its interval: the spread of the bases)
 * @param reweighting the reweighting prediction's mean over replicates
 * @param commonest the commonest verdict of single replicates
 * @param agreeing  how many replicates gave {@code commonest} on their own
 */
public record Verdict(Kind kind, MeanInterval measured, MeanInterval tilting, MeanInterval reweighting,
                      Kind commonest, int agreeing) {

    /** Predictions closer than this are one prediction. */
    public static final double SAME = 1e-9;

    public enum Kind {
        REWEIGHTING("followed algorithm reweighting"),
        TILTING("followed behaviour tilting"),
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
     * @param tilting     per replicate, tilting's prediction from its base
     * @param reweighting per replicate, reweighting's prediction from its base
     */
    public static Verdict of(double[] measured, double[] low, double[] high, double[] tilting, double[] reweighting) {
        int n = measured.length;
        if (n == 0 || low.length != n || high.length != n || tilting.length != n || reweighting.length != n) {
            throw new IllegalArgumentException("need one value of each per replicate, at least one replicate");
        }
        double[] dTilt = new double[n];
        double[] dRew = new double[n];
        boolean agree = true;
        Map<Kind, Integer> alone = new EnumMap<>(Kind.class);
        for (int r = 0; r < n; r++) {
            dTilt[r] = measured[r] - tilting[r];
            dRew[r] = measured[r] - reweighting[r];
            agree &= Math.abs(tilting[r] - reweighting[r]) < SAME;
            Kind k = decide(low[r] - tilting[r], high[r] - tilting[r], low[r] - reweighting[r], high[r] - reweighting[r],
                    Math.abs(tilting[r] - reweighting[r]) < SAME);
            alone.merge(k, 1, Integer::sum);
        }
        Kind commonest = null;
        for (Map.Entry<Kind, Integer> e : alone.entrySet()) {
            if (commonest == null || e.getValue() > alone.get(commonest)) commonest = e.getKey();
        }
        MeanInterval t = MeanInterval.of(dTilt);
        MeanInterval w = MeanInterval.of(dRew);
        Kind kind = n < 2 ? Kind.INCONCLUSIVE : decide(t.low(), t.high(), w.low(), w.high(), agree);
        return new Verdict(kind, MeanInterval.of(measured), MeanInterval.of(tilting), MeanInterval.of(reweighting),
                commonest, alone.get(commonest));
    }

    /** The rule, on the intervals of the two distances (measured − prediction). */
    static Kind decide(double tiltLow, double tiltHigh, double rewLow, double rewHigh, boolean agree) {
        boolean holdsTilt = tiltLow <= 0 && 0 <= tiltHigh;
        boolean holdsRew = rewLow <= 0 && 0 <= rewHigh;
        if (agree) {
            if (holdsTilt) return Kind.AGREED;
            return tiltHigh < 0 ? Kind.BELOW : Kind.ABOVE;
        }
        if (holdsTilt && holdsRew) return Kind.INCONCLUSIVE;
        if (holdsTilt) return Kind.TILTING;
        if (holdsRew) return Kind.REWEIGHTING;
        if (tiltHigh < 0 && rewHigh < 0) return Kind.BELOW;
        if (tiltLow > 0 && rewLow > 0) return Kind.ABOVE;
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
        return "inconclusive at " + n + " replicates (" + agreeing + " of " + n + " alone: " + commonest.words() + ")";
    }
}
