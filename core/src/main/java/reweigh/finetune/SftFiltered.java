package reweigh.finetune;

import static reweigh.world.Check.atLeast;
import static reweigh.world.Check.finite;
import static reweigh.world.Check.positive;

import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import reweigh.population.Response;

/**
 * Rejection-sampling fine-tuning: draw {@code samples} responses from the base on training contexts,
 * keep those whose sampled reward is at least {@code accept}, and fit the weights to them by maximum
 * likelihood: {@code em} (multiplicative, exact MLE from w0) or {@code sgd} (vanilla minibatch gradient
 * on the softmax logits, {@code batch} samples a step).
 */
public record SftFiltered(int samples, double accept, Fit fit, int steps, double lr, int batch) implements Method {
    public static final SftFiltered DEFAULTS = new SftFiltered(20000, 0.5, Fit.EM, 200, 0.5, 64);

    public enum Fit {
        EM, SGD;

        @Override
        public String toString() { return name().toLowerCase(Locale.ROOT); }
    }

    public SftFiltered {
        atLeast("samples", samples, 1);
        finite("accept", accept);
        if (fit == null) throw new reweigh.world.Check.InvalidParameter("fit", "em or sgd", "nothing");
        atLeast("steps", steps, 1);
        positive("lr", lr);
        atLeast("batch", batch, 1);
    }

    public String name() { return "sft-filtered"; }

    public void run(Problem problem, long seed, Recorder recorder) {
        SplittableRandom rng = new SplittableRandom(seed);
        SampleCounts accepted = new SampleCounts(problem.train.size());
        for (int i = 0; i < samples; i++) {
            int x = problem.train.sample(rng);
            int y = Logits.sample(problem.base[x], rng);
            if (problem.evaluator.sample(problem.train.get(x), Response.ofIndex(y), rng) >= accept) accepted.add(x, y);
        }
        Map<String, Double> acceptance = Map.of("accepted", accepted.total / samples);
        if (fit == Fit.EM) {
            accepted.fitEm(problem, steps, recorder, acceptance);
            return;
        }
        recorder.start(steps);
        double[] theta = Logits.log(problem.population.priors());
        recorder.weights(0, Logits.softmax(theta), acceptance);
        for (int step = 1; step <= steps; step++) {
            double[] w = Logits.softmax(theta);
            double[][] mix = problem.mixtureTable(w);
            double[] g = new double[w.length];
            for (int i = 0; i < batch && accepted.total > 0; i++) {
                int[] xy = accepted.draw(rng);
                Logits.addLogLikelihoodGradient(w, problem.pi, xy[0], xy[1], mix[xy[0]][xy[1]], 1.0 / batch, g);
            }
            Logits.ascend(theta, lr, g);
            if (recorder.wants(step)) recorder.weights(step, Logits.softmax(theta), acceptance);
        }
    }
}
