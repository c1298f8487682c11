package reweigh.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;

/** Native memory is DJL's classic leak: every pass must give back every array it made. */
class MemoryTest {

    @Test
    void manyTrainingStepsAndSamplesLeaveTheArrayCountUnchanged() {
        Transformer config = new Transformer(16, 16, 32, 2, 2, 4, 0.1);
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(config, 1, DataType.FLOAT32, root);
                Trainer trainer = new Trainer(model, TrainingSettings.defaults(200), 2)) {
            trainer.step(Tasks.counting(trainer.rng(), 8, 16, 16)); // first step caches the causal mask
            model.logProbs(new int[][] {{1, 2, 3}, {4, 5}});
            model.sample(new int[][] {{1}, {2, 3}}, 3, -1, new Rng(1));
            int arrays = root.getManagedArrays().size();
            for (int s = 1; s < 200; s++) {
                trainer.step(Tasks.counting(trainer.rng(), 8, 16, 16));
                if (s % 50 == 0) {
                    model.logProbs(new int[][] {{1, 2, 3}, {4, 5}});
                    model.sample(new int[][] {{1}, {2, 3}}, 3, -1, new Rng(s));
                }
            }
            // counts every open array under the root and all its sub-managers (weights, scopes)
            assertEquals(arrays, root.getManagedArrays().size(), "open arrays under the root manager");
        }
    }
}
