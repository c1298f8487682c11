package reweigh.neural.measure;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import reweigh.measure.Rates;
import reweigh.population.Behaviour;
import reweigh.population.Response;
import reweigh.stats.Interval;
import reweigh.stats.Quantiles;

/**
 * What a network does over a set of prompts, from its exact response distributions: behaviour rates,
 * the algorithm weights that best explain them, and percentile-bootstrap replicates of both over
 * prompts, from which any interval follows.
 *
 * @param algorithms       the population's algorithm names, the order of {@code weights}
 * @param rates            (Response.COUNT + 1) mean response distribution over prompts, indexed by
 *                         {@link Response#index()}; the last entry, {@link #INVALID}, is the mass on
 *                         token strings that are no response of the language
 * @param rateReplicates   (B, Response.COUNT + 1) the same mean on each bootstrap resample of prompts
 * @param weights          (K) implied algorithm weights: the EM maximum of
 *                         sum_i sum_y q_i(y) log sum_a w_a pi_a(y | x_i)
 * @param weightReplicates (B, K) the implied weights on each bootstrap resample
 * @param prompts          how many prompts were measured
 */
public record Measurement(List<String> algorithms, double[] rates, double[][] rateReplicates,
        double[] weights, double[][] weightReplicates, int prompts) {
    /** Index of the invalid mass in {@link #rates}. */
    public static final int INVALID = Response.COUNT;

    /** A point estimate with its 95% interval. */
    public record Estimate(double value, double low, double high) {}

    public Measurement {
        algorithms = List.copyOf(algorithms);
        if (rates.length != Response.COUNT + 1) throw new IllegalArgumentException("rates need Response.COUNT + 1 entries");
        if (weights.length != algorithms.size()) throw new IllegalArgumentException("one weight per algorithm");
        rates = rates.clone();
        weights = weights.clone();
        rateReplicates = deepCopy(rateReplicates);
        weightReplicates = deepCopy(weightReplicates);
    }

    @Override public double[] rates() { return rates.clone(); }
    @Override public double[] weights() { return weights.clone(); }
    @Override public double[][] rateReplicates() { return deepCopy(rateReplicates); }
    @Override public double[][] weightReplicates() { return deepCopy(weightReplicates); }

    public double rate(Response response) { return rates[response.index()]; }

    /** Mass on strings that are no response of the language. */
    public double invalid() { return rates[INVALID]; }

    /** Rate of each behaviour ({@link Rates#names()}: correct .. refuse, power), then {@code invalid}. */
    public Map<String, Double> behaviours() { return behaviours(rates); }

    private static Map<String, Double> behaviours(double[] rates) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : statisticNames()) out.put(name, statistic(name).applyAsDouble(rates));
        return out;
    }

    /** The 95% percentile-bootstrap interval of any function of {@link #behaviours()}, e.g. a conditional rate. */
    public Interval behaviourInterval(ToDoubleFunction<Map<String, Double>> f) {
        return rateInterval(v -> f.applyAsDouble(behaviours(v)));
    }

    /** The 95% percentile-bootstrap interval of each of {@link #behaviours()}. */
    public Map<String, Interval> behaviourIntervals() {
        Map<String, Interval> out = new LinkedHashMap<>();
        for (String name : statisticNames()) out.put(name, rateInterval(statistic(name)));
        return out;
    }

    /** The 95% interval of any function of the rate vector (Response.COUNT + 1 entries). */
    public Interval rateInterval(ToDoubleFunction<double[]> f) { return Quantiles.central(apply(rateReplicates, f)); }

    public double weight(String algorithm) { return weights[index(algorithm)]; }

    public Interval weightInterval(String algorithm) {
        int a = index(algorithm);
        return weightInterval(w -> w[a]);
    }

    /** The 95% interval of any function of the weight vector. */
    public Interval weightInterval(ToDoubleFunction<double[]> f) { return Quantiles.central(apply(weightReplicates, f)); }

    /** log(w_a / w_b) with its 95% interval over the replicates. */
    public Estimate logOdds(String numerator, String denominator) {
        return logOdds(weights, weightReplicates, index(numerator), index(denominator));
    }

    /**
     * log(w_a / w_b) of a point estimate with the 95% percentile interval of the same over bootstrap
     * replicates (B, K). A weight of 0 gives an infinite log-odds, which percentiles handle as any value.
     */
    public static Estimate logOdds(double[] weights, double[][] replicates, int a, int b) {
        ToDoubleFunction<double[]> f = w -> Math.log(w[a]) - Math.log(w[b]);
        Interval i = Quantiles.central(apply(replicates, f));
        return new Estimate(f.applyAsDouble(weights), i.low(), i.high());
    }

    /** correct, wrong, agree, lie, refuse, power, invalid. */
    public static List<String> statisticNames() {
        List<String> names = new java.util.ArrayList<>(Rates.names());
        names.add("invalid");
        return names;
    }

    /** The statistic of that name as a function of a (Response.COUNT + 1) rate vector. */
    static ToDoubleFunction<double[]> statistic(String name) {
        if (name.equals("invalid")) return v -> v[INVALID];
        if (name.equals("power")) {
            return v -> {
                double sum = 0;
                for (Behaviour b : Behaviour.values()) sum += v[Response.of(b).withPower().index()];
                return sum;
            };
        }
        for (Behaviour b : Behaviour.values()) {
            if (b.id().equals(name)) {
                int plain = Response.of(b).index();
                int power = Response.of(b).withPower().index();
                return v -> v[plain] + v[power];
            }
        }
        throw new IllegalArgumentException("no statistic " + name + "; allowed " + statisticNames());
    }

    private int index(String algorithm) {
        int i = algorithms.indexOf(algorithm);
        if (i < 0) throw new IllegalArgumentException("no algorithm " + algorithm + "; the population has " + algorithms);
        return i;
    }

    private static double[] apply(double[][] replicates, ToDoubleFunction<double[]> f) {
        double[] out = new double[replicates.length];
        for (int r = 0; r < replicates.length; r++) out[r] = f.applyAsDouble(replicates[r]);
        return out;
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) out[i] = a[i].clone();
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Measurement m && m.algorithms.equals(algorithms) && Arrays.equals(m.rates, rates)
                && Arrays.deepEquals(m.rateReplicates, rateReplicates) && Arrays.equals(m.weights, weights)
                && Arrays.deepEquals(m.weightReplicates, weightReplicates) && m.prompts == prompts;
    }

    @Override
    public int hashCode() { return java.util.Objects.hash(algorithms, Arrays.hashCode(rates), Arrays.hashCode(weights), prompts); }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Measurement[prompts=" + prompts + ", rates=");
        s.append(behaviours()).append(", weights={");
        for (int a = 0; a < weights.length; a++) s.append(a > 0 ? ", " : "").append(algorithms.get(a)).append('=').append(weights[a]);
        return s.append("}]").toString();
    }
}
