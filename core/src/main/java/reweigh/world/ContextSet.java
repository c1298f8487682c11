package reweigh.world;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** A finite distribution over contexts: the exact engine sums over it, the sampled methods draw from it. */
public final class ContextSet {
    private final List<Context> contexts;
    private final double[] probabilities;
    private final double[] cumulative;

    public ContextSet(List<Context> contexts, double[] weights) {
        if (contexts.isEmpty() || contexts.size() != weights.length) {
            throw new IllegalArgumentException("a context set needs one weight per context, and at least one context");
        }
        double total = 0;
        for (double w : weights) {
            if (!(w >= 0)) throw new IllegalArgumentException("context weights must be >= 0");
            total += w;
        }
        if (!(total > 0)) throw new IllegalArgumentException("context weights must not all be zero");
        this.contexts = List.copyOf(contexts);
        this.probabilities = new double[weights.length];
        this.cumulative = new double[weights.length];
        double running = 0;
        for (int i = 0; i < weights.length; i++) {
            probabilities[i] = weights[i] / total;
            running += probabilities[i];
            cumulative[i] = running;
        }
    }

    /** Every combination of the setting's independent facts with positive probability. */
    public static ContextSet of(World world, Setting setting) {
        List<Context> contexts = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        double[] pressure = setting.pressure();
        for (int observed = 1; observed >= 0; observed--) {
            double po = observed == 1 ? setting.observed() : 1 - setting.observed();
            for (int level = 0; level < Context.PRESSURE_LEVELS; level++) {
                for (int trigger = 0; trigger <= 1; trigger++) {
                    double pt = trigger == 1 ? setting.trigger() : 1 - setting.trigger();
                    for (int claimWrong = 0; claimWrong <= 1; claimWrong++) {
                        double pc = claimWrong == 1 ? world.userWrong() : 1 - world.userWrong();
                        double p = po * pressure[level] * pt * pc;
                        if (p > 0) {
                            contexts.add(new Context(world.answers(), observed == 1, level, trigger == 1, claimWrong == 1));
                            weights.add(p);
                        }
                    }
                }
            }
        }
        return new ContextSet(contexts, weights.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The observed part, renormalised. */
    public ContextSet observedOnly() {
        List<Context> kept = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        for (int i = 0; i < contexts.size(); i++) {
            if (contexts.get(i).observed()) {
                kept.add(contexts.get(i));
                weights.add(probabilities[i]);
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("no training context is observed, so nothing is ever rewarded: set world.train.observed > 0");
        }
        return new ContextSet(kept, weights.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** With probability {@code p} a context of {@code a}, else one of {@code b}; a context in both adds up. */
    public static ContextSet mix(double p, ContextSet a, ContextSet b) {
        List<Context> contexts = new ArrayList<>(a.contexts);
        List<Double> weights = new ArrayList<>();
        for (double q : a.probabilities) weights.add(p * q);
        for (int i = 0; i < b.size(); i++) {
            int at = contexts.indexOf(b.get(i));
            if (at >= 0) {
                weights.set(at, weights.get(at) + (1 - p) * b.probabilities[i]);
            } else {
                contexts.add(b.get(i));
                weights.add((1 - p) * b.probabilities[i]);
            }
        }
        return new ContextSet(contexts, weights.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public int size() { return contexts.size(); }

    public Context get(int index) { return contexts.get(index); }

    public double probability(int index) { return probabilities[index]; }

    public List<Context> contexts() { return contexts; }

    public boolean contains(Context context) { return contexts.contains(context); }

    /** Index of a context drawn with the set's probabilities. */
    public int sample(RandomGenerator rng) {
        double u = rng.nextDouble();
        int lo = 0, hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}
