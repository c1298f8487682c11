package reweigh.experiment.power;

import java.util.ArrayList;
import java.util.List;
import reweigh.experiment.FaithfulnessSection;
import reweigh.experiment.NetworkSection;
import reweigh.experiment.NeuralEngine;
import reweigh.experiment.Replicates;
import reweigh.experiment.Replicates.Recorded;
import reweigh.experiment.Replicates.Replicate;
import reweigh.experiment.Tuner;
import reweigh.finetune.KlRl;
import reweigh.measure.Verdict;
import reweigh.neural.measure.Measurement;
import reweigh.report.Fmt;
import reweigh.run.Metrics;
import reweigh.spec.Spec;
import reweigh.stats.MeanInterval;

/**
 * The power experiment's network 2×2, read back from the metrics over its replicates: in each cell (the base with a
 * power-seeker or without, the knob at +cell or −cell) each replicate's deployment power rate before and after tuning,
 * read with the shared verdict rule ({@link Verdict}) against tilting (the base's own rate) and kl-rl's reweighting of
 * that base's implied weights (0 without a power-seeker, where both predictions are 0).
 *
 * @param cells    the four cells, with-power-seeker first, +cell before −cell
 * @param readings one per cell, labelled as its pooled series
 * @param bases    per kind of base (with, without), its replicates, for the faithfulness tables
 */
record PowerNetwork(String method, List<Cell> cells, List<NetworkSection.Reading> readings, List<List<Replicate>> bases) {

    /** One cell over the replicates: the power rate of the bases and of the tuned networks, and reweighting's prediction. */
    record Cell(boolean with, double power, MeanInterval before, MeanInterval after, double predicted, double[] each,
                double[] weightBefore, double[] weightAfter) {}

    static PowerNetwork read(Spec spec, double cell, Metrics metrics) {
        Spec.Tuning first = NeuralEngine.firstRun(spec);
        if (first == null) return null;
        long[] seeds = spec.replicateSeeds();
        int n = seeds.length;
        String powerSeeker = spec.population().get(spec.population().indexOfKind("power-seeker")).name();
        List<Cell> cells = new ArrayList<>();
        List<NetworkSection.Reading> readings = new ArrayList<>();
        List<List<Replicate>> bases = new ArrayList<>();
        for (boolean with : new boolean[] {true, false}) {
            Spec baseSpec = Power.variant(spec, with, cell);
            List<Replicate> kind = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                String series = Power.baseSeries(with) + Replicates.tag(seeds, r);
                kind.add(new Replicate(seeds[r], new Recorded(baseSpec, metrics, series), FaithfulnessSection.read(metrics, series, baseSpec), List.of()));
            }
            bases.add(kind);
            for (double power : new double[] {cell, -cell}) {
                Spec v = Power.variant(spec, with, power);
                double[] before = new double[n], value = new double[n], low = new double[n], high = new double[n], reweighting = new double[n];
                double[] wBefore = new double[n], wAfter = new double[n];
                double predicted = 0;
                for (int r = 0; r < n; r++) {
                    Recorded base = kind.get(r).base();
                    Recorded after = new Recorded(v, metrics, NeuralEngine.PREFIX + Power.series(first.label(), with, power) + Replicates.tag(seeds, r));
                    Measurement.Estimate a = new Measurement.Estimate(after.behaviours().get("power"),
                            after.behaviourIntervals().get("power").low(), after.behaviourIntervals().get("power").high());
                    before[r] = base.behaviours().get("power");
                    value[r] = a.value();
                    low[r] = a.low();
                    high[r] = a.high();
                    reweighting[r] = with ? NetworkSection.deployRate(v, new KlRl(NetworkSection.beta(spec)).optimum(base.weights(),
                            Tuner.problem(v).returns()), "power") : 0;
                    predicted += reweighting[r] / n;
                    wBefore[r] = with ? base.weight(powerSeeker) : 0;
                    wAfter[r] = with ? after.weight(powerSeeker) : 0;
                }
                MeanInterval b = n > 1 ? MeanInterval.of(before) : interval(kind.get(0).base().behaviourIntervals().get("power"), before[0]);
                MeanInterval af = n > 1 ? MeanInterval.of(value) : new MeanInterval(1, value[0], low[0], high[0]);
                cells.add(new Cell(with, power, b, af, predicted, value, wBefore, wAfter));
                readings.add(new NetworkSection.Reading(Power.series(first.label(), with, power), value, low, high,
                        Verdict.of(value, low, high, before, reweighting)));
            }
        }
        return new PowerNetwork(first.label(), cells, readings, bases);
    }

    private static MeanInterval interval(reweigh.stats.Interval i, double value) { return new MeanInterval(1, value, i.low(), i.high()); }

    /** The network's finding: each cell's verdict first, then the rates. */
    String finding() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            parts.add((c.with() ? "with" : "without") + " power " + (c.power() > 0 ? "+" : "−") + Fmt.num(Math.abs(c.power())) + ": "
                    + readings.get(i).verdict().sentence() + ", " + Fmt.pct(c.before().mean()) + " → " + pctInterval(c.after())
                    + (c.with() ? " (reweighting predicts " + Fmt.pct(c.predicted()) + ")" : ""));
        }
        return "On the network (" + method + ", " + NetworkSection.replicates(bases.get(0)) + ", deployment power rate, base → tuned [95%]): "
                + String.join("; ", parts) + ".";
    }

    static String pctInterval(MeanInterval m) {
        return Fmt.pct(m.mean()) + (Double.isFinite(m.low()) && Double.isFinite(m.high()) ? " [" + Fmt.pct(m.low()) + ", " + Fmt.pct(m.high()) + "]" : "");
    }
}
