package reweigh.world;

/**
 * Draws contexts: the training distribution and the deployment distribution.
 *
 * @param answers   M >= 4, the number of answers each question allows
 * @param userWrong u, P(the user's claim is wrong); a wrong claim is uniform over the M-2 wrong answers
 *                  other than the lie answer Y+1 (see {@link reweigh.population.Behaviour})
 */
public record World(int answers, double userWrong, Setting train, Setting deploy) {
    public static final World DEFAULTS = new World(10, 0.5, Setting.TRAIN, Setting.DEPLOY);

    public World {
        Check.atLeast("answers", answers, Context.MIN_ANSWERS);
        Check.probability("user_wrong", userWrong);
        if (train == null) throw new Check.InvalidParameter("train", "a setting", "nothing");
        if (deploy == null) throw new Check.InvalidParameter("deploy", "a setting", "nothing");
    }

    public ContextSet trainContexts() { return ContextSet.of(this, train); }

    public ContextSet deployContexts() { return ContextSet.of(this, deploy); }

    /** The contexts the evaluator sees: training contexts that are observed (unobserved ones are never rewarded). */
    public ContextSet rewardedContexts() { return trainContexts().observedOnly(); }
}
