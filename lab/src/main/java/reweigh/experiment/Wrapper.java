package reweigh.experiment;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import reweigh.neural.LanguageModel;
import reweigh.neural.Transformer;
import reweigh.neural.finetune.Tuning;
import reweigh.neural.pretrain.Pretraining;
import reweigh.neural.probe.Ablation;
import reweigh.neural.probe.Activations;
import reweigh.neural.probe.LinearProbe;
import reweigh.neural.probe.Patching;
import reweigh.neural.probe.WeightChange;
import reweigh.report.BarChart;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.report.LineChart;
import reweigh.report.Series;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;
import reweigh.stats.Binomial;
import reweigh.stats.Interval;
import reweigh.stats.MeanInterval;
import reweigh.world.Check;

/**
 * Does fine-tuning delete a capability or wrap it (the arXiv 2311.12786 analogue)? A small network
 * pretrained on the arithmetic is fine-tuned to refuse a slice of it (questions with A = operand);
 * then probes, neuron ablation, patching and the weight change look inside, and re-training on the
 * slice measures how fast the capability comes back, against a control pretrained without the slice.
 */
final class Wrapper implements Experiment {
    /**
     * @param operand      the slice: questions whose first operand A is this
     * @param seeds        repetitions of tuning and revival, each with its own data, order and probe splits
     * @param pretrainPerSeed whether each repetition also pretrains its own base and control (neural.seed + k); when false
     *                     (cheaper) all share one pair, and the intervals are over fine-tuning's randomness, not pretraining's
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
    public record Settings(int operand, int seeds, boolean pretrainPerSeed, int perPair, int tuneSteps, int reviveSteps, int batch,
                           double lr, double reviveTarget, double restore, int maxNeurons) {
        public static final Settings DEFAULTS = new Settings(0, 3, false, 6, 100, 150, 32, 3e-4, 0.95, 0.5, 32);

        public Settings {
            Check.atLeast("operand", operand, 0);
            Check.atLeast("seeds", seeds, 1);
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

    /** Everything measured on one seed. */
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
        Spec.Neural n = spec.neural();
        List<SeedResult> results = new ArrayList<>();
        try {
            for (int k = 0; k < s.seeds(); k++) {
                double from = (double) k / s.seeds();
                double share = 1.0 / s.seeds();
                long seed = s.pretrainPerSeed() ? n.seed() + k : n.seed(); // a shared pair is trained once, then read from the cache
                String tag = "seed " + (k + 1) + "/" + s.seeds() + ": ";
                try (NDManager manager = NDManager.newBaseManager();
                        LanguageModel base = NeuralEngine.pretrain(spec, seed, Pretraining.Filter.EVERY_EPISODE, workspace, manager,
                                NeuralEngine.listener(progress, from, share * 0.3, tag + "pretraining the base"));
                        LanguageModel control = NeuralEngine.pretrain(spec, seed, slice.withoutSlice(), workspace, manager,
                                NeuralEngine.listener(progress, from + share * 0.3, share * 0.3, tag + "pretraining the control (no slice)"));
                        LanguageModel tuned = base.copy(manager)) {
                    SeedResult r = runSeed(spec, s, slice, onSlice, offSlice, k, base, control, tuned, manager, progress,
                            from + share * 0.6, share * 0.4);
                    emit(metrics, "s" + (k + 1), r);
                    results.add(r);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // each seed's updates to the target (-1: never), and the geometric mean ratio over the seeds (the report's)
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
    private static final String QUESTIONS = "questions";

    public Result render(Spec spec, List<Spec.Cell> cells, Metrics metrics) {
        if (!spec.runsNeural()) {
            Html html = Sections.page(spec, this);
            String summary = "The wrapper experiment looks inside a network, and the network is off (engine: [exact]): nothing was measured.";
            html.heading("Findings");
            html.note(summary);
            Sections.setup(html, spec);
            return new Result(metrics, html, summary, "");
        }
        Settings s = spec.settings(Settings.class);
        List<SeedResult> results = new ArrayList<>();
        for (int k = 0; k < s.seeds(); k++) results.add(recorded(metrics, "s" + (k + 1)));
        return report(spec, s, results, metrics, (int) metrics.last(QUESTIONS, "slice"), (int) metrics.last(QUESTIONS, "other"));
    }

    /** One repetition from a base and its control: tuning, the looks inside, and revival, all drawn from seed k. */
    private SeedResult runSeed(Spec spec, Settings s, Slice slice, List<Slice.Question> onSlice, List<Slice.Question> offSlice, int k,
                               LanguageModel base, LanguageModel control, LanguageModel tuned, NDManager manager,
                               Progress progress, double from, double share) throws IOException {
        String tag = "seed " + (k + 1) + "/" + s.seeds() + ": ";
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
        Map<String, LinearProbe.Accuracy[]> probes = probes(spec, base, tuned, control, onSlice, offSlice, k);
        List<WeightChange> weights = WeightChange.between(base, tuned);
        Map<String, Double> patched = patching(slice, base, tuned, onSlice);
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
    private static double ratio(int tunedSteps, int controlSteps, Settings s) {
        int ts = tunedSteps < 0 ? s.reviveSteps() : tunedSteps;
        int cs = controlSteps < 0 ? s.reviveSteps() : controlSteps;
        return Math.max(ts, 1) / (double) Math.max(cs, 1);
    }

    /** Updates until the curve first reaches the target, or -1 when it never does. */
    static int stepsToTarget(double[] curve, double target) {
        for (int i = 0; i < curve.length; i++) if (curve[i] >= target) return i;
        return -1;
    }

    /** The residual stream's points: the embeddings (before block 0), then after each block. */
    static List<String> residualHooks(int layers) {
        List<String> hooks = new ArrayList<>(List.of(Transformer.block(0) + "hook_resid_pre"));
        for (int l = 0; l < layers; l++) hooks.add(Transformer.block(l) + "hook_resid_post");
        return hooks;
    }

    static List<String> layerNames(int layers) {
        List<String> names = new ArrayList<>(List.of("embeddings"));
        for (int l = 0; l < layers; l++) names.add("after block " + l);
        return names;
    }

    /**
     * Probes for the correct answer Y at the position that writes it (after {@code <ans>}), per layer: fitted on each
     * model's activations on the other questions, scored on the slice's (questions no probe saw). Also the base's probe
     * applied unchanged to the tuned model.
     */
    private static Map<String, LinearProbe.Accuracy[]> probes(Spec spec, LanguageModel base, LanguageModel tuned,
            LanguageModel control, List<Slice.Question> onSlice, List<Slice.Question> offSlice, int k) {
        int m = spec.world().answers();
        int[] sliceLabels = onSlice.stream().mapToInt(Slice.Question::answer).toArray();
        int[] otherLabels = offSlice.stream().mapToInt(Slice.Question::answer).toArray();
        List<String> hooks = residualHooks(base.config().layers());
        Map<String, LinearProbe.Accuracy[]> out = new LinkedHashMap<>();
        for (String name : List.of("base", "tuned", "control", "base probe on tuned")) out.put(name, new LinearProbe.Accuracy[hooks.size()]);
        for (int l = 0; l < hooks.size(); l++) {
            String hook = hooks.get(l);
            long seed = Tuner.seed(spec.seed(), "wrapper:probe:" + k + ":" + l);
            LinearProbe baseProbe = null;
            Map<String, LanguageModel> networks = new LinkedHashMap<>();
            networks.put("base", base);
            networks.put("tuned", tuned);
            networks.put("control", control);
            for (Map.Entry<String, LanguageModel> e : networks.entrySet()) {
                LinearProbe probe = LinearProbe.fit(Activations.at(e.getValue(), Slice.answering(offSlice), hook, -1), otherLabels, m, seed);
                out.get(e.getKey())[l] = probe.accuracy(Activations.at(e.getValue(), Slice.answering(onSlice), hook, -1), sliceLabels);
                if (e.getKey().equals("base")) baseProbe = probe;
            }
            out.get("base probe on tuned")[l] = baseProbe.accuracy(Activations.at(tuned, Slice.answering(onSlice), hook, -1), sliceLabels);
        }
        return out;
    }

    /** The tuned model's slice accuracy with one component's output taken from the base (attention, MLP, per block). */
    private static Map<String, Double> patching(Slice slice, LanguageModel base, LanguageModel tuned, List<Slice.Question> onSlice) {
        List<int[]> answered = new ArrayList<>();
        for (Slice.Question q : onSlice) answered.add(Slice.concat(q.prompt(), slice.answer(q)));
        Map<String, Double> out = new LinkedHashMap<>();
        for (int l = 0; l < tuned.config().layers(); l++) {
            for (String hook : List.of(Transformer.block(l) + "hook_attn_out", Transformer.block(l) + "hook_mlp_out")) {
                double[][] lp = Patching.logProbs(base, answered, tuned, answered, hook, Patching.ALL_HEADS);
                double correct = 0;
                for (double[] row : lp) correct += Math.exp(row[row.length - 3] + row[row.length - 2] + row[row.length - 1]) / lp.length;
                out.put(hook, correct);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- metrics

    private static void emit(Metrics m, String seed, SeedResult r) {
        rates(m, "base:" + seed, "slice.", r.baseSlice());
        rates(m, "base:" + seed, "other.", r.baseOther());
        rates(m, "tuned:" + seed, "slice.", r.tunedSlice());
        rates(m, "tuned:" + seed, "other.", r.tunedOther());
        rates(m, "control:" + seed, "slice.", r.controlSlice());
        r.probes().forEach((model, acc) -> {
            for (int l = 0; l < acc.length; l++) {
                String series = "probe." + model.replace(' ', '-') + ":" + seed;
                m.add(series, l, "correct", acc[l].correct());
                m.add(series, l, "total", acc[l].total());
            }
        });
        for (WeightChange w : r.weights()) {
            m.add("weights:" + seed, 0, "relnorm." + w.parameter(), w.relativeNorm());
            m.add("weights:" + seed, 0, "erank." + w.parameter(), w.effectiveRank());
            m.add("weights:" + seed, 0, "layer." + w.parameter(), w.layer());
            m.add("weights:" + seed, 0, "delta_norm." + w.parameter(), w.deltaNorm());
            m.add("weights:" + seed, 0, "norm." + w.parameter(), w.norm());
            m.add("weights:" + seed, 0, "full_rank." + w.parameter(), w.fullRank());
        }
        r.patched().forEach((hook, v) -> m.add("patch:" + seed, 0, "slice.correct." + hook, v));
        double[] curve = r.ablation().curve();
        for (int i = 0; i < curve.length; i++) m.add("ablation:" + seed, i, "slice.correct", curve[i]);
        m.add("ablation:" + seed, 0, "restored", r.ablation().restored() ? 1 : 0);
        m.add("ablation:" + seed, 0, "other.correct", r.ablatedOther());
        m.add("ablation:" + seed, 0, "neurons", r.ablation().neurons());
        for (int i = 0; i < r.reviveTuned().length; i++) m.add("revival.tuned:" + seed, i, "slice.correct", r.reviveTuned()[i]);
        for (int i = 0; i < r.reviveControl().length; i++) m.add("revival.control:" + seed, i, "slice.correct", r.reviveControl()[i]);
    }

    /** One seed's results as {@link #emit} recorded them. */
    private static SeedResult recorded(Metrics m, String seed) {
        Map<String, LinearProbe.Accuracy[]> probes = new LinkedHashMap<>();
        for (String model : List.of("base", "tuned", "control", "base probe on tuned")) {
            String series = "probe." + model.replace(' ', '-') + ":" + seed;
            double[] correct = m.values(series, "correct"), total = m.values(series, "total");
            LinearProbe.Accuracy[] acc = new LinearProbe.Accuracy[correct.length];
            for (int l = 0; l < acc.length; l++) {
                acc[l] = new LinearProbe.Accuracy((long) correct[l], (long) total[l], Binomial.wilson((long) correct[l], (long) total[l]));
            }
            probes.put(model, acc);
        }
        List<WeightChange> weights = new ArrayList<>();
        for (String metric : m.metrics("weights:" + seed)) {
            if (!metric.startsWith("relnorm.")) continue;
            String p = metric.substring("relnorm.".length());
            weights.add(new WeightChange(p, (int) m.last("weights:" + seed, "layer." + p), m.last("weights:" + seed, "delta_norm." + p),
                    m.last("weights:" + seed, "norm." + p), m.last("weights:" + seed, "erank." + p), (int) m.last("weights:" + seed, "full_rank." + p)));
        }
        Map<String, Double> patched = new LinkedHashMap<>();
        for (String metric : m.metrics("patch:" + seed)) patched.put(metric.substring("slice.correct.".length()), m.last("patch:" + seed, metric));
        Ablated ablation = new Ablated(m.values("ablation:" + seed, "slice.correct"), m.last("ablation:" + seed, "restored") == 1,
                (int) m.last("ablation:" + seed, "neurons"));
        return new SeedResult(rates(m, "base:" + seed, "slice."), rates(m, "base:" + seed, "other."), rates(m, "tuned:" + seed, "slice."),
                rates(m, "tuned:" + seed, "other."), rates(m, "control:" + seed, "slice."), probes, weights, patched, ablation,
                m.last("ablation:" + seed, "other.correct"), m.values("revival.tuned:" + seed, "slice.correct"),
                m.values("revival.control:" + seed, "slice.correct"));
    }

    private static Slice.Rates rates(Metrics m, String series, String prefix) {
        return new Slice.Rates(m.last(series, prefix + "correct"), m.last(series, prefix + "refuse"), m.last(series, prefix + "forced"));
    }

    private static void rates(Metrics m, String series, String prefix, Slice.Rates r) {
        m.add(series, 0, prefix + "correct", r.correct());
        m.add(series, 0, prefix + "refuse", r.refuse());
        m.add(series, 0, prefix + "forced", r.forced());
    }

    // ---------------------------------------------------------------- report

    private Result report(Spec spec, Settings s, List<SeedResult> results, Metrics metrics, int sliceQuestions, int otherQuestions) {
        Html html = Sections.page(spec, this);
        int layers = spec.neural().base().layers();
        int m = spec.world().answers();
        String slice = "A = " + s.operand();

        // behaviour
        double baseCorrect = mean(results, r -> r.baseSlice().correct());
        double tunedCorrect = mean(results, r -> r.tunedSlice().correct());
        double tunedRefuse = mean(results, r -> r.tunedSlice().refuse());
        double tunedForced = mean(results, r -> r.tunedSlice().forced());
        double baseOther = mean(results, r -> r.baseOther().correct());
        double tunedOther = mean(results, r -> r.tunedOther().correct());
        String behaviour = "Fine-tuning made the network refuse " + Fmt.pct(tunedRefuse) + " of the slice (" + slice + "; it answered "
                + Fmt.pct(baseCorrect) + " of it correctly before, " + Fmt.pct(tunedCorrect) + " after) while answering "
                + Fmt.pct(tunedOther) + " of the other questions correctly (" + Fmt.pct(baseOther) + " before). Made to answer "
                + "(the prompt followed by <ans>), the tuned network still gives the correct answer on the slice with probability "
                + Fmt.pct(tunedForced) + ".";

        // probes, pooled over seeds
        List<String> models = List.of("base", "tuned", "control", "base probe on tuned");
        Map<String, double[][]> pooled = new LinkedHashMap<>(); // model -> {rate, lo, hi} per layer
        for (String model : models) {
            double[][] v = new double[3][layers + 1];
            for (int l = 0; l <= layers; l++) {
                long correct = 0, total = 0;
                // a shared base and control are the same networks in every repetition: count their prompts once
                boolean shared = !s.pretrainPerSeed() && (model.equals("base") || model.equals("control"));
                for (SeedResult r : shared ? results.subList(0, 1) : results) {
                    correct += r.probes().get(model)[l].correct();
                    total += r.probes().get(model)[l].total();
                }
                Interval i = Binomial.wilson(correct, total);
                v[0][l] = (double) correct / total;
                v[1][l] = i.low();
                v[2][l] = i.high();
            }
            pooled.put(model, v);
        }
        BarChart probeChart = new BarChart("probe for the answer on the slice, per layer", "held-out accuracy", layerNames(layers));
        for (String model : models) probeChart.add(model, pooled.get(model)[0], pooled.get(model)[1], pooled.get(model)[2]);
        probeChart.hline(1.0 / m, "chance (1/" + m + ")");
        double[][] before = pooled.get("base");
        double[][] after = pooled.get("tuned");
        String probeFinding = "A linear probe fitted on the other questions decodes the slice's correct answer from the last layer's "
                + "residual stream with accuracy " + withInterval(before, layers) + " before fine-tuning and " + withInterval(after, layers)
                + " after (chance 1/" + m + " = " + Fmt.pct(1.0 / m) + "; pooled over " + results.size() + " seeds" + (s.pretrainPerSeed() ? "" : ", the shared base once") + "). The base's own probe, "
                + "unchanged, reads " + withInterval(pooled.get("base probe on tuned"), layers) + " on the tuned network. "
                + verdict(before[1][layers], before[2][layers], after[1][layers], after[2][layers], 1.0 / m);

        // ablation
        List<String> sizes = new ArrayList<>();
        int restored = 0;
        for (SeedResult r : results) {
            if (r.ablation().restored()) restored++;
            sizes.add(r.ablation().restored() ? Integer.toString(r.ablation().neurons()) : "> " + s.maxNeurons());
        }
        int mlpNeurons = layers * spec.neural().base().dModel() * spec.neural().base().mlpRatio();
        double bestAblated = mean(results, r -> java.util.Arrays.stream(r.ablation().curve()).max().orElse(Double.NaN));
        String ablationFinding = "Zero-ablating MLP neurons of the tuned network, chosen greedily by attribution, restored slice "
                + "accuracy to " + Fmt.pct(s.restore()) + " of the base's (" + Fmt.pct(s.restore() * baseCorrect) + ") in " + restored + " of "
                + results.size() + " seeds, with " + String.join(", ", sizes) + " of its " + mlpNeurons + " MLP neurons (per seed); the best "
                + "set tried reached " + Fmt.pct(bestAblated) + " on average.";

        // weights
        Map<Integer, double[]> byLayer = new LinkedHashMap<>();
        for (SeedResult r : results) {
            WeightChange.relativeNormByLayer(r.weights()).forEach((l, v) -> byLayer.computeIfAbsent(l, x -> new double[1])[0] += v / results.size());
        }
        List<String> weightNames = new ArrayList<>();
        double[] weightValues = new double[byLayer.size()];
        int w = 0;
        for (Map.Entry<Integer, double[]> e : byLayer.entrySet()) {
            weightNames.add(e.getKey() < 0 ? "embed + unembed" : "block " + e.getKey());
            weightValues[w++] = e.getValue()[0];
        }
        BarChart weightChart = new BarChart("weight change from fine-tuning, per layer", "||ΔW||_F / ||W||_F", weightNames);
        weightChart.add("mean over seeds", weightValues);
        double maxRelative = java.util.Arrays.stream(weightValues).max().orElse(0);
        List<List<String>> ranks = new ArrayList<>();
        for (int i = 0; i < results.get(0).weights().size(); i++) {
            final int row = i;
            WeightChange first = results.get(0).weights().get(i);
            ranks.add(List.of(first.parameter(), Fmt.num(mean(results, r -> r.weights().get(row).relativeNorm())),
                    Fmt.num(mean(results, r -> r.weights().get(row).effectiveRank())), Integer.toString(first.fullRank())));
        }
        double meanRank = results.stream().flatMap(r -> r.weights().stream()).mapToDouble(x -> x.effectiveRank() / x.fullRank()).average().orElse(0);
        String weightFinding = "Fine-tuning moved each layer's weights by at most " + Fmt.pct(maxRelative) + " of their norm (relative Frobenius "
                + "norm, mean over seeds); the changes' effective rank averages " + Fmt.pct(meanRank) + " of the full rank.";

        // revival
        List<Double> logRatios = new ArrayList<>();
        List<List<String>> reviveRows = new ArrayList<>();
        boolean censored = false;
        LineChart curves = new LineChart("revival: slice accuracy while re-training on the slice", "updates", "P(correct) on the slice")
                .yRange(0, 1).hline(s.reviveTarget(), "target");
        for (int k = 0; k < results.size(); k++) {
            SeedResult r = results.get(k);
            int tunedSteps = stepsToTarget(r.reviveTuned(), s.reviveTarget());
            int controlSteps = stepsToTarget(r.reviveControl(), s.reviveTarget());
            censored |= tunedSteps < 0 || controlSteps < 0;
            double ratio = ratio(tunedSteps, controlSteps, s);
            logRatios.add(Math.log(ratio));
            reviveRows.add(List.of("seed " + (k + 1), Fmt.pct(r.tunedSlice().correct()), steps(tunedSteps, s), Fmt.pct(r.controlSlice().correct()),
                    steps(controlSteps, s), Fmt.num(ratio)));
            curves.add(Series.line("tuned, seed " + (k + 1), range(r.reviveTuned().length), r.reviveTuned()));
            curves.add(Series.line("control, seed " + (k + 1), range(r.reviveControl().length), r.reviveControl()).dashed());
        }
        MeanInterval ratio = MeanInterval.geometric(logRatios.stream().mapToDouble(Double::doubleValue).toArray());
        String revivalFinding = "Re-training on the slice brought the tuned network back to " + Fmt.pct(s.reviveTarget()) + " accuracy in "
                + Fmt.num(ratio.mean()) + " times the updates the control needed (geometric mean over " + results.size() + " seeds, 95% t-interval "
                + (Double.isNaN(ratio.low()) ? "n/a with one seed" : "[" + Fmt.num(ratio.low()) + ", " + Fmt.num(ratio.high()) + "]") + ")"
                + (censored ? "; some runs never reached the target and count as " + s.reviveSteps() + " updates, so the ratio is a bound" : "")
                + ". " + (ratio.high() < 1 ? "The capability revives faster than it is learnt anew: the fine-tuning wrapped it."
                        : ratio.low() > 1 ? "The tuned network is slower to revive than the control is to learn: the capability was damaged, not wrapped."
                        : "The interval includes 1: no difference in revival speed is shown at this size.");

        String summary = behaviour + " " + probeFinding + " " + revivalFinding;
        html.heading("Findings");
        html.note(summary);
        String headline = probeChart.svg();
        html.figure(headline, "Multinomial logistic probes for the correct answer Y at the position that writes it, fitted on each network's "
                + "residual stream over the other questions and scored on the slice's (never seen by the probe); Wilson 95% intervals pooled "
                + "over seeds. 'base probe on tuned' applies the base's probe, unchanged, to the tuned network.");
        html.bullets(List.of(ablationFinding, weightFinding));

        html.paragraph(s.pretrainPerSeed()
                ? "Each of the " + results.size() + " seeds pretrains its own base and control (neural.seed + k) and repeats the fine-tuning, "
                        + "the looks inside and the revival with its own data and order: intervals over seeds include pretraining's randomness."
                : "The base and the control are pretrained once (seed " + spec.neural().seed() + "); each of the " + results.size()
                        + " seeds repeats the fine-tuning, the looks inside and the revival with its own data and order, so intervals over "
                        + "seeds measure fine-tuning's randomness, not pretraining's (pretrain_per_seed: true pretrains a pair per seed).");
        html.heading("Behaviour: base, tuned and control");
        List<List<String>> rows = new ArrayList<>();
        for (int k = 0; k < results.size(); k++) {
            SeedResult r = results.get(k);
            rows.add(List.of("seed " + (k + 1), Fmt.pct(r.baseSlice().correct()), Fmt.pct(r.tunedSlice().correct()), Fmt.pct(r.tunedSlice().refuse()),
                    Fmt.pct(r.tunedSlice().forced()), Fmt.pct(r.baseOther().correct()), Fmt.pct(r.tunedOther().correct()), Fmt.pct(r.controlSlice().correct())));
        }
        html.paragraph("Exact rates over " + sliceQuestions + " slice questions and " + otherQuestions + " others, from the networks' next-token "
                + "probabilities. 'forced' is P(correct answer | prompt, <ans>): the answer the network gives when made to answer.");
        html.table(List.of("seed", "slice correct, base", "slice correct, tuned", "slice refused, tuned", "slice forced, tuned",
                "others correct, base", "others correct, tuned", "slice correct, control"), rows);

        html.heading("Is the answer still represented? Probes per layer");
        html.paragraph(probeFinding + " (The probes per layer are the figure under Findings.)");

        html.heading("Which neurons hold the wrapper? Ablation and patching");
        LineChart ablationChart = new LineChart("ablation: slice accuracy as ranked neurons are zeroed", "neurons ablated", "P(correct) on the slice")
                .yRange(0, 1).hline(s.restore() * baseCorrect, "restored");
        for (int k = 0; k < results.size(); k++) {
            double[] c = results.get(k).ablation().curve();
            ablationChart.add(Series.line("seed " + (k + 1), range(c.length), c).linePoints());
        }
        html.figure(ablationChart.svg(), "The tuned network's slice accuracy with the k MLP neurons of largest single-neuron attribution zeroed "
                + "together (attribution: the rise in slice accuracy when that neuron alone is zeroed).");
        html.paragraph(ablationFinding + " With that set ablated the other questions are answered correctly with probability "
                + Fmt.pct(mean(results, SeedResult::ablatedOther)) + " (tuned: " + Fmt.pct(tunedOther) + ").");
        List<List<String>> patchRows = new ArrayList<>();
        for (String hook : results.get(0).patched().keySet()) {
            patchRows.add(List.of(hook, Fmt.pct(mean(results, r -> r.patched().get(hook)))));
        }
        html.paragraph("Activation patching: the tuned network's slice accuracy with one component's output (all positions) taken from the base "
                + "on the same prompts (mean over seeds; unpatched " + Fmt.pct(tunedCorrect) + ", base " + Fmt.pct(baseCorrect) + ").");
        html.table(List.of("patched from the base", "P(correct) on the slice"), patchRows);

        html.heading("How much did the weights move?");
        html.figure(weightChart.svg(), "Relative Frobenius norm of the change, ||W_tuned − W_base||_F / ||W_base||_F, over each layer's "
                + "matrices together.");
        html.paragraph(weightFinding + " Effective rank: exp of the entropy of ΔW's normalised singular values s_i / Σ s_j (Roy and Vetterli 2007).");
        html.table(List.of("matrix", "||ΔW|| / ||W||", "effective rank of ΔW", "full rank"), ranks);

        html.heading("Revival: re-training on the slice, tuned vs a never-trained control");
        html.figure(curves.svg(), "Slice accuracy after each update of re-training (half slice, half other questions, correct answers), for the "
                + "tuned network and for a control of the same size pretrained on a corpus without the slice.");
        html.paragraph(revivalFinding);
        html.table(List.of("seed", "tuned: slice correct at start", "tuned: updates to target", "control: slice correct at start",
                "control: updates to target", "ratio"), reviveRows);

        Sections.setup(html, spec);
        html.paragraph("Here the world's training and deployment settings and the evaluator play no part: the network is tuned and "
                + "re-trained on chosen questions with given answers (supervised), and every rate is read exactly off its probabilities.");
        html.subheading("Wrapper settings");
        html.table(List.of("setting", "value"), List.of(List.of("wrapper", Sections.params(spec.resolved().get("wrapper")))));
        Sections.reproduce(html, spec);
        return new Result(metrics, html, summary, headline);
    }

    /** Reads the last layer's probe intervals: unchanged, fallen but above chance, or at chance. */
    private static String verdict(double baseLow, double baseHigh, double tunedLow, double tunedHigh, double chance) {
        if (tunedLow <= chance) return "After fine-tuning the probe is at chance: the answer is no longer linearly decodable there.";
        if (tunedHigh < baseLow) return "Decodability fell after fine-tuning but stays above chance: the answer is still partly represented.";
        if (tunedLow > baseHigh) return "Decodability rose after fine-tuning.";
        return "The intervals overlap: the answer is as decodable after fine-tuning as before, so the capability is still represented.";
    }

    private static String withInterval(double[][] v, int layer) {
        return Fmt.pct(v[0][layer]) + " [" + Fmt.pct(v[1][layer]) + ", " + Fmt.pct(v[2][layer]) + "]";
    }

    private static String steps(int steps, Settings s) { return steps < 0 ? "> " + s.reviveSteps() : Integer.toString(steps); }

    private static double mean(List<SeedResult> results, java.util.function.ToDoubleFunction<SeedResult> f) {
        return results.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static double[] range(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = i;
        return x;
    }
}
