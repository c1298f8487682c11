package reweigh.neural.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reweigh.neural.Djl;
import reweigh.neural.LanguageModel;
import reweigh.neural.Transformer;

/** Supervised tuning on chosen examples: it learns them, snapshots from step 0, and stops when asked. */
class SupervisedTest {
    private static final Transformer CONFIG = new Transformer(11, 8, 16, 2, 1, 2);

    @Test
    void learnsTheGivenResponsesAndStopsWhenTheListenerIsSatisfied() {
        List<int[]> prompts = List.of(new int[] {1, 2, 3}, new int[] {1, 6, 3});
        List<int[]> responses = List.of(new int[] {4, 5}, new int[] {7, 5});
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(CONFIG, 4, DataType.FLOAT32, root)) {
            double before = model.logProbs(new int[] {1, 2, 3, 4, 5})[3];
            List<Integer> snapshots = new ArrayList<>();
            int taken = Tuning.supervised(model, prompts, responses, 40, 4, 1e-2, 9, new Tuning.Listener() {
                public void step(int step, Map<String, Double> scalars) { assertTrue(scalars.containsKey("loss")); }

                public boolean wantsSnapshot(int step) { return true; }

                public void snapshot(int step, LanguageModel policy) { snapshots.add(step); }
            });
            assertEquals(40, taken);
            assertEquals(41, snapshots.size(), "step 0 and every update");
            double after = model.logProbs(new int[] {1, 2, 3, 4, 5})[3];
            assertTrue(after > before + 1 && after > Math.log(0.5), "log p(4 | 1 2 3) rose from " + before + " to " + after);

            int stopped = Tuning.supervised(model, prompts, responses, 40, 4, 1e-2, 9, new Tuning.Listener() {
                public void step(int step, Map<String, Double> scalars) {}

                public boolean finished(int step) { return step == 3; }
            });
            assertEquals(3, stopped);
            assertThrows(IllegalArgumentException.class, () -> Tuning.supervised(model, prompts, responses.subList(0, 1), 1, 1, 1e-3, 1, Tuning.SILENT));
        }
    }
}
