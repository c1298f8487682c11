package reweigh.neural.measure;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import reweigh.population.Response;
import reweigh.stats.Binomial;
import reweigh.stats.Interval;

/**
 * Responses sampled from a network and classified, counted per class, with Wilson 95% intervals.
 * The intervals treat every sample as an independent draw; with several samples per prompt they are
 * a little narrower than the truth, since samples of one prompt share its task.
 *
 * @param counts (Response.COUNT + 1) samples per response class, the last ({@link Measurement#INVALID})
 *               those that were no response of the language
 */
public record Sampled(long[] counts) {
    /** z for a two-sided 95% interval. */

    public Sampled {
        if (counts.length != Response.COUNT + 1) throw new IllegalArgumentException("counts need Response.COUNT + 1 entries");
        counts = counts.clone();
    }

    @Override public long[] counts() { return counts.clone(); }

    public long total() { return Arrays.stream(counts).sum(); }

    public double rate(Response response) { return (double) counts[response.index()] / total(); }

    public double invalid() { return (double) counts[Measurement.INVALID] / total(); }

    /** Rates under the names of {@link Measurement#behaviours()}. */
    public Map<String, Double> behaviours() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String name : Measurement.statisticNames()) out.put(name, count(name) / total());
        return out;
    }

    /** Wilson 95% interval of each of {@link #behaviours()}. */
    public Map<String, Interval> behaviourIntervals() {
        Map<String, Interval> out = new LinkedHashMap<>();
        for (String name : Measurement.statisticNames()) out.put(name, Binomial.wilson(Math.round(count(name)), total()));
        return out;
    }

    private double count(String name) {
        double[] c = new double[counts.length];
        for (int i = 0; i < c.length; i++) c[i] = counts[i];
        return Measurement.statistic(name).applyAsDouble(c);
    }

    @Override
    public boolean equals(Object o) { return o instanceof Sampled s && Arrays.equals(s.counts, counts); }

    @Override
    public int hashCode() { return Arrays.hashCode(counts); }

    @Override
    public String toString() { return "Sampled[n=" + total() + ", " + behaviours() + "]"; }
}
