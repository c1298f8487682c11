package reweigh.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import reweigh.spec.Yaml;

/** Where a result came from: seed, spec hash, code version, JDK, library versions, timings. */
public final class Provenance {
    private Provenance() {}

    /** The {@code format} of a run folder's provenance.json: what marks a folder as one reweigh may replace. */
    public static final String RUN_FORMAT = "reweigh-run-1";
    /**
     * A run's {@code metrics_version}: 2 when its metrics.csv holds every number its report states, so {@code reweigh
     * report} can render the page again from it; runs written before there was such a thing have none.
     */
    public static final int METRICS_VERSION = 2;
    /** The {@code format} of a sweep folder's provenance.json. */
    public static final String SWEEP_FORMAT = "reweigh-sweep-1";

    /** @param specSha256 the resolved spec's hash, as the results database keys runs by it */
    public static String json(long seed, String specSha256, Instant started, Instant finished, ObjectNode timings) {
        ObjectNode p = Yaml.JSON.createObjectNode();
        p.put("format", RUN_FORMAT);
        p.put("metrics_version", METRICS_VERSION);
        p.put("seed", seed);
        p.put("spec_sha256", specSha256);
        p.put("git_commit", gitCommit(Path.of("").toAbsolutePath()));
        p.put("reweigh_version", version());
        ObjectNode jdk = p.putObject("jdk");
        jdk.put("version", System.getProperty("java.version"));
        jdk.put("vendor", System.getProperty("java.vendor"));
        jdk.put("vm", System.getProperty("java.vm.name"));
        ObjectNode os = p.putObject("os");
        os.put("name", System.getProperty("os.name"));
        os.put("arch", System.getProperty("os.arch"));
        os.put("processors", Runtime.getRuntime().availableProcessors());
        os.put("cpu", Machine.cpu());
        os.put("vectors", Machine.vectors()); // which kernels libtorch picks, so which networks a seed draws (Machine)
        ObjectNode libs = p.putObject("libraries");
        libs.put("jackson", com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
        libs.put("picocli", picocli.CommandLine.VERSION);
        p.put("started", started.toString());
        p.put("finished", finished.toString());
        p.put("wall_seconds", (finished.toEpochMilli() - started.toEpochMilli()) / 1000.0);
        p.set("timings_seconds", timings);
        return text(p);
    }

    private static String text(ObjectNode p) {
        try {
            return Yaml.JSON.writeValueAsString(p) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A sweep folder's provenance.json: which sweep, the command that plans it again, the code that wrote it. */
    public static String sweepJson(String sweep, String command, Instant written) {
        ObjectNode p = Yaml.JSON.createObjectNode();
        p.put("format", SWEEP_FORMAT);
        p.put("sweep", sweep);
        p.put("command", command);
        p.put("git_commit", gitCommit(Path.of("").toAbsolutePath()));
        p.put("reweigh_version", version());
        p.put("written", written.toString());
        return text(p);
    }

    public static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String version() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The commit checked out in the nearest enclosing git repository, read from .git without running git. */
    static String gitCommit(Path from) {
        for (Path dir = from; dir != null; dir = dir.getParent()) {
            Path git = dir.resolve(".git");
            try {
                if (Files.isRegularFile(git)) { // a worktree: "gitdir: <path>"
                    String line = Files.readString(git).trim();
                    if (line.startsWith("gitdir:")) git = dir.resolve(line.substring(7).trim());
                }
                if (!Files.isDirectory(git)) continue;
                String head = Files.readString(git.resolve("HEAD")).trim();
                if (!head.startsWith("ref:")) return head;
                String ref = head.substring(4).trim();
                Path common = git;
                if (Files.isRegularFile(git.resolve("commondir"))) common = git.resolve(Files.readString(git.resolve("commondir")).trim()).normalize();
                for (Path base : new Path[] {git, common}) {
                    Path refFile = base.resolve(ref);
                    if (Files.isRegularFile(refFile)) return Files.readString(refFile).trim();
                    Path packed = base.resolve("packed-refs");
                    if (Files.isRegularFile(packed)) {
                        for (String l : Files.readAllLines(packed)) if (l.endsWith(" " + ref)) return l.substring(0, l.indexOf(' '));
                    }
                }
                return "unknown";
            } catch (IOException e) {
                return "unknown";
            }
        }
        return "unknown";
    }
}
