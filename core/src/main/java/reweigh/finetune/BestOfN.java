package reweigh.finetune;

import static reweigh.world.Check.atLeast;

import java.util.SplittableRandom;
import reweigh.population.Response;

/**
 * Best-of-n distillation: for each of {@code samples} training contexts draw n responses from the base,
 * keep the one the evaluator scores highest (the first on ties), and fit the weights to the kept
 * responses by EM from w0.
 */
public record BestOfN(int n, int samples, int steps) implements Method {
    public static final BestOfN DEFAULTS = new BestOfN(4, 5000, 200);

    public BestOfN {
        atLeast("n", n, 1);
        atLeast("samples", samples, 1);
        atLeast("steps", steps, 1);
    }

    public String name() { return "best-of-n"; }

    public void run(Problem problem, long seed, Recorder recorder) {
        SplittableRandom rng = new SplittableRandom(seed);
        SampleCounts best = new SampleCounts(problem.train.size());
        for (int i = 0; i < samples; i++) {
            int x = problem.train.sample(rng);
            int bestY = -1;
            double bestReward = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                int y = Logits.sample(problem.base[x], rng);
                double r = problem.evaluator.sample(problem.train.get(x), Response.ofIndex(y), rng);
                if (r > bestReward) {
                    bestReward = r;
                    bestY = y;
                }
            }
            best.add(x, bestY);
        }
        best.fitEm(problem, steps, recorder, java.util.Map.of());
    }
}
