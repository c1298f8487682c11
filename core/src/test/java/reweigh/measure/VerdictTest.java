package reweigh.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reweigh.measure.Verdict.Kind;
import reweigh.stats.MeanInterval;

class VerdictTest {

    private static double[] fill(int n, double v) { return IntStream.range(0, n).mapToDouble(i -> v).toArray(); }

    /** Replicates at {@code values}, each with its own interval ± {@code half}, against fixed predictions. */
    private static Verdict verdict(double[] values, double half, double tilting, double reweighting) {
        int n = values.length;
        double[] lo = new double[n];
        double[] hi = new double[n];
        for (int r = 0; r < n; r++) {
            lo[r] = values[r] - half;
            hi[r] = values[r] + half;
        }
        return Verdict.of(values, lo, hi, fill(n, tilting), fill(n, reweighting));
    }

    @Test
    void eachOutcomeOfTheRule() {
        double[] nearReweighting = {0.249, 0.251, 0.250, 0.252};
        assertEquals(Kind.REWEIGHTING, verdict(nearReweighting, 0.01, 0.18, 0.25).kind());
        assertEquals(Kind.TILTING, verdict(nearReweighting, 0.01, 0.25, 0.18).kind());
        assertEquals(Kind.BELOW, verdict(new double[] {0.05, 0.06, 0.07, 0.08}, 0.01, 0.18, 0.25).kind());
        assertEquals(Kind.ABOVE, verdict(new double[] {0.35, 0.36, 0.37, 0.38}, 0.01, 0.18, 0.25).kind());
        assertEquals(Kind.BETWEEN, verdict(new double[] {0.21, 0.215, 0.22, 0.212}, 0.001, 0.18, 0.25).kind());
        // spread over both predictions: the interval holds both
        assertEquals(Kind.INCONCLUSIVE, verdict(new double[] {0.05, 0.17, 0.08, 0.45}, 0.01, 0.18, 0.25).kind());
        // predictions that coincide: holding them is no verdict, only each replicate's reading
        Verdict held = verdict(new double[] {1.29, 1.31, 1.30, 1.30}, 0.1, 1.3, 1.3);
        assertEquals(Kind.INCONCLUSIVE, held.kind());
        assertEquals(Kind.AGREED, held.commonest());
        assertEquals("inconclusive at 4 replicates: the interval holds no change, which both predict (4 of 4 alone: "
                + "consistent with both predictions, which agree here)", held.sentence());
        assertEquals(Kind.ABOVE, verdict(new double[] {3.1, 3.2, 3.3, 3.15}, 0.1, 1.3, 1.3).kind());
    }

    @Test
    void oneReplicateIsNeverAVerdictButSaysWhatItReadsAlone() {
        Verdict v = verdict(new double[] {0.05}, 0.01, 0.18, 0.25);
        assertEquals(Kind.INCONCLUSIVE, v.kind());
        assertEquals(Kind.BELOW, v.commonest());
        assertEquals("inconclusive: one replicate is not a verdict (alone it reads below both predictions)", v.sentence());
    }

    @Test
    void theSentenceCountsTheReplicatesThatAgreeAlone() {
        // the issue's own figures: reinforce 17.4 / 11.0 / 8.4 / 4.5% unwatched lies, each ±1 point, base 17.2 / 19.3 / 16.1 / 15.5%
        double[] after = {0.174, 0.110, 0.084, 0.045};
        double[] base = {0.172, 0.193, 0.161, 0.155};
        double[] rew = {0.178, 0.199, 0.167, 0.161};
        double[] lo = new double[4];
        double[] hi = new double[4];
        for (int r = 0; r < 4; r++) {
            lo[r] = after[r] - 0.01;
            hi[r] = after[r] + 0.01;
        }
        Verdict v = Verdict.of(after, lo, hi, base, rew);
        assertEquals(Kind.INCONCLUSIVE, v.kind());
        assertEquals(Kind.BELOW, v.commonest());
        assertEquals(3, v.agreeing());
        // effects +0.2, −8.3, −7.7, −11.0 points against reweighting's +0.6: the interval reaches past both ends
        assertEquals("inconclusive at 4 replicates: the interval runs from below both predictions to above both "
                + "(3 of 4 alone: below both predictions)", v.sentence());
    }

    @Test
    void mismatchedLengthsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Verdict.of(new double[2], new double[2], new double[2], new double[1], new double[2]));
    }

    static Stream<Long> seeds() { return LongStream.rangeClosed(1, 25).boxed(); }

    /**
     * Properties over seeded random inputs: the verdict depends only on distances from the predictions (a
     * common shift changes nothing), and, where the predictions differ by the same amount in every replicate,
     * swapping them swaps their verdicts.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void shiftingEverythingChangesNothingAndSwappingThePredictionsSwapsTheVerdict(long seed) {
        Random random = new Random(seed);
        int n = 2 + random.nextInt(6);
        double[] m = new double[n];
        double[] lo = new double[n];
        double[] hi = new double[n];
        double[] t = new double[n];
        double[] w = new double[n];
        for (int r = 0; r < n; r++) {
            m[r] = random.nextGaussian();
            double half = 0.05 + random.nextDouble();
            lo[r] = m[r] - half;
            hi[r] = m[r] + half;
            t[r] = random.nextGaussian();
        }
        double gap = random.nextGaussian();
        for (int r = 0; r < n; r++) w[r] = t[r] + gap;
        // a power of two, so the shift itself is exact and moves no distance by rounding
        double shift = Math.scalb(1.0, random.nextInt(4));
        Verdict v = Verdict.of(m, lo, hi, t, w);
        Verdict shifted = Verdict.of(add(m, shift), add(lo, shift), add(hi, shift), add(t, shift), add(w, shift));
        assertEquals(v.kind(), shifted.kind());
        assertEquals(v.agreeing(), shifted.agreeing());
        Kind swapped = Verdict.of(m, lo, hi, w, t).kind();
        Kind expected = switch (v.kind()) {
            case TILTING -> Kind.REWEIGHTING;
            case REWEIGHTING -> Kind.TILTING;
            default -> v.kind();
        };
        assertEquals(expected, swapped);
    }

    private static double[] add(double[] v, double c) { return java.util.Arrays.stream(v).map(x -> x + c).toArray(); }

    /**
     * Two sets of replicates decide differently only when their intervals of the effect are disjoint: the
     * regions do not overlap. Random intervals near random predictions, seeded, both signs of the gap, and
     * the case where the predictions coincide.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void twoDifferentDecidedVerdictsComeOnlyFromDisjointIntervals(long seed) {
        Random random = new Random(seed);
        boolean agree = seed % 5 == 0;
        double predicted = agree ? 0 : random.nextGaussian();
        double scale = agree ? 1 : Math.abs(predicted);
        int decided = 0;
        for (int i = 0; i < 400; i++) {
            double[] a = interval(random, predicted, scale);
            double[] b = interval(random, predicted, scale);
            Kind ka = Verdict.decide(a[0], a[1], predicted, agree);
            Kind kb = Verdict.decide(b[0], b[1], predicted, agree);
            boolean bothDecided = ka != Kind.INCONCLUSIVE && ka != Kind.AGREED && kb != Kind.INCONCLUSIVE && kb != Kind.AGREED;
            if (bothDecided) decided++;
            if (bothDecided && ka != kb)
                assertTrue(a[1] < b[0] || b[1] < a[0], ka + " from " + java.util.Arrays.toString(a) + " and " + kb + " from "
                        + java.util.Arrays.toString(b) + ", predicted " + predicted);
        }
        assertTrue(decided > 20, "the inputs decide too rarely to test anything: " + decided);
    }

    /** An interval of random centre (around both predictions) and random width, on the scale of their gap. */
    private static double[] interval(Random random, double predicted, double scale) {
        double centre = predicted * random.nextDouble() * 1.6 - 0.3 * predicted + 0.4 * scale * random.nextGaussian();
        double half = scale * 0.3 * random.nextDouble();
        return new double[] {centre - half, centre + half};
    }

    /**
     * Oracle by numerical integration: replicates normal around reweighting's prediction (0.25, with tilting
     * at 0, so near means within 0.0625) with standard deviation σ = 0.03, four of them. The mean is normal
     * with sd σ/2, independent of s² = σ²·X/3 with X ~ χ²₃, and the rule says "reweighting" exactly when
     * |mean − 0.25| + t(0.975, 3)·s/2 ≤ 0.0625: P = ∫ f(X) · P(|mean − 0.25| ≤ 0.0625 − h(X)) dX, by Simpson's
     * rule over both variables. Monte Carlo over 20000 trials of the rule itself must match it within 4
     * standard errors (about 0.014; the integral gives 0.647, the old rule of merely holding the prediction 0.95).
     */
    @Test
    void aNetworkThatFollowsReweightingIsCalledSoAsOftenAsTheIntegralSays() {
        double sigma = 0.03;
        double near = Verdict.NEAR * 0.25;
        double t = MeanInterval.tQuantile(0.975, 3);
        double sdMean = sigma / 2;
        double oracle = simpson(x -> {
            double density = Math.sqrt(x) * Math.exp(-x / 2) / (Math.pow(2, 1.5) * Math.sqrt(Math.PI) / 2);
            double a = near - t * sigma * Math.sqrt(x / 3) / 2;
            if (a <= 0) return 0;
            return density * simpson(z -> Math.exp(-z * z / (2 * sdMean * sdMean)) / (sdMean * Math.sqrt(2 * Math.PI)), -a, a, 400);
        }, 0, 40, 4000);
        Random random = new Random(11);
        int trials = 20000;
        int called = 0;
        for (int i = 0; i < trials; i++) {
            double[] m = new double[4];
            for (int r = 0; r < 4; r++) m[r] = 0.25 + sigma * random.nextGaussian();
            if (verdict(m, 0.005, 0.0, 0.25).kind() == Kind.REWEIGHTING) called++;
        }
        double p = called / (double) trials;
        double se = Math.sqrt(oracle * (1 - oracle) / trials);
        assertTrue(oracle > 0.2 && oracle < 0.8, "the case should sit where the margin matters: " + oracle);
        assertEquals(oracle, p, 4 * se, "oracle " + oracle);
    }

    private static double simpson(java.util.function.DoubleUnaryOperator f, double a, double b, int intervals) {
        double h = (b - a) / intervals;
        double sum = f.applyAsDouble(a) + f.applyAsDouble(b);
        for (int i = 1; i < intervals; i++) sum += f.applyAsDouble(a + i * h) * (i % 2 == 1 ? 4 : 2);
        return sum * h / 3;
    }
}
