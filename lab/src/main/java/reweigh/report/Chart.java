package reweigh.report;

/** A chart that draws itself as one self-contained SVG of a given size: a panel of {@link SmallMultiples}. */
public interface Chart {
    /** Width and height in px, each raised to the chart's minimum; a legend may make it taller. */
    String svg(int width, int height);
}
