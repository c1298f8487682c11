package reweigh.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reweigh.measure.DecayFit.Form;

/** The fitter recovers known (C, rate, K) from noisy synthetic curves and names the form that generated them. */
class DecayFitTest {
    static Stream<Long> seeds() { return LongStream.range(0, 8).boxed(); }

    /** k = 1..32, the shots a many-shot spec measures; Gaussian noise of sd 0.003 nats on each point. */
    static final double[] K = LongStream.rangeClosed(1, 32).asDoubleStream().toArray();
    static final double NOISE = 0.003;

    static double[] curve(Form form, double c, double rate, double floor, SplittableRandom rng) {
        double[] y = new double[K.length];
        for (int i = 0; i < K.length; i++) {
            double f = form == Form.POWER ? Math.pow(K[i], -rate) : Math.exp(-rate * K[i]);
            y[i] = c * f + floor + (rng == null ? 0 : NOISE * rng.nextGaussian());
        }
        return y;
    }

    /**
     * Noise-free curves are recovered to 1e-6; with noise of sd 0.003, within 10% on the rate, 5% (+0.02) on C
     * and 0.03 on K (several times the spread of the estimates over seeds), and AIC names the generating form.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void recoversAPowerLawWithinStatedTolerances(long seed) { recovers(Form.POWER, 0.3, 1.5, seed); }

    @ParameterizedTest
    @MethodSource("seeds")
    void recoversAnExponentialWithinStatedTolerances(long seed) { recovers(Form.EXPONENTIAL, 0.1, 0.8, seed); }

    /**
     * Issue 16: a curve that falls to its floor after the first point asks for an infinitely fast decay, so the
     * rate stops at RATE_MAX; that is flagged, and a rate recovered from inside the range is not.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void aRateStuckAtTheEndOfTheSearchIsFlagged(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double c = rng.nextDouble(0.5, 3), floor = rng.nextDouble(0, 1);
        double[] step = new double[K.length];
        java.util.Arrays.fill(step, floor);
        step[0] = floor + c;
        for (Form form : Form.values()) {
            DecayFit fit = DecayFit.fit(form, K, step);
            assertEquals(DecayFit.RATE_MAX, fit.rate(), 1e-6 * DecayFit.RATE_MAX, form + " rate");
            assertTrue(fit.rateAtBound(), form + " at bound");
        }
        double rate = rng.nextDouble(0.3, 1.5);
        assertFalse(DecayFit.fit(Form.POWER, K, curve(Form.POWER, c, rate, floor, rng)).rateAtBound(), "a measured rate");
        assertTrue(DecayFit.atBound(DecayFit.RATE_MIN * (1 + 1e-7)) && !DecayFit.atBound(DecayFit.RATE_MIN * (1 + 1e-5)));
    }

    private static void recovers(Form form, double rateMin, double rateMax, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double c = rng.nextDouble(0.5, 3), rate = rng.nextDouble(rateMin, rateMax), floor = rng.nextDouble(0, 1);
        DecayFit exact = DecayFit.fit(form, K, curve(form, c, rate, floor, null));
        assertEquals(rate, exact.rate(), 1e-6);
        assertEquals(c, exact.scale(), 1e-6);
        assertEquals(floor, exact.floor(), 1e-6);
        double[] y = curve(form, c, rate, floor, rng);
        DecayFit noisy = DecayFit.fit(form, K, y);
        assertEquals(rate, noisy.rate(), 0.1 * rate, "rate");
        assertEquals(c, noisy.scale(), 0.05 * c + 0.02, "C");
        assertEquals(floor, noisy.floor(), 0.03, "K");
        Form other = form == Form.POWER ? Form.EXPONENTIAL : Form.POWER;
        assertSame(form, DecayFit.better(noisy, DecayFit.fit(other, K, y)).form(), "AIC names the generating form");
    }
}
