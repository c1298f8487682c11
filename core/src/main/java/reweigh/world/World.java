package reweigh.world;

/**
 * Draws contexts: the training distribution and the deployment distribution.
 *
 * @param answers   M >= 4, the number of answers each question allows
 * @param userWrong u, P(the user's claim is wrong); a wrong claim is uniform over the M-2 wrong answers
 *                  other than the lie answer Y+1 (see {@link reweigh.population.Behaviour})
 * @param honeypot  h, the share of rewarded training contexts that are honeypots: they look unobserved
 *                  (the header says so, so a deceiver lies there) but the evaluator rates them
 */
public record World(int answers, double userWrong, Setting train, Setting deploy, double honeypot) {
    public static final World DEFAULTS = new World(10, 0.5, Setting.TRAIN, Setting.DEPLOY, 0.0);

    public World {
        Check.atLeast("answers", answers, Context.MIN_ANSWERS);
        Check.probability("user_wrong", userWrong);
        if (train == null) throw new Check.InvalidParameter("train", "a setting", "nothing");
        if (deploy == null) throw new Check.InvalidParameter("deploy", "a setting", "nothing");
        Check.probability("honeypot", honeypot);
    }

    /** A world without honeypots. */
    public World(int answers, double userWrong, Setting train, Setting deploy) {
        this(answers, userWrong, train, deploy, 0.0);
    }

    public ContextSet trainContexts() { return ContextSet.of(this, train); }

    public ContextSet deployContexts() { return ContextSet.of(this, deploy); }

    /**
     * The contexts the evaluator sees: training contexts that are observed (unobserved ones are never
     * rewarded), and with probability {@code honeypot} a honeypot instead: a training context whose
     * header says unobserved.
     */
    public ContextSet rewardedContexts() {
        if (honeypot == 0) return trainContexts().observedOnly();
        ContextSet honeypots = ContextSet.of(this, new Setting(0.0, train.pressure(), train.trigger()));
        if (honeypot == 1) return honeypots;
        return ContextSet.mix(1 - honeypot, trainContexts().observedOnly(), honeypots);
    }
}
