package reweigh.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reweigh.cli.Main;

/**
 * Deployment and odds-ratio on the same bases with the same seeds tune their shared methods once in one
 * {@code ./reweigh all}; what odds-ratio writes then is what it writes alone, with a cache of its own.
 */
class SharedTuningTest {
    static final Path RESOURCES = Path.of("src", "test", "resources");

    @Test
    void aTunedNetworkSharedBetweenExperimentsGivesWhatEachComputesAlone(@TempDir Path dir) throws Exception {
        Path specs = Files.createDirectories(dir.resolve("specs"));
        String deployment = Files.readString(RESOURCES.resolve("tiny-neural.yaml"));
        Files.writeString(specs.resolve("tiny-neural.yaml"), deployment);
        Files.writeString(specs.resolve("tiny-odds.yaml"), deployment.replace("experiment: deployment", "experiment: odds-ratio"));
        int reusedBefore = NeuralEngine.reused();
        assertEquals(0, quietly("all", "--specs", specs.toString(), "--out", dir.resolve("together").toString(),
                "--cache", dir.resolve("cache").toString(), "--db", dir.resolve("db1.duckdb").toString(), "-q"));
        assertTrue(NeuralEngine.reused() > reusedBefore, "the second experiment reused the first's networks");
        assertEquals(0, quietly("run", specs.resolve("tiny-odds.yaml").toString(), "--out", dir.resolve("alone").toString(),
                "--cache", dir.resolve("own-cache").toString(), "--db", dir.resolve("db2.duckdb").toString(), "-q"));
        String together = Files.readString(dir.resolve("together/tiny-odds/metrics.csv"));
        assertTrue(together.contains("neural:reinforce@seed3,"), "the shared run is under odds-ratio's own series");
        assertEquals(Files.readString(dir.resolve("alone/metrics.csv")), together);
        // the index states each network reading over the replicates, as the runs recorded them
        String index = Files.readString(dir.resolve("together/index.html"));
        assertTrue(index.contains("The network&#39;s readings, over its replicates"), "the index has the readings table");
        for (Experiments.Reading r : Experiments.readings(reweigh.run.Metrics.parse(together))) {
            assertTrue(index.contains("<td>odds-ratio</td><td>" + r.method() + "</td><td>" + r.kind().words()), r.toString());
            assertTrue(r.commonest() != null && index.contains(r.agreeing() + " of 2: " + r.commonest().words() + "</td>"), r.toString());
        }
        assertEquals(3, Experiments.readings(reweigh.run.Metrics.parse(together)).size(), "one reading per network method");
    }

    /** The command line's exit code, its output kept out of the test log. */
    private static int quietly(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(sink, true));
            System.setErr(new PrintStream(sink, true));
            int code = Main.execute(args);
            if (code != 0) out.println(sink);
            return code;
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
