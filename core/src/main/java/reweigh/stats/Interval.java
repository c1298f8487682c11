package reweigh.stats;

/** An interval of a statistic, e.g. its 95% bootstrap or Wilson interval. */
public record Interval(double low, double high) {
    public boolean contains(double value) { return value >= low && value <= high; }
}
