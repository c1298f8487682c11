package reweigh.population;

import java.util.Arrays;

/**
 * A probability distribution over the {@link Response#COUNT} responses: what an algorithm does in
 * one context. Immutable; built with {@link #of} and combined with {@link #mix} and {@link #withPower}.
 */
public final class Dist {
    private static final double TOLERANCE = 1e-12;
    private final double[] p; // (Response.COUNT)

    private Dist(double[] p) {
        double sum = 0;
        for (double v : p) {
            if (!(v >= -TOLERANCE)) throw new IllegalArgumentException("negative probability in " + Arrays.toString(p));
            sum += v;
        }
        if (Math.abs(sum - 1) > 1e-9) throw new IllegalArgumentException("probabilities sum to " + sum + ", not 1");
        this.p = p;
    }

    /** Certain: always this response. */
    public static Dist of(Response response) {
        double[] p = new double[Response.COUNT];
        p[response.index()] = 1;
        return new Dist(p);
    }

    /** Certain: always this behaviour, without the power action. */
    public static Dist of(Behaviour behaviour) { return of(Response.of(behaviour)); }

    /** Two responses with probabilities {@code pa} and {@code pb}, which must sum to 1. */
    public static Dist of(Response a, double pa, Response b, double pb) {
        double[] p = new double[Response.COUNT];
        p[a.index()] += pa;
        p[b.index()] += pb;
        return new Dist(p);
    }

    /** From a full vector indexed by {@link Response#index()}. */
    public static Dist ofVector(double[] p) {
        if (p.length != Response.COUNT) throw new IllegalArgumentException("need " + Response.COUNT + " probabilities");
        return new Dist(p.clone());
    }

    /** With probability {@code p} draw from {@code a}, else from {@code b}. */
    public static Dist mix(double p, Dist a, Dist b) {
        double[] out = new double[Response.COUNT];
        for (int i = 0; i < out.length; i++) out[i] = p * a.p[i] + (1 - p) * b.p[i];
        return new Dist(out);
    }

    /** The same behaviours, each with the power action added. */
    public Dist withPower() {
        double[] out = new double[Response.COUNT];
        for (Response r : Response.all()) out[r.withPower().index()] += p[r.index()];
        return new Dist(out);
    }

    public double p(Response response) { return p[response.index()]; }

    /** An index drawn from a probability vector (zeros are never drawn). */
    public static int sample(double[] p, java.util.random.RandomGenerator rng) {
        double u = rng.nextDouble();
        double running = 0;
        int last = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) continue;
            running += p[i];
            last = i;
            if (u < running) return i;
        }
        return last;
    }

    /** P(behaviour), with or without the power action. */
    public double p(Behaviour behaviour) { return p[behaviour.ordinal() * 2] + p[behaviour.ordinal() * 2 + 1]; }

    /** P(the power action is taken). */
    public double power() {
        double sum = 0;
        for (int i = 1; i < p.length; i += 2) sum += p[i];
        return sum;
    }

    /** A copy of the vector, indexed by {@link Response#index()}. */
    public double[] vector() { return p.clone(); }

    @Override
    public boolean equals(Object o) { return o instanceof Dist d && Arrays.equals(d.p, p); }

    @Override
    public int hashCode() { return Arrays.hashCode(p); }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("{");
        for (Response r : Response.all()) {
            if (p[r.index()] != 0) s.append(s.length() > 1 ? ", " : "").append(r).append('=').append(p[r.index()]);
        }
        return s.append('}').toString();
    }
}
