package reweigh.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A numeric axis in data units: the drawn domain [min, max], labelled ticks and (log axes only) unlabelled minor
 * ticks. {@code step} is the labelled-tick spacing: data units on a linear axis, decades on a log axis.
 * Tick values are computed in BigDecimal so labels never show float noise such as 0.30000000000000004.
 */
record Axis(double min, double max, boolean log, double step, List<Double> ticks, List<String> labels,
                        List<Double> minor) {

    /** Tick counts near this read best at chart sizes of a few hundred pixels. */
    private static final int TARGET_TICKS = 6;
    /** Tolerance, as a fraction of a step, for deciding that a value sits on a tick. */
    private static final double EPS = 1e-9;

    /**
     * Linear axis over [lo, hi]. When {@code exact}, the domain is exactly [lo, hi] and ticks lie inside it; otherwise
     * the domain widens to the enclosing ticks. A zero-width range is padded by 10% of its value (or ±1 at zero).
     */
    static Axis linear(double lo, double hi, boolean exact) { return linear(lo, hi, exact, false); }

    /** Refuses a fixed axis range (a chart's {@code xRange} or {@code yRange}) that is not finite with min < max. */
    static void checkRange(String what, double min, double max) {
        if (!(Double.isFinite(min) && Double.isFinite(max) && min < max)) {
            throw new IllegalArgumentException(what + " needs finite min < max: " + min + ", " + max);
        }
    }

    /** As {@link #linear(double, double, boolean)}; when {@code integer}, ticks only at whole numbers (a count, a level). */
    static Axis linear(double lo, double hi, boolean exact, boolean integer) {
        if (lo > hi) {
            double t = lo;
            lo = hi;
            hi = t;
        }
        if (!(hi - lo > Math.max(Math.abs(lo), Math.abs(hi)) * 1e-12)) {
            double v = (lo + hi) / 2;
            double pad = v == 0 ? 1 : Math.abs(v) * 0.1;
            lo = v - pad;
            hi = v + pad;
        }
        int k0 = (int) Math.floor(StrictMath.log10(hi - lo)) - 2;
        BigDecimal bestStep = null;
        long bestA = 0;
        long bestB = 0;
        long bestScore = Long.MAX_VALUE;
        for (int k = k0; k <= k0 + 3; k++) {
            for (int m : new int[] {1, 2, 5}) {
                BigDecimal s = BigDecimal.valueOf(m).scaleByPowerOfTen(k);
                double sd = s.doubleValue();
                if (integer && sd < 1) continue;
                long a = exact ? (long) Math.ceil(lo / sd - EPS) : (long) Math.floor(lo / sd + EPS);
                long b = exact ? (long) Math.floor(hi / sd + EPS) : (long) Math.ceil(hi / sd - EPS);
                long score = Math.abs(b - a + 1 - TARGET_TICKS);
                if (score <= bestScore) { // ties go to the later, i.e. larger, step: fewer labels
                    bestScore = score;
                    bestStep = s;
                    bestA = a;
                    bestB = b;
                }
            }
        }
        List<BigDecimal> exactTicks = new ArrayList<>();
        for (long i = bestA; i <= bestB; i++) {
            exactTicks.add(bestStep.multiply(BigDecimal.valueOf(i)));
        }
        double maxAbs = 0;
        for (BigDecimal t : exactTicks) {
            maxAbs = Math.max(maxAbs, Math.abs(t.doubleValue()));
        }
        boolean sci = maxAbs >= 1e5 || (maxAbs > 0 && maxAbs < 1e-2);
        List<Double> ticks = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (BigDecimal t : exactTicks) {
            ticks.add(t.doubleValue());
            labels.add(label(t, sci));
        }
        double min = exact ? lo : ticks.get(0);
        double max = exact ? hi : ticks.get(ticks.size() - 1);
        return new Axis(min, max, false, bestStep.doubleValue(), List.copyOf(ticks), List.copyOf(labels), List.of());
    }

    /**
     * Base-10 axis over [lo, hi], both &gt; 0. Labelled ticks sit at decades (every 2, 5, 10... decades when the
     * range is wide); when fewer than three decades are labelled, 2× and 5× are labelled too. Not exact: the domain
     * widens to whole (step-aligned) decades.
     */
    static Axis log(double lo, double hi, boolean exact) {
        if (!(lo > 0 && hi > 0)) {
            throw new IllegalArgumentException("log axis needs positive bounds: " + lo + ", " + hi);
        }
        if (lo > hi) {
            double t = lo;
            lo = hi;
            hi = t;
        }
        if (lo == hi) {
            exact = false;
        }
        double l0 = StrictMath.log10(lo);
        double l1 = StrictMath.log10(hi);
        int k0 = (int) Math.floor(l0 + EPS);
        int k1 = (int) Math.ceil(l1 - EPS);
        if (k0 == k1) {
            k0--;
            k1++;
        }
        int d = 1;
        for (int i = 0; k1 - k0 > 9 * d; i++) { // decade steps 1, 2, 5, 10, 20, 50, 100: at most 10 labels
            d = new int[] {2, 5, 10}[i % 3] * (int) Math.pow(10, i / 3);
        }
        if (!exact) {
            k0 = Math.floorDiv(k0, d) * d;
            k1 = -Math.floorDiv(-k1, d) * d;
        }
        double min = exact ? lo : pow10(k0);
        double max = exact ? hi : pow10(k1);
        double inLo = min * (1 - EPS);
        double inHi = max * (1 + EPS);
        int decades = 0;
        for (int k = Math.floorDiv(k0, d) * d; k <= k1; k += d) {
            double v = pow10(k);
            if (v >= inLo && v <= inHi) {
                decades++;
            }
        }
        boolean labelTwoFive = d == 1 && decades < 3;
        boolean minorOn = d == 1 && k1 - k0 <= 6;
        List<Double> ticks = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Double> minor = new ArrayList<>();
        for (int k = k0 - 1; k <= k1; k++) {
            for (int m = 1; m <= 9; m++) {
                BigDecimal t = BigDecimal.valueOf(m).scaleByPowerOfTen(k);
                double v = t.doubleValue();
                if (v < inLo || v > inHi) {
                    continue;
                }
                if ((m == 1 && Math.floorMod(k, d) == 0) || (labelTwoFive && (m == 2 || m == 5))) {
                    ticks.add(v);
                    labels.add(label(t, v < 1e-3 || v > 1e4));
                } else if (minorOn) {
                    minor.add(v);
                }
            }
        }
        return new Axis(min, max, true, d, List.copyOf(ticks), List.copyOf(labels), List.copyOf(minor));
    }

    /** Position of v along the axis: 0 at min, 1 at max (outside [0, 1] when v is outside the domain). */
    double frac(double v) {
        if (log) {
            double a = StrictMath.log10(min);
            return (StrictMath.log10(v) - a) / (StrictMath.log10(max) - a);
        }
        return (v - min) / (max - min);
    }

    private static double pow10(int k) {
        return BigDecimal.ONE.scaleByPowerOfTen(k).doubleValue();
    }

    /** Shortest exact label: "0.5", "20", or in scientific style "2.5e6", "1e-4". */
    static String label(BigDecimal t, boolean sci) {
        BigDecimal s = t.stripTrailingZeros();
        if (s.signum() == 0) {
            return "0";
        }
        if (!sci) {
            return s.toPlainString();
        }
        String digits = s.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - s.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (s.signum() < 0 ? "-" : "") + mantissa + "e" + exponent;
    }
}
