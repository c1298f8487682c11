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

    /** A part of a bar, filled side by side with others: each reports its own fraction in [0, 1]. */
    private record Part(Progress whole, double[] done, int index, double from, double share) {}

    private Part part;

    public static Progress terminal(boolean quiet) {
        return new Progress(System.err, !quiet && System.console() != null);
    }

    public static Progress silent() { return new Progress(System.err, false); }

    public boolean enabled() { return enabled; }

    /** Fraction done in [0, 1] of the current task, and what is running. */
    public synchronized void update(double fraction, String what) {
        if (!enabled) return;
        if (part != null) {
            synchronized (part.whole()) {
                double[] done = part.done();
                done[part.index()] = fraction;
                part.whole().update(part.from() + part.share() * java.util.Arrays.stream(done).average().orElse(0), what);
            }
            return;
        }
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

    /**
     * {@code n} bars that fill this one's share {@code [from, from + share]} between them, for work done side
     * by side (e.g. replicates on two threads): each reports 0..1 of its own work, this bar shows their mean.
     */
    public Progress[] parts(int n, double from, double share) {
        double[] done = new double[n];
        Progress[] parts = new Progress[n];
        for (int i = 0; i < n; i++) {
            parts[i] = new Progress(out, enabled);
            parts[i].part = new Part(this, done, i, from, share);
        }
        return parts;
    }

    /** Ends the bar's line. */
    public synchronized void done() {
        if (!enabled || lastWidth == 0) return;
        out.print("\r" + " ".repeat(lastWidth) + "\r");
        out.flush();
        lastWidth = 0;
    }
}
