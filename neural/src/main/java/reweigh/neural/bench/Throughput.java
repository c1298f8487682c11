package reweigh.neural.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.neural.Batch;
import reweigh.neural.Djl;
import reweigh.neural.LanguageModel;
import reweigh.neural.LearningRateSchedule;
import reweigh.neural.Rng;
import reweigh.neural.Trainer;
import reweigh.neural.TrainingSettings;
import reweigh.neural.Transformer;
import reweigh.neural.AdamW;
import reweigh.neural.measure.Measure;
import reweigh.neural.measure.Prompt;

/**
 * Training throughput of the DJL transformer, in tokens per second (B * T predicted tokens per
 * step). Random tokens; AdamW with clipping, exactly as {@link Trainer} trains.
 *
 * <pre>
 * DJL_OFFLINE=true java -cp ... reweigh.neural.bench.Throughput \
 *     d_model=128 heads=4 layers=2 context=128 batch=32 vocab=64 threads=0 warmup=5 steps=20 runs=5
 * </pre>
 * {@code threads=0} keeps PyTorch's default. Prints one line per run, a final
 * {@code median_tokens_per_second=...} line and the BLAS the process mapped. With {@code matmul=N} it times an
 * N × N float32 matrix product instead (the machine's limit) and prints {@code median_gflops=...}. With
 * {@code measure=N} or {@code sample=N} it times, on a model of the given shape for the default world (4 answers;
 * {@code vocab} and {@code context} are then the world's and the default base's), what a run spends its network time
 * on besides training: the exact response distributions of N single-turn deployment prompts
 * ({@link Measure#responseDistributions}), or sampling one response to each (the tuning rollouts'
 * {@link LanguageModel#sample}, which runs the whole prefix forward for every token); each prints the forward FLOPs
 * it executed and {@code median_gflops=...}.
 */
public final class Throughput {
    private Throughput() {}

    public static void main(String[] args) {
        Map<String, Integer> o = new LinkedHashMap<>(Map.of("d_model", 128, "heads", 4, "layers", 2,
                "context", 128, "batch", 32, "vocab", 64, "threads", 0, "warmup", 5, "steps", 20, "runs", 5));
        o.put("matmul", 0);
        o.put("measure", 0);
        o.put("sample", 0);
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !o.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown option '" + arg + "'; allowed key=value with keys "
                        + o.keySet());
            }
            o.put(kv[0], Integer.parseInt(kv[1]));
        }
        if (o.get("threads") > 0) {
            Djl.setThreads(o.get("threads"));
        }
        if (o.get("matmul") > 0) {
            matmul(o.get("matmul"), o.get("runs"));
            return;
        }
        if (o.get("measure") > 0 || o.get("sample") > 0) {
            forward(o);
            return;
        }
        Transformer config = new Transformer(o.get("vocab"), o.get("context"), o.get("d_model"), o.get("heads"),
                o.get("layers"), 4);
        int batch = o.get("batch");
        int length = o.get("context") + 1; // T inputs predict T targets
        System.out.println("config=" + config + " batch=" + batch + " threads=" + Djl.threads());
        TrainingSettings settings = new TrainingSettings(LearningRateSchedule.constant(1e-4),
                AdamW.Settings.defaults(), 1.0);
        double[] rates = new double[o.get("runs")];
        Rng rng = new Rng(1);
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(config, 1, DataType.FLOAT32, root);
                Trainer trainer = new Trainer(model, settings, 1)) {
            for (int w = 0; w < o.get("warmup"); w++) {
                trainer.step(randomBatch(rng, batch, length, config.vocabSize()));
            }
            for (int run = 0; run < rates.length; run++) {
                Batch[] batches = new Batch[o.get("steps")];
                for (int s = 0; s < batches.length; s++) {
                    batches[s] = randomBatch(rng, batch, length, config.vocabSize());
                }
                long start = System.nanoTime();
                for (Batch b : batches) {
                    trainer.step(b);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                rates[run] = (double) batches.length * batch * (length - 1) / seconds;
                System.out.printf("run=%d tokens_per_second=%.0f ms_per_step=%.1f%n", run, rates[run],
                        1000 * seconds / batches.length);
            }
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        System.out.printf("median_tokens_per_second=%.0f%n", sorted[sorted.length / 2]);
        System.out.println("blas=" + blas());
    }

    /**
     * The machine's float32 matrix-product rate through libtorch: an n × n by n × n product, 2n³ FLOPs, timed over
     * enough repetitions for a second each run; prints each run's GFLOP/s and {@code median_gflops=...}.
     */
    private static void matmul(int n, int runs) {
        try (NDManager root = Djl.newManager()) {
            ai.djl.ndarray.NDArray a = root.randomUniform(-1, 1, new ai.djl.ndarray.types.Shape(n, n));
            ai.djl.ndarray.NDArray b = root.randomUniform(-1, 1, new ai.djl.ndarray.types.Shape(n, n));
            for (int w = 0; w < 3; w++) a.matMul(b).close();
            long t0 = System.nanoTime();
            a.matMul(b).close();
            int reps = (int) Math.max(1, 1e9 / Math.max(1, System.nanoTime() - t0));
            double[] gflops = new double[runs];
            for (int r = 0; r < runs; r++) {
                long start = System.nanoTime();
                for (int i = 0; i < reps; i++) a.matMul(b).close();
                gflops[r] = 2.0 * n * n * n * reps / (System.nanoTime() - start);
                System.out.printf("run=%d gflops=%.1f%n", r, gflops[r]);
            }
            Arrays.sort(gflops);
            System.out.printf("median_gflops=%.1f threads=%d n=%d%n", gflops[runs / 2], Djl.threads(), n);
        }
        System.out.println("blas=" + blas());
    }

    /** Forward FLOPs per position of a sequence of {@code t} tokens: as the training count, without the backward's two. */
    static double forwardFlopsPerToken(Transformer c, int t) {
        return c.layers() * (24.0 * c.dModel() * c.dModel() + 4.0 * t * c.dModel()) + 2.0 * c.dModel() * c.vocabSize();
    }

    /** {@code measure=N} or {@code sample=N}: see the class comment. */
    private static void forward(Map<String, Integer> o) {
        reweigh.world.World world = reweigh.world.World.DEFAULTS;
        reweigh.corpus.Vocabulary v = new reweigh.corpus.Vocabulary(world.answers());
        Transformer config = new Transformer(v.size(), reweigh.neural.pretrain.NeuralSettings.DEFAULTS.contextLength(), o.get("d_model"),
                o.get("heads"), o.get("layers"), 4);
        boolean measure = o.get("measure") > 0;
        int n = measure ? o.get("measure") : o.get("sample");
        List<Prompt> prompts = Prompt.draw(world, world.deployContexts(), n, 1);
        int[][] rows = prompts.stream().map(p -> p.tokens(v)).toArray(int[][]::new);
        System.out.println("config=" + config + " prompts=" + n + " threads=" + Djl.threads() + " mode=" + (measure ? "measure" : "sample"));
        double[] gflops = new double[o.get("runs")];
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(config, 1, DataType.FLOAT32, root)) {
            for (int w = 0; w < o.get("warmup"); w++) {
                if (measure) Measure.responseDistributions(model, prompts); else model.sample(rows, 4, reweigh.corpus.Vocabulary.END_OF_TURN, new Rng(w));
            }
            for (int run = 0; run < gflops.length; run++) {
                double flops = 0;
                long start = System.nanoTime();
                if (measure) {
                    Measure.responseDistributions(model, prompts);
                } else {
                    int[][] written = model.sample(rows, 4, reweigh.corpus.Vocabulary.END_OF_TURN, new Rng(100 + run));
                    for (int step = 0; step < 4; step++) { // each step runs every row still writing, whole prefix and all
                        int active = 0, longest = 0;
                        for (int r = 0; r < n; r++) {
                            if (written[r].length > step) {
                                active++;
                                longest = Math.max(longest, rows[r].length + step);
                            }
                        }
                        flops += (double) active * longest * forwardFlopsPerToken(config, longest);
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (measure) {
                    for (int from = 0; from < n; from += 32) { // Measure's passes: 32 prompts, M + 4 rows each, the longest prompt + 3
                        int longest = 0;
                        for (int r = from; r < Math.min(n, from + 32); r++) longest = Math.max(longest, rows[r].length);
                        flops += (double) (Math.min(n, from + 32) - from) * (world.answers() + 4) * (longest + 3) * forwardFlopsPerToken(config, longest + 3);
                    }
                }
                gflops[run] = flops / seconds / 1e9;
                System.out.printf("run=%d seconds=%.3f gflops=%.2f%n", run, seconds, gflops[run]);
            }
        }
        double[] sorted = gflops.clone();
        Arrays.sort(sorted);
        System.out.printf("median_gflops=%.2f%n", sorted[sorted.length / 2]);
        System.out.println("blas=" + blas());
    }

    /** The BLAS this process has mapped, read from /proc/self/maps: libtorch's own build carries MKL inside libtorch_cpu. */
    static String blas() {
        try {
            java.util.Set<String> libs = new java.util.TreeSet<>();
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/maps"))) {
                int slash = line.lastIndexOf('/');
                if (slash < 0) continue;
                String name = line.substring(slash + 1);
                if (name.matches("(?i).*(blas|mkl|libtorch_cpu).*")) libs.add(name);
            }
            return libs.isEmpty() ? "none mapped" : String.join(",", libs) + (libs.stream().noneMatch(l -> l.matches("(?i).*(blas|mkl).*"))
                    ? " (MKL linked statically into libtorch_cpu)" : "");
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static Batch randomBatch(Rng rng, int rows, int length, int vocab) {
        int[][] tokens = new int[rows][length];
        for (int[] row : tokens) {
            for (int t = 0; t < length; t++) {
                row[t] = rng.nextInt(vocab);
            }
        }
        return Batch.of(tokens);
    }
}
