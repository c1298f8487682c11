package reweigh.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FmtTest {

    @Test
    void numbersReadAsAPersonWritesThem() {
        assertEquals("18.8", Fmt.num(18.75));
        assertEquals("0.0522", Fmt.num(0.052199));
        assertEquals("1230", Fmt.num(1234.5));
        assertEquals("8.14×10⁶", Fmt.num(8.14e6));
        assertEquals("−∞", Fmt.num(Double.NEGATIVE_INFINITY));
        assertEquals("-3.71×10⁻⁶", Fmt.num(-3.71e-6));
        assertEquals("1×10⁵", Fmt.num(99999.9)); // rounds up to the next power of ten
        assertEquals("< 0.01%", Fmt.pct(3.71e-8));
        assertEquals("0.978%", Fmt.pct(0.00978));
        assertEquals("0%", Fmt.pct(0));
        assertEquals("÷5.05×10⁶", Fmt.times(1.98e-7));
        assertEquals("×0.0522", Fmt.times(0.0522));
        assertEquals("+0.41", Fmt.delta(0.41));
    }

    static Stream<Long> seeds() { return LongStream.rangeClosed(1, 20).boxed(); }

    /** Oracle: reading the text back gives the number rounded to three significant figures, at any magnitude. */
    @ParameterizedTest
    @MethodSource("seeds")
    void theTextReadsBackAsTheNumberToThreeFigures(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 200; i++) {
            double x = (random.nextBoolean() ? 1 : -1) * Math.pow(10, -12 + 24 * random.nextDouble());
            double expected = new BigDecimal(x).round(new MathContext(3)).doubleValue();
            assertEquals(expected, readBack(Fmt.num(x)), Math.abs(expected) * 1e-12, Fmt.num(x) + " for " + x);
        }
    }

    private static double readBack(String s) {
        int times = s.indexOf("×10");
        if (times < 0) return Double.parseDouble(s);
        StringBuilder exponent = new StringBuilder();
        for (char c : s.substring(times + 3).toCharArray()) exponent.append(c == '⁻' ? '-' : (char) ('0' + "⁰¹²³⁴⁵⁶⁷⁸⁹".indexOf(c)));
        return Double.parseDouble(s.substring(0, times) + "e" + exponent);
    }
}
