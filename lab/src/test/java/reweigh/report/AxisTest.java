package reweigh.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AxisTest {

    /** Seeded ranges spanning many magnitudes, signs, and near-flat widths. */
    static Stream<Arguments> ranges() {
        Random r = new Random(20240601L);
        return IntStream.range(0, 200).mapToObj(i -> {
            double scale = Math.pow(10, r.nextInt(17) - 8);
            double a = (r.nextDouble() * 2 - 1) * scale * (r.nextBoolean() ? 1 : 1000);
            double width = r.nextDouble() * scale;
            return Arguments.of(a, a + width);
        });
    }

    @ParameterizedTest
    @MethodSource("ranges")
    void linearTicksAreNiceAndCoverTheData(double lo, double hi) {
        Axis a = Axis.linear(lo, hi, false);
        checkNice(a);
        assertTrue(a.min() <= lo && a.max() >= hi, a + " should cover " + lo + ".." + hi);
        assertEquals(a.ticks().get(0), a.min());
        assertEquals(a.ticks().get(a.ticks().size() - 1), a.max());
    }

    @ParameterizedTest
    @MethodSource("ranges")
    void exactLinearTicksStayInside(double lo, double hi) {
        if (hi - lo < Math.abs(hi) * 1e-9) {
            return; // a near-flat exact range is padded, covered by flatRangeIsPadded
        }
        Axis a = Axis.linear(lo, hi, true);
        checkNice(a);
        assertEquals(lo, a.min());
        assertEquals(hi, a.max());
        double slack = a.step() * 1e-6;
        for (double t : a.ticks()) {
            assertTrue(t >= lo - slack && t <= hi + slack, t + " outside " + lo + ".." + hi);
        }
    }

    private static void checkNice(Axis a) {
        List<Double> t = a.ticks();
        assertTrue(t.size() >= 3 && t.size() <= 10, "tick count " + t.size() + " for " + a);
        for (int i = 1; i < t.size(); i++) {
            assertTrue(t.get(i) > t.get(i - 1), "ticks increase: " + t);
        }
        double mantissa = a.step() / Math.pow(10, Math.floor(Math.log10(a.step())));
        assertTrue(Math.abs(mantissa - 1) < 1e-9 || Math.abs(mantissa - 2) < 1e-9 || Math.abs(mantissa - 5) < 1e-9
                || Math.abs(mantissa - 10) < 1e-9, "step " + a.step());
        assertEquals(t.size(), a.labels().size());
        for (String s : a.labels()) {
            assertTrue(!s.matches(".*\\.\\d*0(e.*)?$") && !s.endsWith("."), "needless zeros in " + s);
        }
    }

    @Test
    void unitIntervalGetsPlainLabels() {
        Axis a = Axis.linear(0, 1, false);
        assertEquals(List.of("0", "0.2", "0.4", "0.6", "0.8", "1"), a.labels());
        assertEquals(List.of("0", "0.5", "1", "1.5", "2", "2.5", "3"), Axis.linear(0.1, 2.9, false).labels());
    }

    @Test
    void tinyAndHugeValuesUseScientificLabels() {
        assertEquals("2e-4", Axis.linear(0, 0.001, false).labels().get(1));
        assertEquals("2e6", Axis.linear(0, 1e7, false).labels().get(1));
        assertEquals("-2.5e-7", Axis.label(new BigDecimal("-0.00000025"), true));
    }

    @Test
    void flatRangeIsPadded() {
        Axis a = Axis.linear(3, 3, false);
        assertTrue(a.min() < 3 && a.max() > 3);
        checkNice(a);
        Axis z = Axis.linear(0, 0, false);
        assertTrue(z.min() < 0 && z.max() > 0);
        checkNice(z);
        Axis l = Axis.log(100, 100, false);
        assertTrue(l.min() < 100 && l.max() > 100);
    }

    @Test
    void logTicksAtDecades() {
        Axis a = Axis.log(0.003, 2e5, false);
        assertEquals(1e-3, a.min(), 1e-18);
        assertEquals(1e6, a.max(), 1e-3);
        assertEquals(List.of("0.001", "0.01", "0.1", "1", "10", "100", "1000", "10000", "1e5", "1e6"), a.labels());
        assertEquals(1.0, a.step());
        assertTrue(a.minor().isEmpty()); // too dense over nine decades
        Axis b = Axis.log(1, 500, false);
        assertEquals(List.of("1", "10", "100", "1000"), b.labels());
        assertTrue(b.minor().contains(2.0) && b.minor().contains(300.0) && !b.minor().contains(10.0));
    }

    @Test
    void narrowLogRangeLabelsTwoAndFive() {
        assertEquals(List.of("10", "20", "50", "100"), Axis.log(12, 80, false).labels());
    }

    @Test
    void wideLogRangeSkipsDecades() {
        Axis a = Axis.log(1e-30, 1e30, false);
        assertTrue(a.ticks().size() <= 10 && a.ticks().size() >= 3, a.labels().toString());
        assertEquals(List.of("1e-30", "1e-20", "1e-10", "1", "1e10", "1e20", "1e30"), a.labels());
        assertTrue(a.minor().isEmpty());
    }

    @Test
    void fracMapsDomainToUnitInterval() {
        Axis a = Axis.log(1, 100, false);
        assertEquals(0.5, a.frac(10), 1e-12);
        Axis b = Axis.linear(0, 10, false);
        assertEquals(0.25, b.frac(2.5), 1e-12);
    }

    /** Issue 16: pressure's levels 0..3 were ticked at 0.5 and 1.5. */
    @Test
    void anIntegerAxisTicksOnlyWholeNumbers() {
        Axis levels = Axis.linear(0, 3, false, true);
        for (double t : levels.ticks()) assertEquals(Math.rint(t), t, 0, "tick " + t);
        assertEquals(List.of("0", "1", "2", "3"), levels.labels());
        assertEquals(List.of("0", "0.5", "1", "1.5", "2", "2.5", "3"), Axis.linear(0, 3, false).labels(), "without it, halves");
    }
}
