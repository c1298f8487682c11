package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command that writes refuses a place it did not write: exit 2, one line that says why and what to use
 * instead, and every file that was there still there, byte for byte. Each case runs the command line in a child
 * JVM whose working folder is a scratch copy of a repository (so {@code .} and {@code ..} mean that copy and the
 * folder around it, never this repository) holding an earlier run, its database and a folder of the user's own.
 */
class OutPathTest {
    /** The paths a new user tried (issue 17), each with what the message must say. */
    static final List<Arguments> PATHS = List.of(
            Arguments.of(".", "the current folder"),
            Arguments.of("..", "a folder that holds the current folder"),
            Arguments.of("", "an empty path"),
            Arguments.of("runs", "it is a folder of runs"),
            Arguments.of("t", "it holds precious.txt, small.yaml, which reweigh did not write"),
            Arguments.of("runs/reweigh.duckdb", "a file, not a folder"),
            Arguments.of("/", "the file-system root"));

    /** (command, its arguments with OUT for the path under test) */
    static final Map<String, List<String>> COMMANDS = Map.of(
            "run", List.of("run", "t/small.yaml", "--out", "OUT", "-q"),
            "sweep", List.of("sweep", "t/small.yaml", "--grid", "evaluator.detect=0,1", "--out", "OUT", "-q"),
            "export", List.of("export", "--parquet", "OUT"),
            "all", List.of("all", "--specs", "t", "--out", "OUT", "-q"));

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (String command : List.of("run", "sweep", "export", "all")) {
            for (Arguments p : PATHS) {
                String path = (String) p.get()[0];
                String why = (String) p.get()[1];
                if (command.equals("all") && path.equals("runs")) continue; // all's --out is a folder of runs: runs is its default
                List<String> args = COMMANDS.get(command).stream().map(a -> a.equals("OUT") ? path : a).toList();
                String option = command.equals("export") ? "--parquet" : "--out";
                cases.add(Arguments.of(command + " " + option + " '" + path + "'", args,
                        List.of(option + " " + (path.isEmpty() ? "''" : path) + ": ", why, "instead, e.g. ")));
            }
        }
        cases.add(Arguments.of("run --db runs (a folder)", List.of("run", "t/small.yaml", "--db", "runs", "-q"),
                List.of("--db runs: a folder; the results database is a file, e.g. --db runs/reweigh.duckdb")));
        cases.add(Arguments.of("run --db t/precious.txt (not a database)", List.of("run", "t/small.yaml", "--db", "t/precious.txt", "-q"),
                List.of("--db t/precious.txt: not a DuckDB database")));
        cases.add(Arguments.of("run --cache t (a folder of the user's)", List.of("run", "t/small.yaml", "--cache", "t", "-q"),
                List.of("--cache t: not a cache of pretrained models: it holds precious.txt")));
        cases.add(Arguments.of("run --out under a file", List.of("run", "t/small.yaml", "--out", "t/precious.txt/run", "-q"),
                List.of("--out t/precious.txt/run: ", "precious.txt is a file, not a folder")));
        cases.add(Arguments.of("run --out a run folder with the user's notes in it",
                List.of("run", "t/small.yaml", "--out", "runs/noted", "-q"), List.of("--out runs/noted: not a run folder: it holds notes.txt")));
        cases.add(Arguments.of("run --out the database it is about to create",
                List.of("run", "t/small.yaml", "--out", "runs/new.duckdb", "--db", "runs/new.duckdb", "-q"),
                List.of("--out runs/new.duckdb: is the results database")));
        cases.add(Arguments.of("sweep --out a folder that would hold the database",
                List.of("sweep", "t/small.yaml", "--grid", "evaluator.detect=0,1", "--out", "runs/s", "--db", "runs/s/r.duckdb", "-q"),
                List.of("--out runs/s: holds the results database")));
        cases.add(Arguments.of("export --db a folder", List.of("export", "--parquet", "runs/parquet", "--db", "t"),
                List.of("--db t: a folder; the results database is a file")));
        return cases.stream();
    }

    /** Shared by every case: each must leave it exactly as it was, so one that did not also shows in the cases after it. */
    @TempDir static Path around;
    static Path repo;

    @BeforeAll
    static void scratch() throws IOException { repo = scratchRepository(around); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithExitTwoAndOneLineAndEveryFileKept(String what, List<String> args, List<String> expected) throws Exception {
        Map<String, String> before = hashes(around);
        Child r = inChild(repo, args);
        assertEquals(2, r.code, what + ": " + r.err);
        String message = r.err.trim();
        assertEquals(1, message.lines().count(), "one line: " + message);
        assertTrue(message.startsWith("reweigh: "), message);
        for (String e : expected) assertTrue(message.contains(e), what + ": expected '" + e + "' in: " + message);
        assertEquals("", r.out, "no work started");
        assertEquals(before, hashes(around), "every file that was there is still there, byte for byte, and nothing was added");
    }

    /**
     * What may be replaced is: a run folder by the same run, and a folder of runs by {@code all}, which writes only
     * its run folders, index.html and findings.md there and leaves the rest (a run folder with the user's notes, a sweep, an
     * export, the database's other runs) as it was.
     */
    @Test
    void aRunFolderAndAFolderOfRunsAreReplacedWhereReweighWroteThemAndNowhereElse(@TempDir Path elsewhere) throws Exception {
        Path scratch = scratchRepository(elsewhere);
        Map<String, String> before = hashes(scratch);
        Child run = inChild(scratch, List.of("run", "t/small.yaml", "--out", "runs/small", "-q"));
        assertEquals(0, run.code, run.err);
        Child all = inChild(scratch, List.of("all", "--specs", "t", "--out", "runs", "-q"));
        assertEquals(0, all.code, all.err);
        Map<String, String> after = hashes(scratch);
        for (Map<String, String> m : List.of(before, after)) {
            m.keySet().removeIf(name -> name.startsWith("runs/small") || name.startsWith("runs/reweigh.duckdb") || name.equals("runs/index.html")
                    || name.equals("runs/findings.md"));
        }
        assertEquals(before, after, "only runs/small, index.html, findings.md and the database changed");
        assertTrue(Files.readString(scratch.resolve("runs/small/provenance.json")).contains(reweigh.run.Provenance.RUN_FORMAT));
        assertEquals("what I saw\n", Files.readString(scratch.resolve("runs/noted/notes.txt")));
    }

    /**
     * {@code around/repo}: a pom.xml, the launcher, sources, the user's folder {@code t} (a spec and a precious file),
     * and {@code runs} with an earlier run, a run folder the user added notes to, a sweep, an export and the database.
     */
    static Path scratchRepository(Path around) throws IOException {
        Path repo = Files.createDirectories(around.resolve("repo"));
        Files.copy(Path.of("..", "pom.xml"), repo.resolve("pom.xml"));
        Files.copy(Path.of("..", "reweigh"), repo.resolve("reweigh"));
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/Notes.java"), "class Notes {}\n");
        Path t = Files.createDirectories(repo.resolve("t"));
        Files.writeString(t.resolve("precious.txt"), "six months of notes\n");
        Files.writeString(t.resolve("small.yaml"), BadInputTest.VALID);
        Path runs = repo.resolve("runs");
        String db = runs.resolve("reweigh.duckdb").toString();
        run("run", t.resolve("small.yaml").toString(), "--out", runs.resolve("small").toString(), "--db", db, "-q");
        run("run", t.resolve("small.yaml").toString(), "--out", runs.resolve("noted").toString(), "--db", db, "-q");
        Files.writeString(runs.resolve("noted/notes.txt"), "what I saw\n");
        run("sweep", t.resolve("small.yaml").toString(), "--grid", "evaluator.detect=0,1", "--out", runs.resolve("sweep-small").toString(),
                "--db", db, "-q");
        run("export", "--parquet", runs.resolve("parquet").toString(), "--db", db);
        return repo;
    }

    private static void run(String... args) {
        BadInputTest.Result r = BadInputTest.cli(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
    }

    /** Every file under root (relative path) with its SHA-256; folders as "dir". */
    static Map<String, String> hashes(Path root) throws Exception {
        Map<String, String> hashes = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String name = root.relativize(p).toString();
                hashes.put(name, Files.isDirectory(p) ? "dir" : HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
            }
        }
        return hashes;
    }

    record Child(int code, String out, String err) {}

    /** The command line in a child JVM working in {@code dir}: the only way to give {@code .} another meaning. */
    static Child inChild(Path dir, List<String> args) throws Exception {
        List<String> classPath = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            classPath.add(Path.of(entry).toAbsolutePath().toString());
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", String.join(java.io.File.pathSeparator, classPath),
                Main.class.getName()));
        command.addAll(args);
        Path out = Files.createTempFile("reweigh-child-", ".out");
        Path err = Files.createTempFile("reweigh-child-", ".err");
        try {
            Process child = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!child.waitFor(120, TimeUnit.SECONDS)) {
                child.destroyForcibly();
                throw new AssertionError("the child did not finish: " + command);
            }
            return new Child(child.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
