package reweigh.spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import reweigh.population.Algorithm;

/**
 * The algorithms a researcher wrote: classes implementing {@link Algorithm} in the application's own code
 * ({@code lab/src/main/java}, built into {@code lab/target/reweigh.jar}), which a spec names by class as its
 * {@code kind}. The built-in kinds live in core and are not among them.
 */
public final class UserAlgorithms {
    private UserAlgorithms() {}

    /** A class a spec can name, with its {@code DEFAULTS} (null when it has none: every parameter is then required). */
    public record Found(Class<? extends Algorithm> type, Algorithm defaults) {
        public String kind() { return type.getName(); }
    }

    /** Those in the jar or classes folder this code was loaded from. */
    public static List<Found> onClassPath() {
        try {
            java.security.CodeSource source = UserAlgorithms.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) return List.of(); // loaded from nowhere we can list
            return in(Path.of(source.getLocation().toURI()), UserAlgorithms.class.getClassLoader());
        } catch (URISyntaxException | SecurityException | IllegalArgumentException unreadableSource) {
            return List.of();
        }
    }

    /** Those in a jar or a classes folder, loaded (not initialised) through {@code loader}, sorted by name. */
    public static List<Found> in(Path root, ClassLoader loader) {
        List<Found> found = new ArrayList<>();
        for (String name : classNames(root)) {
            Class<?> c;
            try {
                c = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError unloadable) {
                continue;
            }
            if (!Algorithm.class.isAssignableFrom(c) || c.isInterface() || Modifier.isAbstract(c.getModifiers())
                    || !Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass()) continue;
            Class<? extends Algorithm> type = c.asSubclass(Algorithm.class);
            found.add(new Found(type, defaults(type)));
        }
        found.sort(Comparator.comparing(Found::kind));
        return found;
    }

    /** The class's {@code public static final DEFAULTS} of its own type, or null: a spec may then omit parameters. */
    public static Algorithm defaults(Class<? extends Algorithm> type) {
        try {
            Object d = type.getField("DEFAULTS").get(null);
            return type.isInstance(d) ? (Algorithm) d : null;
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private static List<String> classNames(Path root) {
        try {
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.walk(root)) {
                    return files.filter(p -> p.toString().endsWith(".class"))
                            .map(p -> root.relativize(p).toString().replace(root.getFileSystem().getSeparator(), "/"))
                            .map(UserAlgorithms::className).filter(n -> n != null).sorted().toList();
                }
            }
            if (!Files.isRegularFile(root)) return List.of();
            try (JarFile jar = new JarFile(root.toFile())) {
                return jar.stream().map(e -> className(e.getName())).filter(n -> n != null).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the classes in " + root, e);
        }
    }

    /** {@code mylab/Contrarian.class} → {@code mylab.Contrarian}; null for anything that is not a class file. */
    private static String className(String entry) {
        if (!entry.endsWith(".class") || entry.endsWith("module-info.class") || entry.endsWith("package-info.class")) return null;
        return entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
    }
}
