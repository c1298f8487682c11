package reweigh.run;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on standard error, drawn only when a person is watching (a terminal) and
 * not asked to be quiet; otherwise silent, so logs and CI output stay clean.
 */
public final class Progress {
    private final PrintStream out;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private String label = "";
    private long lastDraw;
    private int lastWidth;

    private Progress(PrintStream out, boolean enabled) {
        this.out = out;
        this.enabled = enabled;
    }

    public static Progress terminal(boolean quiet) {
        return new Progress(System.err, !quiet && System.console() != null);
    }

    public static Progress silent() { return new Progress(System.err, false); }

    public boolean enabled() { return enabled; }

    /** Fraction done in [0, 1] of the current task, and what is running. */
    public void update(double fraction, String what) {
        if (!enabled) return;
        label = what;
        long now = System.nanoTime();
        if (fraction < 1 && now - lastDraw < 100_000_000L) return; // at most ten redraws a second
        lastDraw = now;
        int width = 30;
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * width);
        String line = String.format(Locale.ROOT, "\r[%s%s] %3d%%  %5.1fs  %s", "#".repeat(filled), ".".repeat(width - filled),
                Math.round(fraction * 100), (now - started) / 1e9, label);
        out.print(line + " ".repeat(Math.max(0, lastWidth - line.length())));
        lastWidth = line.length();
        out.flush();
    }

    /** Ends the bar's line. */
    public void done() {
        if (!enabled || lastWidth == 0) return;
        out.print("\r" + " ".repeat(lastWidth) + "\r");
        out.flush();
        lastWidth = 0;
    }
}
