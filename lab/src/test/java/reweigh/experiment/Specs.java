package reweigh.experiment;

import java.nio.file.Path;
import java.util.List;
import reweigh.run.Runner;
import reweigh.spec.Spec;

/** The shipped specs, read as the command line reads them, on the exact engine. */
public final class Specs {
    private Specs() {}

    public static Spec exact(String name, String... overrides) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("engine=exact"));
        all.addAll(List.of(overrides));
        return Runner.plan(Path.of("..", "experiments", name + ".yaml"), all).spec();
    }

    /** A spec method by label prefix. */
    public static Spec.Tuning method(Spec spec, String label) {
        return spec.methods().stream().filter(t -> t.label().startsWith(label)).findFirst().orElseThrow();
    }
}
