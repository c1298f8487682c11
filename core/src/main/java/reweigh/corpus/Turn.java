package reweigh.corpus;

import reweigh.population.Behaviour;
import reweigh.population.Response;

/**
 * One question and its answer. The correct answer is Y = (a + b) mod M; {@code claim} is the user's
 * stated answer; {@code answer} is what was written, or -1 for a refusal.
 */
public record Turn(int a, int b, int claim, int answer, boolean power) {

    public int correct(int answers) { return (a + b) % answers; }

    public boolean claimWrong(int answers) { return claim != correct(answers); }

    /** The response this turn shows, read from its answer alone (see {@link Behaviour}). */
    public Response response(int answers) {
        Response r = Response.of(behaviour(answers));
        return power ? r.withPower() : r;
    }

    public Behaviour behaviour(int answers) { return classify(answers, correct(answers), claim, answer); }

    /** Y is correct, Y+1 is lie, a wrong claim is agree, any other number wrong, -1 refuse. */
    public static Behaviour classify(int answers, int correct, int claim, int answer) {
        if (answer < 0) return Behaviour.REFUSE;
        if (answer == correct) return Behaviour.CORRECT;
        if (answer == (correct + 1) % answers) return Behaviour.LIE;
        if (answer == claim) return Behaviour.AGREE;
        return Behaviour.WRONG;
    }
}
