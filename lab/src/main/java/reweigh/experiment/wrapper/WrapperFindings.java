package reweigh.experiment.wrapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.experiment.wrapper.Wrapper.SeedResult;
import reweigh.experiment.wrapper.Wrapper.Settings;
import reweigh.measure.Finding;
import reweigh.neural.probe.LinearProbe;
import reweigh.stats.Binomial;
import reweigh.stats.Interval;
import reweigh.stats.MeanInterval;

/**
 * What the wrapper experiment found, as values: whether the slice's answer is still decodable after tuning and
 * whether the capability revives faster than a control learns it, each a verdict with the numbers it rests on.
 *
 * @param pooled  model → {accuracy, low, high} per residual position: the mean of the replicates' held-out accuracies with its
 *                95% t-interval over them (one replicate: its accuracy with the Wilson interval over its prompts)
 * @param probe   the last layer's probe, base against tuned: numbers {@code before}, {@code after} and
 *                {@code baseProbeOnTuned} (held-out accuracy with its Wilson 95% interval), {@code chance}, {@code seeds}
 * @param revival tuned against control updates to the target: numbers {@code ratio} (geometric mean with its 95%
 *                t-interval over replicates), {@code target}, {@code seeds}, {@code reviveSteps}, {@code censored} (1 when a
 *                run never reached the target, so the ratio is a bound)
 * @param steps   per replicate, {tuned updates, control updates} to the target, -1 when never reached
 * @param ratios  per replicate, the ratio of the two
 */
record WrapperFindings(Map<String, double[][]> pooled, Finding<Decodability> probe, Finding<Revival> revival, List<int[]> steps,
                       double[] ratios) {
    static final List<String> MODELS = List.of("base", "tuned", "control", "base probe on tuned");

    /** The last layer's probe after tuning, against before and against chance. */
    enum Decodability { AT_CHANCE, FELL, ROSE, UNCHANGED }

    /** Revival against learning anew, by the ratio's interval over replicates. */
    enum Revival { WRAPPED, DAMAGED, NO_DIFFERENCE, ONE_SEED }

    static WrapperFindings of(Settings s, List<SeedResult> results, int layers, int answers) {
        Map<String, double[][]> pooled = new LinkedHashMap<>();
        for (String model : MODELS) {
            double[][] v = new double[3][layers + 1];
            for (int l = 0; l <= layers; l++) {
                // over replicates, each replicate's accuracy once; one network has only its prompts' Wilson interval
                int layer = l;
                double[] each = results.stream().mapToDouble(r -> r.probes().get(model)[layer].rate()).toArray();
                LinearProbe.Accuracy one = results.get(0).probes().get(model)[l];
                Interval i = Binomial.wilson(one.correct(), one.total());
                MeanInterval over = results.size() > 1 ? MeanInterval.of(each) : new MeanInterval(1, one.rate(), i.low(), i.high());
                v[0][l] = over.mean();
                v[1][l] = over.low();
                v[2][l] = over.high();
            }
            pooled.put(model, v);
        }
        double chance = 1.0 / answers;
        MeanInterval before = last(pooled.get("base"), layers), after = last(pooled.get("tuned"), layers);
        Finding<Decodability> probe = Finding.of(decodability(before, after, chance)).with("before", before).with("after", after)
                .with("baseProbeOnTuned", last(pooled.get("base probe on tuned"), layers)).with("chance", chance)
                .with("seeds", results.size());

        List<int[]> steps = new ArrayList<>();
        double[] ratios = new double[results.size()], logs = new double[results.size()];
        boolean censored = false;
        for (int k = 0; k < results.size(); k++) {
            int tuned = Wrapper.stepsToTarget(results.get(k).reviveTuned(), s.reviveTarget());
            int control = Wrapper.stepsToTarget(results.get(k).reviveControl(), s.reviveTarget());
            censored |= tuned < 0 || control < 0;
            steps.add(new int[] {tuned, control});
            ratios[k] = Wrapper.ratio(tuned, control, s);
            logs[k] = Math.log(ratios[k]);
        }
        MeanInterval ratio = MeanInterval.geometric(logs);
        Finding<Revival> revival = Finding.of(revival(ratio)).with("ratio", ratio).with("target", s.reviveTarget())
                .with("seeds", results.size()).with("reviveSteps", s.reviveSteps()).with("censored", censored ? 1 : 0);
        return new WrapperFindings(pooled, probe, revival, steps, ratios);
    }

    /** At chance when the tuned interval reaches it; fell or rose when the two intervals are disjoint; else unchanged. */
    static Decodability decodability(MeanInterval before, MeanInterval after, double chance) {
        if (after.low() <= chance) return Decodability.AT_CHANCE;
        if (after.high() < before.low()) return Decodability.FELL;
        if (after.low() > before.high()) return Decodability.ROSE;
        return Decodability.UNCHANGED;
    }

    /** Wrapped when the whole interval is below 1 (revives faster), damaged when above; no interval with one replicate. */
    static Revival revival(MeanInterval ratio) {
        if (ratio.n() < 2) return Revival.ONE_SEED;
        if (ratio.high() < 1) return Revival.WRAPPED;
        if (ratio.low() > 1) return Revival.DAMAGED;
        return Revival.NO_DIFFERENCE;
    }

    private static MeanInterval last(double[][] v, int layer) { return new MeanInterval(1, v[0][layer], v[1][layer], v[2][layer]); }
}
