package reweigh.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reweigh.finetune.KlRl;

/** Each closed form against kl-rl's optimum itself, w0·exp(R/β) normalised, on seeded random returns and priors. */
class PredictionsTest {

    static Stream<Long> seeds() { return LongStream.rangeClosed(1, 25).boxed(); }

    private static double[] priors(Random random, int n) {
        double[] w = new double[n];
        double sum = 0;
        for (int a = 0; a < n; a++) sum += w[a] = 0.05 + random.nextDouble();
        for (int a = 0; a < n; a++) w[a] /= sum;
        return w;
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void atTheBreakEvenBonusKlRlLeavesTheWeightWhereItWas(long seed) {
        Random random = new Random(seed);
        int n = 2 + random.nextInt(5);
        double[] w0 = priors(random, n);
        double[] returns = random.doubles(n, -1, 1).toArray();
        double beta = 0.05 + random.nextDouble();
        int a = random.nextInt(n);
        double k = Predictions.breakEven(returns, w0, a, beta);
        double[] bonused = returns.clone();
        bonused[a] += k;
        assertEquals(w0[a], new KlRl(beta).optimum(w0, bonused)[a], 1e-12);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void atTheHoneypotShareKlRlMovesTheLogOddsByTheTarget(long seed) {
        Random random = new Random(seed);
        int n = 2 + random.nextInt(4);
        double[] w0 = priors(random, n);
        double[] watched = random.doubles(n, -1, 1).toArray();
        double[] honeypots = random.doubles(n, -1, 1).toArray();
        double beta = 0.1 + random.nextDouble();
        double target = random.nextDouble() * 2;
        double h = Predictions.honeypotShare((watched[0] - watched[1]) / beta, (honeypots[0] - honeypots[1]) / beta, target);
        if (Double.isInfinite(h)) {
            double[] all = new KlRl(beta).optimum(w0, honeypots); // even h = 1 falls short
            assertEquals(true, Math.log(all[0] / all[1]) - Math.log(w0[0] / w0[1]) < target);
            return;
        }
        double[] mixed = new double[n];
        for (int b = 0; b < n; b++) mixed[b] = (1 - h) * watched[b] + h * honeypots[b]; // a share h of the rated contexts
        double[] w = new KlRl(beta).optimum(w0, mixed);
        double moved = Math.log(w[0] / w[1]) - Math.log(w0[0] / w0[1]);
        if (h == 0) assertEquals(true, moved >= target - 1e-12);
        else assertEquals(target, moved, 1e-9);
    }

    @Test
    void noShareReachesATargetThatHoneypotsMoveAway() {
        assertEquals(Double.POSITIVE_INFINITY, Predictions.honeypotShare(0.5, 0.2, 1.0));
        assertEquals(0, Predictions.honeypotShare(1.5, 0.2, 1.0));
        assertEquals(0.5, Predictions.honeypotShare(0, 2, 1.0), 1e-15);
    }
}
