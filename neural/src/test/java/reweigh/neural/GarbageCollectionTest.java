package reweigh.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Guards against a DJL 0.36 pitfall: {@code array.div(2.0)} wraps the number in a scalar array
 * backed by a Java direct buffer and frees it at once, but autograd keeps that scalar for the
 * backward pass. Once the garbage collector reclaims the buffer, the gradient reads freed memory
 * (infinite or NaN gradients, rarely and at random). The model keeps every scalar alive instead;
 * this test collects garbage and reuses the memory between forward and backward.
 */
class GarbageCollectionTest {

    @Test
    void gradientsAreUnchangedWhenGarbageIsCollectedBetweenForwardAndBackward() throws Exception {
        Transformer config = new Transformer(11, 8, 16, 4, 2, 4);
        Batch batch = Tasks.random(new Rng(3), 3, 8, 11);
        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(config, 1, DataType.FLOAT32, root)) {
            Map<String, float[]> calm = gradients(model, batch, false);
            Map<String, float[]> stressed = gradients(model, batch, true);
            for (String name : calm.keySet()) {
                assertArrayEquals(calm.get(name), stressed.get(name), name);
            }
        }
    }

    private static Map<String, float[]> gradients(LanguageModel model, Batch batch, boolean collectGarbage)
            throws InterruptedException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager scope = model.newScope();
                Djl.Gradients collector = new Djl.Gradients()) {
            NDArray loss = model.loss(scope, batch, Hooks.none(), false);
            List<ByteBuffer> reuse = new ArrayList<>();
            if (collectGarbage) {
                System.gc();
                Thread.sleep(50); // let the cleaner free unreachable direct buffers
                for (int i = 0; i < 4000; i++) {
                    reuse.add(ByteBuffer.allocateDirect(8)); // zeros where a freed scalar was
                }
            }
            collector.backward(loss);
            reuse.clear();
        }
        model.parameters().forEach((name, p) -> {
            try (NDArray g = p.getGradient()) {
                out.put(name, g.toFloatArray());
                g.muli(0);
            }
        });
        return out;
    }
}
