package reweigh.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingTest {
    private static final Transformer COUNTER = new Transformer(16, 16, 32, 2, 1, 4);

    @BeforeAll
    static void oneThread() {
        Djl.setThreads(1); // bitwise reproducibility
    }

    @Test
    void learnsToCount() {
        int steps = 150;
        TrainingSettings settings = new TrainingSettings(new LearningRateSchedule(3e-3, 3e-4, 15, steps),
                AdamW.Settings.defaults(), 1.0);
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(COUNTER, 1, DataType.FLOAT32, root);
                Trainer trainer = new Trainer(model, settings, 2)) {
            double first = trainer.step(Tasks.counting(trainer.rng(), 16, 16, 16)).loss();
            double last = first;
            for (int s = 1; s < steps; s++) {
                last = trainer.step(Tasks.counting(trainer.rng(), 16, 16, 16)).loss();
            }
            assertTrue(first > 2.0, "starts near ln 16 = 2.77, got " + first);
            assertTrue(last < 0.05, "the counting task is learnt, final loss " + last);

            int[] completion = model.sample(new int[] {14, 15, 0}, 6, -1, new Rng(3));
            assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6}, completion);
            double[] logProbs = model.logProbs(new int[] {5, 6, 7, 8});
            assertEquals(3, logProbs.length);
            for (double lp : logProbs) {
                assertTrue(lp > Math.log(0.9), "confident on the learnt continuation: " + lp);
            }
        }
    }

    @Test
    void resumedRunContinuesBitForBit(@TempDir Path dir) throws Exception {
        Transformer config = new Transformer(16, 16, 32, 2, 2, 4, 0.1); // dropout exercises the RNG
        TrainingSettings settings = TrainingSettings.defaults(8);
        List<Double> uninterrupted = new ArrayList<>();
        float[] finalWeights;
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(config, 7, DataType.FLOAT32, root);
                Trainer trainer = new Trainer(model, settings, 8)) {
            for (int s = 0; s < 8; s++) {
                uninterrupted.add(trainer.step(Tasks.counting(trainer.rng(), 4, 12, 16)).loss());
            }
            finalWeights = model.parameters().get("blocks.1.mlp.W_out").toFloatArray();
        }

        List<Double> resumed = new ArrayList<>();
        try (NDManager root = Djl.newManager()) {
            try (LanguageModel model = LanguageModel.initialize(config, 7, DataType.FLOAT32, root);
                    Trainer trainer = new Trainer(model, settings, 8)) {
                for (int s = 0; s < 3; s++) {
                    resumed.add(trainer.step(Tasks.counting(trainer.rng(), 4, 12, 16)).loss());
                }
                trainer.save(dir);
                trainer.step(Tasks.counting(trainer.rng(), 4, 12, 16)); // work lost by the "crash"
            }
            try (Trainer trainer = Trainer.resume(dir, root)) {
                assertEquals(3, trainer.steps());
                for (int s = 3; s < 8; s++) {
                    resumed.add(trainer.step(Tasks.counting(trainer.rng(), 4, 12, 16)).loss());
                }
                assertArrayEquals(finalWeights, trainer.model().parameters().get("blocks.1.mlp.W_out").toFloatArray());
            }
        }
        assertEquals(uninterrupted, resumed, "losses after resuming equal the uninterrupted run's, bit for bit");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve(Trainer.CHECKPOINT_FILE)), files.toList(), "no temporary files left");
        }
    }

    @Test
    void savedModelReloadsWithIdenticalLogProbs(@TempDir Path dir) throws Exception {
        int[] sequence = {3, 1, 4, 1, 5, 9, 2, 6};
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(COUNTER, 4, DataType.FLOAT32, root)) {
            model.save(dir.resolve("model.bin"));
            try (LanguageModel loaded = LanguageModel.load(dir.resolve("model.bin"), root)) {
                assertEquals(COUNTER, loaded.config());
                assertArrayEquals(model.logProbs(sequence), loaded.logProbs(sequence));
            }
        }
    }

    /**
     * A copy is what save-then-load gives, without the file: the same parameters bit for bit; and it is
     * independent: training the copy leaves the original's log-probabilities as they were.
     */
    @Test
    void aCopyEqualsTheReloadedModelAndTrainingItLeavesTheOriginal(@TempDir Path dir) throws Exception {
        int[] sequence = {3, 1, 4, 1, 5, 9, 2, 6};
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(COUNTER, 4, DataType.FLOAT32, root)) {
            double[] before = model.logProbs(sequence);
            model.save(dir.resolve("model.bin"));
            try (LanguageModel loaded = LanguageModel.load(dir.resolve("model.bin"), root); LanguageModel copy = model.copy(root)) {
                for (String name : model.parameters().keySet()) {
                    assertArrayEquals(loaded.parameters().get(name).toFloatArray(), copy.parameters().get(name).toFloatArray(), name);
                }
                try (Trainer trainer = new Trainer(copy, TrainingSettings.defaults(3), 2)) {
                    for (int i = 0; i < 3; i++) trainer.step(Tasks.random(trainer.rng(), 2, 8, 16));
                }
                assertTrue(!java.util.Arrays.equals(before, copy.logProbs(sequence)), "the copy trained");
                assertArrayEquals(before, model.logProbs(sequence), "the original did not");
            }
        }
    }

    @Test
    void batchedLogProbsOfRaggedSequencesEqualOneAtATime() {
        int[][] sequences = {{1, 2, 3, 4, 5, 6}, {7, 8}, {9}, {0, 15, 14, 13}};
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(COUNTER, 4, DataType.FLOAT32, root)) {
            double[][] batched = model.logProbs(sequences);
            for (int r = 0; r < sequences.length; r++) {
                assertArrayEquals(model.logProbs(sequences[r]), batched[r], 1e-5, "row " + r);
            }
            // and they are the log-probabilities the forward pass implies
            try (NDManager scope = model.newScope()) {
                float[] logits = model.forward(scope, new int[][] {{7, 8}}, Hooks.none())
                        .logSoftmax(-1).toFloatArray(); // (1, 2, 16)
                assertEquals(logits[8], batched[1][0], 1e-6);
            }
        }
    }

    @Test
    void nonFiniteLossStopsTraining() {
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(COUNTER, 1, DataType.FLOAT32, root);
                Trainer trainer = new Trainer(model, TrainingSettings.defaults(10), 2)) {
            trainer.step(Tasks.random(trainer.rng(), 2, 8, 16));
            model.parameters().get("unembed.b_U").set(new NDIndex(3), Float.NaN);
            NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                    () -> trainer.step(Tasks.random(trainer.rng(), 2, 8, 16)));
            assertTrue(e.getMessage().contains("step 1"), e.getMessage());
        }
    }

    @Test
    void scheduleWarmsUpLinearlyThenDecaysByCosine() {
        LearningRateSchedule s = new LearningRateSchedule(1.0, 0.1, 4, 14);
        assertEquals(0.25, s.rate(0), 1e-12);
        assertEquals(1.0, s.rate(3), 1e-12);
        assertEquals(1.0, s.rate(4), 1e-12);
        assertEquals(0.55, s.rate(9), 1e-12); // half way: min + (peak - min) / 2
        assertEquals(0.1, s.rate(14), 1e-12);
        assertEquals(0.1, s.rate(100), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1.0, 2.0, 0, 10));
    }

    @Test
    void gradientsAreClippedToTheGlobalNorm() {
        TrainingSettings tiny = new TrainingSettings(LearningRateSchedule.constant(1e-3), AdamW.Settings.defaults(), 1e-3);
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(COUNTER, 1, DataType.FLOAT32, root);
                Trainer trainer = new Trainer(model, tiny, 2)) {
            Trainer.Step step = trainer.step(Tasks.random(trainer.rng(), 2, 8, 16));
            assertTrue(step.gradNorm() > 1e-3, "the reported norm is before clipping: " + step.gradNorm());
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                try (NDArray g = e.getValue().getGradient()) {
                    assertEquals(0f, g.abs().max().getFloat(), e.getKey() + " gradient is zeroed after the step");
                }
            }
        }
    }
}
