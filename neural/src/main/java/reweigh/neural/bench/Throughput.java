package reweigh.neural.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
 * N × N float32 matrix product instead (the machine's limit) and prints {@code median_gflops=...}.
 */
public final class Throughput {
    private Throughput() {}

    public static void main(String[] args) {
        Map<String, Integer> o = new LinkedHashMap<>(Map.of("d_model", 128, "heads", 4, "layers", 2,
                "context", 128, "batch", 32, "vocab", 64, "threads", 0, "warmup", 5, "steps", 20, "runs", 5));
        o.put("matmul", 0);
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
