package reweigh.population;

import reweigh.world.Context;

/**
 * A policy pi_a(response | context): one of the algorithms a base model holds.
 *
 * <p>To add your own, write a record whose components are its parameters, validate them in the
 * compact constructor, and implement {@link #respond}. Name the class in a spec as the algorithm's
 * {@code kind} (e.g. {@code kind: com.example.Contrarian}); its components become the spec's keys.
 * Declare {@code public static final YourRecord DEFAULTS} to let a spec omit parameters.
 *
 * <pre>{@code
 * public record Contrarian(double error) implements Algorithm {
 *     public Dist respond(Context x) {
 *         return x.claimWrong() ? Dist.of(Response.CORRECT, 1 - error, Response.WRONG, error)
 *                               : Dist.of(Behaviour.WRONG);
 *     }
 * }
 * }</pre>
 */
public interface Algorithm {
    /** The response distribution in context {@code x}. Must not depend on anything but {@code x} and the parameters. */
    Dist respond(Context x);
}
