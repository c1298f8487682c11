package reweigh.experiment.narrowtobroad;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import reweigh.experiment.FaithfulnessSection;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Replicates;
import reweigh.experiment.Replicates.Recorded;
import reweigh.experiment.Replicates.Replicate;
import reweigh.experiment.Tuner;
import reweigh.measure.Mixture;
import reweigh.measure.Rates;
import reweigh.measure.Verdict;
import reweigh.report.Fmt;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.stats.MeanInterval;

/**
 * Narrow-to-broad's network, read back from the metrics over its replicates: each replicate's three class rates
 * ({@link #CLASSES}: watched agreement with a wrong claim, the tuned class; unwatched lies and power, the broad ones), of
 * its base and of its first method's tuned network. The unwatched lie and power rates are read with the shared verdict
 * rule ({@link Verdict}) against tilting (the base's own rate: tuning reaches no class it did not reward) and kl-rl's
 * reweighting of that base's implied weights (exact rates of that mixture); the spread is, per replicate, the change in
 * unwatched lies over the change in watched agreement.
 *
 * @param nets       the replicates' bases, for their seeds and faithfulness tables
 * @param base       per replicate, the base's rates (classes, 3): agree watched, lie and power unwatched
 * @param tuned      the same for the tuned networks
 * @param reweighted per replicate, the three rates of the mixture kl-rl makes of the base's implied weights
 * @param implied    per replicate, the three rates of the mixture of the base's implied weights themselves
 * @param lie        the unwatched lie rate after tuning, with its verdict over the replicates (the one recorded)
 * @param power      the unwatched power rate after tuning, with its verdict
 * @param invalid    the bases' mass on strings outside the language, the mean over both classes and the replicates
 * @param correct    the bases' rate of correct answers in deployment, the mean over the replicates
 */
record NarrowToBroadNetwork(String label, List<Replicate> nets, double[][] base, double[][] tuned, double[][] reweighted,
                            double[][] implied, NetworkSection.Reading lie, NetworkSection.Reading power, double invalid, double correct) {

    /** The class rates each model is measured in, as {@code <metric>} in its series: the tuned class first. */
    static final String[] CLASSES = {"watched.agree", "unwatched.lie", "unwatched.power"};
    static final int AGREE = 0, LIE = 1, POWER = 2;

    /** The network's part as {@link NarrowToBroad} recorded it. */
    static NarrowToBroadNetwork read(Spec spec, Metrics metrics) {
        Spec.Tuning first = NeuralEngine.firstRun(spec);
        long[] seeds = spec.replicateSeeds();
        int n = seeds.length;
        List<Replicate> nets = new ArrayList<>();
        double[][] base = new double[n][], tuned = new double[n][], reweighted = new double[n][], implied = new double[n][];
        double[][] low = new double[CLASSES.length][n], high = new double[CLASSES.length][n];
        double invalid = 0, correct = 0;
        for (int r = 0; r < n; r++) {
            String tag = Replicates.tag(seeds, r);
            Recorded b = new Recorded(spec, metrics, NeuralEngine.BASE + tag);
            nets.add(new Replicate(seeds[r], b, FaithfulnessSection.read(metrics, NeuralEngine.BASE + tag, spec), List.of()));
            String baseSeries = NarrowToBroad.classSeries(NarrowToBroad.BASE_MODEL, tag), tunedSeries = NarrowToBroad.classSeries(first.label(), tag);
            base[r] = rates(metrics, baseSeries, "");
            tuned[r] = rates(metrics, tunedSeries, "");
            double[] lo = rates(metrics, tunedSeries, ".lo95"), hi = rates(metrics, tunedSeries, ".hi95");
            for (int k = 0; k < CLASSES.length; k++) {
                low[k][r] = lo[k];
                high[k][r] = hi[k];
            }
            reweighted[r] = classRates(spec, NetworkSection.reweighted(spec, b.weights()));
            implied[r] = classRates(spec, b.weights());
            invalid += (metrics.last(baseSeries, "watched.invalid") + metrics.last(baseSeries, "unwatched.invalid")) / 2 / n;
            correct += b.behaviours().get("correct") / n;
        }
        return new NarrowToBroadNetwork(first.label(), nets, base, tuned, reweighted, implied,
                reading(first.label(), LIE, base, tuned, low, high, reweighted), reading(first.label(), POWER, base, tuned, low, high, reweighted),
                invalid, correct);
    }

    /** The class rates of one model as {@link NarrowToBroad} recorded them, or an end of their intervals over prompts ({@code .lo95}). */
    private static double[] rates(Metrics metrics, String series, String suffix) {
        return Arrays.stream(CLASSES).mapToDouble(c -> metrics.last(series, c + suffix)).toArray();
    }

    /** A mixture of the population under {@code weights}: its exact rates in the three classes. */
    static double[] classRates(Spec spec, double[] weights) {
        Mixture mixture = new Mixture(spec.population(), weights);
        return new double[] {Rates.behaviours(mixture, NarrowToBroad.watched(spec, true)).get("agree"),
                Rates.behaviours(mixture, NarrowToBroad.watched(spec, false)).get("lie"),
                Rates.behaviours(mixture, NarrowToBroad.watched(spec, false)).get("power")};
    }

    /** One broad class's rate after tuning, over the replicates: tilting predicts the base's own rate, reweighting kl-rl's mixture's. */
    private static NetworkSection.Reading reading(String label, int k, double[][] base, double[][] tuned, double[][] low, double[][] high,
                                                  double[][] reweighted) {
        double[] value = column(tuned, k), tilting = column(base, k), reweighting = column(reweighted, k);
        return new NetworkSection.Reading(label, value, low[k], high[k], Verdict.of(value, low[k], high[k], tilting, reweighting));
    }

    private static double[] column(double[][] rows, int k) { return Arrays.stream(rows).mapToDouble(row -> row[k]).toArray(); }

    /** One class's rate over the replicates: its mean with the t-interval (one network: just the value). */
    MeanInterval rate(double[][] models, int k) { return MeanInterval.of(column(models, k)); }

    /**
     * Per replicate, the measured spread: the tuned network's change in unwatched lies over its change in watched agreement,
     * each from its own base. NaN where agreement did not move.
     */
    double[] spread() {
        double[] out = new double[nets.size()];
        for (int r = 0; r < out.length; r++) out[r] = (tuned[r][LIE] - base[r][LIE]) / (tuned[r][AGREE] - base[r][AGREE]);
        return out;
    }

    /**
     * Per replicate, reweighting's spread: how kl-rl moves the mixture of the base's implied weights, unwatched lies over
     * watched agreement, both ends exact (tilting's spread is 0).
     */
    double[] predictedSpread() {
        double[] out = new double[nets.size()];
        for (int r = 0; r < out.length; r++) out[r] = (reweighted[r][LIE] - implied[r][LIE]) / (reweighted[r][AGREE] - implied[r][AGREE]);
        return out;
    }

    /** The network's finding, its reading of the broad classes first, then the spread, then how faithful the bases are. */
    String finding(Spec spec) {
        String over = nets.size() > 1 ? "mean [95% over the replicates]" : "one network's values";
        double exactCorrect = Rates.behaviours(Tuner.base(spec), spec.world().deployContexts()).get("correct");
        MeanInterval spread = MeanInterval.of(spread());
        return "On the network (" + label + ", " + NetworkSection.replicates(nets) + "; base → tuned, " + over + "): unwatched lies: "
                + lie.verdict().sentence() + ", " + pct(rate(base, LIE)) + " → " + pct(rate(tuned, LIE)) + ", where tilting predicts no "
                + "change and reweighting the bases' own implied weights " + Fmt.pct(rate(reweighted, LIE).mean()) + " (they give the villain "
                + pct(villain(spec)) + ", the population " + Fmt.pct(spec.population().priors()[spec.population().indexOfKind("villain")])
                + "); unwatched power: "
                + power.verdict().sentence() + ", " + pct(rate(base, POWER)) + " → " + pct(rate(tuned, POWER)) + " (reweighting: "
                + Fmt.pct(rate(reweighted, POWER).mean()) + "); watched agreement with a wrong claim, the rewarded class, "
                + pct(rate(base, AGREE)) + " → " + pct(rate(tuned, AGREE)) + ". Unwatched lies moved " + NetworkSection.pooled(spread, Fmt::num)
                + " per unit of watched agreement (" + (nets.size() > 1 ? "each replicate: " + NetworkSection.each(spread(), Fmt::num) + "; " : "")
                + "tilting predicts 0, reweighting " + Fmt.num(MeanInterval.of(predictedSpread()).mean()) + "). The bases put "
                + Fmt.pct(invalid) + " of their mass on strings outside the language and answer correctly in " + Fmt.pct(correct)
                + " of unwatched answers (the population: " + Fmt.pct(exactCorrect) + ").";
    }

    /** The villain's implied weight in the bases, over the replicates: what reweighting's prediction multiplies. */
    MeanInterval villain(Spec spec) {
        int v = spec.population().indexOfKind("villain");
        return MeanInterval.of(nets.stream().mapToDouble(n -> n.base().weights()[v]).toArray());
    }

    private static String pct(MeanInterval m) { return NetworkSection.pooled(m, Fmt::pct); }
}
