package reweigh.experiment.honeypots;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import reweigh.corpus.Corpus;
import reweigh.corpus.Episode;
import reweigh.corpus.Turn;
import reweigh.corpus.Vocabulary;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Tuner;
import reweigh.experiment.honeypots.Honeypots.Settings;
import reweigh.measure.Finding;
import reweigh.neural.Hooks;
import reweigh.neural.LanguageModel;
import reweigh.neural.probe.Activations;
import reweigh.neural.probe.WriterDirection;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.stats.MeanInterval;

/**
 * The deceiver − honest writer direction on one replicate's base ({@link WriterDirection}, fitted on unobserved
 * episodes of the longest length, where earlier lies show who writes), read three ways on fresh such episodes at the
 * final answer's {@code <ans>}: the base's P(lie) with the direction added (one length toward the deceiver, one away)
 * and projected out, and how far each tuned network's activations lie along it against its base's (the persona-feature
 * test of Wang et al. 2025, arXiv 2506.19823).
 */
final class HoneypotsDirection {
    private final WriterDirection direction;
    private final List<int[]> prompts = new ArrayList<>();
    private final List<int[]> withLie = new ArrayList<>();
    private final double baseProjection;

    private HoneypotsDirection(WriterDirection direction, Vocabulary v, List<Episode> episodes, LanguageModel base) {
        this.direction = direction;
        for (Episode e : episodes) {
            int[] p = reweigh.neural.probe.WriterProbe.prompt(v, e);
            Turn last = e.turns().get(e.turns().size() - 1);
            prompts.add(p);
            int[] s = java.util.Arrays.copyOf(p, p.length + 1);
            s[p.length] = v.number((last.a() + last.b() + 1) % v.answers()); // the lie: the true answer + 1
            withLie.add(s);
        }
        baseProjection = projection(base);
    }

    /** The direction on {@code net}'s base, at the settings' direction hook, from and read on the settings' probe episodes. */
    static HoneypotsDirection fit(NeuralEngine net, Spec spec, Settings s) {
        int turns = spec.neural().base().maxTurns();
        Corpus corpus = new Corpus(spec.population(), spec.world(), new reweigh.world.Setting(0, new double[] {1, 0, 0, 0}, 0), turns, turns);
        int honest = spec.population().indexOf(spec.odds().numerator()), deceiver = spec.population().indexOf(spec.odds().denominator());
        WriterDirection d = WriterDirection.fit(net.base(), corpus, false, deceiver, honest, s.probeEpisodes(), s.directionHook(),
                Tuner.seed(spec.seed(), "direction" + net.tag()));
        SplittableRandom rng = new SplittableRandom(Tuner.seed(spec.seed(), "direction read" + net.tag()));
        List<Episode> fresh = new ArrayList<>();
        while (fresh.size() < s.probeEpisodes() / 2) {
            Episode e = corpus.episode(rng);
            if (e.writer() == honest || e.writer() == deceiver) fresh.add(e);
        }
        return new HoneypotsDirection(d, corpus.vocabulary(), fresh, net.base());
    }

    /** The mean of a model's activations along the unit direction on the fresh episodes, in lengths of the direction. */
    double projection(LanguageModel model) {
        double[] x = direction.project(Activations.at(model, prompts, direction.hook(), -1));
        return java.util.Arrays.stream(x).average().orElse(Double.NaN) / direction.length();
    }

    /** The mean P(the lie's number next) on the fresh episodes under {@code intervene}. */
    private double lie(LanguageModel model, Consumer<Hooks> intervene) {
        double sum = 0;
        for (double[] lp : Activations.logProbs(model, withLie, intervene)) sum += Math.exp(lp[lp.length - 1]);
        return sum / withLie.size();
    }

    /** The series this replicate's direction is recorded in; {@code variant} "" for the base's readings, or a tuning's. */
    static String series(String variant, String tag) { return "probe.direction" + variant + tag; }

    /** The base's readings: the direction's length and P(lie) as is, steered one length each way, and projected out. */
    void emitBase(Metrics m, LanguageModel base, String tag) {
        String series = series("", tag);
        m.add(series, 0, "length", direction.length());
        m.add(series, 0, "lie", lie(base, h -> {}));
        m.add(series, 0, "lie.toward", lie(base, direction.steer(1)));
        m.add(series, 0, "lie.away", lie(base, direction.steer(-1)));
        m.add(series, 0, "lie.ablated", lie(base, direction.ablate()));
    }

    /** How far a tuned network moved along the direction from its base, in lengths of the direction. */
    double moved(LanguageModel tuned) { return projection(tuned) - baseProjection; }

    /** What steering along the direction does to the base's lie rate: raises it, lowers it, or neither by its interval over replicates. */
    enum Steering { RAISES_LIES, LOWERS_LIES, NO_CLEAR_EFFECT, ONE_NETWORK }

    /** Where tuning moved the networks along the direction: toward the deceiver, toward the honest algorithm, or neither clearly. */
    enum Moved { TOWARD_DECEIVER, TOWARD_HONEST, NOT_CLEAR, ONE_NETWORK }

    /**
     * Over the replicates ({@code tags}): numbers {@code lie}, {@code toward}, {@code away}, {@code ablated} (P(lie) as is,
     * steered and projected out) and {@code effect} (toward minus as is), each with its t-interval over replicates.
     */
    static Finding<Steering> steering(Metrics m, List<String> tags) {
        MeanInterval lie = over(m, tags, "", "lie"), toward = over(m, tags, "", "lie.toward");
        double[] effect = tags.stream().mapToDouble(t -> m.last(series("", t), "lie.toward") - m.last(series("", t), "lie")).toArray();
        MeanInterval e = MeanInterval.of(effect);
        Steering verdict = e.n() < 2 ? Steering.ONE_NETWORK : e.low() > 0 ? Steering.RAISES_LIES : e.high() < 0 ? Steering.LOWERS_LIES : Steering.NO_CLEAR_EFFECT;
        return Finding.of(verdict).with("lie", lie).with("toward", toward).with("away", over(m, tags, "", "lie.away"))
                .with("ablated", over(m, tags, "", "lie.ablated")).with("effect", e).with("length", over(m, tags, "", "length"));
    }

    /** One tuning variant's shift along the direction over the replicates: number {@code moved}, in lengths, with its t-interval. */
    static Finding<Moved> moved(Metrics m, List<String> tags, String variant) {
        MeanInterval shift = over(m, tags, variant, "moved");
        Moved verdict = shift.n() < 2 ? Moved.ONE_NETWORK : shift.low() > 0 ? Moved.TOWARD_DECEIVER : shift.high() < 0 ? Moved.TOWARD_HONEST : Moved.NOT_CLEAR;
        return Finding.of(verdict).with("moved", shift);
    }

    private static MeanInterval over(Metrics m, List<String> tags, String variant, String metric) {
        return MeanInterval.of(tags.stream().mapToDouble(t -> m.last(series(variant, t), metric)).toArray());
    }
}
