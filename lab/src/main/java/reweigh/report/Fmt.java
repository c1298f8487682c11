package reweigh.report;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Numbers as a person reads them, in a report's prose, its tables and its charts' hover text: three
 * significant figures, a power of ten written as one ({@code 8.14×10⁶}, not {@code 8.14e+06}), and
 * percentages below a hundredth of a percent as {@code < 0.01%}.
 */
public final class Fmt {
    private Fmt() {}

    private static final String SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    /** Three significant figures; below 0.001 or from 100000 up, as a power of ten: 3.71×10⁻⁶. */
    public static String num(double x) {
        if (Double.isNaN(x)) return "n/a";
        if (Double.isInfinite(x)) return x > 0 ? "∞" : "−∞";
        if (x == 0) return "0";
        BigDecimal rounded = new BigDecimal(x).round(new MathContext(3));
        double a = Math.abs(rounded.doubleValue());
        if (a >= 1e-3 && a < 1e5) return rounded.stripTrailingZeros().toPlainString();
        int exponent = rounded.precision() - rounded.scale() - 1;
        BigDecimal mantissa = rounded.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "×10" + superscript(exponent);
    }

    private static String superscript(int exponent) {
        StringBuilder s = new StringBuilder(exponent < 0 ? "⁻" : "");
        for (char c : Integer.toString(Math.abs(exponent)).toCharArray()) s.append(SUPERSCRIPT.charAt(c - '0'));
        return s.toString();
    }

    /** A value with its interval, "0.12 [0.05, 0.19]"; the value alone when the interval is unknown (NaN). */
    public static String withInterval(double value, double low, double high) {
        return num(value) + (Double.isFinite(low) && Double.isFinite(high) ? " [" + num(low) + ", " + num(high) + "]" : "");
    }

    /** A signed change, e.g. +0.41. */
    public static String delta(double x) { return (x > 0 ? "+" : "") + num(x); }

    /** A probability as a percentage, 18.8%; a nonzero one below 0.01% as {@code < 0.01%}. */
    public static String pct(double p) {
        if (Double.isNaN(p)) return "n/a";
        double percent = 100 * p;
        if (percent != 0 && Math.abs(percent) < 0.01) return percent > 0 ? "< 0.01%" : "> −0.01%";
        return num(percent) + "%";
    }

    /** A ratio such as ×2.9 or ×0.052; one below 0.001 as a division, ÷5.05×10⁶, which reads at a glance. */
    public static String times(double r) {
        if (r > 0 && r < 1e-3) return "÷" + num(1 / r);
        return "×" + num(r);
    }
}
