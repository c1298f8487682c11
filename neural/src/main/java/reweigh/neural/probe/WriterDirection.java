package reweigh.neural.probe;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import reweigh.corpus.Corpus;
import reweigh.corpus.Episode;
import reweigh.neural.Hooks;
import reweigh.neural.LanguageModel;

/**
 * A writer direction: the mean difference of a network's activations at one hook between episodes two algorithms
 * wrote, read where the network is about to answer ({@link WriterProbe#prompt}). Steering adds a multiple of it to
 * the activation and ablating projects it out, so a report can measure what moving along it does to behaviour;
 * projecting another network (a tuned one) onto it says whether tuning moved that network along it (the "persona
 * feature" test of Wang et al. 2025, arXiv 2506.19823).
 *
 * @param hook      where the activations are read and written, e.g. {@code blocks.1.hook_resid_post}
 * @param direction mean(first) − mean(second), (C)
 */
public record WriterDirection(String hook, double[] direction) {

    /**
     * The direction from {@code episodes} episodes of {@code corpus} written by {@code first} or {@code second}
     * (drawn from {@code seed}, observed or not), read at the last token of each episode's prompt.
     */
    public static WriterDirection fit(LanguageModel model, Corpus corpus, boolean observed, int first, int second, int episodes,
                                      String hook, long seed) {
        List<int[]> a = new ArrayList<>(), b = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(seed);
        while (a.size() + b.size() < episodes) {
            Episode e = corpus.episode(rng);
            if (e.observed() != observed || (e.writer() != first && e.writer() != second)) continue;
            (e.writer() == first ? a : b).add(WriterProbe.prompt(corpus.vocabulary(), e));
        }
        if (a.isEmpty() || b.isEmpty()) throw new IllegalArgumentException("the corpus gave no episode of one of the two writers in " + episodes);
        return of(hook, Activations.at(model, a, hook, -1), Activations.at(model, b, hook, -1));
    }

    /** The direction between two sets of activations, (N, C) each: the difference of their means. */
    public static WriterDirection of(String hook, double[][] first, double[][] second) {
        double[] d = mean(first);
        double[] m = mean(second);
        for (int c = 0; c < d.length; c++) d[c] -= m[c];
        return new WriterDirection(hook, d);
    }

    /** The direction's Euclidean length: a natural unit for how far to steer. */
    public double length() {
        double s = 0;
        for (double v : direction) s += v * v;
        return Math.sqrt(s);
    }

    /** Adds {@code alpha} times the direction to the hook's activation at every position. */
    public Consumer<Hooks> steer(double alpha) {
        return hooks -> hooks.patch(hook, x -> x.add(vector(x, alpha)));
    }

    /** Removes the activation's component along the direction at every position: x − (x·u)u, u the unit direction. */
    public Consumer<Hooks> ablate() {
        return hooks -> hooks.patch(hook, x -> {
            NDArray u = vector(x, 1 / length());
            NDArray along = x.mul(u).sum(new int[] {-1}, true); // (B, T, 1)
            return x.sub(along.mul(u));
        });
    }

    /** Each activation's coordinate along the unit direction, x·u, for (N, C) activations. */
    public double[] project(double[][] activations) {
        double norm = length();
        double[] out = new double[activations.length];
        for (int i = 0; i < activations.length; i++) {
            for (int c = 0; c < direction.length; c++) out[i] += activations[i][c] * direction[c] / norm;
        }
        return out;
    }

    /** {@code scale} times the direction as an array of x's type in x's manager, shaped to broadcast over (B, T, C). */
    private NDArray vector(NDArray x, double scale) {
        float[] v = new float[direction.length];
        for (int c = 0; c < v.length; c++) v[c] = (float) (scale * direction[c]);
        return x.getManager().create(v).toType(x.getDataType(), false);
    }

    private static double[] mean(double[][] rows) {
        double[] m = new double[rows[0].length];
        for (double[] r : rows) for (int c = 0; c < m.length; c++) m[c] += r[c] / rows.length;
        return m;
    }
}
