package reweigh.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The results database's promises: a started run is incomplete until recorded, and a write is whole or nothing. */
class ResultsTest {
    static Results.Run run(String id, String hash) {
        return new Results.Run(id, "odds-ratio", 1, hash, "seed: 1\n", null, null, "odds-ratio", "/tmp/runs/odds-ratio");
    }

    static List<Metrics.Row> rows() {
        Metrics m = new Metrics();
        m.add("kl-rl", 0, "weight.honest", 0.3);
        m.add("kl-rl", 1, "weight.honest", 0.1 + 0.2); // 0.30000000000000004 survives the round trip
        return m.rows();
    }

    @Test
    void aStartedRunIsIncompleteUntilItIsRecordedWithItsMetrics(@TempDir Path dir) throws Exception {
        Results db = new Results(dir.resolve("r.duckdb"));
        Instant t = Instant.parse("2026-11-29T06:00:00Z");
        db.started(run("a", "h1"), t);
        assertEquals(List.of(List.of("incomplete")), db.query("SELECT status FROM runs").rows());
        assertEquals(java.util.Set.of(), db.completeSpecs(), "an incomplete run is run again by a sweep");
        db.record(List.of(new Results.Finished(run("a", "h1"), rows(), "{\"seed\": 1}", t, t.plusSeconds(2))));
        assertEquals(List.of(List.of("complete", "1")), db.query("SELECT status, provenance->>'seed' FROM runs").rows());
        assertEquals(java.util.Set.of("h1"), db.completeSpecs());
        assertEquals(List.of(List.of("1", "0.30000000000000004")), db.query("SELECT step, value FROM final_metrics").rows());
    }

    @Test
    void aDatabaseWrittenBeforeRunsHadNamesGainsTheColumns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("old.duckdb");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file);
             java.sql.Statement s = c.createStatement()) { // the table as it was created before name and folder
            s.execute("CREATE TABLE runs (id VARCHAR PRIMARY KEY, experiment VARCHAR, seed BIGINT, spec_sha256 VARCHAR, "
                    + "spec VARCHAR, sweep VARCHAR, cell JSON, status VARCHAR, started TIMESTAMP, finished TIMESTAMP, provenance JSON)");
            s.execute("INSERT INTO runs (id, experiment, status) VALUES ('old', 'deployment', 'complete')");
        }
        Results db = new Results(file);
        Instant t = Instant.parse("2026-12-04T19:00:00Z");
        db.record(List.of(new Results.Finished(run("new", "h1"), rows(), "{}", t, t)));
        assertEquals(List.of(List.of("new", "odds-ratio", "/tmp/runs/odds-ratio"), List.of("old", "", "")),
                db.query("SELECT id, name, folder FROM runs ORDER BY id").rows());
    }

    @Test
    void aRunNamesTheFolderItWasWrittenTo() {
        Results.Run r = Results.Run.in(Path.of("runs", "detect-0.9"), "a", "odds-ratio", 1, "h", "seed: 1\n", null, null);
        assertEquals("detect-0.9", r.name());
        assertEquals(Path.of("runs", "detect-0.9").toAbsolutePath().normalize().toString(), r.folder());
    }

    @Test
    void aBatchThatFailsWritesNothing(@TempDir Path dir) throws Exception {
        Results db = new Results(dir.resolve("r.duckdb"));
        Instant t = Instant.now();
        Results.Finished ok = new Results.Finished(run("a", "h1"), rows(), "{}", t, t);
        Results.Finished clash = new Results.Finished(run("a", "h2"), rows(), "{}", t, t); // the same id twice
        assertThrows(SQLException.class, () -> db.record(List.of(ok, clash)));
        assertEquals(List.of(List.of("0", "0")), db.query("SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM metrics)").rows());
    }

    @Test
    void exportWritesEachTableAsParquetThatReadsBackTheSame(@TempDir Path dir) throws Exception {
        Results db = new Results(dir.resolve("r.duckdb"));
        Instant t = Instant.now();
        db.record(List.of(new Results.Finished(run("a", "h1"), rows(), "{}", t, t)));
        List<Path> files = db.exportParquet(dir.resolve("parquet"));
        assertEquals(List.of("runs.parquet", "metrics.parquet"), files.stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(db.query("SELECT * FROM metrics ORDER BY \"row\"").rows(),
                db.query("SELECT * FROM '" + files.get(1) + "' ORDER BY \"row\"").rows());
    }

    @Test
    void aUsersQueryReadsAndLeavesTheFileAsItWas(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("r.duckdb");
        Results db = new Results(file);
        Instant t = Instant.now();
        db.record(List.of(new Results.Finished(run("a", "h1"), rows(), "{}", t, t)));
        byte[] before = java.nio.file.Files.readAllBytes(file);
        assertEquals(List.of(List.of("1")), db.ask("SELECT count(*) FROM runs").rows());
        assertEquals(List.of(List.of("2")), db.ask("FROM metrics SELECT count(*);").rows(), "one statement may end in a semicolon");
        assertTrue(db.ask("DESCRIBE runs").rows().size() > 5);
        assertTrue(db.ask("SELECT ';' AS not_a_second_statement").rows().size() == 1);
        assertThrows(Results.Refused.class, () -> db.ask("DELETE FROM metrics"));
        assertThrows(Results.Refused.class, () -> db.ask("SELECT 1; DELETE FROM metrics"));
        assertThrows(Results.Refused.class, () -> db.ask("CHECKPOINT"));
        assertTrue(java.util.Arrays.equals(before, java.nio.file.Files.readAllBytes(file)), "the file's bytes are unchanged");
    }

    @Test
    void queriesPrintAlignedTables(@TempDir Path dir) throws Exception {
        String table = new Results(dir.resolve("r.duckdb")).query("SELECT 'honest' AS algorithm, 0.25::DOUBLE AS weight UNION ALL "
                + "SELECT 'deceiver', 1.5 ORDER BY 1").aligned();
        assertEquals("""
                algorithm  weight
                ---------  ------
                deceiver      1.5
                honest       0.25
                (2 rows)
                """, table);
        assertTrue(table.lines().allMatch(l -> l.length() <= 80));
    }
}
