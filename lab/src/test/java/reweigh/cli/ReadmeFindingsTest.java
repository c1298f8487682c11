package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README quotes the network's findings only from {@code docs/findings.md}, the committed copy of the
 * {@code findings.md} that {@code ./reweigh all} writes: every line between the README's markers
 * {@code <!-- quoted from docs/findings.md -->} and {@code <!-- end of quote -->} must appear there
 * word for word, so a figure in the README is one the run printed.
 */
class ReadmeFindingsTest {
    static final String OPEN = "<!-- quoted from docs/findings.md -->";
    static final String CLOSE = "<!-- end of quote -->";

    @Test
    void everyQuotedLineOfTheReadmeIsInTheCommittedFindings() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String findings = Files.readString(Path.of("..", "docs", "findings.md"));
        List<String> quoted = new ArrayList<>();
        int at = 0;
        while ((at = readme.indexOf(OPEN, at)) >= 0) {
            int end = readme.indexOf(CLOSE, at);
            assertTrue(end > 0, "a quote opened at offset " + at + " is closed");
            readme.substring(at + OPEN.length(), end).lines().map(l -> l.replaceFirst("^> ?", "").strip())
                    .filter(l -> !l.isEmpty()).forEach(quoted::add);
            at = end;
        }
        assertFalse(quoted.isEmpty(), "the README quotes the findings somewhere");
        for (String line : quoted) assertTrue(findings.contains(line), "docs/findings.md holds the README's line: " + line);
        // a quoted heading with its finding lost (it happened: af60df9 kept three headings and no paragraph) quotes nothing
        for (int i = 0; i < quoted.size(); i++) {
            if (!quoted.get(i).startsWith("## ")) continue;
            assertTrue(i + 1 < quoted.size() && !quoted.get(i + 1).startsWith("## "), "the README quotes the finding under " + quoted.get(i));
            String paragraph = paragraphAfter(findings, quoted.get(i));
            assertTrue(paragraph.equals(quoted.get(i + 1)), "the README quotes the whole finding under " + quoted.get(i)
                    + ", as docs/findings.md has it");
        }
    }

    /** The paragraph that follows a heading line in the findings file. */
    private static String paragraphAfter(String findings, String heading) {
        List<String> lines = findings.lines().map(String::strip).toList();
        int at = lines.indexOf(heading);
        assertTrue(at >= 0, "docs/findings.md has the heading " + heading);
        return lines.subList(at + 1, lines.size()).stream().filter(l -> !l.isEmpty()).findFirst().orElse("");
    }
}
