package reweigh.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import reweigh.evaluate.Evaluator;
import reweigh.finetune.Method;
import reweigh.population.Population;
import reweigh.world.World;

/**
 * A validated experiment spec: everything typed, every default filled in.
 *
 * @param experiment the experiment id (odds-ratio, deployment, evaluator, ...)
 * @param seed       the one source of randomness
 * @param methods    the fine-tuning runs, one per value of any list-valued parameter, each with a label
 * @param odds       the pair whose log-odds are tracked, or null when the population has no such pair
 * @param sweep      spec keys swept by the experiment, or null
 * @param points     about how many points of each trajectory are recorded
 * @param resolved   the resolved spec as a tree, written beside every result as spec.yaml
 */
public record Spec(String experiment, String title, String description, long seed, Population population,
                   World world, Evaluator evaluator, List<Tuning> methods, Odds odds, Sweep sweep, int points,
                   ObjectNode resolved, Source source) {

    /** One fine-tuning run: a method with its parameters, and the label its series carries. */
    public record Tuning(String label, Method method) {}

    /** Track log(w_numerator / w_denominator). */
    public record Odds(String numerator, String denominator) {
        public String metric() { return "logodds." + numerator + ":" + denominator; }
    }

    /** Spec keys and the values each takes; the experiment runs every combination. */
    public record Sweep(List<String> keys, List<List<JsonNode>> values) {}

    /** One combination of a sweep: the values assigned, and the spec they give. */
    public record Cell(Map<String, JsonNode> assignment, Spec spec) {}
}
