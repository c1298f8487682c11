package reweigh.experiment;

import java.util.Locale;

/** Numbers as a report's prose shows them. */
final class Fmt {
    private Fmt() {}

    /** Three significant figures; tiny magnitudes in scientific notation. */
    static String num(double x) {
        if (Double.isNaN(x)) return "n/a";
        if (Double.isInfinite(x)) return x > 0 ? "∞" : "−∞";
        if (x == 0) return "0";
        double a = Math.abs(x);
        if (a < 1e-3 || a >= 1e5) return String.format(Locale.ROOT, "%.2e", x);
        String s = String.format(Locale.ROOT, "%.3g", x);
        if (s.contains(".") && !s.contains("e")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    /** A signed change, e.g. +0.41. */
    static String delta(double x) { return (x > 0 ? "+" : "") + num(x); }

    static String pct(double p) {
        if (Double.isNaN(p)) return "n/a";
        return num(100 * p) + "%";
    }

    /** A ratio such as ×2.9 or ×0.001. */
    static String times(double r) { return "×" + num(r); }
}
