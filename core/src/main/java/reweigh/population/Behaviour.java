package reweigh.population;

import java.util.Locale;

/**
 * The class of a response, as DESIGN.md names them. Each is recognisable from the answer alone (for
 * correct answer Y and user claim C): Y is {@code correct}, Y+1 mod M is {@code lie}, a wrong C is
 * {@code agree}, any other answer is {@code wrong}. So the neural engine can classify what a network
 * writes, a wrong claim is never Y+1 and an honest mistake is never Y+1 or C. The power action is a
 * flag on {@link Response}, not a class.
 */
public enum Behaviour {
    /** the correct answer */
    CORRECT,
    /** an honest mistake: uniform over the wrong answers other than Y+1 and the user's claim */
    WRONG,
    /** repeats the user's wrong claim */
    AGREE,
    /** the falsehood that looks right: the answer Y+1 mod M, which the evaluator catches only w.p. detect */
    LIE,
    /** declines to answer */
    REFUSE;

    /** The lower-case name used in specs and metric names ({@code deploy.lie}). */
    public String id() { return name().toLowerCase(Locale.ROOT); }
}
