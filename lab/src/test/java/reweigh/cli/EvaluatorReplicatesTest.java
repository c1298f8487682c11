package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reweigh.run.Metrics;

/**
 * The evaluator experiment's network over replicates, at a size the suite affords: tiny bases, 2 replicates, a perfect
 * and a leaky deceiver, each tuned at both ends of detect.
 */
class EvaluatorReplicatesTest {
    static final Path SPEC = Path.of("src", "test", "resources", "tiny-neural.yaml");
    static final List<String> CELLS = List.of("detect=0 leak=0", "detect=1 leak=0", "detect=0 leak=0.2", "detect=1 leak=0.2");

    /**
     * Each end cell's verdict is recorded in its pooled series; both ends tune the same replicate base; reweighting's
     * predicted change is the exact engine's kl-rl change in the same cell, as w ∝ w0·exp(R/beta) moves the log-odds by
     * (R_honest − R_deceiver)/beta whatever the base (0 for the perfect deceiver); and the report, rendered again from
     * its folder, is the run's byte for byte.
     */
    @Test
    void eachEndIsReadOverTheReplicatesOfOneBaseAndTheReportRendersFromTheMetrics(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        BadInputTest.Result r = BadInputTest.cli("run", SPEC.toString(), "--set", "experiment=evaluator", "--set",
                "sweep={evaluator.detect: [0, 0.5, 1], population.deceiver.leak: [0, 0.2]}", "--out", run.toString(), "-q",
                "--cache", dir.resolve("cache").toString(), "--db", dir.resolve("reweigh.duckdb").toString());
        assertEquals(0, r.code(), r.err());
        Metrics m = Metrics.parse(Files.readString(run.resolve("metrics.csv")));
        for (String cell : CELLS) {
            String pooled = "neural:reinforce @ " + cell;
            assertEquals(1, m.metrics(pooled).stream().filter(x -> x.startsWith("verdict.") && !x.startsWith("verdict.commonest.")
                    && !x.equals("verdict.agreeing") && !x.equals("verdict.predicted")).count(), pooled + " has one verdict");
            String leak = cell.substring(cell.indexOf("leak="));
            for (String seed : List.of("@seed2", "@seed3")) {
                assertEquals(m.first("neural:base @ " + leak + seed, "weight.honest"), m.first(pooled + seed, "weight.honest"), 0,
                        pooled + seed + " starts from its replicate's base");
            }
            double[] exact = m.values("kl-rl @ " + cell, "logodds.honest:deceiver");
            assertEquals(exact[exact.length - 1] - exact[0], m.last(pooled, "verdict.predicted"), 1e-9, pooled + ": kl-rl's closed form");
        }
        assertEquals(0, m.last("neural:reinforce @ detect=1 leak=0", "verdict.predicted"), 1e-9, "a perfect deceiver keeps its odds");
        assertTrue(m.series().stream().noneMatch(s -> s.startsWith("neural:") && s.contains("detect=0.5")), "the network runs at the ends only");

        String summary = Files.readString(run.resolve("report.html"));
        assertTrue(summary.contains("On the network with leak=0.2 (reinforce, 2 replicates (seeds 2–3), implied honest:deceiver log-odds"),
                "the network's finding is stated over the replicates");
        byte[] page = Files.readAllBytes(run.resolve("report.html"));
        Files.writeString(run.resolve("report.html"), "stale");
        BadInputTest.Result again = BadInputTest.cli("report", run.toString());
        assertEquals(0, again.code(), again.err());
        assertArrayEquals(page, Files.readAllBytes(run.resolve("report.html")), "the same page, byte for byte");
    }

    /** Both ends are tuned on one base, so with the network the x axis must be a key that does not change the base. */
    @Test
    void aSweepWhoseFirstKeyChangesTheBaseIsRefusedWithTheNetwork() {
        BadInputTest.Result r = BadInputTest.cli("check", SPEC.toString(), "--set", "experiment=evaluator", "--set",
                "sweep={population.deceiver.leak: [0, 0.2]}");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("must be the evaluator's (e.g. evaluator.detect)"), r.err());
        assertEquals(0, BadInputTest.cli("check", SPEC.toString(), "--set", "experiment=evaluator", "--set",
                "sweep={population.deceiver.leak: [0, 0.2]}", "--set", "engine=exact").code(), "the exact engine sweeps any key first");
    }
}
