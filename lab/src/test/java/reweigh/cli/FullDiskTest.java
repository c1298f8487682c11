package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reweigh.run.Results;

/**
 * Failures the file system causes: a full disk during a run and during a database write, a read-only folder, a
 * folder without write permission. Each fails with one line, leaves nothing half-written, and leaves the database
 * readable with no complete row of the failed run. A full or read-only disk is a small tmpfs mounted for the test;
 * where mounting is not allowed (CI without privileges) those tests are skipped.
 */
class FullDiskTest {
    @TempDir Path dir;
    private Path mounted;

    /** A tmpfs mounted with these options (e.g. "size=3m") at dir/name, or the test is skipped. */
    private Path tmpfs(String name, String options) throws Exception {
        Path at = Files.createDirectories(dir.resolve(name));
        assumeTrue(exec("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString()) == 0, "cannot mount a tmpfs here");
        mounted = at;
        return at;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) exec("umount", "-l", mounted.toString());
    }

    private static int exec(String... command) throws Exception {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (IOException e) {
            return -1; // no mount command
        }
    }

    /** Fills the file system that holds {@code folder} until only {@code leave} bytes are free (or nothing more fits). */
    private static void fill(Path folder, long leave) throws IOException {
        byte[] block = new byte[4 * 1024];
        try (OutputStream out = Files.newOutputStream(folder.resolve("filler"))) {
            while (Files.getFileStore(folder).getUsableSpace() > leave) out.write(block);
        } catch (IOException full) {
            // the disk is full
        }
    }

    private Path spec() throws IOException {
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, BadInputTest.VALID);
        return spec;
    }

    private static void assertOneLine(BadInputTest.Result r, int code, String... expected) {
        assertEquals(code, r.code(), r.err());
        String message = r.err().trim();
        assertEquals(1, message.lines().count(), "one line: " + message);
        for (String e : expected) assertTrue(message.contains(e), "expected '" + e + "' in: " + message);
    }

    @Test
    void aFullDiskDuringARunFailsInOneLineAndLeavesNoHalfWrittenFolder() throws Exception {
        Path full = tmpfs("full", "size=3m");
        Path db = dir.resolve("reweigh.duckdb");
        assertEquals(0, BadInputTest.cli("run", spec().toString(), "--out", dir.resolve("earlier").toString(), "--db", db.toString(), "-q").code());
        fill(full, 0);
        BadInputTest.Result r = BadInputTest.cli("run", spec().toString(), "--out", full.resolve("run").toString(), "--db", db.toString(), "-q");
        assertOneLine(r, 1, "reweigh: run failed: ", "No space left on device", "; details in ");
        try (var entries = Files.list(full)) {
            assertEquals(List.of("filler"), entries.map(p -> p.getFileName().toString()).toList(), "no run folder, whole or half");
        }
        // The database is readable; the failed run is there only as incomplete, with none of its metrics.
        Results results = new Results(db);
        assertEquals(List.of(List.of("complete", "true"), List.of("incomplete", "false")), results.query(
                "SELECT status, (SELECT count(*) FROM metrics WHERE run_id = id) > 0 FROM runs ORDER BY status").rows());
    }

    @Test
    void aFullDiskDuringADatabaseWriteFailsTheRunInOneLineAndTheDatabaseHoldsOnlyWhatWasThere() throws Exception {
        Path full = tmpfs("full", "size=3m");
        Path db = full.resolve("reweigh.duckdb");
        assertEquals(0, BadInputTest.cli("run", spec().toString(), "--out", dir.resolve("earlier").toString(), "--db", db.toString(), "-q").code());
        List<List<String>> earlier = new Results(db).query("SELECT id, status FROM runs").rows();
        fill(full, 0); // the run's first row (status incomplete) cannot be committed
        BadInputTest.Result r = BadInputTest.cli("run", spec().toString(), "--out", dir.resolve("run").toString(), "--db", db.toString(), "-q");
        assertOneLine(r, 1, "reweigh: run failed: ", "Could not write file", "reweigh.duckdb.wal\": No space left on device", "; details in ");
        assertFalse(Files.exists(dir.resolve("run")), "the run did not start: its first row could not be recorded");
        Files.delete(full.resolve("filler"));
        Results results = new Results(db);
        List<List<String>> after = results.query("SELECT id, status FROM runs ORDER BY status").rows();
        assertTrue(after.containsAll(earlier), "the earlier run is still there: " + after);
        assertEquals(List.of(), results.query("SELECT id FROM runs WHERE status = 'complete' AND id NOT IN ('" + earlier.get(0).get(0) + "')").rows(),
                "no complete row of the failed run");
    }

    @Test
    void aReadOnlyFolderIsRefusedBeforeAnyWork() throws Exception {
        Path readOnly = tmpfs("ro", "ro,size=1m");
        BadInputTest.Result run = BadInputTest.cli("run", spec().toString(), "--out", readOnly.resolve("run").toString(),
                "--db", dir.resolve("reweigh.duckdb").toString(), "-q");
        assertOneLine(run, 2, "--out " + readOnly.resolve("run") + ": cannot write in " + readOnly + " (read-only or no permission)");
        BadInputTest.Result db = BadInputTest.cli("run", spec().toString(), "--out", dir.resolve("run").toString(),
                "--db", readOnly.resolve("reweigh.duckdb").toString(), "-q");
        assertOneLine(db, 2, "--db " + readOnly.resolve("reweigh.duckdb") + ": cannot write in " + readOnly);
        assertFalse(Files.exists(dir.resolve("reweigh.duckdb")), "nothing was started");
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void aFolderWithoutWritePermissionIsRefusedBeforeAnyWork() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere");
        Path locked = Files.createDirectories(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            BadInputTest.Result r = BadInputTest.cli("sweep", spec().toString(), "--grid", "evaluator.detect=0,1", "--out",
                    locked.resolve("sweep").toString(), "--db", dir.resolve("reweigh.duckdb").toString(), "-q");
            assertOneLine(r, 2, "cannot write in " + locked + " (read-only or no permission)");
            assertFalse(Files.exists(dir.resolve("reweigh.duckdb")), "nothing was started");
        } finally {
            Files.setPosixFilePermissions(locked, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
