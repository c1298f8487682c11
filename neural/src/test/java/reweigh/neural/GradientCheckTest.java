package reweigh.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The oracle for backpropagation: every kind of parameter's gradient (autograd through our
 * op-by-op forward pass and the masked loss) against central finite differences, in float64.
 */
class GradientCheckTest {
    private static final double H = 1e-6; // central difference step; truncation ~H^2, rounding ~1e-16/H
    private static final double ABS_TOL = 1e-8;
    private static final double REL_TOL = 1e-6;
    private static final int ELEMENTS_PER_PARAMETER = 3;

    @ParameterizedTest
    @EnumSource(Transformer.Positions.class)
    void autogradMatchesFiniteDifferencesForEveryParameterKind(Transformer.Positions positions) {
        Transformer config = new Transformer(7, 5, 8, 2, 2, 2, 0.0, positions);
        Rng rng = new Rng(11);
        int[][] tokens = new int[2][6];
        float[][] mask = new float[2][6];
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < 6; t++) {
                tokens[b][t] = rng.nextInt(7);
                mask[b][t] = t < 2 ? 0f : 0.5f + b; // uneven weights exercise the mask
            }
        }
        Batch batch = new Batch(tokens, mask);

        try (NDManager root = Djl.newManager();
                LanguageModel model = LanguageModel.initialize(config, 5, DataType.FLOAT64, root)) {
            // Move away from the symmetric initialisation (unit gains, zero biases, tiny weights),
            // so that every path carries a gradient of a size the check can see.
            for (NDArray p : model.parameters().values()) {
                double[] noise = new double[(int) p.size()];
                for (int i = 0; i < noise.length; i++) {
                    noise[i] = 0.3 * rng.nextGaussian();
                }
                try (NDArray n = root.create(noise, p.getShape())) {
                    p.addi(n);
                }
            }

            Map<String, double[]> analytic = new LinkedHashMap<>();
            try (NDManager scope = model.newScope();
                    Djl.Gradients collector = new Djl.Gradients()) {
                collector.backward(model.loss(scope, batch, Hooks.none(), false));
                model.parameters().forEach((name, p) -> {
                    try (NDArray g = p.getGradient()) {
                        analytic.put(name, g.toDoubleArray());
                        g.muli(0);
                    }
                });
            }

            int checked = 0;
            for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
                NDArray p = e.getValue();
                for (int k = 0; k < ELEMENTS_PER_PARAMETER; k++) {
                    int flat = rng.nextInt((int) p.size());
                    NDIndex at = new NDIndex(unravel(flat, p.getShape()));
                    double original = p.toDoubleArray()[flat];
                    p.set(at, original + H);
                    double plus = loss(model, batch);
                    p.set(at, original - H);
                    double minus = loss(model, batch);
                    p.set(at, original);
                    double numeric = (plus - minus) / (2 * H);
                    double exact = analytic.get(e.getKey())[flat];
                    assertEquals(numeric, exact, ABS_TOL + REL_TOL * Math.abs(numeric),
                            e.getKey() + "[" + flat + "]");
                    checked++;
                }
            }
            assertEquals(ELEMENTS_PER_PARAMETER * LanguageModel.parameterShapes(config).size(), checked);
            assertTrue(analytic.values().stream().allMatch(g -> java.util.Arrays.stream(g).anyMatch(x -> x != 0)),
                    "every parameter receives some gradient");
        }
    }

    private static double loss(LanguageModel model, Batch batch) {
        try (NDManager scope = model.newScope()) {
            return Djl.scalar(model.loss(scope, batch, Hooks.none(), false));
        }
    }

    private static long[] unravel(int flat, Shape shape) {
        long[] index = new long[shape.dimension()];
        for (int d = shape.dimension() - 1; d >= 0; d--) {
            index[d] = flat % shape.get(d);
            flat /= (int) shape.get(d);
        }
        return index;
    }
}
