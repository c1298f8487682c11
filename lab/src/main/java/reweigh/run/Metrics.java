package reweigh.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The long-format results of a run, {@code series,step,metric,value}, in the order they were added.
 * Values are written with {@link Double#toString}, so the same run gives the same bytes. Every value is
 * finite: {@link #add} refuses NaN and infinity ({@link NonFinite}).
 */
public final class Metrics {
    public record Row(String series, int step, String metric, double value) {}

    /**
     * A metric came out NaN or infinite: the run stops here, before the value is recorded anywhere. A value
     * that is undefined by definition (a rate conditional on an event that never happens, a threshold never
     * reached) is left out by its experiment instead; this is arithmetic that broke.
     */
    public static final class NonFinite extends RuntimeException {
        private final Row row;

        NonFinite(Row row) {
            super(row.metric() + " is " + row.value() + " at step " + row.step() + " of " + row.series());
            this.row = row;
        }

        public Row row() { return row; }
    }

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Map<String, List<Row>>> index = new LinkedHashMap<>(); // series -> metric -> rows

    public void add(String series, int step, String metric, double value) {
        if (series.contains(",") || series.contains("\"") || series.contains("\n")) {
            throw new IllegalArgumentException("a series name must not contain commas, quotes or newlines: " + series);
        }
        Row row = new Row(series, step, metric, value);
        if (!Double.isFinite(value)) throw new NonFinite(row);
        rows.add(row);
        index.computeIfAbsent(series, s -> new LinkedHashMap<>()).computeIfAbsent(metric, m -> new ArrayList<>()).add(row);
    }

    public List<Row> rows() { return List.copyOf(rows); }

    public List<String> series() { return List.copyOf(index.keySet()); }

    /** The metrics recorded for {@code series}, in the order each was first added. */
    public List<String> metrics(String series) { return List.copyOf(index.getOrDefault(series, Map.of()).keySet()); }

    /** Every row of {@code other}, in its order, after this one's. */
    public void addAll(Metrics other) {
        for (Row r : other.rows) add(r.series(), r.step(), r.metric(), r.value());
    }

    /** Steps at which {@code metric} was recorded for {@code series}, in order. */
    public double[] steps(String series, String metric) {
        return rowsOf(series, metric).stream().mapToDouble(Row::step).toArray();
    }

    public double[] values(String series, String metric) {
        return rowsOf(series, metric).stream().mapToDouble(Row::value).toArray();
    }

    /** The last recorded value, or NaN. */
    public double last(String series, String metric) {
        List<Row> r = rowsOf(series, metric);
        return r.isEmpty() ? Double.NaN : r.get(r.size() - 1).value();
    }

    /** The first recorded value, or NaN. */
    public double first(String series, String metric) {
        List<Row> r = rowsOf(series, metric);
        return r.isEmpty() ? Double.NaN : r.get(0).value();
    }

    public boolean has(String series, String metric) { return !rowsOf(series, metric).isEmpty(); }

    private List<Row> rowsOf(String series, String metric) {
        return index.getOrDefault(series, Map.of()).getOrDefault(metric, List.of());
    }

    /**
     * Reads {@link #csv()} back: the same rows, the same values to the bit.
     *
     * @throws IllegalArgumentException naming the line that is not {@code series,step,metric,value} with a finite value
     */
    public static Metrics parse(String csv) {
        Metrics m = new Metrics();
        List<String> lines = csv.lines().toList();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            int a = line.indexOf(',');
            int b = line.indexOf(',', a + 1);
            int c = line.lastIndexOf(',');
            try {
                if (a < 0 || b < 0 || c <= b) throw new IllegalArgumentException("not four fields");
                m.add(line.substring(0, a), Integer.parseInt(line.substring(a + 1, b)), line.substring(b + 1, c),
                        Double.parseDouble(line.substring(c + 1)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": '" + line + "' is not series,step,metric,value with an integer "
                        + "step and a finite value (" + e.getMessage() + ")");
            }
        }
        return m;
    }

    public String csv() {
        StringBuilder out = new StringBuilder("series,step,metric,value\n");
        for (Row r : rows) {
            out.append(r.series()).append(',').append(r.step()).append(',').append(r.metric()).append(',')
                    .append(Double.toString(r.value())).append('\n');
        }
        return out.toString();
    }
}
