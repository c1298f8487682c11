package reweigh.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

/** The catalogue of experiments, by id. */
public final class Experiments {
    private Experiments() {}

    public static final Map<String, Experiment> ALL = catalogue();

    private static Map<String, Experiment> catalogue() {
        Map<String, Experiment> m = new LinkedHashMap<>();
        for (Experiment e : new Experiment[] {new OddsRatio(), new Deployment(), new EvaluatorQuality()}) m.put(e.id(), e);
        return java.util.Collections.unmodifiableMap(m);
    }
}
