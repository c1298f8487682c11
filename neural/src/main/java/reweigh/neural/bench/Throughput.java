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
 * {@code threads=0} keeps PyTorch's default. Prints one line per run and a final
 * {@code median_tokens_per_second=...} line.
 */
public final class Throughput {
    private Throughput() {}

    public static void main(String[] args) {
        Map<String, Integer> o = new LinkedHashMap<>(Map.of("d_model", 128, "heads", 4, "layers", 2,
                "context", 128, "batch", 32, "vocab", 64, "threads", 0, "warmup", 5, "steps", 20, "runs", 5));
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
