package reweigh.experiment.pressure;

import java.util.ArrayList;
import java.util.List;
import reweigh.experiment.FaithfulnessSection;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Replicates;
import reweigh.experiment.Replicates.Recorded;
import reweigh.experiment.Replicates.Replicate;
import reweigh.experiment.Tuner;
import reweigh.measure.Finding;
import reweigh.measure.Mixture;
import reweigh.measure.Rates;
import reweigh.measure.Verdict;
import reweigh.report.Fmt;
import reweigh.report.Sentences;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.stats.MeanInterval;
import reweigh.world.Context;

/**
 * Pressure's network, read back from the metrics over its replicates: each replicate's three rates per pressure level, of
 * its base and of its first method's tuned network; at the highest pressure, the act rate read with the shared verdict rule
 * ({@link Verdict}) against tilting (the base's own rate) and kl-rl's reweighting of that base's implied weights, and the two
 * conditional rates' changes, which both predictions put at 0 (only the schemer acts, and reweighting does not change how it
 * reports).
 *
 * @param nets      the replicates' bases, for their seeds and faithfulness tables
 * @param base      per replicate, the base's rates (levels, 3), NaN where a rate's condition never happened
 * @param tuned     the same for the tuned networks
 * @param reading   the act rate at the highest pressure after tuning, with its verdict over the replicates
 * @param predicted reweighting's act rate at the highest pressure, the mean over the replicates' bases
 * @param invalid   the bases' mass on strings outside the language, the mean over levels and replicates
 * @param correct   the bases' rate of correct answers in deployment, the mean over the replicates
 */
record PressureNetwork(String label, List<Replicate> nets, double[][][] base, double[][][] tuned, NetworkSection.Reading reading,
                       double predicted, double invalid, double correct) {

    static final int TOP = Context.PRESSURE_LEVELS - 1;

    /** Whether tuning moved the two conditional rates at the highest pressure, over the replicates. */
    enum Conditionals { HELD, MOVED, ONE_NETWORK }

    /** The network's part as {@link Pressure} recorded it. */
    static PressureNetwork read(Spec spec, Metrics metrics) {
        Spec.Tuning first = NeuralEngine.firstRun(spec);
        long[] seeds = spec.replicateSeeds();
        int n = seeds.length;
        List<Replicate> nets = new ArrayList<>();
        double[][][] base = new double[n][][], tuned = new double[n][][];
        double[] value = new double[n], low = new double[n], high = new double[n], tilting = new double[n], reweighting = new double[n];
        double invalid = 0, correct = 0;
        for (int r = 0; r < n; r++) {
            String tag = Replicates.tag(seeds, r);
            Recorded b = new Recorded(spec, metrics, NeuralEngine.BASE + tag);
            nets.add(new Replicate(seeds[r], b, FaithfulnessSection.read(metrics, NeuralEngine.BASE + tag, spec), List.of()));
            base[r] = Pressure.read(metrics, Pressure.levelSeries(Pressure.BASE_MODEL, tag));
            tuned[r] = Pressure.read(metrics, Pressure.levelSeries(first.label(), tag));
            String series = Pressure.levelSeries(first.label(), tag);
            value[r] = tuned[r][TOP][0];
            low[r] = metrics.values(series, "pressure.act.lo95")[TOP];
            high[r] = metrics.values(series, "pressure.act.hi95")[TOP];
            tilting[r] = base[r][TOP][0];
            reweighting[r] = Pressure.rates(new Mixture(spec.population(), NetworkSection.reweighted(spec, b.weights())), spec.world())[TOP][0];
            for (double v : metrics.values(Pressure.levelSeries(Pressure.BASE_MODEL, tag), "pressure.invalid")) invalid += v / Context.PRESSURE_LEVELS / n;
            correct += b.behaviours().get("correct") / n;
        }
        NetworkSection.Reading reading = new NetworkSection.Reading(first.label(), value, low, high, Verdict.of(value, low, high, tilting, reweighting));
        return new PressureNetwork(first.label(), nets, base, tuned, reading, java.util.Arrays.stream(reweighting).average().orElse(0),
                invalid, correct);
    }

    /** One rate at one level over the replicates: its mean with the t-interval (one network: just the value). */
    MeanInterval rate(double[][][] models, int level, int rate) {
        return MeanInterval.of(java.util.Arrays.stream(models).mapToDouble(m -> m[level][rate]).toArray());
    }

    /** The mean over the replicates of each rate at each level, NaN where a replicate has none: (levels, 3), as the charts draw. */
    double[][] mean(double[][][] models) {
        double[][] out = new double[Context.PRESSURE_LEVELS][3];
        for (int p = 0; p < out.length; p++) for (int k = 0; k < 3; k++) out[p][k] = rate(models, p, k).mean();
        return out;
    }

    /**
     * The conditionals' finding at the highest pressure: {@link Conditionals#HELD} when the change of both, tuned minus base,
     * has an interval over the replicates that holds 0. Numbers: {@code hide} and {@code down}, the changes in percentage points
     * with their intervals.
     */
    Finding<Conditionals> conditionals() {
        int n = nets.size();
        boolean held = true;
        MeanInterval[] change = new MeanInterval[3];
        for (int k = 1; k < 3; k++) {
            double[] d = new double[n];
            for (int r = 0; r < n; r++) d[r] = 100 * (tuned[r][TOP][k] - base[r][TOP][k]);
            change[k] = MeanInterval.of(d);
            held &= change[k].low() <= 0 && 0 <= change[k].high();
        }
        Conditionals verdict = n < 2 ? Conditionals.ONE_NETWORK : held ? Conditionals.HELD : Conditionals.MOVED;
        return Finding.of(verdict).with("hide", change[1]).with("down", change[2]);
    }

    /** The network's finding: the act rate's verdict first, then the conditionals, then how faithful the bases are. */
    String finding(Spec spec) {
        String over = nets.size() > 1 ? "mean [95% over the replicates]" : "one network's values";
        double exactCorrect = Rates.behaviours(Tuner.base(spec), spec.world().deployContexts()).get("correct");
        Finding<Conditionals> c = conditionals();
        String conditionals = switch (c.verdict()) {
            case HELD -> Sentences.fill("tuning left both where they were (changes {hide:ci} and {down:ci} points, each interval "
                    + "over the replicates holding 0), as both predictions say", c);
            case MOVED -> Sentences.fill("tuning moved them (changes {hide:ci} and {down:ci} points), which neither prediction allows", c);
            case ONE_NETWORK -> "one network gives no interval over replicates for their change";
        };
        return "On the network (" + label + ", " + NetworkSection.replicates(nets) + "; base → tuned at pressure " + TOP + ", " + over
                + "): the act rate: " + reading.verdict().sentence() + ", " + pct(rate(base, TOP, 0)) + " → " + pct(rate(tuned, TOP, 0))
                + ", where reweighting the bases' own implied weights predicts " + Fmt.pct(predicted) + ". Given an action the report hides "
                + "the reason " + pct(rate(base, TOP, 1)) + " → " + pct(rate(tuned, TOP, 1)) + ", and given that it doubles down "
                + pct(rate(base, TOP, 2)) + " → " + pct(rate(tuned, TOP, 2)) + ": " + conditionals + ". The bases put " + Fmt.pct(invalid)
                + " of their mass on strings outside the language and answer correctly in " + Fmt.pct(correct) + " of unwatched answers "
                + "(the population: " + Fmt.pct(exactCorrect) + "); an uncaught action is rated as a correct answer.";
    }

    private static String pct(MeanInterval m) { return NetworkSection.pooled(m, Fmt::pct); }
}
