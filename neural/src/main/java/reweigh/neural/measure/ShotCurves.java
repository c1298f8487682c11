package reweigh.neural.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import reweigh.corpus.Turn;
import reweigh.measure.DecayFit;
import reweigh.measure.ShotCurve;
import reweigh.neural.LanguageModel;
import reweigh.population.Response;
import reweigh.stats.Bootstrap;
import reweigh.stats.Quantiles;
import reweigh.world.Context;

/** A network's many-shot curve ({@link ShotCurve}): the prompts it is read on, and the reading, with intervals over prompts. */
public final class ShotCurves {
    private ShotCurves() {}

    /**
     * Many-shot prompts for response r: {@code count} questions in context x, each after its own
     * demonstrations (the longest of {@code shots}); the prompt at k keeps the first k of them, so the
     * curve compares the same questions at every k. Drawn from {@code seed} alone, so every model is read
     * on the same prompts.
     */
    public static List<List<Prompt>> prompts(Context x, Response r, int[] shots, int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int most = shots[shots.length - 1];
        List<Prompt> questions = new ArrayList<>();
        List<List<Turn>> demos = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            questions.add(Prompt.draw(x, rng));
            demos.add(Prompt.demonstrations(x, r, most, rng));
        }
        List<List<Prompt>> byShots = new ArrayList<>(); // (shots, count)
        for (int k : shots) {
            List<Prompt> atK = new ArrayList<>();
            for (int i = 0; i < count; i++) atK.add(questions.get(i).withHistory(demos.get(i).subList(0, k)));
            byShots.add(atK);
        }
        return byShots;
    }

    /**
     * The network's curve on {@code prompts} (from {@link #prompts}): each prompt's exact P(r) from its
     * next-token probabilities, then {@code bootstrap} resamples of the prompts (the same resample at every k).
     */
    public static ShotCurve measure(LanguageModel model, List<List<Prompt>> prompts, List<Response> target, int[] shots, int bootstrap,
                             long seed) {
        int count = prompts.get(0).size();
        double[][] q = new double[shots.length][count]; // (shots, prompts): P_i(target | k)
        for (int s = 0; s < shots.length; s++) {
            double[][] rows = Measure.responseDistributions(model, prompts.get(s));
            for (int i = 0; i < count; i++) for (Response y : target) q[s][i] += rows[i][y.index()];
        }
        double[][] mean = means(q, Bootstrap.once(count));
        DecayFit[] fits = ShotCurve.fits(shots, mean[1]);
        double[][] pReps = new double[shots.length][bootstrap], nllReps = new double[shots.length][bootstrap];
        double[][] fitReps = new double[3][bootstrap]; // C, α, K of the power law
        SplittableRandom rng = new SplittableRandom(seed);
        for (int b = 0; b < bootstrap; b++) {
            double[][] m = means(q, Bootstrap.resample(count, rng));
            for (int s = 0; s < shots.length; s++) {
                pReps[s][b] = m[0][s];
                nllReps[s][b] = m[1][s];
            }
            DecayFit[] f = ShotCurve.fits(shots, m[1]);
            fitReps[0][b] = f == null ? Double.NaN : f[0].scale();
            fitReps[1][b] = f == null ? Double.NaN : f[0].rate();
            fitReps[2][b] = f == null ? Double.NaN : f[0].floor();
        }
        return new ShotCurve(shots, mean[0], mean[1], bands(pReps), bands(nllReps),
                fits == null ? null : fits[0], fits == null ? null : fits[1], bands(fitReps), Double.NaN);
    }

    /** {mean P, mean −log P} per k, each prompt counted {@code multiplicity} times. A P of exactly 0 gives NLL ∞. */
    private static double[][] means(double[][] q, int[] multiplicity) {
        double[][] out = new double[2][q.length];
        for (int s = 0; s < q.length; s++) {
            out[0][s] = Bootstrap.mean(q[s], multiplicity);
            out[1][s] = Bootstrap.mean(java.util.Arrays.stream(q[s]).map(p -> -Math.log(p)).toArray(), multiplicity);
        }
        return out;
    }

    /** (rows, 2): each row's 2.5% and 97.5% quantiles over its replicates. */
    private static double[][] bands(double[][] replicates) {
        double[][] out = new double[replicates.length][];
        for (int i = 0; i < replicates.length; i++) {
            out[i] = new double[] {Quantiles.ofFinite(replicates[i], ShotCurve.LOW), Quantiles.ofFinite(replicates[i], ShotCurve.HIGH)};
        }
        return out;
    }
}
