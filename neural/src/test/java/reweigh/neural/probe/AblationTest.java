package reweigh.neural.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import reweigh.neural.Djl;
import reweigh.neural.Hooks;
import reweigh.neural.LanguageModel;
import reweigh.neural.Transformer;

class AblationTest {
    private static final Transformer CONFIG = new Transformer(11, 8, 16, 4, 2, 2);
    private static final List<int[]> SEQUENCES = List.of(new int[] {1, 2, 3, 7}, new int[] {4, 5, 6, 7}, new int[] {9, 8, 7});

    @Test
    void theGreedySetReachesTheTargetAndItsCurveIsWhatAblatingItsPrefixesGives() {
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(CONFIG, 5, DataType.FLOAT32, root)) {
            // the metric: mean log-probability of the last token, a function of the intervention
            ToDoubleFunction<Consumer<Hooks>> metric = intervene -> {
                double[][] lp = Activations.logProbs(model, SEQUENCES, intervene);
                double total = 0;
                for (double[] row : lp) total += row[row.length - 1];
                return total / lp.length;
            };
            List<Ablation.Neuron> candidates = Ablation.all(List.of("blocks.0.mlp.hook_post", "blocks.1.mlp.hook_post"), CONFIG.dMlp());
            double clean = metric.applyAsDouble(h -> {});
            Ablation.Search search = Ablation.greedy(candidates, metric, clean + 1e-4, 20);
            assertEquals(candidates.size(), search.attribution().length);
            assertTrue(search.restored(), "some neuron raises the metric of a random model");
            assertEquals(search.neurons().size() + 1, search.curve().length);
            assertEquals(clean, search.curve()[0], 1e-12);
            assertEquals(metric.applyAsDouble(Ablation.ablating(search.neurons())), search.curve()[search.curve().length - 1], 1e-12);
            assertTrue(search.curve()[search.curve().length - 1] >= clean + 1e-4);
            for (int k = 1; k < search.curve().length - 1; k++) assertTrue(search.curve()[k] < clean + 1e-4, "stops at the first set that reaches it");
            // the first neuron chosen has the largest attribution
            int first = candidates.indexOf(search.neurons().get(0));
            for (double a : search.attribution()) assertTrue(a <= search.attribution()[first]);
            // an unreachable target: not restored, and at most maxSize tried
            Ablation.Search none = Ablation.greedy(candidates, metric, 1e9, 3);
            assertTrue(!none.restored() && none.neurons().isEmpty() && none.curve().length == 4);
            // a target already met needs no ablation
            assertTrue(Ablation.greedy(candidates, metric, clean - 1, 3).neurons().isEmpty());
        }
    }
}
