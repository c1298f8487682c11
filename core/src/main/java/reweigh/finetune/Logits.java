package reweigh.finetune;

import java.util.random.RandomGenerator;

/** Softmax parametrisation of the algorithm weights, w = softmax(theta), and its gradients. */
final class Logits {
    private Logits() {}

    static double[] log(double[] weights) {
        double[] theta = new double[weights.length];
        for (int a = 0; a < weights.length; a++) theta[a] = Math.log(weights[a]); // -inf keeps a zero weight at zero
        return theta;
    }

    static double[] softmax(double[] theta) {
        double max = Double.NEGATIVE_INFINITY;
        for (double t : theta) max = Math.max(max, t);
        double[] w = new double[theta.length];
        double sum = 0;
        for (int a = 0; a < theta.length; a++) {
            w[a] = theta[a] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(theta[a] - max);
            sum += w[a];
        }
        for (int a = 0; a < w.length; a++) w[a] /= sum;
        return w;
    }

    /**
     * g_a += scale * d log pi_w(y|x) / d theta_a = scale * w_a (pi_a(y|x) / pi_w(y|x) - 1):
     * the vanilla gradient through the marginal likelihood.
     */
    static void addLogLikelihoodGradient(double[] w, double[][][] pi, int x, int y, double mixture, double scale, double[] g) {
        for (int a = 0; a < w.length; a++) {
            if (w[a] != 0) g[a] += scale * w[a] * (pi[a][x][y] / mixture - 1);
        }
    }

    /** theta += step * g, leaving -inf logits (zero weights) where they are. */
    static void ascend(double[] theta, double step, double[] g) {
        for (int a = 0; a < theta.length; a++) {
            if (theta[a] != Double.NEGATIVE_INFINITY) theta[a] += step * g[a];
        }
    }

    static int sample(double[] p, RandomGenerator rng) { return reweigh.population.Dist.sample(p, rng); }
}
