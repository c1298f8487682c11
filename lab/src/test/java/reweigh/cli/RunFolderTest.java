package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reweigh.run.RunFolder;

class RunFolderTest {
    @Test
    void aFailedWriteLeavesTheOldFolderAsItWasAndNoTemporaries(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        RunFolder.write(out, Map.of("metrics.csv", "old\n"));
        Map<String, String> broken = new LinkedHashMap<>();
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
        RunFolder.write(dir.resolve("run"), Map.of("metrics.csv", "whole\n"));
        assertFalse(Files.exists(stale));
        assertEquals("whole\n", Files.readString(dir.resolve("run/metrics.csv")));
    }
}
