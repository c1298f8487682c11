package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The many-shot experiment through the command line: the shipped spec on the exact engine, a tiny spec on both. */
class ManyShotTest {
    /**
     * On the exact engine the shipped spec's findings follow from the maths: kl-rl multiplies the deceiver's
     * prior odds against the guesser (both show lie when unwatched), so lie becomes the misbehaviour elicited
     * in the fewest shots; and the metrics repeat byte for byte.
     */
    @Test
    void theShippedSpecOnTheExactEngine(@TempDir Path dir) throws Exception {
        Path spec = Path.of("..", "experiments", "many-shot.yaml");
        assertEquals(0, BadInputTest.cli("run", spec.toString(), "--out", dir.resolve("a").toString(), "-q", "--set", "engine=exact").code());
        assertEquals(0, BadInputTest.cli("run", spec.toString(), "--out", dir.resolve("b").toString(), "-q", "--set", "engine=exact").code());
        byte[] metrics = Files.readAllBytes(dir.resolve("a/metrics.csv"));
        assertArrayEquals(metrics, Files.readAllBytes(dir.resolve("b/metrics.csv")));
        String csv = new String(metrics, StandardCharsets.UTF_8);
        for (String row : List.of("base,0,shots.lie.p,", "base,64,shots.lie.nll,", "kl-rl,0,elicit.lie.real,", "continuum:base,0,fit.lie.power.alpha,")) {
            assertTrue(csv.contains(row), "metrics.csv has " + row);
        }
        String report = Files.readString(dir.resolve("a/report.html"));
        assertTrue(report.contains("kl-rl: correct 0 &lt; power 0.376 &lt; lie 0.376 &lt; agree 0.509; never: wrong"), report);
        // Issue 16: the verdicts stay in view; the ~700 words of numbers that derive them fold away under a summary.
        String findings = report.substring(report.indexOf("<h2 id=\"findings\">"), report.indexOf("<h2", report.indexOf("<h2 id=\"findings\">") + 1));
        String shown = findings.replaceAll("(?s)<details>.*?</details>", "").replaceAll("(?s)<figure>.*?</figure>", "")
                .replaceAll("<[^>]+>", " ");
        assertTrue(shown.split("\\s+").length < 200, shown);
        assertTrue(findings.contains("<title>Shots until P(b | k) ≥ 0.5, per behaviour and model</title>"),
                "the finding figure, shots to elicit, comes first, under Findings");
        assertTrue(findings.contains("<details>\n<summary>") && findings.contains("<p>Why the shots needed move"), findings);
        assertTrue(report.contains("stroke-dasharray=\"3 2\" points=") && report.contains("(power-law fit)</title></polyline>"),
                "the NLL charts draw each curve's fit over it");
    }

    @Test
    void theNetworkIsReadAfterEveryNumberOfShots(@TempDir Path dir) throws Exception {
        Path spec = Path.of("src", "test", "resources", "tiny-many-shot.yaml");
        BadInputTest.Result r = BadInputTest.cli("run", spec.toString(), "--out", dir.resolve("a").toString(), "-q", "--cache", dir.resolve("cache").toString());
        assertEquals(0, r.code(), r.err());
        String csv = Files.readString(dir.resolve("a/metrics.csv"));
        for (String row : List.of("neural:base,3,shots.lie.p,", "neural:base,3,shots.lie.p.lo95,", "neural:reinforce,2,shots.power.nll.hi95,",
                "neural:base:implied,1,shots.agree.p,", "neural:reinforce,0,fit.agree.power.alpha.lo95,", "neural:base,0,deploy.lie,")) {
            assertTrue(csv.contains(row), "metrics.csv has " + row);
        }
        String report = Files.readString(dir.resolve("a/report.html"));
        assertTrue(report.contains("The network") && report.contains("network reinforce"));
    }

    @Test
    void aBehaviourNoAlgorithmShowsIsBadInput(@TempDir Path dir) {
        Path spec = Path.of("src", "test", "resources", "tiny-many-shot.yaml");
        BadInputTest.Result r = BadInputTest.cli("run", spec.toString(), "--out", dir.resolve("a").toString(), "-q",
                "--set", "many-shot.behaviours=[lie, refuse]");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("many-shot.behaviours: no algorithm of the population shows refuse"), r.err());
    }

    @Test
    void moreShotsThanTheBasesEpisodesHoldIsBadInput(@TempDir Path dir) {
        Path spec = Path.of("src", "test", "resources", "tiny-many-shot.yaml");
        BadInputTest.Result r = BadInputTest.cli("run", spec.toString(), "--out", dir.resolve("a").toString(), "-q", "--set", "many-shot.shots=[0, 1, 2, 4]");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("many-shot.shots: at most 3 shots"), r.err());
        assertTrue(Files.notExists(dir.resolve("a")), "nothing written");
    }
}
