package reweigh.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reweigh.population.Algorithm;
import reweigh.population.Behaviour;
import reweigh.population.Dist;
import reweigh.population.Response;
import reweigh.world.Check;
import reweigh.world.Context;

/** A researcher's own algorithm: a record implementing Algorithm, named by class in a spec. */
class UserAlgorithmTest {
    /** Contradicts the user: correct when the claim is wrong, otherwise an honest-looking mistake. */
    public record Contrarian(double error) implements Algorithm {
        public static final Contrarian DEFAULTS = new Contrarian(0.1);
        public Contrarian { Check.probability("error", error); }

        public Dist respond(Context x) {
            return x.claimWrong() ? Dist.of(Response.CORRECT, 1 - error, Response.WRONG, error) : Dist.of(Behaviour.WRONG);
        }
    }

    /** Has no DEFAULTS: a spec sets its one parameter. */
    public record Stubborn(double claim) implements Algorithm {
        public Dist respond(Context x) { return Dist.of(Behaviour.WRONG); }
    }

    static final String SPEC = """
            experiment: odds-ratio
            population:
              honest: {kind: honest, weight: 0.5}
              contrarian: {kind: reweigh.spec.UserAlgorithmTest$Contrarian, weight: 0.5%s}
            finetune: [{method: kl-rl}]
            odds: [honest, contrarian]
            """;

    @Test
    void aUserRecordIsBuiltFromTheSpecWithDefaultsAndChecks() throws Exception {
        SpecReader reader = new SpecReader(Set.of("odds-ratio"));
        Spec spec = reader.resolve(Source.parse("s.yaml", SPEC.formatted("")));
        assertEquals(new Contrarian(0.1), spec.population().get(1).algorithm());
        Spec set = reader.resolve(Source.parse("s.yaml", SPEC.formatted(", error: 0.3")));
        assertEquals(new Contrarian(0.3), set.population().get(1).algorithm());
        SpecError e = assertThrows(SpecError.class, () -> reader.resolve(Source.parse("s.yaml", SPEC.formatted(", error: 3"))));
        assertTrue(e.getMessage().startsWith("s.yaml:4: population.contrarian.error: must be a probability"), e.getMessage());
        SpecError unknown = assertThrows(SpecError.class, () -> reader.resolve(Source.parse("s.yaml", SPEC.formatted(", eror: 0.3"))));
        assertTrue(unknown.getMessage().contains("allowed: error"), unknown.getMessage());
        assertEquals(List.of("honest", "contrarian"), spec.population().names());
    }

    @Test
    void theClassesOfABuildThatImplementAlgorithmAreFoundWithTheirDefaults(@TempDir Path dir) throws Exception {
        Path classes = Path.of(UserAlgorithmTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ClassLoader loader = UserAlgorithmTest.class.getClassLoader();
        List<UserAlgorithms.Found> inFolder = UserAlgorithms.in(classes, loader);
        assertEquals(List.of(new UserAlgorithms.Found(Contrarian.class, new Contrarian(0.1)), new UserAlgorithms.Found(Stubborn.class, null)),
                inFolder.stream().filter(f -> f.kind().startsWith(UserAlgorithmTest.class.getName())).toList());
        assertTrue(inFolder.stream().noneMatch(f -> f.type().getPackageName().equals("reweigh.population")),
                "core's built-in kinds are not in this build's classes");
        // the shipped command reads a jar: the same classes, copied into one, are found the same way
        Path jar = dir.resolve("lab.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Class<?> c : List.of(Contrarian.class, Stubborn.class, UserAlgorithmTest.class)) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                out.write(Files.readAllBytes(classes.resolve(entry)));
                out.closeEntry();
            }
        }
        assertEquals(List.of("reweigh.spec.UserAlgorithmTest$Contrarian", "reweigh.spec.UserAlgorithmTest$Stubborn"),
                UserAlgorithms.in(jar, loader).stream().map(UserAlgorithms.Found::kind).toList());
    }

    @Test
    void aClassThatIsNotAnAlgorithmIsRefused() {
        SpecReader reader = new SpecReader(Set.of("odds-ratio"));
        String text = SPEC.formatted("").replace("reweigh.spec.UserAlgorithmTest$Contrarian", "java.lang.String");
        SpecError e = assertThrows(SpecError.class, () -> reader.resolve(Source.parse("s.yaml", text)));
        assertTrue(e.getMessage().contains("does not implement reweigh.population.Algorithm"), e.getMessage());
    }
}
