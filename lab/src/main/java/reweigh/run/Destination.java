package reweigh.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import reweigh.spec.SpecError;
import reweigh.spec.Yaml;

/**
 * Where a command may write, checked before any work starts. reweigh replaces only what it wrote itself: a
 * folder it is pointed at must not exist yet, be empty, or hold nothing but what a folder of that {@link Kind}
 * holds. Everything else (the repository, a parent of the current folder, a folder of the user's files, a file
 * where a folder is wanted, the file-system root, an empty path) is refused with one line that says why and
 * what to use instead. There is no option to override this.
 */
public final class Destination {
    private Destination() {}

    /** The folders reweigh writes, each recognised by what it holds. */
    public enum Kind {
        /** spec.yaml, metrics.csv, report.html and a provenance.json whose format is {@link Provenance#RUN_FORMAT}. */
        RUN("a run folder"),
        /** report.html and a provenance.json whose format is {@link Provenance#SWEEP_FORMAT}. */
        SWEEP("a sweep folder"),
        /** runs.parquet and metrics.parquet, as {@code reweigh export} writes them. */
        EXPORT("a folder of Parquet exports"),
        /** Pretrained models: {@code <sha-256>/}, {@code <sha-256>.partial/}, {@code <sha-256>.lock}, scratch folders. */
        CACHE("a cache of pretrained models"),
        /**
         * What {@code reweigh all} writes into: run, sweep and export folders, folders of runs, index.html, findings.md,
         * results databases, the cache, and the leftovers of killed writes ({@code .<name>.tmp-*}).
         */
        RUNS("a folder of runs");

        private final String noun;

        Kind(String noun) { this.noun = noun; }

        public String noun() { return noun; }
    }

    private static final Set<String> RUN_FILES = Set.of("spec.yaml", "metrics.csv", "report.html", "provenance.json");
    private static final Set<String> SWEEP_FILES = Set.of("report.html", "provenance.json");
    private static final Set<String> EXPORT_FILES = Set.of("runs.parquet", "metrics.parquet");
    private static final Pattern CACHE_ENTRY = Pattern.compile("[0-9a-f]{64}(\\.partial|\\.lock)?(\\.corrupt-[0-9]+)?|\\.(tuning|wrapper)-.+");
    /** What {@link RunFolder} leaves when killed between its steps. */
    private static final Pattern LEFTOVER = Pattern.compile("\\..+\\.(tmp|old)-.+");
    private static final Pattern DATABASE = Pattern.compile(".+\\.duckdb(\\.wal)?");

    /**
     * Checks that a command may write {@code folder} as a folder of this kind, replacing it if it is one.
     *
     * @param option  the option that named it, e.g. {@code --out}: the message starts with it
     * @param example what to use instead, e.g. {@code runs/odds-ratio-2}
     */
    public static void requireFolder(String option, Path folder, Kind kind, Path example) throws SpecError {
        String raw = folder.toString();
        String where = option + " " + (raw.isEmpty() ? "''" : raw);
        String instead = "name a new or empty folder instead, e.g. " + option + " " + example;
        if (raw.isEmpty()) throw new SpecError(where, "", "an empty path; " + instead);
        Path dir = folder.toAbsolutePath().normalize();
        if (dir.getParent() == null) throw new SpecError(where, "", "the file-system root is not " + kind.noun + "; " + instead);
        Path here = Path.of("").toAbsolutePath().normalize();
        if (here.startsWith(dir)) {
            throw new SpecError(where, "", (dir.equals(here) ? "the current folder" : "a folder that holds the current folder")
                    + " is not " + kind.noun + ", and reweigh replaces only a folder it wrote; " + instead);
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new SpecError(where, "", "a file, not a folder; " + instead);
        if (Files.isDirectory(dir)) {
            String foreign = foreign(dir, kind);
            if (foreign != null) {
                throw new SpecError(where, "", "not " + kind.noun + ": " + foreign + "; reweigh replaces only a folder it wrote, so "
                        + instead);
            }
        }
        requireWritable(where, dir.getParent(), instead);
    }

    /**
     * Checks that replacing {@code folder} cannot take the results database with it: the database must not be the
     * folder, nor lie inside it (checked before any work, since the database is written first).
     */
    public static void requireApart(String option, Path folder, Path database) throws SpecError {
        Path dir = folder.toAbsolutePath().normalize();
        Path db = database.toAbsolutePath().normalize();
        if (db.startsWith(dir)) {
            throw new SpecError(option + " " + folder, "", (db.equals(dir) ? "is" : "holds") + " the results database (--db "
                    + database + "), which a run folder must not replace; name a new or empty folder instead, e.g. "
                    + option + " " + fresh(Path.of("runs", "run")));
        }
    }

    /** Checks that the results database may be created or written at {@code file}. */
    public static void requireDatabase(String option, Path file) throws SpecError {
        String raw = file.toString();
        String where = option + " " + (raw.isEmpty() ? "''" : raw);
        if (raw.isEmpty()) throw new SpecError(where, "", "an empty path; name a file, e.g. " + option + " " + Results.DEFAULT);
        Path db = file.toAbsolutePath().normalize();
        if (Files.isDirectory(db)) {
            throw new SpecError(where, "", "a folder; the results database is a file, e.g. " + option + " "
                    + file.resolve(Results.DEFAULT.getFileName()));
        }
        String instead = "name another file, e.g. " + option + " " + Results.DEFAULT;
        if (Files.exists(db)) {
            if (!isDuckDb(db)) throw new SpecError(where, "", "not a DuckDB database, and reweigh writes only its own; " + instead);
            if (!Files.isWritable(db)) throw new SpecError(where, "", "cannot write it (read-only or no permission); " + instead);
        }
        if (db.getParent() != null) requireWritable(where, db.getParent(), instead);
    }

    /**
     * Why {@code dir}, an existing folder, is not one of this kind (and so must not be replaced); null when it is
     * one, or is empty.
     */
    public static String foreign(Path dir, Kind kind) {
        List<Path> entries = entries(dir);
        if (entries.isEmpty()) return null;
        List<String> others = new ArrayList<>();
        for (Path p : entries) if (!belongs(p, kind)) others.add(p.getFileName() + (Files.isDirectory(p) ? "/" : ""));
        if (!others.isEmpty()) {
            for (Kind k : Kind.values()) {
                if (k != kind && foreignEntries(dir, k).isEmpty() && marked(dir, k)) {
                    return "it is " + k.noun + (k == Kind.RUNS ? " (other runs go inside it, beside the ones it holds)" : "");
                }
            }
            String named = String.join(", ", others.subList(0, Math.min(3, others.size())))
                    + (others.size() > 3 ? " and " + (others.size() - 3) + " more" : "");
            return "it holds " + named + ", which reweigh did not write";
        }
        if (!marked(dir, kind)) return "it has no provenance.json that reweigh wrote";
        return null;
    }

    /** The first of {@code path}, {@code path-2}, {@code path-3}, ... that does not exist or is empty: nothing is replaced there. */
    public static Path fresh(Path path) {
        Path candidate = path;
        for (int n = 2; Files.exists(candidate) && !(Files.isDirectory(candidate) && entries(candidate).isEmpty()); n++) {
            candidate = path.resolveSibling(path.getFileName() + "-" + n);
        }
        return candidate;
    }

    private static List<String> foreignEntries(Path dir, Kind kind) {
        return entries(dir).stream().filter(p -> !belongs(p, kind)).map(p -> p.getFileName().toString()).toList();
    }

    /** Whether one entry of a folder is something a folder of this kind holds. */
    private static boolean belongs(Path entry, Kind kind) {
        String name = entry.getFileName().toString();
        boolean file = Files.isRegularFile(entry);
        boolean dir = Files.isDirectory(entry);
        return switch (kind) {
            case RUN -> file && RUN_FILES.contains(name);
            case SWEEP -> file && SWEEP_FILES.contains(name);
            case EXPORT -> file && EXPORT_FILES.contains(name) && startsWith(entry, "PAR1", 0);
            case CACHE -> CACHE_ENTRY.matcher(name).matches();
            case RUNS -> LEFTOVER.matcher(name).matches()
                    || file && (name.equals("index.html") || name.equals("findings.md") || DATABASE.matcher(name).matches())
                    || dir && (name.equals(".cache") ? foreign(entry, Kind.CACHE) == null : madeByReweigh(entry));
        };
    }

    /**
     * A folder that belongs in a folder of runs: empty, or one reweigh wrote. A run or sweep folder counts even with
     * the user's own files added (its provenance.json still says reweigh wrote it), since {@code all} never replaces
     * the folder of runs itself, only the run folders it names, and each of those is checked in full.
     */
    private static boolean madeByReweigh(Path dir) {
        return entries(dir).isEmpty() || marked(dir, Kind.RUN) || marked(dir, Kind.SWEEP)
                || foreign(dir, Kind.EXPORT) == null || foreign(dir, Kind.RUNS) == null;
    }

    /** A run or sweep folder says so in its provenance.json; the other kinds are known by their entries alone. */
    private static boolean marked(Path dir, Kind kind) {
        return switch (kind) {
            case RUN -> Provenance.RUN_FORMAT.equals(format(dir)) || legacyRun(dir);
            case SWEEP -> Provenance.SWEEP_FORMAT.equals(format(dir)) || legacySweep(dir);
            case EXPORT, CACHE, RUNS -> !entries(dir).isEmpty();
        };
    }

    private static String format(Path dir) {
        JsonNode p = provenance(dir);
        return p == null ? null : p.path("format").asText(null);
    }

    /** A run folder written before provenance.json had a format key: it has the keys only reweigh writes. */
    private static boolean legacyRun(Path dir) {
        JsonNode p = provenance(dir);
        return p != null && !p.has("format") && p.has("reweigh_version") && p.has("spec_sha256") && p.has("timings_seconds");
    }

    /** A sweep folder written before sweeps wrote provenance.json: its one report, titled as reweigh titles sweeps. */
    private static boolean legacySweep(Path dir) {
        Path report = dir.resolve("report.html");
        if (!entries(dir).equals(List.of(report))) return false;
        try {
            String html = Files.readString(report, StandardCharsets.UTF_8);
            return html.contains("<title>Sweep: ") && html.contains("./reweigh sweep ");
        } catch (IOException e) {
            return false;
        }
    }

    private static JsonNode provenance(Path dir) {
        Path file = dir.resolve("provenance.json");
        if (!Files.isRegularFile(file)) return null;
        try {
            JsonNode p = Yaml.JSON.readTree(file.toFile());
            return p != null && p.isObject() ? p : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** DuckDB files carry "DUCK" at byte 8; an empty file is one DuckDB may initialise. */
    private static boolean isDuckDb(Path file) {
        try {
            return Files.isRegularFile(file) && (Files.size(file) == 0 || startsWith(file, "DUCK", 8));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean startsWith(Path file, String magic, int offset) {
        byte[] want = magic.getBytes(StandardCharsets.US_ASCII);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(offset + want.length);
            return head.length == offset + want.length && Arrays.equals(Arrays.copyOfRange(head, offset, head.length), want);
        } catch (IOException e) {
            return false;
        }
    }

    /** The nearest existing folder at or above {@code dir} must be a folder that can be written. */
    private static void requireWritable(String where, Path dir, String instead) throws SpecError {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return;
        if (!Files.isDirectory(existing)) throw new SpecError(where, "", existing + " is a file, not a folder; " + instead);
        if (!Files.isWritable(existing)) {
            throw new SpecError(where, "", "cannot write in " + existing + " (read-only or no permission); " + instead);
        }
    }

    private static List<Path> entries(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (IOException e) {
            return List.of(dir.resolve("(unreadable)"));
        }
    }
}
