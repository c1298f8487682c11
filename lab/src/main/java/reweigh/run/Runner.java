package reweigh.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.experiment.Experiment;
import reweigh.experiment.Experiments;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;
import reweigh.spec.SpecReader;
import reweigh.spec.Yaml;

/** Validates specs, runs them, and writes each run's folder. */
public final class Runner {
    private final SpecReader reader = new SpecReader(Experiments.ALL.keySet(), Experiments.settings());

    /** A spec that passed every check, with its sweep cells, ready to run. */
    public record Planned(Spec spec, Experiment experiment, List<Spec.Cell> cells) {}

    /** What a finished run left: its folder and its one-sentence finding. */
    public record Done(Planned plan, Path folder, Experiment.Result result) {}

    /** Everything that can be checked without running: the spec, the experiment's needs, every sweep cell. */
    public Planned plan(Path specFile, List<String> overrides) throws SpecError {
        Spec spec = reader.read(specFile, overrides);
        Experiment experiment = Experiments.ALL.get(spec.experiment());
        experiment.check(spec);
        return new Planned(spec, experiment, reader.cells(spec));
    }

    private final Workspace workspace;

    public Runner(Workspace workspace) { this.workspace = workspace; }

    public Done run(Planned plan, Path out, Progress progress) throws IOException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Experiment.Result result = plan.experiment().run(plan.spec(), plan.cells(), progress, workspace);
        progress.done();
        ObjectNode timings = Yaml.JSON.createObjectNode();
        timings.put("experiment", (System.nanoTime() - t0) / 1e9);
        String specYaml = resolvedYaml(plan.spec());
        Map<String, String> files = new LinkedHashMap<>();
        files.put("spec.yaml", specYaml);
        files.put("metrics.csv", result.metrics().csv());
        files.put("report.html", result.report().render());
        files.put("provenance.json", Provenance.json(plan.spec().seed(), specYaml, started, Instant.now(), timings));
        RunFolder.write(out, files);
        return new Done(plan, out, result);
    }

    public static String resolvedYaml(Spec spec) {
        try {
            return "# Resolved by reweigh " + Provenance.version() + " from " + spec.source().file()
                    + ": every default filled in. Run it again with: ./reweigh run <this file>\n"
                    + Yaml.MAPPER.writeValueAsString(spec.resolved());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
