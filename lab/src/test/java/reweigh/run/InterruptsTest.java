package reweigh.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a SIGINT or SIGTERM leaves: one line, the run's row interrupted, no scratch files; a rerun completes that row. */
class InterruptsTest {
    @Test
    void aSignalMarksTheRunInterruptedAndSaysSoInOneLine(@TempDir Path dir) throws Exception {
        Results db = new Results(dir.resolve("r.duckdb"));
        Instant t = Instant.parse("2026-11-29T06:00:00Z");
        db.started(ResultsTest.run("a", "h1"), t);
        db.started(ResultsTest.run("b", "h2"), t);
        db.record(List.of(new Results.Finished(ResultsTest.run("b", "h2"), ResultsTest.rows(), "{}", t, t)));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (var a = Interrupts.run(db, "a"); var b = Interrupts.run(db, "b")) {
            Interrupts.tidy(new PrintStream(err, true, StandardCharsets.UTF_8));
        }
        String line = err.toString(StandardCharsets.UTF_8).trim();
        assertEquals(1, line.lines().count(), line);
        assertEquals(true, line.startsWith("reweigh: interrupted; run "), line);
        assertEquals(true, line.endsWith(" marked interrupted in " + db.file() + "; rerun the same command to resume"), line);
        assertEquals(List.of(List.of("a", "interrupted"), List.of("b", "complete")),
                db.query("SELECT id, status FROM runs ORDER BY id").rows(), "a recorded run stays complete");
    }

    @Test
    void aRerunCompletesTheInterruptedRowInsteadOfAddingOne(@TempDir Path dir) throws Exception {
        Results db = new Results(dir.resolve("r.duckdb"));
        Instant t = Instant.parse("2026-11-29T06:00:00Z");
        assertNull(db.unfinished("h1"));
        db.started(ResultsTest.run("a", "h1"), t);
        db.interrupted("a");
        assertEquals("a", db.unfinished("h1"));
        db.started(ResultsTest.run("a", "h1"), t.plusSeconds(60));
        db.record(List.of(new Results.Finished(ResultsTest.run("a", "h1"), ResultsTest.rows(), "{}", t, t)));
        db.record(List.of(new Results.Finished(ResultsTest.run("a", "h1"), ResultsTest.rows(), "{}", t, t)));
        assertEquals(List.of(List.of("a", "complete", "2")),
                db.query("SELECT id, status, (SELECT count(*) FROM metrics) FROM runs").rows(), "one row, one set of metrics");
        assertNull(db.unfinished("h1"));
    }
}
