package reweigh.experiment.wrapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.experiment.wrapper.Wrapper.Ablated;
import reweigh.experiment.wrapper.Wrapper.SeedResult;
import reweigh.neural.measure.Slice;
import reweigh.neural.probe.LinearProbe;
import reweigh.neural.probe.WeightChange;
import reweigh.run.Metrics;
import reweigh.stats.Binomial;

/** A seed's results as metrics and back: what the run writes to metrics.csv and what its report reads from it. */
final class WrapperMetrics {
    private WrapperMetrics() {}

    /** One seed's results as metrics: series {@code <what>:<seed>}, e.g. {@code probe.tuned:s1}, {@code revival.control:s2}. */
    static void emit(Metrics m, String seed, SeedResult r) {
        rates(m, "base:" + seed, "slice.", r.baseSlice());
        rates(m, "base:" + seed, "other.", r.baseOther());
        rates(m, "tuned:" + seed, "slice.", r.tunedSlice());
        rates(m, "tuned:" + seed, "other.", r.tunedOther());
        rates(m, "control:" + seed, "slice.", r.controlSlice());
        r.probes().forEach((model, acc) -> {
            for (int l = 0; l < acc.length; l++) {
                String series = "probe." + model.replace(' ', '-') + ":" + seed;
                m.add(series, l, "correct", acc[l].correct());
                m.add(series, l, "total", acc[l].total());
            }
        });
        for (WeightChange w : r.weights()) {
            m.add("weights:" + seed, 0, "relnorm." + w.parameter(), w.relativeNorm());
            m.add("weights:" + seed, 0, "erank." + w.parameter(), w.effectiveRank());
            m.add("weights:" + seed, 0, "layer." + w.parameter(), w.layer());
            m.add("weights:" + seed, 0, "delta_norm." + w.parameter(), w.deltaNorm());
            m.add("weights:" + seed, 0, "norm." + w.parameter(), w.norm());
            m.add("weights:" + seed, 0, "full_rank." + w.parameter(), w.fullRank());
        }
        r.patched().forEach((hook, v) -> m.add("patch:" + seed, 0, "slice.correct." + hook, v));
        double[] curve = r.ablation().curve();
        for (int i = 0; i < curve.length; i++) m.add("ablation:" + seed, i, "slice.correct", curve[i]);
        m.add("ablation:" + seed, 0, "restored", r.ablation().restored() ? 1 : 0);
        m.add("ablation:" + seed, 0, "other.correct", r.ablatedOther());
        m.add("ablation:" + seed, 0, "neurons", r.ablation().neurons());
        for (int i = 0; i < r.reviveTuned().length; i++) m.add("revival.tuned:" + seed, i, "slice.correct", r.reviveTuned()[i]);
        for (int i = 0; i < r.reviveControl().length; i++) m.add("revival.control:" + seed, i, "slice.correct", r.reviveControl()[i]);
    }

    private static void rates(Metrics m, String series, String prefix, Slice.Rates r) {
        m.add(series, 0, prefix + "correct", r.correct());
        m.add(series, 0, prefix + "refuse", r.refuse());
        m.add(series, 0, prefix + "forced", r.forced());
    }

    /** One seed's results as {@link #emit} recorded them. */
    static SeedResult read(Metrics m, String seed) {
        Map<String, LinearProbe.Accuracy[]> probes = new LinkedHashMap<>();
        for (String model : List.of("base", "tuned", "control", "base probe on tuned")) {
            String series = "probe." + model.replace(' ', '-') + ":" + seed;
            double[] correct = m.values(series, "correct"), total = m.values(series, "total");
            LinearProbe.Accuracy[] acc = new LinearProbe.Accuracy[correct.length];
            for (int l = 0; l < acc.length; l++) {
                acc[l] = new LinearProbe.Accuracy((long) correct[l], (long) total[l], Binomial.wilson((long) correct[l], (long) total[l]));
            }
            probes.put(model, acc);
        }
        List<WeightChange> weights = new ArrayList<>();
        for (String metric : m.metrics("weights:" + seed)) {
            if (!metric.startsWith("relnorm.")) continue;
            String p = metric.substring("relnorm.".length());
            weights.add(new WeightChange(p, (int) m.last("weights:" + seed, "layer." + p), m.last("weights:" + seed, "delta_norm." + p),
                    m.last("weights:" + seed, "norm." + p), m.last("weights:" + seed, "erank." + p), (int) m.last("weights:" + seed, "full_rank." + p)));
        }
        Map<String, Double> patched = new LinkedHashMap<>();
        for (String metric : m.metrics("patch:" + seed)) patched.put(metric.substring("slice.correct.".length()), m.last("patch:" + seed, metric));
        Ablated ablation = new Ablated(m.values("ablation:" + seed, "slice.correct"), m.last("ablation:" + seed, "restored") == 1,
                (int) m.last("ablation:" + seed, "neurons"));
        return new SeedResult(read(m, "base:" + seed, "slice."), read(m, "base:" + seed, "other."), read(m, "tuned:" + seed, "slice."),
                read(m, "tuned:" + seed, "other."), read(m, "control:" + seed, "slice."), probes, weights, patched, ablation,
                m.last("ablation:" + seed, "other.correct"), m.values("revival.tuned:" + seed, "slice.correct"),
                m.values("revival.control:" + seed, "slice.correct"));
    }

    private static Slice.Rates read(Metrics m, String series, String prefix) {
        return new Slice.Rates(m.last(series, prefix + "correct"), m.last(series, prefix + "refuse"), m.last(series, prefix + "forced"));
    }
}
