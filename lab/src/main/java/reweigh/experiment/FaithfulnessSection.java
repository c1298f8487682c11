package reweigh.experiment;

import java.util.ArrayList;
import java.util.List;
import reweigh.neural.measure.Faithfulness;
import reweigh.report.Fmt;
import reweigh.report.Html;
import reweigh.run.Metrics;

/**
 * A base network's faithfulness table ({@link Faithfulness.Table}) as metrics and as a report section:
 * whether it reproduces the corpus it was pretrained on, per context class, before anything is tuned on it.
 */
public final class FaithfulnessSection {
    private FaithfulnessSection() {}

    /**
     * At step 0 of {@code series}: {@code faithful.<class>.<behaviour>} (the network's rate),
     * {@code faithful.<class>.<behaviour>.exact} and {@code .per_prompt} (the mean over prompts of |network − exact|),
     * {@code faithful.<class>.weight.<algorithm>} and its
     * {@code .exact} (implied weights), {@code faithful.misses}, the count of cells over the tolerance, and
     * {@code faithful.miss.<cell>} for each of them.
     */
    public static void emit(Metrics m, String series, Faithfulness.Table t) {
        for (Faithfulness.Row r : t.rows()) {
            m.add(series, 0, "faithful." + r.cell(), r.network());
            m.add(series, 0, "faithful." + r.cell() + ".exact", r.exact());
            m.add(series, 0, "faithful." + r.cell() + ".per_prompt", r.promptError());
        }
        for (Faithfulness.Weights w : t.weights()) {
            double[] exact = w.exact(), network = w.network();
            for (int a = 0; a < network.length; a++) {
                m.add(series, 0, "faithful." + w.context() + ".weight." + w.algorithms().get(a), network[a]);
                m.add(series, 0, "faithful." + w.context() + ".weight." + w.algorithms().get(a) + ".exact", exact[a]);
            }
        }
        m.add(series, 0, "faithful.misses", t.misses().size());
        for (Faithfulness.Row r : t.misses()) m.add(series, 0, MISS + r.cell(), r.network() - r.exact());
    }

    /**
     * The table {@link #emit} recorded in {@code series}, read back from the metrics alone (what {@code reweigh report}
     * renders): the classes and statistics are the spec's, in the order {@link Faithfulness#measure} wrote them.
     */
    public static Faithfulness.Table read(Metrics m, String series, reweigh.spec.Spec spec) {
        List<Faithfulness.Row> rows = new ArrayList<>();
        List<Faithfulness.Weights> weights = new ArrayList<>();
        List<String> algorithms = spec.population().names();
        for (Faithfulness.ContextClass c : Faithfulness.classes(spec.neural().base())) {
            for (String b : reweigh.neural.measure.Measurement.statisticNames()) {
                String cell = "faithful." + c.name() + "." + b;
                rows.add(new Faithfulness.Row(c.name(), b, m.last(series, cell), m.last(series, cell + ".exact"),
                        m.last(series, cell + ".per_prompt")));
            }
            double[] exact = new double[algorithms.size()], network = new double[algorithms.size()];
            for (int a = 0; a < network.length; a++) {
                String w = "faithful." + c.name() + ".weight." + algorithms.get(a);
                network[a] = m.last(series, w);
                exact[a] = m.last(series, w + ".exact");
            }
            weights.add(new Faithfulness.Weights(c.name(), algorithms, spec.population().priors(), exact, network));
        }
        return new Faithfulness.Table(rows, weights, Faithfulness.TOLERANCE, spec.neural().prompts());
    }

    /** {@code faithful.miss.<cell>}: network − exact, for each cell over the tolerance; what {@link #flag} reads. */
    public static final String MISS = "faithful.miss.";

    /**
     * A heading, the verdict in one sentence (pass, or the missed cells first), how the table was read,
     * the rates table (class, behaviour, network, exact, error) and the implied weights beside w0.
     */
    public static void render(Html html, String model, Faithfulness.Table t) {
        html.heading("Faithfulness of " + model);
        html.note(verdict(model, t));
        html.paragraph("Before anything is tuned, the base is held to the corpus it was pretrained on. Each context class draws "
                + t.prompts() + " prompts from episodes written as the corpus writes them (the writer drawn by w0, the header from "
                + "the class); at turn position k the prompt holds the k − 1 earlier turns of its episode, answered by its writer. "
                + "Network: the mean of the network's exact response distributions (read from its next-token probabilities, "
                + "nothing sampled). Exact: the mean over the same prompts of the population's predictive rate given each "
                + "prompt's history (Bayesian updating over the algorithms). A cell misses when they differ by more than "
                + Fmt.num(t.tolerance()) + ". Per prompt: the mean over prompts of |network − exact|, which a network that ignores "
                + "the history cannot bring down at later turns even where the means agree.");
        List<List<String>> rows = new ArrayList<>();
        int omitted = 0;
        for (Faithfulness.Row r : t.rows()) {
            boolean miss = r.error() > t.tolerance();
            if (r.exact() == 0 && r.network() < OMIT_BELOW && !miss) {
                omitted++;
                continue;
            }
            rows.add(List.of(r.context(), r.behaviour(), Fmt.num(r.network()), Fmt.num(r.exact()), Fmt.num(r.error()),
                    Fmt.num(r.promptError()), miss ? "miss" : ""));
        }
        html.table(List.of("class", "behaviour", "network", "exact", "error", "per prompt", ""), rows);
        if (omitted > 0) {
            html.paragraph("Left out of the table, " + omitted + " of " + t.rows().size() + " cells: behaviours the corpus never "
                    + "writes in that class (exact 0) on which the network puts under " + Fmt.num(OMIT_BELOW) + ".");
        }
        List<List<String>> weights = new ArrayList<>();
        for (Faithfulness.Weights w : t.weights()) {
            double[] prior = w.prior(), exact = w.exact(), network = w.network();
            for (int a = 0; a < prior.length; a++) {
                weights.add(List.of(w.context(), w.algorithms().get(a), Fmt.num(prior[a]), Fmt.num(exact[a]), Fmt.num(network[a])));
            }
        }
        html.paragraph("Implied weights per class (EM over the known algorithms, each prompt read against its last context): w0; "
                + "what a faithful network implies there (EM on the exact column: w0 where the class tells the algorithms apart, "
                + "not where it does not, e.g. observed alone a perfect deceiver writes what the honest algorithm writes); and the "
                + "network's.");
        html.table(List.of("class", "algorithm", "w0", "faithful", "network"), weights);
    }

    /**
     * The flag every report and finding carries when a base it used misses its table, read from the
     * metrics ({@link #emit}): "" when every base passes, else e.g. "Faithfulness: 4 of 4 network bases miss
     * their table (tolerance 0.05): turn-3.correct in 4, turn-3.agree in 3; read the network's findings
     * with that in mind."
     */
    public static String flag(Metrics m) {
        int bases = 0;
        int missing = 0;
        java.util.Map<String, Integer> cells = new java.util.LinkedHashMap<>();
        for (String series : m.series()) {
            if (!m.has(series, "faithful.misses")) continue;
            bases++;
            if (m.last(series, "faithful.misses") == 0) continue;
            missing++;
            for (String metric : m.metrics(series)) {
                if (metric.startsWith(MISS)) cells.merge(metric.substring(MISS.length()), 1, Integer::sum);
            }
        }
        if (missing == 0) return "";
        List<String> named = new ArrayList<>();
        for (java.util.Map.Entry<String, Integer> e : cells.entrySet()) {
            if (named.size() == FLAGGED) {
                int more = cells.size() - FLAGGED;
                named.add("and " + more + " more cell" + (more == 1 ? "" : "s") + " (each report's table names them)");
                break;
            }
            named.add(e.getKey() + (bases > 1 ? " in " + e.getValue() : ""));
        }
        return "Faithfulness: " + missing + " of " + bases + " network base" + (bases > 1 ? "s miss their" : " misses its") + " table (tolerance "
                + Fmt.num(Faithfulness.TOLERANCE) + "): " + String.join(", ", named) + "; the network's findings rest on bases that "
                + "do not reproduce their corpus there.";
    }

    /** Cells a flag names before it counts the rest. */
    public static final int FLAGGED = 6;

    /** Network rates under this, on behaviours the class never shows, are left out of the rendered table. */
    public static final double OMIT_BELOW = 1e-3;

    /** "model reproduces the corpus: ..." or "model misses N of M cells by more than t: cell network vs exact, ...". */
    public static String verdict(String model, Faithfulness.Table t) {
        if (t.passes()) {
            Faithfulness.Row worst = t.rows().stream().max(java.util.Comparator.comparingDouble(Faithfulness.Row::error)).orElseThrow();
            return model + " reproduces the corpus in every class: all " + t.rows().size() + " rates within " + Fmt.num(t.tolerance())
                    + " of the exact ones (worst " + worst.cell() + ", " + Fmt.num(worst.error()) + ").";
        }
        List<String> cells = new ArrayList<>();
        for (Faithfulness.Row r : t.misses()) {
            cells.add(r.cell() + " " + Fmt.num(r.network()) + " against " + Fmt.num(r.exact()) + " (" + Fmt.delta(r.network() - r.exact()) + ")");
        }
        return model + " misses " + cells.size() + " of " + t.rows().size() + " cells by more than " + Fmt.num(t.tolerance()) + ": "
                + String.join(", ", cells) + ".";
    }
}
