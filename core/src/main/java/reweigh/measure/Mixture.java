package reweigh.measure;

import reweigh.population.Population;
import reweigh.population.Response;
import reweigh.world.Context;

/** The model as a weighted mixture of the population's algorithms: pi_w(y|x) = sum_a w_a pi_a(y|x). */
public record Mixture(Population population, double[] weights) implements Policy {
    public Mixture {
        if (weights.length != population.size()) throw new IllegalArgumentException("one weight per algorithm");
        weights = weights.clone();
    }

    public static Mixture base(Population population) { return new Mixture(population, population.priors()); }

    @Override
    public double[] weights() { return weights.clone(); }

    public double[] respond(Context x) {
        double[] p = new double[Response.COUNT];
        for (int a = 0; a < weights.length; a++) {
            if (weights[a] == 0) continue;
            double[] pa = population.get(a).algorithm().respond(x).vector();
            for (int y = 0; y < p.length; y++) p[y] += weights[a] * pa[y];
        }
        return p;
    }
}
