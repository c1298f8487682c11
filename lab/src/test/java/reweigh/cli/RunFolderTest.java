package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reweigh.run.Provenance;
import reweigh.run.RunFolder;
import reweigh.spec.SpecError;

class RunFolderTest {
    @Test
    void aFailedWriteLeavesTheOldFolderAsItWasAndNoTemporaries(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        RunFolder.write(out, run("old\n"));
        Map<String, String> broken = new LinkedHashMap<>(run("new\n"));
        broken.put("metrics.csv", "new\n");
        broken.put("report.html/..", "a name that cannot be a file"); // fails midway
        assertThrows(Exception.class, () -> RunFolder.write(out, broken));
        assertEquals("old\n", Files.readString(out.resolve("metrics.csv")));
        try (var entries = Files.list(dir)) {
            assertEquals(1, entries.count(), "only the run folder");
        }
    }

    @Test
    void aKilledRunsLeftoversAreClearedByTheNextRun(@TempDir Path dir) throws Exception {
        Path stale = Files.createDirectory(dir.resolve(".run.tmp-12345"));
        Files.writeString(stale.resolve("metrics.csv"), "half");
        RunFolder.write(dir.resolve("run"), run("whole\n"));
        assertFalse(Files.exists(stale));
        assertEquals("whole\n", Files.readString(dir.resolve("run/metrics.csv")));
    }

    @Test
    void aRunFolderIsReplacedWholeButNotOnceSomeoneHasPutTheirOwnFileInIt(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        RunFolder.write(out, run("first\n"));
        RunFolder.write(out, run("second\n"));
        assertEquals("second\n", Files.readString(out.resolve("metrics.csv")));
        Files.writeString(out.resolve("notes.txt"), "mine");
        SpecError e = assertThrows(SpecError.class, () -> RunFolder.write(out, run("third\n")));
        assertTrue(e.getMessage().contains("it holds notes.txt, which reweigh did not write"), e.getMessage());
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        assertEquals("second\n", Files.readString(out.resolve("metrics.csv")));
        try (var entries = Files.list(dir)) {
            assertEquals(1, entries.count(), "no temporary folder left");
        }
    }

    /** A run folder's files, marked as reweigh marks them. */
    static Map<String, String> run(String metrics) {
        return Map.of("metrics.csv", metrics, "provenance.json", "{\"format\": \"" + Provenance.RUN_FORMAT + "\"}\n");
    }
}
