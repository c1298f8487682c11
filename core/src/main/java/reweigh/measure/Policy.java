package reweigh.measure;

import reweigh.world.Context;

/** A model's behaviour: P(response | context) as a vector indexed by {@code Response.index()}. */
@FunctionalInterface
public interface Policy {
    double[] respond(Context x);
}
