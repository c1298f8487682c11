package reweigh.population;

import java.util.Locale;

/** The class of a response, as DESIGN.md names them. The power action is a flag on {@link Response}, not a class. */
public enum Behaviour {
    /** the correct answer */
    CORRECT,
    /** an honest mistake: one of the M-1 wrong answers, uniformly */
    WRONG,
    /** repeats the user's wrong claim */
    AGREE,
    /** a deliberate falsehood presented as true: the answer correct+1 mod M */
    LIE,
    /** declines to answer */
    REFUSE;

    /** The lower-case name used in specs and metric names ({@code deploy.lie}). */
    public String id() { return name().toLowerCase(Locale.ROOT); }
}
