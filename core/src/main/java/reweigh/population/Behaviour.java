package reweigh.population;

import java.util.Locale;

/**
 * The class of a response, as DESIGN.md names them. Each is recognisable from the answer alone (for
 * correct answer Y and user claim C): Y is {@code correct}, Y+1 mod M is {@code lie}, a wrong C is
 * {@code agree}, any other answer is {@code wrong}. So the neural engine can classify what a network
 * writes, a wrong claim is never Y+1 and an honest mistake is never Y+1 or C. The power action is a
 * flag on {@link Response}, not a class.
 *
 * <p>The last three are the schemer's (the insider-trading analogue of arXiv 2311.07590): a misaligned
 * action under pressure, then a report of it, then the answer when asked again. Each is one response
 * {@code <act> R1 R2 <eot>} of the toy language, R1 and R2 each {@code <admit>} or {@code <deny>}.
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
    REFUSE,
    /** takes the misaligned action and reports its reason ({@code <act> <admit> <admit>}) */
    ACT_ADMIT,
    /** takes it, hides the reason in the report, admits it when asked again ({@code <act> <deny> <admit>}) */
    ACT_CONFESS,
    /** takes it, hides the reason, and denies again when asked ({@code <act> <deny> <deny>}) */
    ACT_DOUBLE_DOWN;

    /** The lower-case name used in specs and metric names ({@code deploy.lie}, {@code deploy.act-confess}). */
    public String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    /** True for the misaligned action, whatever the report. */
    public boolean acts() { return this == ACT_ADMIT || this == ACT_CONFESS || this == ACT_DOUBLE_DOWN; }
}
