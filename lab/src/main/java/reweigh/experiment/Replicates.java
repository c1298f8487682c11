package reweigh.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.neural.LanguageModel;
import reweigh.neural.measure.Faithfulness;
import reweigh.neural.measure.Measurement;
import reweigh.run.Metrics;
import reweigh.run.Progress;
import reweigh.spec.Spec;
import reweigh.stats.Interval;
import reweigh.stats.MeanInterval;

/**
 * The network's replicates as a run recorded them in its metrics ({@link NeuralEngine#runAll}): what a report
 * reads, so a report is rendered from {@code metrics.csv} and {@code spec.yaml} alone, by the run and by
 * {@code reweigh report} alike, with no model loaded.
 */
public final class Replicates {
    private Replicates() {}

    /**
     * A measurement as {@link NeuralEngine} emitted it: the last value of each of its metrics in {@code series}
     * (a base's one reading at step 0, a tuned run's last snapshot).
     */
    public record Recorded(Spec spec, Metrics metrics, String series) {
        public double weight(String algorithm) { return metrics.last(series, "weight." + algorithm); }

        public double[] weights() { return Tuner.lastWeights(spec, metrics, series); }

        /** The deployment rates, in the order they were recorded: the behaviours, power and {@code invalid}. */
        public Map<String, Double> behaviours() {
            Map<String, Double> out = new LinkedHashMap<>();
            for (String metric : metrics.metrics(series)) {
                if (metric.startsWith("deploy.") && !metric.endsWith(".lo95") && !metric.endsWith(".hi95")) {
                    out.put(metric.substring("deploy.".length()), metrics.last(series, metric));
                }
            }
            return out;
        }

        /** The 95% intervals over prompts of the rates that have one. */
        public Map<String, Interval> behaviourIntervals() {
            Map<String, Interval> out = new LinkedHashMap<>();
            for (String b : behaviours().keySet()) {
                if (metrics.has(series, "deploy." + b + ".lo95")) {
                    out.put(b, new Interval(metrics.last(series, "deploy." + b + ".lo95"), metrics.last(series, "deploy." + b + ".hi95")));
                }
            }
            return out;
        }

        /** The spec's log-odds pair ({@code odds:}), the only one a run records, with its interval over prompts. */
        public Measurement.Estimate logOdds(String numerator, String denominator) {
            if (spec.odds() == null || !spec.odds().numerator().equals(numerator) || !spec.odds().denominator().equals(denominator)) {
                throw new IllegalArgumentException("a run records the log-odds of the spec's odds pair only, not " + numerator + ":" + denominator);
            }
            String metric = spec.odds().metric();
            return new Measurement.Estimate(metrics.last(series, metric), metrics.last(series, metric + ".lo95"), metrics.last(series, metric + ".hi95"));
        }
    }

    /** The suffix of replicate r's series, {@code @seed<N>}; none when there is one replicate, whose series are the pooled names. */
    public static String tag(long[] seeds, int r) { return seeds.length > 1 ? "@seed" + seeds[r] : ""; }

    /** One fine-tuning run of one replicate: the series pooled over the replicates, the step of its last snapshot, and that snapshot's measurement. */
    public record Tuned(Spec.Tuning tuning, String pooled, int lastStep, Recorded last) {}

    /** One replicate: its pretraining seed, its base's reading and faithfulness table, and its tuned runs. */
    public record Replicate(long seed, Recorded base, Faithfulness.Table faithfulness, List<Tuned> runs) {}

    /**
     * Every replicate of the spec, read from {@code metrics}: the seeds, series names and runs that {@link NeuralEngine#runAll} wrote.
     *
     * @throws IllegalArgumentException naming the first series the metrics lack
     */
    public static List<Replicate> of(Spec spec, Metrics metrics) {
        long[] seeds = spec.replicateSeeds();
        String first = "weight." + spec.population().names().get(0);
        List<Replicate> out = new ArrayList<>();
        for (int r = 0; r < seeds.length; r++) {
            String tag = tag(seeds, r);
            String base = NeuralEngine.BASE + tag;
            if (!metrics.has(base, first)) {
                throw new IllegalArgumentException("the metrics hold no network base " + base + " (is this a run of the spec's network?)");
            }
            List<Tuned> runs = new ArrayList<>();
            for (Spec.Tuning t : spec.methods()) {
                if (t.network() == null) continue;
                String series = NeuralEngine.PREFIX + t.label() + tag;
                double[] steps = metrics.steps(series, first);
                if (steps.length == 0) throw new IllegalArgumentException("the metrics hold no tuned network " + series);
                runs.add(new Tuned(t, NeuralEngine.PREFIX + t.label(), (int) steps[steps.length - 1], new Recorded(spec, metrics, series)));
            }
            out.add(new Replicate(seeds[r], new Recorded(spec, metrics, base), FaithfulnessSection.read(metrics, base, spec), runs));
        }
        return out;
    }

    /** Reads each tuned network before it is freed (probes, extra measurements); called from the replicate's own thread. */
    public interface Inspect {
        Inspect NONE = (net, tuning, policy) -> {};

        void accept(NeuralEngine net, Spec.Tuning tuning, LanguageModel policy);
    }

    /**
     * How many replicates run side by side, each on its own Java thread with one PyTorch thread: the
     * machine's cores over the PyTorch threads each takes, or the system property {@code reweigh.sideBySide}.
     * Each replicate's arithmetic is independent of the others', so this changes only the wall time.
     */
    public static int sideBySide(Spec spec) {
        int cores = Runtime.getRuntime().availableProcessors() / Math.max(1, spec.neural().base().threads());
        return Math.max(1, Math.min(spec.neural().replicates(), Integer.getInteger("reweigh.sideBySide", cores)));
    }

    /**
     * The network's part of an experiment, over the spec's replicates: each pretrains (or loads) its own
     * base, tunes every method with a network version, and records series tagged {@code @seed<N>}; then
     * the pooled series {@code neural:base} and {@code neural:<label>} hold each metric's mean over the
     * replicates with its 95% Student-t interval ({@link #pool}). What a report reads of them it reads from
     * the metrics ({@link Replicates}). Replicates run side by side ({@link #sideBySide}); the metrics come
     * out in replicate order whatever finished first.
     */
    public static void runAll(Spec spec, reweigh.run.Workspace workspace, Metrics metrics, Progress progress) {
        runAll(spec, workspace, metrics, progress, Inspect.NONE, nets -> {});
    }

    /**
     * The same, with {@code inspect} reading each tuned network before it is freed, and {@code after} reading the
     * replicates (their bases still loaded) once every one is tuned and pooled, to record what else it measures.
     */
    public static void runAll(Spec spec, reweigh.run.Workspace workspace, Metrics metrics, Progress progress, Inspect inspect,
                       java.util.function.Consumer<List<NeuralEngine>> after) {
        runAll(spec, workspace, metrics, progress, NeuralEngine.BASE, (net, part) -> net.tuneAll(part, 0.4, 0.6,
                inspect == Inspect.NONE ? null : (t, policy) -> inspect.accept(net, t, policy)), after);
    }

    /** What one replicate tunes on its base, reporting on {@code progress} from 0.4 to 1: {@link NeuralEngine#tuneAll}, or an experiment's variants. */
    public interface Tunes {
        List<NeuralEngine.Run> tune(NeuralEngine net, Progress progress);
    }

    /**
     * The same, with each replicate tuning what {@code tunes} says (runs at the same index are pooled over the replicates),
     * the bases' series named {@code base} ({@link NeuralEngine#BASE}, or another for an experiment with two kinds of base), its
     * replicates' {@code base@seed<N>}.
     */
    public static void runAll(Spec spec, reweigh.run.Workspace workspace, Metrics metrics, Progress progress, String base, Tunes tunes,
                              java.util.function.Consumer<List<NeuralEngine>> after) {
        long[] seeds = spec.replicateSeeds();
        int n = seeds.length;
        Progress[] parts = progress.parts(n, 0.05, 0.95);
        NeuralEngine[] nets = new NeuralEngine[n];
        Metrics[] own = new Metrics[n];
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(sideBySide(spec), task -> {
            Thread t = new Thread(task, "replicate");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int i = r;
                done.add(pool.submit(() -> {
                    reweigh.neural.Djl.noGradients(); // as on the thread that loaded the engine
                    NeuralEngine net = NeuralEngine.open(spec, i, seeds[i], tag(seeds, i), workspace, parts[i], 0, 0.4);
                    nets[i] = net;
                    Metrics m = new Metrics();
                    net.emitBase(m, base + net.tag());
                    net.runs(tunes.tune(net, parts[i]));
                    for (NeuralEngine.Run run : net.runs()) net.emit(m, run);
                    own[i] = m;
                }));
            }
            // every replicate finishes before any is closed, even when one fails: its networks are still in use
            RuntimeException failed = null;
            for (java.util.concurrent.Future<?> f : done) {
                try {
                    await(f);
                } catch (RuntimeException e) {
                    if (failed == null) failed = e;
                }
            }
            if (failed != null) throw failed;
            for (Metrics m : own) metrics.addAll(m);
            List<NeuralEngine> replicates = List.of(nets);
            if (n > 1) {
                pool(metrics, replicates.stream().map(r -> base + r.tag()).toList(), base);
                for (int k = 0; k < nets[0].runs().size(); k++) {
                    int run = k;
                    pool(metrics, replicates.stream().map(r -> r.runs().get(run).series()).toList(), nets[0].runs().get(k).pooled());
                }
            }
            after.accept(replicates);
        } finally {
            pool.shutdownNow();
            for (NeuralEngine net : nets) if (net != null) net.close();
        }
    }

    /** Measures one model of a replicate, its base or its tuned network, into {@code series}. */
    public interface Measures {
        void measure(Metrics m, String series, NeuralEngine net, LanguageModel model);
    }

    /**
     * The network's part of an experiment that reads its first method only, in its own terms: each replicate's base and
     * the network the first method tunes from it are measured by {@code measures} into {@code series(model, tag)} (model
     * {@code "base"} or the method's label), and those series are pooled over the replicates into {@code series(model, "")};
     * then {@code after} reads the replicates, to record its verdicts.
     */
    public static void firstMethod(Spec spec, reweigh.run.Workspace workspace, Metrics metrics, Progress progress,
                                   java.util.function.BinaryOperator<String> series, Measures measures,
                                   java.util.function.Consumer<List<NeuralEngine>> after) {
        Spec.Tuning first = NeuralEngine.firstRun(spec);
        Map<Integer, Metrics> read = new java.util.concurrent.ConcurrentHashMap<>();
        runAll(spec, workspace, metrics, progress, NeuralEngine.BASE, (net, part) -> {
            Metrics m = new Metrics();
            measures.measure(m, series.apply(BASE_MODEL, net.tag()), net, net.base());
            NeuralEngine.Run run = net.tune(first, spec.world(), spec.evaluator(), "", part, 0.4, 0.6,
                    (t, policy) -> measures.measure(m, series.apply(first.label(), net.tag()), net, policy));
            read.put(net.index(), m);
            return List.of(run);
        }, nets -> {
            for (int r = 0; r < nets.size(); r++) metrics.addAll(read.get(r));
            for (String model : nets.size() > 1 ? List.of(BASE_MODEL, first.label()) : List.<String>of()) {
                pool(metrics, nets.stream().map(n -> series.apply(model, n.tag())).toList(), series.apply(model, ""));
            }
            after.accept(nets);
        });
    }

    /** The name {@link #firstMethod} gives the bases in its series. */
    public static final String BASE_MODEL = "base";

    private static void await(java.util.concurrent.Future<?> f) {
        try {
            f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the replicates ran", e);
        }
    }

    /**
     * Into {@code into}, for every metric of the first replicate's series, the mean over {@code replicates}
     * and ({@code .lo95}, {@code .hi95}) its 95% Student-t interval over them. Each replicate's own intervals
     * over prompts stay in its series, the inner level. Rows are matched by step where every replicate has
     * the same steps; where the counts agree but the steps do not (sft-filtered and best-of-n train on their
     * own base's samples, so each replicate's run has its own length, and its snapshots fall at the same
     * fractions of it), by snapshot, at the first replicate's steps; otherwise over the steps all share.
     */
    public static void pool(Metrics m, List<String> replicates, String into) {
        for (String metric : m.metrics(replicates.get(0))) {
            // inner intervals stay with their replicate; a faithfulness table is one base's check, not pooled
            if (metric.endsWith(".lo95") || metric.endsWith(".hi95") || metric.startsWith("faithful.")) continue;
            int n = replicates.size();
            double[][] steps = new double[n][];
            double[][] values = new double[n][];
            boolean sameSteps = true;
            boolean sameCount = true;
            for (int r = 0; r < n; r++) {
                steps[r] = m.steps(replicates.get(r), metric);
                values[r] = m.values(replicates.get(r), metric);
                sameSteps &= java.util.Arrays.equals(steps[0], steps[r]);
                sameCount &= steps[0].length == steps[r].length;
            }
            for (int s = 0; s < steps[0].length; s++) {
                double[] across = new double[n];
                boolean everywhere = true;
                for (int r = 0; r < n && everywhere; r++) {
                    int at = sameSteps || sameCount ? s : java.util.Arrays.binarySearch(steps[r], steps[0][s]);
                    everywhere = at >= 0;
                    if (everywhere) across[r] = values[r][at];
                }
                if (!everywhere) continue;
                MeanInterval i = MeanInterval.of(across);
                m.add(into, (int) steps[0][s], metric, i.mean());
                m.add(into, (int) steps[0][s], metric + ".lo95", i.low());
                m.add(into, (int) steps[0][s], metric + ".hi95", i.high());
            }
        }
    }
}
