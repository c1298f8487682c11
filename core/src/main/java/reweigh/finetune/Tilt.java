package reweigh.finetune;

import static reweigh.world.Check.positive;

import reweigh.measure.Mixture;
import reweigh.measure.Policy;
import reweigh.population.Response;

/**
 * The behaviour-tilting prediction: on contexts the evaluator trained on, pi*(y|x) ∝ pi0(y|x) exp(r(x,y)/beta);
 * everywhere else the base behaviour is unchanged. It has no algorithm weights.
 */
public record Tilt(double beta) implements Method {
    public static final Tilt DEFAULTS = new Tilt(0.1);

    public Tilt { positive("beta", beta); }

    public String name() { return "tilt"; }

    @Override
    public Role role() { return Role.TILTING_PREDICTION; }

    @Override
    public boolean closedForm() { return true; }

    @Override
    public boolean reweights() { return false; }

    public void run(Problem problem, long seed, Recorder recorder) {
        recorder.start(1);
        Mixture base = Mixture.base(problem.population);
        recorder.point(0, base, null, null);
        recorder.point(1, tilted(problem, base), null, null);
    }

    /** The tilted policy: base behaviour outside the training contexts. */
    public Policy tilted(Problem problem, Policy base) {
        return x -> {
            double[] p = base.respond(x);
            if (!problem.train.contains(x)) return p;
            // log p + (r - r_max) / beta: the best responses keep their base ratio at any beta, and nothing overflows
            double[] reward = new double[Response.COUNT];
            double best = Double.NEGATIVE_INFINITY;
            for (Response y : Response.all()) {
                reward[y.index()] = problem.evaluator.expected(x, y);
                if (p[y.index()] > 0) best = Math.max(best, reward[y.index()]);
            }
            double[] logits = new double[Response.COUNT];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = p[i] > 0 ? Math.log(p[i]) + (reward[i] - best) / beta : Double.NEGATIVE_INFINITY;
            }
            return Logits.softmax(logits);
        };
    }
}
