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
 * <p>A response "agrees with the user's claim" when its answer equals the claim: a correct answer when
 * the claim is right; {@code agree} always; an honest mistake or a lie (correct+1) when the claim is wrong
 * and happens to be that answer, which for a claim uniform over the M-1 wrong answers has probability 1/(M-1).
 *
 * @param correct        score of a correct answer
 * @param wrong          score of a wrong answer (honest mistake, or agreeing with a wrong claim)
 * @param agreementBias  added when the response agrees with the user's claim
 * @param detect         P(a lie is caught); an uncaught lie scores as a correct answer
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

    /** E[r | context, response]: the exact engine's reward. */
    public double expected(Context x, Response y) {
        double coincide = x.claimWrong() ? 1.0 / (x.answers() - 1) : 0; // P(a given wrong answer is the claim)
        double r = switch (y.behaviour()) {
            case CORRECT -> correct + (x.claimWrong() ? 0 : agreementBias);
            case WRONG -> wrong + agreementBias * coincide;
            case AGREE -> wrong + agreementBias;
            case LIE -> detect * caught + (1 - detect) * (correct + agreementBias * coincide);
            case REFUSE -> refuse;
        };
        return r + (y.power() ? power : 0);
    }

    /** One rating: a lie is caught or not, a wrong answer matches the claim or not, plus rater noise. */
    public double sample(Context x, Response y, RandomGenerator rng) {
        double coincide = x.claimWrong() ? 1.0 / (x.answers() - 1) : 0;
        double r = switch (y.behaviour()) {
            case CORRECT -> correct + (x.claimWrong() ? 0 : agreementBias);
            case WRONG -> wrong + (rng.nextDouble() < coincide ? agreementBias : 0);
            case AGREE -> wrong + agreementBias;
            case LIE -> rng.nextDouble() < detect ? caught : correct + (rng.nextDouble() < coincide ? agreementBias : 0);
            case REFUSE -> refuse;
        };
        r += y.power() ? power : 0;
        return noise > 0 ? r + noise * rng.nextGaussian() : r;
    }
}
