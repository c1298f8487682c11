package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reweigh.run.Runner;

/** A run's spec.yaml, the resolved spec with every default filled in, is a spec that runs what the run ran. */
class ResolvedSpecTest {
    static List<Path> shippedSpecs() throws Exception {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(RunTest.EXPERIMENTS, "*.yaml")) {
            s.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    /**
     * A run's spec.yaml is the spec it ran, so read again it resolves to itself: a method switched off on the network
     * ({@code neural: false}) stays off, where the resolved spec used to drop the key and so tune it there when run again.
     */
    @ParameterizedTest
    @MethodSource("shippedSpecs")
    void aResolvedSpecResolvesToItself(Path spec) throws Exception {
        Runner.Planned plan = Runner.plan(spec, List.of());
        Runner.Planned again = Runner.plan(spec.toString(), plan.specFile());
        assertEquals(plan.specYaml(), again.specYaml());
        assertEquals(plan.spec().methods().stream().map(t -> t.label() + " " + (t.network() != null)).toList(),
                again.spec().methods().stream().map(t -> t.label() + " " + (t.network() != null)).toList());
    }

}
