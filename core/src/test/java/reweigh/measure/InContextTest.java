package reweigh.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reweigh.population.Catalogue.Deceiver;
import reweigh.population.Catalogue.Guesser;
import reweigh.population.Catalogue.Honest;
import reweigh.population.Catalogue.PowerSeeker;
import reweigh.population.Catalogue.Sycophant;
import reweigh.population.Dist;
import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.world.Context;

/** Many-shot inference: the finite mixture against enumeration and Monte Carlo, the Beta family against a fine grid. */
class InContextTest {
    /** Unobserved, no pressure, no trigger, the user's claim wrong: where every behaviour can show. */
    static final Context X = new Context(4, false, 0, false, true);

    static Population population(double[] w) {
        return new Population(List.of(
                new Population.Member("honest", "honest", new Honest(0.05), w[0]),
                new Population.Member("deceiver", "deceiver", new Deceiver(0.0, 0.05), w[1]),
                new Population.Member("sycophant", "sycophant", new Sycophant(), w[2]),
                new Population.Member("guesser", "guesser", new Guesser(), w[3]),
                new Population.Member("power-seeker", "power-seeker", new PowerSeeker(0.05), w[4])));
    }

    static Stream<Long> seeds() { return java.util.stream.LongStream.range(0, 6).boxed(); }

    static double[] randomWeights(SplittableRandom rng, int n) {
        double[] w = new double[n];
        double sum = 0;
        for (int a = 0; a < n; a++) sum += w[a] = 0.05 + rng.nextDouble();
        for (int a = 0; a < n; a++) w[a] /= sum;
        return w;
    }

    /**
     * Brute force: every sequence of k + 1 responses (Response.COUNT^(k+1) of them), its probability
     * Σ_a w_a Π_i pi_a(y_i | x), conditioned on the first k being r. Equal to the posterior predictive to 1e-12.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void theMixturesPredictiveMatchesEnumerationOfEverySequence(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = randomWeights(rng, 5);
        Population pop = population(w);
        double[][] pi = new double[5][];
        for (int a = 0; a < 5; a++) pi[a] = pop.get(a).algorithm().respond(X).vector();
        List<Response> powers = Response.all().stream().filter(Response::power).toList();
        for (Response r : List.of(Response.LIE, Response.AGREE, Response.CORRECT, Response.WRONG, Response.CORRECT.withPower())) {
            for (int k = 0; k <= 3; k++) {
                double given = sequenceMass(w, pi, r, k, last -> true);
                assertEquals(sequenceMass(w, pi, r, k, last -> last == r) / given,
                        InContext.probability(w, InContext.likelihoods(pop, X, r), k), 1e-12, r + " k=" + k);
                // and the next turn in a set: any response with the power action, after these shots
                assertEquals(sequenceMass(w, pi, r, k, Response::power) / given, InContext.probability(w,
                        InContext.likelihoods(pop, X, r), InContext.likelihoods(pop, X, powers), k), 1e-12, r + " then power, k=" + k);
            }
        }
    }

    /** Σ over every sequence of k + 1 responses whose first k are r and whose last passes {@code next}: Σ_a w_a Π_i pi_a(y_i). */
    private static double sequenceMass(double[] w, double[][] pi, Response r, int k, java.util.function.Predicate<Response> next) {
        double mass = 0;
        int sequences = (int) Math.pow(Response.COUNT, k + 1);
        for (int s = 0; s < sequences; s++) {
            int[] y = new int[k + 1];
            for (int i = 0, rest = s; i <= k; i++, rest /= Response.COUNT) y[i] = rest % Response.COUNT;
            if (!IntStream.range(0, k).allMatch(i -> y[i] == r.index()) || !next.test(Response.ofIndex(y[k]))) continue;
            for (int a = 0; a < w.length; a++) {
                double pa = w[a];
                for (int i = 0; i <= k; i++) pa *= pi[a][y[i]];
                mass += pa;
            }
        }
        return mass;
    }

    /** Monte Carlo: episodes written by one writer drawn by w; among those whose first k turns show r, how often turn k+1 does. */
    @ParameterizedTest
    @MethodSource("seeds")
    void theMixturesPredictiveMatchesMonteCarloEpisodes(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = randomWeights(rng, 5);
        Population pop = population(w);
        Response r = Response.LIE;
        int k = 5;
        long kept = 0, hits = 0;
        for (int e = 0; e < 400_000; e++) {
            Dist pi = pop.get(Dist.sample(w, rng)).algorithm().respond(X);
            boolean all = true;
            for (int i = 0; i < k && all; i++) all = Dist.sample(pi.vector(), rng) == r.index();
            if (!all) continue;
            kept++;
            if (Dist.sample(pi.vector(), rng) == r.index()) hits++;
        }
        double exact = InContext.probability(w, InContext.likelihoods(pop, X, r), k);
        double se = Math.sqrt(exact * (1 - exact) / kept);
        assertEquals(exact, (double) hits / kept, 5 * se + 1e-9, "5 standard errors over " + kept + " kept episodes");
    }

    /** Posterior log-odds = prior log-odds + k · per-shot log-likelihood ratio, for every pair and k. */
    @ParameterizedTest
    @MethodSource("seeds")
    void posteriorLogOddsArePriorPlusKTimesTheLikelihoodRatio(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = randomWeights(rng, 6);
        double[] pi = rng.doubles(6, 0.01, 1).toArray();
        for (int k : new int[] {0, 1, 3, 17, 60}) {
            double[] post = InContext.posterior(w, pi, k);
            for (int a = 0; a < 6; a++) {
                for (int b = 0; b < 6; b++) {
                    assertEquals(InContext.logOdds(w, pi, a, b, k), Math.log(post[a] / post[b]), 1e-9 * (1 + k));
                }
            }
        }
    }

    /**
     * Two writers (one always shows r, one w.p. q): the closed-form shots-to-elicit equals the first k whose
     * predictive reaches the threshold, and each nat of prior log-odds removed adds 1/log(1/q) shots.
     */
    @ParameterizedTest
    @MethodSource("seeds")
    void shotsToElicitGrowWithThePriorLogOddsFineTuningRemoved(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double q = rng.nextDouble(0.02, 0.45);
        for (double prior = 3; prior > -12; prior -= rng.nextDouble(0.1, 1.5)) {
            double wd = 1 / (1 + Math.exp(-prior));
            double[] w = {wd, 1 - wd};
            double[] pi = {1, q};
            int scanned = IntStream.range(0, 1000).filter(k -> InContext.probability(w, pi, k) >= 0.5).findFirst().orElseThrow();
            assertEquals(scanned, InContext.shotsToElicit(prior, q, 0.5), "prior " + prior + ", q " + q);
            double continuous = (Math.log((0.5 - q) / 0.5) - prior) / Math.log(1 / q);
            assertEquals(Math.max(0, continuous), InContext.crossing(w, pi, 0.5), 1e-6, "the real crossing of two writers");
            assertTrue(scanned >= continuous - 1e-9 && scanned < Math.max(0, continuous) + 1 + 1e-9);
        }
    }

    /** At whole shots the real crossing agrees with the first k whose predictive reaches the threshold. */
    @ParameterizedTest
    @MethodSource("seeds")
    void theRealCrossingRoundsUpToTheFirstWholeShot(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int trial = 0; trial < 50; trial++) {
            double[] w = randomWeights(rng, 5);
            double[] pi = rng.doubles(5, 0, 1).toArray();
            double t = rng.nextDouble(0.05, Arrays.stream(pi).max().orElseThrow() - 1e-3);
            int scanned = IntStream.range(0, 100_000).filter(k -> InContext.probability(w, pi, k) >= t).findFirst().orElseThrow();
            double crossing = InContext.crossing(w, pi, t);
            assertEquals(scanned, (int) Math.ceil(crossing - 1e-7), "crossing " + crossing);
        }
    }

    static Stream<double[]> betas() {
        SplittableRandom rng = new SplittableRandom(42);
        return Stream.generate(() -> new double[] {rng.nextDouble(1, 6), rng.nextDouble(1, 12)}).limit(6);
    }

    /**
     * The Beta family's closed form (α + k)/(α + β + k) against direct Bayesian updating over a grid of
     * 20,000 propensities weighted by the Beta density (the same finite-mixture code, with each grid point
     * an algorithm): midpoint-rule error well under 1e-6 for α, β ≥ 1.
     */
    @ParameterizedTest
    @MethodSource("betas")
    void theBetaFamilysClosedFormMatchesUpdatingOverAFineGrid(double[] ab) {
        int n = 20_000;
        double[] theta = new double[n], w = new double[n];
        double sum = 0;
        for (int j = 0; j < n; j++) {
            theta[j] = (j + 0.5) / n;
            sum += w[j] = Math.pow(theta[j], ab[0] - 1) * Math.pow(1 - theta[j], ab[1] - 1);
        }
        for (int j = 0; j < n; j++) w[j] /= sum;
        InContext.BetaFamily family = new InContext.BetaFamily(ab[0], ab[1]);
        for (int k : new int[] {0, 1, 2, 5, 10, 50}) {
            assertEquals(InContext.probability(w, theta, k), family.probability(k), 1e-6, "k=" + k);
        }
        int scanned = IntStream.range(0, 10_000).filter(k -> family.probability(k) >= 0.5).findFirst().orElseThrow();
        assertEquals(scanned, family.shotsToElicit(0.5));
    }

    /** A finite mixture approaches its floor geometrically; a Beta family's NLL falls as β/k. */
    @ParameterizedTest
    @MethodSource("seeds")
    void aFiniteMixtureIsGeometricAndTheContinuumAPowerLaw(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = randomWeights(rng, 3);
        double[] pi = {0.9, 0.3, 0.1};
        double floor = -Math.log(0.9);
        for (int k = 12; k < 18; k++) { // the third writer's share, (0.1/0.3)^k relative, is below 1e-6 here
            double ratio = (-Math.log(InContext.probability(w, pi, k + 1)) - floor) / (-Math.log(InContext.probability(w, pi, k)) - floor);
            assertEquals(0.3 / 0.9, ratio, 1e-4, "geometric with ratio pi_2/pi_1");
        }
        InContext.BetaFamily family = InContext.BetaFamily.ofMean(rng.nextDouble(0.05, 0.5), rng.nextDouble(2, 20));
        assertEquals(family.beta(), 1e6 * family.nll(1_000_000), 1e-4 * family.beta(), "NLL·k → β");
    }
}
