package reweigh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One home for each kind of code (issue 11): statistics live in {@code core}'s {@code reweigh.stats}, and
 * {@code lab} (orchestration, I/O, rendering) defines none of them again. The test reads lab's sources
 * and names each file and line that defines a statistic or writes one of its constants by hand.
 */
class LayersTest {

    /** A method named like a statistic, or a critical value typed in (1.96, or a t table's 4.303, 2.776, 12.706). */
    static final Pattern STATISTIC = Pattern.compile(
            "(static|private|public)[\\w<>\\[\\] ]*\\s(quantile|percentile|wilson|tQuantile|tCdf|logGamma|regularizedBeta|geometricMean|"
                    + "standardError|bootstrap)\\s*\\(|(?<![\\w.])(1\\.96|1\\.95996|4\\.303|2\\.776|12\\.706)(?![\\d])");

    @Test
    void labDefinesNoStatistic() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).replaceAll("\"([^\"\\\\]|\\\\.)*\"", "\"\"").replaceAll("//.*", "");
                    if (!code.trim().startsWith("*") && STATISTIC.matcher(code).find()) found.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
                }
            }
        }
        assertEquals(List.of(), found, "statistics belong in core/src/main/java/reweigh/stats");
    }

    @Test
    void thePatternFindsWhatItLooksFor() {
        assertTrue(STATISTIC.matcher("    static double quantile(double[] v, double q) {").find());
        assertTrue(STATISTIC.matcher("double half = 1.96 * se;").find());
        assertTrue(!STATISTIC.matcher("double x = Quantiles.central(values).low();").find());
        assertTrue(!STATISTIC.matcher("int b = s.bootstrap();").find(), "a call is not a definition");
    }
}
