package reweigh.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The results database: one embedded DuckDB file that every run, {@code all} and sweep cell is recorded in,
 * so runs can be compared with SQL a week later.
 *
 * <p>DuckDB lets one process at a time open a file for writing. So every write opens the file, does its work in
 * one transaction and closes it; a process that finds the file locked waits and tries again, with backoff. A run
 * killed mid-write leaves nothing of that write (the transaction never committed); a run killed while it was
 * running leaves its row with status {@code incomplete}. Within one process writes take turns on a lock.
 */
public final class Results {
    public static final Path DEFAULT = Path.of("runs", "reweigh.duckdb");

    /** The tables and views, as a user queries them; {@code reweigh query --help} prints this. */
    public static final String SCHEMA = """
            tables
              runs(id, experiment, seed, spec_sha256, spec, sweep, cell, status,
                   started, finished, provenance, name, folder)
                spec: the spec as resolved (YAML); spec_sha256: its hash; cell: the
                swept keys and their values (JSON), or null outside a sweep;
                status: complete | incomplete (killed or failed while running) |
                interrupted (stopped by SIGINT or SIGTERM); a rerun completes the row;
                name: the run folder's name (--out), folder: its absolute path
                (a sweep's cells: the sweep's folder)
              metrics(run_id, row, series, step, metric, value)
                metrics.csv in long format; row: its line, from 1
            views
              final_metrics(run_id, series, metric, step, value)
                the last value of each metric in each run
              sweep_cells(sweep, run_id, seed, cell, spec_sha256, finished)
                the complete runs of each sweep, with their swept keys
              sweep_results(sweep, cell, seed, series, metric, value)
                sweep_cells joined to final_metrics
            claims(spec_sha256, owner, claimed)
              cells a running sweep has taken (owner: pid@host#sweep); gone when it ends""";

    private static final String[] DDL = {
        "CREATE TABLE IF NOT EXISTS runs (id VARCHAR PRIMARY KEY, experiment VARCHAR, seed BIGINT, spec_sha256 VARCHAR, "
                + "spec VARCHAR, sweep VARCHAR, cell JSON, status VARCHAR, started TIMESTAMP, finished TIMESTAMP, provenance JSON, "
                + "name VARCHAR, folder VARCHAR)",
        // a database written before runs had names gains the two columns, null for its old rows
        "ALTER TABLE runs ADD COLUMN IF NOT EXISTS name VARCHAR",
        "ALTER TABLE runs ADD COLUMN IF NOT EXISTS folder VARCHAR",
        "CREATE TABLE IF NOT EXISTS metrics (run_id VARCHAR, \"row\" INTEGER, series VARCHAR, step INTEGER, metric VARCHAR, value DOUBLE)",
        "CREATE VIEW IF NOT EXISTS final_metrics AS SELECT run_id, series, metric, arg_max(step, \"row\") AS step, "
                + "arg_max(value, \"row\") AS value FROM metrics GROUP BY run_id, series, metric",
        "CREATE VIEW IF NOT EXISTS sweep_cells AS SELECT sweep, id AS run_id, seed, cell, spec_sha256, finished FROM runs "
                + "WHERE sweep IS NOT NULL AND status = 'complete'",
        "CREATE VIEW IF NOT EXISTS sweep_results AS SELECT c.sweep, c.cell, c.seed, f.series, f.metric, f.value "
                + "FROM sweep_cells c JOIN final_metrics f ON f.run_id = c.run_id",
        "CREATE TABLE IF NOT EXISTS claims (spec_sha256 VARCHAR PRIMARY KEY, owner VARCHAR, claimed TIMESTAMP)",
    };

    /** Writers within this process take turns: one DuckDB instance per file and process at a time. */
    private static final Object TURN = new Object();
    /** How long a writer waits for another process to let go of the file before giving up, in ms. */
    private static final long PATIENCE_MS = 300_000;

    private final Path file;

    public Results(Path file) { this.file = file; }

    public Path file() { return file; }

    /**
     * A run as recorded.
     *
     * @param sweep  the sweep it belongs to, or null
     * @param cell   the swept keys and their values as JSON, or null
     * @param name   the name of the folder it was written to (for a sweep's cell, the sweep's folder), or null
     * @param folder that folder's absolute path, or null
     */
    public record Run(String id, String experiment, long seed, String specSha256, String specYaml, String sweep, String cell,
                      String name, String folder) {
        /** A run written to {@code out}: its name is the folder's. */
        public static Run in(Path out, String id, String experiment, long seed, String specSha256, String specYaml,
                             String sweep, String cell) {
            Path folder = out.toAbsolutePath().normalize();
            String name = folder.getFileName() == null ? folder.toString() : folder.getFileName().toString();
            return new Run(id, experiment, seed, specSha256, specYaml, sweep, cell, name, folder.toString());
        }

        /** A fresh id that sorts by time: {@code 20261129-055912-3fa2c1d0}. */
        public static String newId(Instant at) {
            String t = at.toString().replace("-", "").replace(":", "").replace("T", "-");
            return t.substring(0, 15) + "-" + String.format("%08x", java.util.concurrent.ThreadLocalRandom.current().nextInt());
        }
    }

    /** A finished run: its row, metrics, provenance (JSON) and times. */
    public record Finished(Run run, List<Metrics.Row> rows, String provenance, Instant started, Instant finished) {}

    /** Records that a run has begun: a row with status {@code incomplete} that {@link #record} completes. */
    public void started(Run run, Instant started) throws SQLException {
        write(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM runs WHERE id = ?")) { // a rerun's row, started afresh
                del.setString(1, run.id());
                del.executeUpdate();
            }
            insertRun(c, run, "incomplete", started, null, null);
            return null;
        });
    }

    /** A signal ended the run: its row, still {@code incomplete}, becomes {@code interrupted} (a recorded run is left as it is). */
    public void interrupted(String runId) throws SQLException {
        write(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE runs SET status = 'interrupted' WHERE id = ? AND status = 'incomplete'")) {
                p.setString(1, runId);
                p.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The id of the latest row of this spec outside a sweep that was started and never recorded ({@code incomplete}
     * or {@code interrupted}), or null: a rerun completes that row instead of adding one.
     */
    public String unfinished(String specSha256) throws SQLException {
        if (!Files.exists(file)) return null;
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id FROM runs WHERE spec_sha256 = ? AND sweep IS NULL "
                    + "AND status IN ('incomplete', 'interrupted') ORDER BY started DESC LIMIT 1")) {
                p.setString(1, specSha256);
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? r.getString(1) : null;
                }
            }
        });
    }

    /** Records finished runs with their metrics, all in one transaction: each is there whole, or not at all. */
    public void record(List<Finished> runs) throws SQLException {
        if (runs.isEmpty()) return;
        write(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM runs WHERE id = ?");
                 PreparedStatement delMetrics = c.prepareStatement("DELETE FROM metrics WHERE run_id = ?")) {
                for (Finished f : runs) {
                    del.setString(1, f.run().id());
                    del.executeUpdate();
                    delMetrics.setString(1, f.run().id()); // a row completed twice keeps one set of metrics
                    delMetrics.executeUpdate();
                }
            }
            for (Finished f : runs) insertRun(c, f.run(), "complete", f.started(), f.finished(), f.provenance());
            try (DuckDBAppender a = ((DuckDBConnection) c).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "metrics")) {
                for (Finished f : runs) {
                    int line = 1;
                    for (Metrics.Row r : f.rows()) {
                        a.beginRow();
                        a.append(f.run().id());
                        a.append(line++);
                        a.append(r.series());
                        a.append(r.step());
                        a.append(r.metric());
                        a.append(r.value());
                        a.endRow();
                    }
                }
            }
            return null;
        });
    }

    private static void insertRun(Connection c, Run run, String status, Instant started, Instant finished, String provenance)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO runs (id, experiment, seed, spec_sha256, spec, sweep, cell, "
                + "status, started, finished, provenance, name, folder) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setString(1, run.id());
            p.setString(2, run.experiment());
            p.setLong(3, run.seed());
            p.setString(4, run.specSha256());
            p.setString(5, run.specYaml());
            p.setString(6, run.sweep());
            p.setString(7, run.cell());
            p.setString(8, status);
            p.setTimestamp(9, Timestamp.from(started));
            p.setTimestamp(10, finished == null ? null : Timestamp.from(finished));
            p.setString(11, provenance);
            p.setString(12, run.name());
            p.setString(13, run.folder());
            p.executeUpdate();
        }
    }

    /** Sweeps running in this process, by owner: a claim whose owner has this pid is live only while listed here. */
    private static final Set<String> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A new claimant for {@link #claim}: {@code pid@host#token}, live until {@link #release}. A claim by another
     * process on this machine lapses when that process is gone; one from another machine is honoured until released.
     */
    public static String claimant() {
        String owner = ProcessHandle.current().pid() + "@" + host() + "#" + java.util.UUID.randomUUID();
        LIVE.add(owner);
        return owner;
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    static boolean live(String owner) {
        int at = owner.indexOf('@');
        int hash = owner.indexOf('#', at);
        if (at < 0 || hash < 0) return false;
        long pid;
        try {
            pid = Long.parseLong(owner.substring(0, at));
        } catch (NumberFormatException e) {
            return false;
        }
        if (!owner.substring(at + 1, hash).equals(host())) return true;
        if (pid == ProcessHandle.current().pid()) return LIVE.contains(owner);
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Takes up to {@code most} of these specs for {@code owner}, in their order, in one transaction: those with no
     * complete run and no live claim by another (a lapsed claim is taken over). Two sweeps of the same cells thus
     * run disjoint cells, and each cell is recorded once.
     */
    public List<String> claim(List<String> specSha256s, String owner, int most) throws SQLException {
        if (specSha256s.isEmpty() || most < 1) return List.of();
        return write(c -> {
            Set<String> complete = new HashSet<>();
            java.util.Map<String, String> claimed = new java.util.HashMap<>();
            try (Statement st = c.createStatement()) {
                try (ResultSet r = st.executeQuery("SELECT DISTINCT spec_sha256 FROM runs WHERE status = 'complete'")) {
                    while (r.next()) complete.add(r.getString(1));
                }
                try (ResultSet r = st.executeQuery("SELECT spec_sha256, owner FROM claims")) {
                    while (r.next()) claimed.put(r.getString(1), r.getString(2));
                }
            }
            List<String> got = new ArrayList<>();
            java.util.Map<String, Boolean> alive = new java.util.HashMap<>();
            try (PreparedStatement del = c.prepareStatement("DELETE FROM claims WHERE spec_sha256 = ?");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO claims VALUES (?, ?, ?)")) {
                for (String h : specSha256s) {
                    if (got.size() >= most) break;
                    String other = claimed.get(h);
                    if (complete.contains(h) || (other != null && !other.equals(owner) && alive.computeIfAbsent(other, Results::live))) continue;
                    del.setString(1, h);
                    del.executeUpdate();
                    ins.setString(1, h);
                    ins.setString(2, owner);
                    ins.setTimestamp(3, Timestamp.from(Instant.now()));
                    ins.executeUpdate();
                    got.add(h);
                }
            }
            return got;
        });
    }

    /** Gives up every claim of {@code owner}; it is no longer live. */
    public void release(String owner) throws SQLException {
        LIVE.remove(owner);
        if (!Files.exists(file)) return;
        write(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM claims WHERE owner = ?")) {
                p.setString(1, owner);
                p.executeUpdate();
            }
            return null;
        });
    }

    /** The spec hashes of every complete run: a sweep skips cells whose spec is among them. */
    public Set<String> completeSpecs() throws SQLException {
        if (!Files.exists(file)) return Set.of();
        return read(c -> {
            Set<String> hashes = new HashSet<>();
            try (Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("SELECT DISTINCT spec_sha256 FROM runs WHERE status = 'complete'")) {
                while (r.next()) hashes.add(r.getString(1));
            }
            return hashes;
        });
    }

    /** A query's answer: column names and rows of text (null as the empty string). */
    public record Table(List<String> columns, List<List<String>> rows) {
        /** Columns padded to their widest cell; numbers right-aligned. */
        public String aligned() {
            int[] width = new int[columns.size()];
            boolean[] numeric = new boolean[columns.size()];
            for (int j = 0; j < width.length; j++) {
                width[j] = columns.get(j).length();
                numeric[j] = !rows.isEmpty();
                for (List<String> r : rows) {
                    width[j] = Math.max(width[j], r.get(j).length());
                    numeric[j] &= r.get(j).isEmpty() || r.get(j).matches("-?[0-9.eE+-]+|NaN|-?Infinity");
                }
            }
            StringBuilder out = new StringBuilder();
            List<List<String>> lines = new ArrayList<>();
            lines.add(columns);
            List<String> rule = new ArrayList<>();
            for (int w : width) rule.add("-".repeat(w));
            lines.add(rule);
            lines.addAll(rows);
            for (List<String> line : lines) {
                StringBuilder l = new StringBuilder();
                for (int j = 0; j < width.length; j++) {
                    String cell = line.get(j);
                    String pad = " ".repeat(width[j] - cell.length());
                    l.append(j == 0 ? "" : "  ").append(numeric[j] && line != columns ? pad + cell : cell + pad);
                }
                out.append(l.toString().stripTrailing()).append('\n');
            }
            out.append("(").append(rows.size()).append(rows.size() == 1 ? " row)" : " rows)").append('\n');
            return out.toString();
        }
    }

    /**
     * Runs the program's own SQL, which may write, and returns what it answers (an empty table for a statement
     * without rows). A user's SQL goes through {@link #ask}.
     */
    public Table query(String sql) throws SQLException {
        return write(c -> answer(c, sql));
    }

    private static Table answer(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (!s.execute(sql)) return new Table(List.of(), List.of());
            try (ResultSet r = s.getResultSet()) {
                ResultSetMetaData m = r.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int j = 1; j <= m.getColumnCount(); j++) columns.add(m.getColumnLabel(j));
                List<List<String>> rows = new ArrayList<>();
                while (r.next()) {
                    List<String> row = new ArrayList<>();
                    for (int j = 1; j <= columns.size(); j++) {
                        Object v = r.getObject(j);
                        row.add(v == null ? "" : v instanceof Double d ? Double.toString(d) : v.toString());
                    }
                    rows.add(row);
                }
                return new Table(columns, rows);
            }
        }
    }

    /** A statement a user asked for that {@link #ask} does not run: it is not one statement that reads. */
    public static final class Refused extends SQLException {
        Refused(String message) { super(message); }
    }

    /** What {@link #ask} runs, as {@code reweigh query --help} states it. */
    public static final String READ_KEYWORDS = "SELECT, FROM, WITH, VALUES, DESCRIBE, SHOW or SUMMARIZE";
    public static final String READS = "one statement that reads: " + READ_KEYWORDS;

    /**
     * Runs a user's SQL: exactly one statement that reads, on the file opened read-only. DuckDB's own parser
     * decides (json_serialize_sql serialises exactly the statements that are queries), so a second statement
     * after a semicolon, or a DROP, INSERT, COPY, ATTACH or SET, is refused before anything runs; the read-only
     * open refuses any write that got past that.
     *
     * @throws Refused for more or fewer than one statement, or a statement that is not a query
     */
    public Table ask(String sql) throws SQLException {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT (j->>'error')::BOOLEAN, j->>'error_type', j->>'error_message', "
                    + "json_array_length(j->'statements') FROM (SELECT json_serialize_sql(?::VARCHAR)::JSON AS j)")) {
                p.setString(1, sql);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    if (r.getBoolean(1)) {
                        if ("parser".equals(r.getString(2))) throw new SQLException("Parser Error: " + r.getString(3));
                        throw new Refused("runs " + READS + ", on the database opened read-only; this is not one");
                    }
                    long statements = r.getLong(4);
                    if (statements != 1) throw new Refused("runs exactly one statement (got " + statements + ")");
                }
            }
            return answer(c, sql);
        });
    }

    /** Writes every table as {@code <dir>/<table>.parquet}. */
    public List<Path> exportParquet(Path dir) throws SQLException, java.io.IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        write(c -> {
            try (Statement s = c.createStatement()) {
                for (String table : List.of("runs", "metrics")) {
                    Path out = dir.resolve(table + ".parquet").toAbsolutePath();
                    s.execute("COPY " + table + " TO '" + out.toString().replace("'", "''") + "' (FORMAT parquet)");
                    written.add(out);
                }
            }
            return null;
        });
        return written;
    }

    // ---- opening the file ---------------------------------------------------------------------

    private interface Work<T> {
        T in(Connection c) throws SQLException;
    }

    /** Opens the file (creating the schema), runs the work in one transaction, commits, closes. */
    private <T> T write(Work<T> work) throws SQLException {
        return open(false, work);
    }

    private <T> T read(Work<T> work) throws SQLException {
        return open(true, work);
    }

    private <T> T open(boolean readOnly, Work<T> work) throws SQLException {
        long waited = 0;
        long backoff = 10;
        synchronized (TURN) {
            while (true) {
                try {
                    if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
                    java.util.Properties props = new java.util.Properties();
                    if (readOnly) props.setProperty("duckdb.read_only", "true");
                    // Parquet and JSON are built into the jar: never download an extension at run time.
                    props.setProperty("autoinstall_known_extensions", "false");
                    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), props)) {
                        if (!readOnly) {
                            try (Statement s = c.createStatement()) {
                                for (String ddl : DDL) s.execute(ddl);
                            }
                        }
                        c.setAutoCommit(false);
                        try {
                            T answer = work.in(c);
                            c.commit();
                            return answer;
                        } catch (SQLException | RuntimeException e) {
                            try {
                                c.rollback();
                            } catch (SQLException alreadyAborted) { // e.g. a commit that failed on a full disk
                                e.addSuppressed(alreadyAborted);
                            }
                            throw e;
                        }
                    }
                } catch (SQLException e) {
                    if (!locked(e) || waited >= PATIENCE_MS) throw e;
                    sleep(backoff);
                    waited += backoff;
                    backoff = Math.min(backoff * 2, 500);
                } catch (java.io.IOException e) {
                    throw new SQLException("cannot create the folder of " + file, e);
                }
            }
        }
    }

    /** Another process holds the file. */
    private static boolean locked(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("Could not set lock") || m.contains("Conflicting lock");
    }

    private static void sleep(long ms) throws SQLException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the results database");
        }
    }
}
