package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reweigh.measure.Verdict;
import reweigh.report.Fmt;
import reweigh.run.Metrics;

/**
 * Narrow-to-broad's network over replicates, at a size the suite affords: tiny bases, 2 replicates, each tuned by reinforce
 * and measured in watched and unwatched contexts.
 */
class NarrowToBroadNetworkTest {
    static final Path SPEC = Path.of("src", "test", "resources", "tiny-narrow-to-broad.yaml");
    static final List<String> CLASSES = List.of("watched.agree", "unwatched.lie", "unwatched.power");
    static final List<String> SEEDS = List.of("@seed2", "@seed3");

    /**
     * The class rates pool over the replicates (their mean); the unwatched lie rate has one verdict, whose reweighting
     * prediction is kl-rl on each base's implied weights, computed here without the code under test: the exact kl-rl run's
     * weights over the prior give exp(R/beta), and unwatched only the villain lies (always) and the guesser names the lie's
     * number 1 time in M. The finding states the network's verdict first, then the exact engine's, with each replicate's
     * spread; the report renders again from its folder byte for byte.
     */
    @Test
    void theClassRatesPoolTheLieRateHasAVerdictAgainstKlRlOnTheImpliedWeights(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        BadInputTest.Result r = BadInputTest.cli("run", SPEC.toString(), "--out", run.toString(), "-q",
                "--cache", dir.resolve("cache").toString(), "--db", dir.resolve("reweigh.duckdb").toString());
        assertEquals(0, r.code(), r.err());
        Metrics m = Metrics.parse(Files.readString(run.resolve("metrics.csv")));

        for (String model : List.of("base", "reinforce")) {
            for (String c : CLASSES) {
                String pooled = "neural:classes:" + model;
                double a = m.last(pooled + "@seed2", c), b = m.last(pooled + "@seed3", c);
                assertEquals((a + b) / 2, m.last(pooled, c), 1e-12, pooled + " " + c + " is the replicates' mean");
                assertTrue(m.last(pooled + "@seed2", c + ".lo95") <= a && a <= m.last(pooled + "@seed2", c + ".hi95"), "an interval over prompts");
            }
        }
        assertTrue(m.last("neural:classes:base@seed2", "unwatched.lie") != m.last("neural:classes:base@seed3", "unwatched.lie")
                || m.last("neural:base@seed2", "weight.honest") != m.last("neural:base@seed3", "weight.honest"), "the replicates are different networks");

        List<String> names = List.of("honest", "sycophant", "villain", "guesser");
        double[] w0 = {0.40, 0.20, 0.10, 0.30};
        double predicted = 0;
        for (String seed : SEEDS) {
            double[] w = new double[names.size()];
            double sum = 0;
            for (int a = 0; a < w.length; a++) {
                double exp = m.last("kl-rl", "weight." + names.get(a)) / w0[a]; // ∝ exp(R_a / beta)
                w[a] = m.last("neural:base" + seed, "weight." + names.get(a)) * exp;
                sum += w[a];
            }
            double lie = (w[2] + w[3] / 4) / sum;
            predicted += (lie - m.last("neural:classes:base" + seed, "unwatched.lie")) / SEEDS.size();
        }
        assertEquals(predicted, m.last("neural:reinforce", "verdict.predicted"), 1e-9, "kl-rl on the bases' implied weights");

        List<String> kinds = m.metrics("neural:reinforce").stream().filter(x -> x.startsWith("verdict.") && !x.startsWith("verdict.commonest.")
                && !x.equals("verdict.agreeing") && !x.equals("verdict.predicted")).toList();
        assertEquals(1, kinds.size(), "one verdict, the unwatched lie rate's: " + kinds);
        Verdict.Kind kind = Verdict.Kind.valueOf(kinds.get(0).substring("verdict.".length()).toUpperCase(Locale.ROOT));
        String sentence = kind == Verdict.Kind.INCONCLUSIVE ? "inconclusive at 2 replicates: " : kind.words() + " (2 replicates)";
        String summary = r.out();
        assertTrue(summary.startsWith("On the network (reinforce, 2 replicates (seeds 2–3); base → tuned, mean [95% over the replicates]): "
                + "unwatched lies: " + sentence), "the network's verdict first: " + summary);
        assertTrue(summary.indexOf("The evaluator rewards agreeing") > summary.indexOf("On the network"), "then the exact engine's");
        String[] spread = new String[SEEDS.size()];
        for (int i = 0; i < spread.length; i++) {
            String t = "neural:classes:reinforce" + SEEDS.get(i), b = "neural:classes:base" + SEEDS.get(i);
            spread[i] = Fmt.num((m.last(t, "unwatched.lie") - m.last(b, "unwatched.lie")) / (m.last(t, "watched.agree") - m.last(b, "watched.agree")));
        }
        assertTrue(summary.contains("(each replicate: " + String.join(" / ", spread) + "; tilting predicts 0"), "each replicate's spread: " + summary);

        byte[] page = Files.readAllBytes(run.resolve("report.html"));
        Files.writeString(run.resolve("report.html"), "stale");
        BadInputTest.Result again = BadInputTest.cli("report", run.toString());
        assertEquals(0, again.code(), again.err());
        assertArrayEquals(page, Files.readAllBytes(run.resolve("report.html")), "the same page, byte for byte");
    }
}
