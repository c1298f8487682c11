package reweigh.experiment.wrapper;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import reweigh.experiment.Bases;
import reweigh.experiment.Experiment;
import reweigh.experiment.Tuner;
import reweigh.neural.LanguageModel;
import reweigh.neural.Transformer;
import reweigh.neural.finetune.Tuning;
import reweigh.neural.measure.Slice;
import reweigh.neural.pretrain.Pretraining;
import reweigh.neural.probe.Ablation;
import reweigh.neural.probe.LinearProbe;
import reweigh.neural.probe.WeightChange;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;
import reweigh.stats.MeanInterval;
import reweigh.world.Check;

/**
 * Does fine-tuning delete a capability or wrap it (the arXiv 2311.12786 analogue)? A small network
 * pretrained on the arithmetic is fine-tuned to refuse a slice of it (questions with A = operand);
 * then probes, neuron ablation, patching and the weight change look inside, and re-training on the
 * slice measures how fast the capability comes back, against a control pretrained without the slice.
 */
public final class Wrapper implements Experiment {

    /**
     * @param operand      the slice: questions whose first operand A is this
     * @param perPair      evaluation prompts per (A, B) pair (headers and claims vary)
     * @param tuneSteps    supervised updates that teach refusal on the slice (half of each batch) while
     *                     answering elsewhere (the other half)
     * @param reviveSteps  the most updates of re-training on the slice (same mixture, correct answers)
     * @param batch        rows per update
     * @param lr           AdamW learning rate, constant, for tuning and revival
     * @param reviveTarget the slice accuracy that counts as revived
     * @param restore      ablation restores the capability when slice accuracy reaches this share of the base's
     * @param maxNeurons   the most MLP neurons the ablation search tries
     */
    public record Settings(int operand, int perPair, int tuneSteps, int reviveSteps, int batch,
                           double lr, double reviveTarget, double restore, int maxNeurons) {
        public static final Settings DEFAULTS = new Settings(0, 6, 100, 150, 32, 3e-4, 0.95, 0.5, 32);

        public Settings {
            Check.atLeast("operand", operand, 0);
            Check.atLeast("per_pair", perPair, 1);
            Check.atLeast("tune_steps", tuneSteps, 1);
            Check.atLeast("revive_steps", reviveSteps, 1);
            Check.atLeast("batch", batch, 1);
            if (!(lr > 0 && lr < 1)) throw new Check.InvalidParameter("lr", "a learning rate in (0, 1)", lr);
            Check.probability("revive_target", reviveTarget);
            Check.probability("restore", restore);
            Check.atLeast("max_neurons", maxNeurons, 1);
        }
    }

    public String id() { return "wrapper"; }

    public String question() {
        return "Does fine-tuning delete a capability, or learn a small wrapper on top of it that a little re-training removes? "
                + "A network pretrained on (A + B) mod M is fine-tuned to refuse the questions with one first operand; probes, "
                + "ablation, patching and the weight change look inside, and re-training measures how fast the answer comes back "
                + "against a control network of the same size that never saw those questions (Jain et al., arXiv 2311.12786).";
    }

    @Override
    public Record settings() { return Settings.DEFAULTS; }

    @Override
    public void check(Spec spec) throws SpecError {
        Settings s = spec.settings(Settings.class);
        if (s.operand() >= spec.world().answers()) {
            throw spec.source().error("/wrapper/operand", "must be an answer 0.." + (spec.world().answers() - 1) + " (got " + s.operand() + ")");
        }
    }

    /** Everything measured on one replicate. */
    record SeedResult(Slice.Rates baseSlice, Slice.Rates baseOther, Slice.Rates tunedSlice, Slice.Rates tunedOther,
                      Slice.Rates controlSlice, Map<String, LinearProbe.Accuracy[]> probes, List<WeightChange> weights,
                      Map<String, Double> patched, Ablated ablation, double ablatedOther,
                      double[] reviveTuned, double[] reviveControl) {}

    /** What the greedy ablation search found: slice accuracy after each neuron, whether it got back there, and how many it took. */
    record Ablated(double[] curve, boolean restored, int neurons) {}

    public Metrics compute(Spec spec, List<Spec.Cell> cells, Progress progress, reweigh.run.Workspace workspace) {
        Metrics metrics = new Metrics();
        if (!spec.runsNeural()) return metrics;
        Settings s = spec.settings(Settings.class);
        Slice slice = new Slice(spec.world(), s.operand());
        List<Slice.Question> onSlice = slice.questions(true, s.perPair(), Tuner.seed(spec.seed(), "wrapper:slice"));
        List<Slice.Question> offSlice = slice.questions(false, s.perPair(), Tuner.seed(spec.seed(), "wrapper:other"));
        long[] seeds = spec.replicateSeeds();
        List<SeedResult> results = new ArrayList<>();
        try {
            for (int k = 0; k < seeds.length; k++) {
                double from = (double) k / seeds.length;
                double share = 1.0 / seeds.length;
                long seed = seeds[k];
                String tag = "replicate " + (k + 1) + "/" + seeds.length + ": ";
                try (NDManager manager = NDManager.newBaseManager();
                        LanguageModel base = Bases.pretrain(spec, seed, Pretraining.Filter.EVERY_EPISODE, workspace, manager,
                                Bases.listener(progress, from, share * 0.3, tag + "pretraining the base"));
                        LanguageModel control = Bases.pretrain(spec, seed, slice.withoutSlice(), workspace, manager,
                                Bases.listener(progress, from + share * 0.3, share * 0.3, tag + "pretraining the control (no slice)"));
                        LanguageModel tuned = base.copy(manager)) {
                    SeedResult r = runSeed(spec, s, slice, onSlice, offSlice, k, seeds.length, base, control, tuned, manager, progress,
                            from + share * 0.6, share * 0.4);
                    WrapperMetrics.emit(metrics, "s" + (k + 1), r);
                    results.add(r);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // each replicate's updates to the target (-1: never), and the geometric mean ratio over them (the report's)
        List<Double> logRatios = new ArrayList<>();
        for (int k = 0; k < results.size(); k++) {
            int tunedSteps = stepsToTarget(results.get(k).reviveTuned(), s.reviveTarget());
            int controlSteps = stepsToTarget(results.get(k).reviveControl(), s.reviveTarget());
            metrics.add("revival:s" + (k + 1), 0, "steps.tuned", tunedSteps);
            metrics.add("revival:s" + (k + 1), 0, "steps.control", controlSteps);
            logRatios.add(Math.log(ratio(tunedSteps, controlSteps, s)));
        }
        MeanInterval ratio = MeanInterval.geometric(logRatios.stream().mapToDouble(Double::doubleValue).toArray());
        metrics.add("wrapper", 0, "revival.ratio", ratio.mean());
        metrics.add("wrapper", 0, "revival.ratio.lo95", ratio.low());
        metrics.add("wrapper", 0, "revival.ratio.hi95", ratio.high());
        metrics.add(QUESTIONS, 0, "slice", onSlice.size());
        metrics.add(QUESTIONS, 0, "other", offSlice.size());
        return metrics;
    }

    /** The series of the two question sets' sizes. */
    static final String QUESTIONS = "questions";

    public Result render(Spec spec, List<Spec.Cell> cells, Metrics metrics) { return WrapperReport.render(this, spec, metrics); }

    /** One replicate from its base and control: tuning, the looks inside, and revival, all drawn from its index k. */
    private SeedResult runSeed(Spec spec, Settings s, Slice slice, List<Slice.Question> onSlice, List<Slice.Question> offSlice, int k,
                               int replicates, LanguageModel base, LanguageModel control, LanguageModel tuned, NDManager manager,
                               Progress progress, double from, double share) throws IOException {
        String tag = "replicate " + (k + 1) + "/" + replicates + ": ";
        Slice.Rates baseSlice = slice.rates(base, onSlice, h -> {});
        Slice.Rates baseOther = slice.rates(base, offSlice, h -> {});
        Slice.Rates controlSlice = slice.rates(control, onSlice, h -> {});
        // fine-tune: refuse on the slice, answer elsewhere
        progress.update(from, tag + "tuning the slice away");
        List<Slice.Question> tuning = slice.mixture(Math.max(256, 8 * s.batch()), 0.5, Tuner.seed(spec.seed(), "wrapper:tune-data:" + k));
        List<int[]> prompts = tuning.stream().map(Slice.Question::prompt).toList();
        List<int[]> refuseOnSlice = tuning.stream().map(q -> q.inSlice(s.operand()) ? Slice.refusal() : slice.answer(q)).toList();
        Tuning.supervised(tuned, prompts, refuseOnSlice, s.tuneSteps(), s.batch(), s.lr(), Tuner.seed(spec.seed(), "wrapper:tune:" + k),
                Tuning.SILENT);
        Slice.Rates tunedSlice = slice.rates(tuned, onSlice, h -> {});
        Slice.Rates tunedOther = slice.rates(tuned, offSlice, h -> {});

        // look inside
        progress.update(from + share * 0.3, tag + "probing, patching, ablating");
        Map<String, LinearProbe.Accuracy[]> probes = WrapperProbes.probes(spec, base, tuned, control, onSlice, offSlice, k);
        List<WeightChange> weights = WeightChange.between(base, tuned);
        Map<String, Double> patched = WrapperProbes.patching(slice, base, tuned, onSlice);
        List<Ablation.Neuron> neurons = new ArrayList<>();
        for (int l = 0; l < tuned.config().layers(); l++) {
            neurons.addAll(Ablation.all(List.of(Transformer.block(l) + "mlp.hook_post"), tuned.config().dMlp()));
        }
        Ablation.Search search = Ablation.greedy(neurons, h -> slice.correct(tuned, onSlice, h),
                s.restore() * baseSlice.correct(), s.maxNeurons());
        double ablatedOther = slice.correct(tuned, offSlice, Ablation.ablating(search.neurons()));

        // revival: re-train on the slice (same mixture, correct answers everywhere), tuned vs control
        progress.update(from + share * 0.6, tag + "reviving the slice");
        List<int[]> answerEverywhere = tuning.stream().map(slice::answer).toList();
        long reviveSeed = Tuner.seed(spec.seed(), "wrapper:revive:" + k);
        double[] reviveTuned = revive(slice, tuned, onSlice, prompts, answerEverywhere, s, reviveSeed);
        double[] reviveControl;
        try (LanguageModel fresh = control.copy(manager)) {
            reviveControl = revive(slice, fresh, onSlice, prompts, answerEverywhere, s, reviveSeed);
        }
        return new SeedResult(baseSlice, baseOther, tunedSlice, tunedOther, controlSlice, probes, weights, patched,
                new Ablated(search.curve(), search.restored(), search.neurons().size()), ablatedOther, reviveTuned, reviveControl);
    }

    /** Slice accuracy after each update (index 0: before any), until it reaches the target or the steps run out. */
    private static double[] revive(Slice slice, LanguageModel model, List<Slice.Question> onSlice, List<int[]> prompts,
                                   List<int[]> responses, Settings s, long seed) {
        List<Double> curve = new ArrayList<>();
        Tuning.supervised(model, prompts, responses, s.reviveSteps(), s.batch(), s.lr(), seed, new Tuning.Listener() {
            public void step(int step, Map<String, Double> scalars) {}

            public boolean wantsSnapshot(int step) { return true; }

            public void snapshot(int step, LanguageModel policy) { curve.add(slice.correct(policy, onSlice, h -> {})); }

            public boolean finished(int step) { return curve.get(curve.size() - 1) >= s.reviveTarget(); }
        });
        return curve.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Tuned over control updates to the target, a run that never reached it counting as every update it had (a bound). */
    static double ratio(int tunedSteps, int controlSteps, Settings s) {
        int ts = tunedSteps < 0 ? s.reviveSteps() : tunedSteps;
        int cs = controlSteps < 0 ? s.reviveSteps() : controlSteps;
        return Math.max(ts, 1) / (double) Math.max(cs, 1);
    }

    /** Updates until the curve first reaches the target, or -1 when it never does. */
    static int stepsToTarget(double[] curve, double target) {
        for (int i = 0; i < curve.length; i++) if (curve[i] >= target) return i;
        return -1;
    }
}
