package reweigh.finetune;

import static reweigh.world.Check.atLeast;
import static reweigh.world.Check.positive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import reweigh.population.Response;

/**
 * Direct preference optimisation (Rafailov et al., arXiv 2305.18290) on the softmax logits of the weights.
 * Pairs: two base samples in one training context, the higher-rated one preferred (ties dropped).
 * Loss: -log sigmoid(beta · [(log pi(y_w) - log pi0(y_w)) - (log pi(y_l) - log pi0(y_l))]), minibatch
 * gradient descent with {@code batch} pairs a step.
 */
public record Dpo(int pairs, double beta, double lr, int steps, int batch) implements Method {
    public static final Dpo DEFAULTS = new Dpo(5000, 0.1, 5.0, 500, 64);

    public Dpo {
        atLeast("pairs", pairs, 1);
        positive("beta", beta);
        positive("lr", lr);
        atLeast("steps", steps, 1);
        atLeast("batch", batch, 1);
    }

    public String name() { return "dpo"; }

    private record Pair(int x, int preferred, int rejected) {}

    public void run(Problem problem, long seed, Recorder recorder) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Pair> data = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            int x = problem.train.sample(rng);
            int y1 = Logits.sample(problem.base[x], rng);
            int y2 = Logits.sample(problem.base[x], rng);
            double r1 = problem.evaluator.sample(problem.train.get(x), Response.ofIndex(y1), rng);
            double r2 = problem.evaluator.sample(problem.train.get(x), Response.ofIndex(y2), rng);
            if (r1 > r2) data.add(new Pair(x, y1, y2));
            else if (r2 > r1) data.add(new Pair(x, y2, y1));
        }
        recorder.start(steps);
        double[] theta = Logits.log(problem.population.priors());
        double kept = data.size();
        recorder.weights(0, Logits.softmax(theta), Map.of("pairs", kept, "loss", Math.log(2)));
        for (int step = 1; step <= steps; step++) {
            double[] w = Logits.softmax(theta);
            double[][] mix = problem.mixtureTable(w);
            double[] g = new double[w.length];
            double loss = 0;
            for (int i = 0; i < batch && !data.isEmpty(); i++) {
                Pair p = data.get(rng.nextInt(data.size()));
                double margin = Math.log(mix[p.x][p.preferred] / problem.base[p.x][p.preferred])
                        - Math.log(mix[p.x][p.rejected] / problem.base[p.x][p.rejected]);
                double z = beta * margin;
                loss += Math.log1p(Math.exp(-z)) / batch;
                double scale = beta / (1 + Math.exp(z)) / batch; // -d loss / d z = sigmoid(-z)
                Logits.addLogLikelihoodGradient(w, problem.pi, p.x, p.preferred, mix[p.x][p.preferred], scale, g);
                Logits.addLogLikelihoodGradient(w, problem.pi, p.x, p.rejected, mix[p.x][p.rejected], -scale, g);
            }
            Logits.ascend(theta, lr, g);
            if (recorder.wants(step)) recorder.weights(step, Logits.softmax(theta), Map.of("pairs", kept, "loss", loss));
        }
    }
}
