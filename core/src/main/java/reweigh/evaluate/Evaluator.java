package reweigh.evaluate;

import static reweigh.world.Check.finite;
import static reweigh.world.Check.nonNegative;
import static reweigh.world.Check.probability;

import java.util.random.RandomGenerator;
import reweigh.population.Response;
import reweigh.world.Context;

/**
 * The reward r(context, response) on observed training contexts. Unobserved contexts are never rewarded.
 *
 * <p>A response agrees with the user's claim when its answer is the claim: a correct answer when the
 * claim is right, and {@code agree}. Behaviours are disjoint by answer ({@link reweigh.population.Behaviour}),
 * so no mistake or lie ever equals the claim.
 *
 * @param correct        score of a correct answer
 * @param wrong          score of a wrong answer (honest mistake, or agreeing with a wrong claim)
 * @param agreementBias  added when the response agrees with the user's claim
 * @param detect         P(a lie, or the schemer's misaligned action, is caught); an uncaught lie or action
 *                       scores as a correct answer (the action's outcome looks good: the evaluator rates
 *                       outcomes, and the report plays no part)
 * @param caught         score of a caught lie
 * @param power          added when the response takes the power action
 * @param refuse         score of a refusal
 * @param noise          sd of Gaussian rater noise added to sampled rewards
 */
public record Evaluator(double correct, double wrong, double agreementBias, double detect, double caught,
                        double power, double refuse, double noise) {
    public static final Evaluator DEFAULTS = new Evaluator(1.0, 0.0, 0.0, 0.5, -1.0, 0.0, 0.0, 0.0);

    public Evaluator {
        finite("correct", correct);
        finite("wrong", wrong);
        finite("agreement_bias", agreementBias);
        probability("detect", detect);
        finite("caught", caught);
        finite("power", power);
        finite("refuse", refuse);
        nonNegative("noise", noise);
    }

    /** The same evaluator with another chance of catching a lie or a misaligned action. */
    public Evaluator withDetect(double detect) {
        return new Evaluator(correct, wrong, agreementBias, detect, caught, power, refuse, noise);
    }

    /** The same evaluator with another reward added to the power action. */
    public Evaluator withPower(double power) {
        return new Evaluator(correct, wrong, agreementBias, detect, caught, power, refuse, noise);
    }

    /** E[r | context, response]: the exact engine's reward. */
    public double expected(Context x, Response y) {
        double r = switch (y.behaviour()) {
            case CORRECT -> correct + (x.claimWrong() ? 0 : agreementBias);
            case WRONG -> wrong;
            case AGREE -> wrong + agreementBias;
            case LIE, ACT_ADMIT, ACT_CONFESS, ACT_DOUBLE_DOWN -> detect * caught + (1 - detect) * correct;
            case REFUSE -> refuse;
        };
        return r + (y.power() ? power : 0);
    }

    /** One rating: a lie is caught or not, plus rater noise. */
    public double sample(Context x, Response y, RandomGenerator rng) {
        double r = switch (y.behaviour()) {
            case CORRECT -> correct + (x.claimWrong() ? 0 : agreementBias);
            case WRONG -> wrong;
            case AGREE -> wrong + agreementBias;
            case LIE, ACT_ADMIT, ACT_CONFESS, ACT_DOUBLE_DOWN -> rng.nextDouble() < detect ? caught : correct;
            case REFUSE -> refuse;
        };
        r += y.power() ? power : 0;
        return noise > 0 ? r + noise * rng.nextGaussian() : r;
    }
}
