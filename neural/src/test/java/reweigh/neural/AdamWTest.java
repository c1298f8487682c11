package reweigh.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** AdamW against the update written out by hand, on two scalars: one decayed, one not. */
class AdamWTest {

    @Test
    void twoStepsMatchAHandComputation() {
        double lr = 0.1;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double wd = 0.01;
        double[] p = {1.0, -2.0}; // p[0] is decayed, p[1] is not
        double[][] grads = {{0.5, -0.25}, {-0.1, 0.3}};

        try (NDManager manager = Djl.newManager()) {
            NDArray decayed = manager.create(new double[] {p[0]});
            NDArray plain = manager.create(new double[] {p[1]});
            Map<String, NDArray> parameters = Map.of("decayed", decayed, "plain", plain);
            try (AdamW adam = new AdamW(parameters, Set.of("decayed"), new AdamW.Settings(b1, b2, eps, wd))) {
                double[] m = new double[2];
                double[] v = new double[2];
                for (int t = 1; t <= 2; t++) {
                    double[] g = grads[t - 1];
                    try (NDArray g0 = manager.create(new double[] {g[0]});
                            NDArray g1 = manager.create(new double[] {g[1]})) {
                        adam.step(Map.of("decayed", g0, "plain", g1), lr);
                    }
                    for (int i = 0; i < 2; i++) {
                        if (i == 0) {
                            p[i] *= 1 - lr * wd;
                        }
                        m[i] = b1 * m[i] + (1 - b1) * g[i];
                        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                        double mHat = m[i] / (1 - Math.pow(b1, t));
                        double vHat = v[i] / (1 - Math.pow(b2, t));
                        p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
                    }
                    assertArrayEquals(new double[] {p[0], p[1]},
                            new double[] {decayed.toDoubleArray()[0], plain.toDoubleArray()[0]}, 1e-12,
                            "after step " + t);
                    if (t == 1) { // bias correction makes the first step lr against the gradient's sign
                        assertArrayEquals(new double[] {0.999 - 0.1, -2.0 + 0.1},
                                new double[] {decayed.toDoubleArray()[0], plain.toDoubleArray()[0]}, 1e-7);
                    }
                }
            }
        }
    }
}
