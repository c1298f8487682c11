package reweigh.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.util.Map;
import reweigh.spec.SpecError;

/**
 * Writes a run's files all at once: into a hidden temporary folder beside the target, then renamed
 * into place. A run that fails or is killed leaves no half-written folder under the target's name.
 */
public final class RunFolder {
    private RunFolder() {}

    /** What goes into a folder: written into a temporary folder that is then renamed into place. */
    public interface Contents {
        void writeInto(Path folder) throws IOException, SQLException;
    }

    /** A run folder of these files (name to text). */
    public static void write(Path target, Map<String, String> files) throws IOException, SpecError {
        write(target, Destination.Kind.RUN, files);
    }

    /** A folder of this kind holding these files (name to text). */
    public static void write(Path target, Destination.Kind kind, Map<String, String> files) throws IOException, SpecError {
        try {
            replace(target, kind, tmp -> {
                for (Map.Entry<String, String> f : files.entrySet()) {
                    Path file = tmp.resolve(f.getKey());
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, f.getValue(), StandardCharsets.UTF_8);
                    readable(file, "rw-r--r--");
                }
            });
        } catch (SQLException e) {
            throw new IllegalStateException(e); // writing text files touches no database
        }
    }

    /**
     * Writes a folder of this kind in full beside {@code target}, then renames it into place. An existing target is
     * checked again just before it is replaced ({@link Destination#foreign}): had someone put a file of their own
     * into it while the work ran, it is left as it is and the new folder is not written.
     */
    public static void replace(Path target, Destination.Kind kind, Contents contents) throws IOException, SQLException, SpecError {
        Path dir = target.toAbsolutePath().normalize();
        Path parent = dir.getParent();
        Files.createDirectories(parent);
        String name = dir.getFileName().toString();
        clearStale(parent, "." + name + ".tmp-");
        Path tmp = Files.createTempDirectory(parent, "." + name + ".tmp-");
        try {
            readable(tmp, "rwxr-xr-x");
            contents.writeInto(tmp);
            Path old = null;
            if (Files.exists(dir)) {
                String foreign = Files.isDirectory(dir) ? Destination.foreign(dir, kind) : "it is a file";
                if (foreign != null) throw new SpecError(target.toString(), "", "not " + kind.noun() + " any more: " + foreign
                        + "; left as it is, and nothing was written");
                old = parent.resolve("." + name + ".old-" + ProcessHandle.current().pid());
                reweigh.io.Trees.delete(old);
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) reweigh.io.Trees.delete(old);
        } catch (IOException | SQLException | SpecError | RuntimeException e) {
            try {
                reweigh.io.Trees.delete(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Leftovers of runs that were killed while writing. */
    private static void clearStale(Path parent, String prefix) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : s) reweigh.io.Trees.delete(p);
        }
    }

    /** One file, written beside itself and renamed into place. */
    public static void writeFile(Path file, String content) throws IOException {
        Path f = file.toAbsolutePath().normalize();
        Files.createDirectories(f.getParent());
        Path tmp = Files.createTempFile(f.getParent(), "." + f.getFileName() + ".tmp-", "");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            readable(tmp, "rw-r--r--");
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Temporary files are private to their owner; results are for everyone who can read the folder. */
    private static void readable(Path p, String permissions) throws IOException {
        if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
        }
    }
}
