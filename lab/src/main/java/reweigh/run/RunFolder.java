package reweigh.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a run's files all at once: into a hidden temporary folder beside the target, then renamed
 * into place. A run that fails or is killed leaves no half-written folder under the target's name.
 */
public final class RunFolder {
    private RunFolder() {}

    public static void write(Path target, Map<String, String> files) throws IOException {
        Path dir = target.toAbsolutePath().normalize();
        Path parent = dir.getParent();
        Files.createDirectories(parent);
        String name = dir.getFileName().toString();
        clearStale(parent, "." + name + ".tmp-");
        Path tmp = Files.createTempDirectory(parent, "." + name + ".tmp-");
        try {
            readable(tmp, "rwxr-xr-x");
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path file = tmp.resolve(f.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, f.getValue(), StandardCharsets.UTF_8);
                readable(file, "rw-r--r--");
            }
            Path old = null;
            if (Files.exists(dir)) {
                old = parent.resolve("." + name + ".old-" + ProcessHandle.current().pid());
                deleteTree(old);
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) deleteTree(old);
        } catch (IOException | RuntimeException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    /** Leftovers of runs that were killed while writing. */
    private static void clearStale(Path parent, String prefix) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : s) deleteTree(p);
        }
    }

    /** Deletes a folder and everything in it; nothing when it does not exist. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
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
