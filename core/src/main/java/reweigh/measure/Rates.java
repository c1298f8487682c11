package reweigh.measure;

import java.util.LinkedHashMap;
import java.util.Map;
import reweigh.population.Behaviour;
import reweigh.population.Response;
import reweigh.world.ContextSet;

/** Behaviour rates of a policy over a context distribution, computed exactly. */
public final class Rates {
    private Rates() {}

    /** E_x P(response | x): the average response distribution, indexed by {@code Response.index()}. */
    public static double[] average(Policy policy, ContextSet contexts) {
        double[] avg = new double[Response.COUNT];
        for (int i = 0; i < contexts.size(); i++) {
            double[] p = policy.respond(contexts.get(i));
            double px = contexts.probability(i);
            for (int y = 0; y < avg.length; y++) avg[y] += px * p[y];
        }
        return avg;
    }

    /** Rate of each behaviour by id ({@code correct, wrong, agree, lie, refuse}), then {@code power}. */
    public static Map<String, Double> behaviours(Policy policy, ContextSet contexts) {
        double[] avg = average(policy, contexts);
        Map<String, Double> rates = new LinkedHashMap<>();
        double power = 0;
        for (Behaviour b : Behaviour.values()) {
            Response plain = Response.of(b);
            rates.put(b.id(), avg[plain.index()] + avg[plain.withPower().index()]);
            power += avg[plain.withPower().index()];
        }
        rates.put("power", power);
        return rates;
    }

    /** The names {@link #behaviours} returns, in order. */
    public static java.util.List<String> names() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Behaviour b : Behaviour.values()) names.add(b.id());
        names.add("power");
        return names;
    }
}
