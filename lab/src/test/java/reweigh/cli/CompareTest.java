package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reweigh compare A B}: what changed between two run folders, from their files alone. */
class CompareTest {

    private static Path run(Path dir, String name, String spec, String csv) throws Exception {
        Path run = Files.createDirectories(dir.resolve(name));
        Files.writeString(run.resolve("spec.yaml"), spec);
        Files.writeString(run.resolve("metrics.csv"), "series,step,metric,value\n" + csv);
        return run;
    }

    @Test
    void itNamesTheSpecKeysTheVerdictsAndTheNumbersThatChanged(@TempDir Path dir) throws Exception {
        Path a = run(dir, "a", "experiment: deployment\nneural: {seed: 1, replicates: 2}\n", """
                neural:reinforce,0,verdict.inconclusive,1
                neural:reinforce,200,deploy.lie,0.12
                neural:reinforce,200,deploy.lie.lo95,0.05
                neural:reinforce,200,deploy.lie.hi95,0.19
                neural:base,0,deploy.lie,0.18
                neural:reinforce@seed1,200,deploy.lie,0.1
                """);
        Path b = run(dir, "b", "experiment: deployment\nneural: {seed: 1001, replicates: 2}\n", """
                neural:reinforce,0,verdict.below,1
                neural:reinforce,200,deploy.lie,0.105
                neural:reinforce,200,deploy.lie.lo95,0.08
                neural:reinforce,200,deploy.lie.hi95,0.13
                neural:base,0,deploy.lie,0.18
                neural:reinforce@seed1001,200,deploy.lie,0.1
                """);
        Path page = dir.resolve("compare.html");
        BadInputTest.Result r = BadInputTest.cli("compare", a.toString(), b.toString(), "--html", page.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  neural.seed: 1 → 1001\n"), r.out());
        assertFalse(r.out().contains("replicates:"), "an unchanged key is not listed: " + r.out());
        assertTrue(r.out().contains("  neural:reinforce: inconclusive → below both predictions\n"), r.out());
        assertTrue(r.out().contains("numbers: 1 changed, 1 the same"), r.out());
        assertTrue(r.out().contains("  neural:reinforce deploy.lie: 0.12 [0.05, 0.19] → 0.105 [0.08, 0.13] (-0.015)\n"), r.out());
        assertTrue(r.out().contains("only in A: neural:reinforce@seed1\n") && r.out().contains("only in B: neural:reinforce@seed1001\n"), r.out());
        String html = Files.readString(page);
        assertTrue(html.contains("<td>neural:reinforce</td>") && html.contains("0.105 [0.08, 0.13]"), html);
    }

    @Test
    void aFolderThatIsNotARunAndAnHtmlPathThatIsAFolderAreRefused(@TempDir Path dir) throws Exception {
        Path a = run(dir, "a", "experiment: odds-ratio\n", "x,0,m,1\n");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        BadInputTest.Result r = BadInputTest.cli("compare", a.toString(), empty.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a run folder: it has no metrics.csv"), r.err());
        BadInputTest.Result html = BadInputTest.cli("compare", a.toString(), a.toString(), "--html", dir.toString());
        assertEquals(2, html.code());
        assertTrue(html.err().contains("--html") && html.err().contains("must name an .html file"), html.err());
        assertEquals(0, BadInputTest.cli("compare", a.toString(), a.toString()).code(), "a run against itself: nothing changed");
    }
}
