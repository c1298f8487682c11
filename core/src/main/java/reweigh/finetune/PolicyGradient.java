package reweigh.finetune;

import java.util.Map;
import java.util.SplittableRandom;
import reweigh.population.Response;

/** The sampled policy-gradient loop shared by {@link Reinforce} (k = 1, no baseline) and {@link Rloo} (k >= 2). */
final class PolicyGradient {
    private PolicyGradient() {}

    static void run(Problem problem, long seed, Recorder recorder, double lr, int steps, int contexts, int k,
                    double beta, KlEstimator kl) {
        SplittableRandom rng = new SplittableRandom(seed);
        recorder.start(steps);
        double[] theta = Logits.log(problem.population.priors());
        recorder.weights(0, Logits.softmax(theta), null);
        for (int step = 1; step <= steps; step++) {
            double[] g = new double[theta.length];
            double sampledReward = estimate(problem, theta, contexts, k, beta, kl, rng, g);
            Logits.ascend(theta, lr, g);
            if (recorder.wants(step)) recorder.weights(step, Logits.softmax(theta), Map.of("sampled_reward", sampledReward));
        }
    }

    /**
     * One step's gradient estimate at theta, written into {@code g}: the mean over {@code contexts} contexts
     * and {@code k} samples each of advantage · d log pi_w(y|x) / d theta. Returns the mean sampled reward.
     */
    static double estimate(Problem problem, double[] theta, int contexts, int k, double beta, KlEstimator kl,
                           SplittableRandom rng, double[] g) {
        double[] w = Logits.softmax(theta);
        double[][] mix = new double[problem.train.size()][]; // (X, R), filled for the contexts the batch visits
        int[] ys = new int[k];
        double[] shaped = new double[k];
        double rewardSum = 0;
        for (int i = 0; i < contexts; i++) {
            int x = problem.train.sample(rng);
            if (mix[x] == null) mix[x] = problem.mixture(w, x);
            double sum = 0;
            for (int j = 0; j < k; j++) {
                ys[j] = Logits.sample(mix[x], rng);
                double r = problem.evaluator.sample(problem.train.get(x), Response.ofIndex(ys[j]), rng);
                rewardSum += r;
                shaped[j] = r - beta * kl.estimate(mix[x][ys[j]], problem.base[x][ys[j]]);
                sum += shaped[j];
            }
            for (int j = 0; j < k; j++) {
                double advantage = k == 1 ? shaped[j] : shaped[j] - (sum - shaped[j]) / (k - 1);
                Logits.addLogLikelihoodGradient(w, problem.pi, x, ys[j], mix[x][ys[j]], advantage / (contexts * k), g);
            }
        }
        return rewardSum / (contexts * k);
    }
}
