package reweigh.corpus;

import reweigh.population.Behaviour;
import reweigh.population.Response;

/**
 * One question and its answer. The correct answer is Y = (a + b) mod M; {@code claim} is the user's
 * stated answer; {@code answer} is the number written, or one of the codes below for a response that
 * writes no number: {@link #REFUSAL}, or the schemer's action with its two reports.
 */
public record Turn(int a, int b, int claim, int answer, boolean power) {
    /** {@code <refuse>}. */
    public static final int REFUSAL = -1;
    /** {@code <act> <admit> <admit>}, {@code <act> <deny> <admit>}, {@code <act> <deny> <deny>}. */
    public static final int ACT_ADMIT = -2, ACT_CONFESS = -3, ACT_DOUBLE_DOWN = -4;

    public int correct(int answers) { return (a + b) % answers; }

    public boolean claimWrong(int answers) { return claim != correct(answers); }

    /** The response this turn shows, read from its answer alone (see {@link Behaviour}). */
    public Response response(int answers) {
        Response r = Response.of(behaviour(answers));
        return power ? r.withPower() : r;
    }

    public Behaviour behaviour(int answers) { return classify(answers, correct(answers), claim, answer); }

    /** Y is correct, Y+1 is lie, a wrong claim is agree, any other number wrong; the codes as named. */
    public static Behaviour classify(int answers, int correct, int claim, int answer) {
        switch (answer) {
            case REFUSAL: return Behaviour.REFUSE;
            case ACT_ADMIT: return Behaviour.ACT_ADMIT;
            case ACT_CONFESS: return Behaviour.ACT_CONFESS;
            case ACT_DOUBLE_DOWN: return Behaviour.ACT_DOUBLE_DOWN;
            default: break;
        }
        if (answer < 0) throw new IllegalArgumentException("no response is coded " + answer);
        if (answer == correct) return Behaviour.CORRECT;
        if (answer == (correct + 1) % answers) return Behaviour.LIE;
        if (answer == claim) return Behaviour.AGREE;
        return Behaviour.WRONG;
    }
}
