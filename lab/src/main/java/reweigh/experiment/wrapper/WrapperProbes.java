package reweigh.experiment.wrapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.experiment.Tuner;
import reweigh.neural.LanguageModel;
import reweigh.neural.Transformer;
import reweigh.neural.measure.Slice;
import reweigh.neural.probe.Activations;
import reweigh.neural.probe.LinearProbe;
import reweigh.neural.probe.Patching;
import reweigh.spec.Spec;

/** What the wrapper experiment reads inside its networks: probes for the answer per layer, and patching per component. */
final class WrapperProbes {
    private WrapperProbes() {}

    /**
     * Probes for the correct answer Y at the position that writes it (after {@code <ans>}), per layer: fitted on each
     * model's activations on the other questions, scored on the slice's (questions no probe saw). Also the base's probe
     * applied unchanged to the tuned model.
     */
    static Map<String, LinearProbe.Accuracy[]> probes(Spec spec, LanguageModel base, LanguageModel tuned,
            LanguageModel control, List<Slice.Question> onSlice, List<Slice.Question> offSlice, int k) {
        int m = spec.world().answers();
        int[] sliceLabels = onSlice.stream().mapToInt(Slice.Question::answer).toArray();
        int[] otherLabels = offSlice.stream().mapToInt(Slice.Question::answer).toArray();
        List<String> hooks = base.config().residualHooks();
        Map<String, LinearProbe.Accuracy[]> out = new LinkedHashMap<>();
        for (String name : List.of("base", "tuned", "control", "base probe on tuned")) out.put(name, new LinearProbe.Accuracy[hooks.size()]);
        for (int l = 0; l < hooks.size(); l++) {
            String hook = hooks.get(l);
            long seed = Tuner.seed(spec.seed(), "wrapper:probe:" + k + ":" + l);
            LinearProbe baseProbe = null;
            Map<String, LanguageModel> networks = new LinkedHashMap<>();
            networks.put("base", base);
            networks.put("tuned", tuned);
            networks.put("control", control);
            for (Map.Entry<String, LanguageModel> e : networks.entrySet()) {
                LinearProbe probe = LinearProbe.fit(Activations.at(e.getValue(), Slice.answering(offSlice), hook, -1), otherLabels, m, seed);
                out.get(e.getKey())[l] = probe.accuracy(Activations.at(e.getValue(), Slice.answering(onSlice), hook, -1), sliceLabels);
                if (e.getKey().equals("base")) baseProbe = probe;
            }
            out.get("base probe on tuned")[l] = baseProbe.accuracy(Activations.at(tuned, Slice.answering(onSlice), hook, -1), sliceLabels);
        }
        return out;
    }

    /** The tuned model's slice accuracy with one component's output taken from the base (attention, MLP, per block). */
    static Map<String, Double> patching(Slice slice, LanguageModel base, LanguageModel tuned, List<Slice.Question> onSlice) {
        List<int[]> answered = new ArrayList<>();
        for (Slice.Question q : onSlice) answered.add(Slice.concat(q.prompt(), slice.answer(q)));
        Map<String, Double> out = new LinkedHashMap<>();
        for (int l = 0; l < tuned.config().layers(); l++) {
            for (String hook : List.of(Transformer.block(l) + "hook_attn_out", Transformer.block(l) + "hook_mlp_out")) {
                double[][] lp = Patching.logProbs(base, answered, tuned, answered, hook, Patching.ALL_HEADS);
                double correct = 0;
                for (double[] row : lp) correct += Math.exp(row[row.length - 3] + row[row.length - 2] + row[row.length - 1]) / lp.length;
                out.put(hook, correct);
            }
        }
        return out;
    }
}
