package reweigh.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Every command's --help reads as written: it exits 0 without picocli's warnings (a bare % in a footer is taken for a
 * format and the footer printed raw), and no footer line is wider than the 80 columns picocli wraps at, where it
 * would break a line mid-sentence or mid-word ("findings.\nmd").
 */
class HelpTest {
    @ParameterizedTest
    @ValueSource(strings = {"run", "all", "report", "sweep", "query", "compare", "export", "check", "list"})
    void helpPrintsCleanlyWithinEightyColumns(String command) {
        BadInputTest.Result r = BadInputTest.cli(command, "--help");
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("WARN"), r.err());
        assertTrue(r.out().startsWith("Usage: reweigh " + command), r.out());
        CommandLine cli = new CommandLine(new Main()).getSubcommands().get(command);
        for (String entry : cli.getCommandSpec().usageMessage().footer()) {
            for (String line : entry.split("\n|%n")) assertTrue(line.length() <= 80, command + "'s footer line is " + line.length() + " columns: " + line);
        }
    }
}
