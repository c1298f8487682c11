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
import reweigh.neural.finetune.NetworkMethod;
import reweigh.neural.finetune.Tuning;
import reweigh.neural.measure.Measure;
import reweigh.neural.measure.Measurement;
import reweigh.neural.pretrain.Pretraining;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.stats.Interval;

/**
 * The neural engine inside an experiment: pretrains (or loads) the base model on the population's
 * corpus, fine-tunes a copy with each method that has a network version, and measures the network in
 * deployment contexts before, during and after. It measures; it assumes nothing of the theory.
 */
public final class NeuralEngine implements AutoCloseable {
    /** Series of the network carry this prefix, so they sit beside the exact engine's in metrics.csv. */
    public static final String PREFIX = "neural:";
    public static final String BASE = PREFIX + "base";

    /** One measurement of the network during a run. */
    public record Snapshot(int step, Measurement deploy) {}

    /**
     * One fine-tuning run on the network.
     *
     * @param pooled the finding's series over every replicate, the mean with 95% intervals over them: {@code neural:<label>},
     *               or with what distinguishes a variant's tuning, e.g. {@code neural:reinforce @ h=0.5}
     * @param series this replicate's series: {@code pooled}, or {@code pooled@seed<N>} for one of several replicates
     */
    public record Run(Spec.Tuning tuning, String pooled, String series, List<Snapshot> snapshots, List<Map<String, Double>> steps) {
        /** The same run under another pooled name, {@code tag} its replicate's suffix ({@link #tag()}). */
        public Run named(String pooled, String tag) { return new Run(tuning, pooled, pooled + tag, snapshots, steps); }

        public Measurement last() { return snapshots.get(snapshots.size() - 1).deploy(); }
    }

    private final Spec spec;
    private final int index;       // 0-based replicate
    private final long seed;       // this replicate's pretraining seed; its tuning and measuring seeds derive from it
    private final String tag;      // "" for a lone network, "@seed<N>" for one of several: in its series names
    private final String baseKey;  // the cache folder and the base's key in it: what shared measurements are keyed by
    private final NDManager manager; // owns the base model
    private final LanguageModel base;
    private final Measurement baseDeploy;
    private final reweigh.neural.measure.Faithfulness.Table faithfulness;
    private List<Run> runs = List.of();

    private NeuralEngine(Spec spec, int index, long seed, String tag, String baseKey, NDManager manager, LanguageModel base) {
        this.spec = spec;
        this.index = index;
        this.seed = seed;
        this.tag = tag;
        this.baseKey = baseKey;
        this.manager = manager;
        this.base = base;
        Spec.Neural n = spec.neural();
        long faithfulSeed = Tuner.seed(spec.seed(), "faithfulness@seed" + seed);
        BaseReading read = once(READ, measuredKey() + " faithfulness seed " + faithfulSeed,
                () -> new BaseReading(measure(base), reweigh.neural.measure.Faithfulness.measure(base, spec.population(), spec.world(),
                        n.base(), n.prompts(), faithfulSeed)));
        this.baseDeploy = read.deploy();
        this.faithfulness = read.faithfulness();
    }

    /** A base's deployment measurement and faithfulness table, shared as {@link #TUNED} shares tuned networks. */
    private record BaseReading(Measurement deploy, reweigh.neural.measure.Faithfulness.Table faithfulness) {}

    private static final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.CompletableFuture<BaseReading>> READ =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Pretrains or loads the base of the spec's first seed: one network, for experiments that measure one. */
    public static NeuralEngine open(Spec spec, reweigh.run.Workspace workspace, Progress progress, double from, double share) {
        return open(spec, 0, spec.neural().seed(), "", workspace, progress, from, share);
    }

    /** Pretrains or loads a base; the workspace's cache keeps base models between runs and experiments. */
    static NeuralEngine open(Spec spec, int index, long seed, String tag, reweigh.run.Workspace workspace,
                                     Progress progress, double from, double share) {
        NDManager loading = NDManager.newBaseManager();
        try {
            LanguageModel base = Bases.pretrain(spec, seed, Pretraining.Filter.EVERY_EPISODE, workspace, loading,
                    Bases.listener(progress, from, share, who(tag, seed) + "pretraining the base"));
            String shared = workspace.cache().toAbsolutePath().normalize() + " " + Bases.baseKey(spec, seed, Pretraining.Filter.EVERY_EPISODE, workspace.cache());
            return new NeuralEngine(spec, index, seed, tag, shared, loading, base);
        } catch (IOException e) {
            loading.close();
            throw new UncheckedIOException(e);
        }
    }

    /** "seed 3: " in a progress line, for one of several replicates. */
    private static String who(String tag, long seed) { return tag.isEmpty() ? "" : "seed " + seed + ": "; }

    /** 0 for the first replicate. */
    public int index() { return index; }

    /** This replicate's pretraining seed. */
    public long seed() { return seed; }

    /** The series of this replicate's base: {@code neural:base}, tagged when there are several. */
    public String baseSeries() { return BASE + tag; }

    /** "" for a lone network, {@code @seed<N>} for one of several: the suffix of this replicate's series. */
    public String tag() { return tag; }

    /** The runs {@link Replicates#runAll} tuned on this replicate. */
    public List<Run> runs() { return runs; }

    /** Records what {@link Replicates#runAll} tuned on this replicate. */
    void runs(List<Run> tuned) { runs = List.copyOf(tuned); }

    /** The seed of this replicate's measurements; every model it measures is read on the same prompts. */
    public long measureSeed() { return Tuner.seed(spec.seed(), "measure@seed" + seed); }

    public Measurement baseDeploy() { return baseDeploy; }

    /** The spec's first fine-tuning run with a network version, or null: the run experiments that tune once use. */
    public static Spec.Tuning firstRun(Spec spec) {
        return spec.methods().stream().filter(t -> t.network() != null).findFirst().orElse(null);
    }

    /** The pretrained base; read it, do not close it. */
    public LanguageModel base() { return base; }

    /** Every method with a network version, fine-tuned from a fresh copy of the base; {@code inspect} reads each tuned network. */
    public List<Run> tuneAll(Progress progress, double from, double share, java.util.function.BiConsumer<Spec.Tuning, LanguageModel> inspect) {
        List<Spec.Tuning> tunings = spec.methods().stream().filter(t -> t.network() != null).toList();
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < tunings.size(); i++) {
            double start = from + share * i / tunings.size();
            runs.add(tune(tunings.get(i), spec.world(), spec.evaluator(), "", progress, start, share / tunings.size(), inspect));
        }
        return runs;
    }

    /**
     * Tuned networks' measurements by everything that determines them ({@link #tuningKey}), for this process
     * and cache folder: two experiments that tune the same base the same way with the same seeds (deployment
     * and odds-ratio do, for reinforce and dpo) tune it once, and the second waits for the first's result. Runs
     * with separate caches never share, so two such runs in one process still compute everything twice.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.CompletableFuture<Run>> TUNED =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Fine-tunes a fresh copy of the base, in the spec's world with its evaluator or in another (e.g.
     * honeypots, another power knob); {@code variant} names such a run, so its seed differs from the plain
     * run's and every other variant's. {@code inspect} reads the tuned network before it is freed; when it
     * is null nothing does, and a run another experiment of this process already made is reused
     * (the same numbers, as the same inputs give the same network).
     */
    public Run tune(Spec.Tuning t, reweigh.world.World world, reweigh.evaluate.Evaluator evaluator, String variant,
             Progress progress, double from, double share, java.util.function.BiConsumer<Spec.Tuning, LanguageModel> inspect) {
        if (inspect != null) return train(t, world, evaluator, variant, progress, from, share, inspect);
        Run shared = once(TUNED, tuningKey(t, world, evaluator, variant),
                () -> train(t, world, evaluator, variant, progress, from, share, (tuning, policy) -> {}));
        return new Run(t, PREFIX + t.label() + variant, PREFIX + t.label() + variant + tag, shared.snapshots(), shared.steps());
    }

    private static final java.util.concurrent.atomic.AtomicInteger REUSED = new java.util.concurrent.atomic.AtomicInteger();

    /** How many tuned networks and base readings this process has reused rather than computed again. */
    public static int reused() { return REUSED.get(); }

    /**
     * {@code compute}'s value for {@code key}, computed by the first caller in this process; later callers,
     * on any thread, wait for it and get the same value. A failure is not kept: the next caller tries again.
     */
    private static <T> T once(java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.CompletableFuture<T>> memo,
                              String key, java.util.function.Supplier<T> compute) {
        java.util.concurrent.CompletableFuture<T> mine = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<T> first = memo.putIfAbsent(key, mine);
        if (first != null) {
            REUSED.incrementAndGet();
            return first.join();
        }
        try {
            mine.complete(compute.get());
        } catch (RuntimeException | Error e) {
            memo.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
        return mine.join();
    }

    /** Every input of a tuned network and its measurements, one per line. */
    private String tuningKey(Spec.Tuning t, reweigh.world.World world, reweigh.evaluate.Evaluator evaluator, String variant) {
        return measuredKey() + "\nmethod " + t.network() + "\nseed " + tuningSeed(t, variant) + "\nworld " + world
                + "\nevaluator " + evaluator + "\nsnapshots " + spec.neural().snapshots();
    }

    /** This replicate's base and how the spec measures a network: the part of every shared reading's key they all have. */
    private String measuredKey() {
        Spec.Neural n = spec.neural();
        return "base " + baseKey + "\npopulation " + spec.population() + "\nmeasured in " + spec.world()
                + "\nprompts " + n.prompts() + " bootstrap " + n.bootstrap() + " seed " + measureSeed();
    }

    private long tuningSeed(Spec.Tuning t, String variant) { return Tuner.seed(spec.seed(), PREFIX + t.label() + variant + "@seed" + seed); }

    private Run train(Spec.Tuning t, reweigh.world.World world, reweigh.evaluate.Evaluator evaluator, String variant,
             Progress progress, double from, double share, java.util.function.BiConsumer<Spec.Tuning, LanguageModel> inspect) {
        NetworkMethod method = t.network();
        List<Snapshot> snapshots = new ArrayList<>();
        List<Map<String, Double>> steps = new ArrayList<>();
        snapshots.add(new Snapshot(0, baseDeploy));
        try (NDManager m = NDManager.newBaseManager()) {
            LanguageModel policy = base.copy(m);
            int[] total = {1};
            Tuning.run(method, policy, base, spec.population(), world, evaluator,
                    tuningSeed(t, variant), new Tuning.Listener() {
                        public void start(NetworkMethod nm, int count) { total[0] = Math.max(1, count); }

                        public void step(int step, Map<String, Double> scalars) {
                            steps.add(new LinkedHashMap<>(scalars));
                            progress.update(from + share * step / total[0], String.format(Locale.ROOT,
                                    "%s%s on the network: step %d/%d, reward %.3f, kl %.3f", who(tag, seed), t.label(), step, total[0],
                                    scalars.getOrDefault("reward", Double.NaN), scalars.getOrDefault("kl", Double.NaN)));
                        }

                        // at k / (snapshots + 1) of the run, k = 1.., so runs of any length have their snapshots at the
                        // same fractions, and replicates whose runs differ in length pool snapshot by snapshot
                        public boolean wantsSnapshot(int step) {
                            if (step == 0) return false;
                            int parts = spec.neural().snapshots() + 1;
                            for (int k = 1; k <= parts; k++) if (step == Math.max(1, Math.round((double) k * total[0] / parts))) return true;
                            return false;
                        }

                        public void snapshot(int step, LanguageModel p) {
                            if (snapshots.get(snapshots.size() - 1).step() != step) snapshots.add(new Snapshot(step, measure(p)));
                        }
                    });
            if (snapshots.get(snapshots.size() - 1).step() != total[0]) snapshots.add(new Snapshot(total[0], measure(policy)));
            inspect.accept(t, policy);
        }
        return new Run(t, PREFIX + t.label() + variant, PREFIX + t.label() + variant + tag, snapshots, steps);
    }

    /** The network in deployment contexts: exact response distributions of {@code prompts} prompts, EM weights. */
    private Measurement measure(LanguageModel model) { return measure(model, spec.world().deployContexts()); }

    /** A network (the base, or a tuned one inside {@code inspect}) in any contexts, measured as the deployment is. */
    public Measurement measure(LanguageModel model, reweigh.world.ContextSet contexts) {
        Spec.Neural n = spec.neural();
        return Measure.measure(model, spec.population(), spec.world(), contexts, n.prompts(), n.bootstrap(), measureSeed());
    }

    /** This replicate's base held to its corpus, per context class, before anything is tuned on it. */
    public reweigh.neural.measure.Faithfulness.Table faithfulness() { return faithfulness; }

    /** The network's base, measured once, and its faithfulness table, as series {@link #baseSeries} at step 0. */
    public void emitBase(Metrics m) { emitBase(m, baseSeries()); }

    /** The same under another series name (a variant's base). */
    public void emitBase(Metrics m, String series) {
        emit(m, series, 0, baseDeploy);
        FaithfulnessSection.emit(m, series, faithfulness);
    }

    /** Every snapshot's measurement and every step's scalars, as the run's series. */
    public void emit(Metrics m, Run run) { emit(m, run.series(), run); }

    /** The same under another series name (a sweep cell's). */
    public void emit(Metrics m, String series, Run run) {
        for (Snapshot s : run.snapshots()) emit(m, series, s.step(), s.deploy());
        for (int i = 0; i < run.steps().size(); i++) {
            for (Map.Entry<String, Double> e : run.steps().get(i).entrySet()) {
                String name = e.getKey().equals("kl") ? "kl." + run.tuning().network().reportedKl() : e.getKey();
                m.add(series, i + 1, name, e.getValue());
            }
        }
    }

    /**
     * Weights, log-odds and deployment rates (the behaviours, power, and {@code invalid}: mass on strings
     * that are not responses) with their 95% bootstrap intervals ({@code .lo95}, {@code .hi95}).
     */
    private void emit(Metrics m, String series, int step, Measurement d) {
        for (String a : spec.population().names()) {
            Interval i = d.weightInterval(a);
            m.add(series, step, "weight." + a, d.weight(a));
            m.add(series, step, "weight." + a + ".lo95", i.low());
            m.add(series, step, "weight." + a + ".hi95", i.high());
        }
        if (spec.odds() != null) {
            Measurement.Estimate o = d.logOdds(spec.odds().numerator(), spec.odds().denominator());
            m.add(series, step, spec.odds().metric(), o.value());
            m.add(series, step, spec.odds().metric() + ".lo95", o.low());
            m.add(series, step, spec.odds().metric() + ".hi95", o.high());
        }
        Map<String, Interval> intervals = d.behaviourIntervals();
        for (Map.Entry<String, Double> r : d.behaviours().entrySet()) {
            m.add(series, step, "deploy." + r.getKey(), r.getValue());
            Interval i = intervals.get(r.getKey());
            if (i != null) {
                m.add(series, step, "deploy." + r.getKey() + ".lo95", i.low());
                m.add(series, step, "deploy." + r.getKey() + ".hi95", i.high());
            }
        }
    }

    @Override
    public void close() {
        base.close();
        manager.close();
    }
}
