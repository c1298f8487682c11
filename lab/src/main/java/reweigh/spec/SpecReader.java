package reweigh.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reweigh.evaluate.Evaluator;
import reweigh.finetune.Method;
import reweigh.neural.finetune.NetworkMethod;
import reweigh.population.Algorithm;
import reweigh.population.Catalogue;
import reweigh.population.Population;
import reweigh.world.Check;
import reweigh.world.World;

/**
 * Reads a YAML spec into a {@link Spec}: fills defaults, checks every key and type, and names the file,
 * line and key of the first problem with what is allowed. Nothing runs until this has succeeded.
 */
public final class SpecReader {
    private static final List<String> TOP_KEYS = List.of("experiment", "title", "description", "seed", "points",
            "population", "world", "evaluator", "finetune", "odds", "sweep", "engine", "neural");
    private static final List<String> ENGINES = List.of("exact", "neural");
    private final Set<String> experiments;
    private final Map<String, Record> settings;

    /** @param experiments the experiment ids a spec may name, none of which takes settings of its own */
    public SpecReader(Set<String> experiments) { this(experiments, Map.of()); }

    /**
     * @param experiments the experiment ids a spec may name
     * @param settings    for the experiments that take settings of their own, their defaults: a spec of
     *                    experiment {@code id} may carry a key {@code id:} with the record's keys
     */
    public SpecReader(Set<String> experiments, Map<String, Record> settings) {
        this.experiments = Set.copyOf(experiments);
        this.settings = Map.copyOf(settings);
        if (!this.experiments.containsAll(this.settings.keySet())) throw new IllegalArgumentException("settings for an unknown experiment");
    }

    /** One {@code key=value} override and the option that gave it ({@code --set}, {@code --grid}), named in errors. */
    public record Assignment(String option, String assignment) {}

    /** {@code --set} overrides. */
    public static List<Assignment> sets(List<String> overrides) {
        return overrides.stream().map(o -> new Assignment("--set", o)).toList();
    }

    /** Reads a spec file and applies {@code key=value} overrides in order. */
    public Spec read(Path file, List<Assignment> overrides) throws SpecError {
        return read(source(file), overrides);
    }

    /** A parsed spec with {@code key=value} overrides applied in order. */
    public Spec read(Source source, List<Assignment> overrides) throws SpecError {
        for (Assignment o : overrides) source = source.with(o.option(), o.assignment());
        return resolve(source);
    }

    /** A spec file, parsed but not yet checked: to resolve it many times with different overrides. */
    public static Source source(Path file) throws SpecError {
        try {
            long bytes = Files.size(file);
            if (bytes > Bounds.SPEC_BYTES) throw new SpecError(file.toString(), "", Bounds.tooLarge(bytes));
            return Source.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SpecError(file.toString(), "", "cannot read the spec file (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Validates a parsed spec. */
    public Spec resolve(Source src) throws SpecError {
        ObjectNode tree = src.tree();
        String experiment = text(src, "/experiment", tree.get("experiment"), true);
        if (!experiments.contains(experiment)) {
            throw src.error("/experiment", "unknown experiment '" + experiment + "'; allowed: " + String.join(", ", sorted(experiments)));
        }
        List<String> allowedKeys = new ArrayList<>(TOP_KEYS);
        if (settings.containsKey(experiment)) allowedKeys.add(experiment);
        for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (allowedKeys.contains(key)) continue;
            if (settings.containsKey(key)) {
                throw src.error("/" + key, "settings of experiment " + key + ", but this spec runs " + experiment
                        + "; allowed: " + String.join(", ", allowedKeys));
            }
            throw src.error("/" + key, "unknown key; allowed: " + String.join(", ", allowedKeys));
        }
        String title = tree.has("title") ? text(src, "/title", tree.get("title"), true) : experiment;
        String description = tree.has("description") ? text(src, "/description", tree.get("description"), true) : "";
        outOfRange(src, "", tree);
        long seed = tree.has("seed") ? integer(src, "/seed", tree.get("seed"), Long.MIN_VALUE, Long.MAX_VALUE) : 0;
        int points = tree.has("points") ? (int) integer(src, "/points", tree.get("points"), 2, Bounds.SIZES.get("points")) : 100;

        ObjectNode resolved = Yaml.MAPPER.createObjectNode();
        resolved.put("experiment", experiment);
        resolved.put("title", title);
        if (!description.isEmpty()) resolved.put("description", description);
        resolved.put("seed", seed);
        resolved.put("points", points);

        List<String> engines = engines(src, tree.get("engine"));
        resolved.set("engine", Yaml.MAPPER.valueToTree(engines));
        // The network's settings are checked even while it is off, so --set engine=exact runs any spec.
        JsonNode userNeural = tree.get("neural");
        JsonNode from = userNeural != null && userNeural.isObject() ? userNeural.get("from") : null;
        if (from != null) {
            userNeural = userNeural.deepCopy();
            ((ObjectNode) userNeural).remove("from");
        }
        ObjectNode neuralDefaults = tree(Spec.Neural.DEFAULTS);
        neuralDefaults.remove("from");
        ObjectNode n = fill(src, "/neural", neuralDefaults, userNeural, "neural");
        Spec.Neural neural = build(src, "/neural", n, Spec.Neural.class);
        Population population = population(src, "/population", tree.get("population"), resolved.putObject("population"));
        ObjectNode world = fill(src, "/world", tree(World.DEFAULTS), tree.get("world"), "world");
        resolved.set("world", world);
        World w = build(src, "/world", world, World.class);
        if (from != null) {
            ObjectNode out = Yaml.MAPPER.createObjectNode();
            neural = new Spec.Neural(neural.base(), from(src, from, neural.base(), w, out), neural.seed(), neural.prompts(),
                    neural.bootstrap(), neural.snapshots(), neural.replicates());
            n.set("from", out);
        }
        if (engines.contains("neural")) resolved.set("neural", n);
        else neural = null;
        ObjectNode evaluator = fill(src, "/evaluator", tree(Evaluator.DEFAULTS), tree.get("evaluator"), "evaluator");
        resolved.set("evaluator", evaluator);
        Evaluator e = build(src, "/evaluator", evaluator, Evaluator.class);
        List<Spec.Tuning> methods = methods(src, tree.get("finetune"), resolved.putArray("finetune"), neural != null);
        Spec.Odds odds = odds(src, tree.get("odds"), population);
        if (odds != null) resolved.putArray("odds").add(odds.numerator()).add(odds.denominator());
        Spec.Sweep sweep = sweep(src, tree.get("sweep"));
        if (sweep != null) resolved.set("sweep", tree.get("sweep").deepCopy());
        Record own = null;
        if (settings.containsKey(experiment)) {
            String at = Keys.child("", experiment);
            ObjectNode filled = fill(src, at, tree(settings.get(experiment)), tree.get(experiment), "experiment " + experiment);
            own = build(src, at, filled, settings.get(experiment).getClass());
            resolved.set(experiment, filled);
        }
        try {
            w.rewardedContexts();
        } catch (IllegalArgumentException ex) {
            throw src.error("/world/train/observed", ex.getMessage());
        }
        return new Spec(experiment, title, description, seed, population, w, e, methods, odds, sweep, points,
                engines, neural, own, resolved, src);
    }

    /**
     * {@code neural.from}: the population (required) and base settings (NeuralSettings' defaults where unset)
     * of the base that each replicate's base continues from; its shape must be the spec's base's.
     */
    private Spec.From from(Source src, JsonNode node, reweigh.neural.pretrain.NeuralSettings base, World world, ObjectNode out)
            throws SpecError {
        String at = "/neural/from";
        if (!node.isObject()) throw src.error(at, "must be a mapping {population: {...}, base: {...}}: the base this one continues from");
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!key.equals("population") && !key.equals("base")) throw src.error(at + "/" + key, "unknown key; allowed: population, base");
        }
        Population population = population(src, at + "/population", node.get("population"), out.putObject("population"));
        ObjectNode b = fill(src, at + "/base", tree(reweigh.neural.pretrain.NeuralSettings.DEFAULTS), node.get("base"), "neural.from.base");
        out.set("base", b);
        reweigh.neural.pretrain.NeuralSettings settings = build(src, at + "/base", b, reweigh.neural.pretrain.NeuralSettings.class);
        if (!settings.transformer(world.answers()).equals(base.transformer(world.answers()))) {
            throw src.error(at + "/base", "must give a model of neural.base's shape (d_model, layers, heads, mlp_ratio, positions, "
                    + "max_turns): the base continues from its weights; here " + settings.transformer(world.answers())
                    + " against " + base.transformer(world.answers()));
        }
        return new Spec.From(population, settings);
    }

    /** Every combination of the spec's sweep, each validated before anything runs. */
    public List<Spec.Cell> cells(Spec spec) throws SpecError {
        if (spec.sweep() == null) return List.of(new Spec.Cell(Map.of(), spec));
        Source base = spec.source();
        List<Spec.Cell> cells = new ArrayList<>();
        for (Map<String, JsonNode> combo : spec.sweep().combinations()) {
            Source s = base.with("sweep", Yaml.MAPPER.nullNode(), base.origin("/sweep"));
            ((ObjectNode) s.tree()).remove("sweep");
            for (Map.Entry<String, JsonNode> a : combo.entrySet()) {
                s = s.with(a.getKey(), a.getValue(), base.origin("/sweep") + " (sweep " + a.getKey() + "=" + a.getValue() + ")");
            }
            cells.add(new Spec.Cell(combo, resolve(s)));
        }
        return cells;
    }

    // ---- population ---------------------------------------------------------------------------

    private Population population(Source src, String path, JsonNode node, ObjectNode out) throws SpecError {
        if (node == null) throw src.error(path, "missing: a population maps names to {kind, weight, ...parameters}");
        if (!node.isObject() || node.isEmpty()) {
            throw src.error(path, "must map algorithm names to {kind: ..., weight: ...}; kinds: " + String.join(", ", Catalogue.KINDS.keySet()));
        }
        boolean normalize = false;
        if (node.has("normalize")) {
            if (!node.get("normalize").isBoolean()) throw src.error(path + "/normalize", "must be true or false");
            normalize = node.get("normalize").booleanValue();
        }
        List<Population.Member> members = new ArrayList<>();
        double total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            if (name.equals("normalize")) continue;
            String at = Keys.child(path, name);
            if (!name.matches("[A-Za-z0-9_-]+")) throw src.error(at, "an algorithm name uses letters, digits, '-' and '_' only");
            JsonNode e = entry.getValue();
            if (!e.isObject()) throw src.error(at, "must be a mapping such as {kind: honest, weight: 0.3}");
            String kind = text(src, at + "/kind", e.get("kind"), true);
            JsonNode weightNode = e.get("weight");
            if (weightNode == null || !weightNode.isNumber()) throw src.error(at + "/weight", "missing or not a number: each algorithm needs a prior weight >= 0");
            double weight = weightNode.doubleValue();
            if (!(weight >= 0) || Double.isInfinite(weight)) throw src.error(at + "/weight", "must be a finite number >= 0 (got " + weight + ")");
            total += weight;
            Class<? extends Algorithm> type;
            Algorithm defaults;
            Catalogue.Kind builtIn = Catalogue.KINDS.get(kind);
            if (builtIn != null) {
                defaults = builtIn.defaults();
                type = defaults.getClass();
            } else {
                type = userAlgorithm(src, at + "/kind", kind);
                defaults = UserAlgorithms.defaults(type);
            }
            ObjectNode params = ((ObjectNode) e).deepCopy();
            params.remove("kind");
            params.remove("weight");
            ObjectNode filled = defaults != null
                    ? fill(src, at, tree(defaults), params, "algorithm kind " + kind)
                    : params;
            Algorithm algorithm = build(src, at, filled, type);
            members.add(new Population.Member(name, kind, algorithm, weight));
            ObjectNode o = out.putObject(name);
            o.put("kind", kind);
            o.put("weight", weight);
            o.setAll(filled);
        }
        if (members.isEmpty()) throw src.error(path, "needs at least one algorithm");
        if (!(total > 0)) throw src.error(path, "the weights are all zero");
        if (Math.abs(total - 1) > 1e-6) {
            if (!normalize) {
                throw src.error(path, String.format(java.util.Locale.ROOT,
                        "weights sum to %.6g, not 1; fix them or add 'normalize: true' under " + path.substring(1).replace('/', '.'), total));
            }
        }
        if (normalize) out.put("normalize", true);
        double sum = total;
        return new Population(members.stream()
                .map(m -> new Population.Member(m.name(), m.kind(), m.algorithm(), m.prior() / sum)).toList());
    }

    private static Class<? extends Algorithm> userAlgorithm(Source src, String at, String kind) throws SpecError {
        String allowed = "allowed: " + String.join(", ", Catalogue.KINDS.keySet())
                + ", or the full name of a class implementing reweigh.population.Algorithm"
                + UserAlgorithms.onClassPath().stream().map(UserAlgorithms.Found::kind)
                        .reduce((a, b) -> a + ", " + b).map(k -> " (this build has " + k + ")").orElse("");
        if (!kind.contains(".")) throw src.error(at, "unknown algorithm kind '" + kind + "'; " + allowed);
        try {
            Class<?> c = Class.forName(kind);
            if (!Algorithm.class.isAssignableFrom(c)) throw src.error(at, kind + " does not implement reweigh.population.Algorithm");
            return c.asSubclass(Algorithm.class);
        } catch (ClassNotFoundException | LinkageError ex) {
            throw src.error(at, "no class " + kind + " on the class path; " + allowed);
        }
    }

    // ---- methods ------------------------------------------------------------------------------

    private static List<String> engines(Source src, JsonNode node) throws SpecError {
        if (node == null) return List.of("exact");
        List<String> engines = new ArrayList<>();
        for (JsonNode e : node.isArray() ? node : Yaml.MAPPER.createArrayNode().add(node)) {
            if (!e.isTextual() || !ENGINES.contains(e.asText())) {
                throw src.error("/engine", "must be exact, neural, or a list of them (got " + e + ")");
            }
            if (!engines.contains(e.asText())) engines.add(e.asText());
        }
        if (!engines.contains("exact")) {
            throw src.error("/engine", "the exact engine always runs: its predictions are what the network is compared with; use [exact, neural]");
        }
        return engines;
    }

    private List<Spec.Tuning> methods(Source src, JsonNode node, ArrayNode out, boolean neural) throws SpecError {
        // none, or none as a resolved spec writes that (finetune: []): an experiment that tunes in its own way; the others say so in check
        if (node == null || node.isArray() && node.isEmpty()) return List.of();
        if (!node.isArray()) {
            throw src.error("/finetune", "must be a list of methods such as {method: kl-rl, beta: 0.1}; methods: "
                    + String.join(", ", Method.kinds().keySet()));
        }
        List<Expanded> expanded = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = Keys.child("/finetune", i);
            JsonNode e = node.get(i);
            if (!e.isObject()) throw src.error(at, "must be a mapping such as {method: kl-rl, beta: 0.1}");
            String name = text(src, at + "/method", e.get("method"), true);
            Method.Kind kind = Method.kinds().get(name);
            boolean networkOnly = kind == null && NetworkMethod.kinds().containsKey(name);
            if (kind == null && !networkOnly) {
                List<String> allowed = new ArrayList<>(Method.kinds().keySet());
                NetworkMethod.kinds().keySet().stream().filter(n -> !allowed.contains(n)).forEach(n -> allowed.add(n + " (network only)"));
                throw src.error(at + "/method", "unknown method '" + name + "'; allowed: " + String.join(", ", allowed));
            }
            String label = e.has("label") ? text(src, at + "/label", e.get("label"), true) : null;
            ObjectNode params = ((ObjectNode) e).deepCopy();
            params.remove("method");
            params.remove("label");
            JsonNode network = params.remove("neural");
            Network networkRun = network(src, at + "/neural", name, network, neural);
            if (networkOnly) {
                if (!params.isEmpty()) {
                    throw src.error(at + "/" + params.fieldNames().next(), name + " runs on the network only: put its parameters under 'neural:'");
                }
                if (network != null && network.isBoolean() && !network.booleanValue()) {
                    throw src.error(at + "/neural", name + " runs on the network only, so it cannot be switched off there");
                }
                if (networkRun != null) expanded.add(new Expanded(at, name, label, Yaml.MAPPER.createObjectNode(), networkRun));
                continue; // with the network off, a network-only method does not run
            }
            List<ObjectNode> combos = new ArrayList<>(List.of(Yaml.MAPPER.createObjectNode()));
            List<Map<String, String>> swept = new ArrayList<>(List.of(new LinkedHashMap<>()));
            for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> p = it.next();
                List<JsonNode> values = new ArrayList<>();
                if (p.getValue().isArray()) {
                    if (p.getValue().isEmpty()) throw src.error(at + "/" + p.getKey(), "an empty list gives no runs");
                    p.getValue().forEach(values::add);
                } else {
                    values.add(p.getValue());
                }
                List<ObjectNode> nextCombos = new ArrayList<>();
                List<Map<String, String>> nextSwept = new ArrayList<>();
                for (int c = 0; c < combos.size(); c++) {
                    for (JsonNode v : values) {
                        ObjectNode n = combos.get(c).deepCopy();
                        n.set(p.getKey(), v);
                        nextCombos.add(n);
                        Map<String, String> s = new LinkedHashMap<>(swept.get(c));
                        if (values.size() > 1) s.put(p.getKey(), v.asText());
                        nextSwept.add(s);
                    }
                }
                combos = nextCombos;
                swept = nextSwept;
            }
            for (int c = 0; c < combos.size(); c++) {
                ObjectNode filled = fill(src, at, tree(kind.defaults()), combos.get(c), "method " + name);
                String l = label == null ? null : combos.size() == 1 ? label : label + label(swept.get(c));
                expanded.add(new Expanded(at, name, l, filled, networkRun));
            }
        }
        List<Spec.Tuning> tunings = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Expanded e : expanded) {
            Method.Kind exact = Method.kinds().get(e.name());
            Method method = exact == null ? null : build(src, e.pointer(), e.params(), exact.defaults().getClass());
            String label = e.label() != null ? e.label() : e.name() + label(distinguishing(e, expanded));
            if (labels.contains(label)) throw src.error(e.pointer(), "two runs share the label '" + label + "'; give one a 'label:'");
            labels.add(label);
            tunings.add(new Spec.Tuning(label, method, e.network() == null ? null : e.network().method()));
            ObjectNode o = out.addObject();
            o.put("method", e.name());
            o.put("label", label);
            o.setAll(e.params());
            if (e.network() != null) o.set("neural", e.network().params());
            // switched off on a spec that runs the network: said, or the resolved spec would tune it there when run again
            else if (neural && NetworkMethod.kinds().containsKey(e.name())) o.put("neural", false);
        }
        return tunings;
    }

    /** One run of a finetune entry after list-valued parameters are expanded. */
    private record Expanded(String pointer, String name, String label, ObjectNode params, Network network) {}

    /** A finetune entry's run on the network: its parameters as resolved, and the method they build. */
    private record Network(ObjectNode params, NetworkMethod method) {}

    /**
     * A finetune entry's run on the network, or null when there is none: the network is off (the
     * parameters are still checked), the method has no network version, or the entry says
     * {@code neural: false}.
     */
    private static Network network(Source src, String at, String method, JsonNode node, boolean neural) throws SpecError {
        NetworkMethod.Kind kind = NetworkMethod.kinds().get(method);
        if (node != null && node.isBoolean()) {
            if (node.booleanValue() && kind == null) throw src.error(at, method + " has no network version: it is an exact prediction");
            if (!node.booleanValue()) return null;
            node = null;
        }
        if (node != null && kind == null) {
            throw src.error(at, method + " has no network version (those that do: " + String.join(", ", NetworkMethod.kinds().keySet()) + ")");
        }
        if (kind == null) return null;
        ObjectNode filled = fill(src, at, tree(kind.defaults()), node, "the network's " + method);
        NetworkMethod built = build(src, at, filled, kind.defaults().getClass());
        return neural ? new Network(filled, built) : null;
    }

    /** Parameters whose values differ among the runs of the same method: they name the run. */
    private static Map<String, String> distinguishing(Expanded me, List<Expanded> all) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<String> it = me.params().fieldNames(); it.hasNext(); ) {
            String key = it.next();
            for (Expanded other : all) {
                if (other.name().equals(me.name()) && !other.params().get(key).equals(me.params().get(key))) {
                    out.put(key, me.params().get(key).asText());
                    break;
                }
            }
        }
        return out;
    }

    private static String label(Map<String, String> params) {
        if (params.isEmpty()) return "";
        StringBuilder s = new StringBuilder("[");
        params.forEach((k, v) -> s.append(s.length() > 1 ? " " : "").append(k).append('=').append(v));
        return s.append(']').toString();
    }

    // ---- odds and sweep -----------------------------------------------------------------------

    private static Spec.Odds odds(Source src, JsonNode node, Population population) throws SpecError {
        if (node == null) {
            int honest = population.indexOfKind("honest");
            int deceiver = population.indexOfKind("deceiver");
            if (honest < 0 || deceiver < 0) return null;
            return new Spec.Odds(population.get(honest).name(), population.get(deceiver).name());
        }
        if (!node.isArray() || node.size() != 2 || !node.get(0).isTextual() || !node.get(1).isTextual()) {
            throw src.error("/odds", "must be a list of two algorithm names, e.g. [honest, deceiver]");
        }
        for (int i = 0; i < 2; i++) {
            if (population.indexOf(node.get(i).asText()) < 0) {
                throw src.error("/odds/" + i, "no algorithm named '" + node.get(i).asText() + "'; the population has " + String.join(", ", population.names()));
            }
        }
        if (node.get(0).asText().equals(node.get(1).asText())) throw src.error("/odds", "the two names must differ");
        return new Spec.Odds(node.get(0).asText(), node.get(1).asText());
    }

    private static Spec.Sweep sweep(Source src, JsonNode node) throws SpecError {
        if (node == null) return null;
        if (!node.isObject() || node.isEmpty()) throw src.error("/sweep", "must map spec keys to lists of values, e.g. {evaluator.detect: [0, 0.5, 1]}");
        List<String> keys = new ArrayList<>();
        List<List<JsonNode>> values = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = Keys.child("/sweep", e.getKey());
            if (e.getKey().startsWith("sweep")) throw src.error(at, "a sweep cannot sweep itself");
            if (!e.getValue().isArray() || e.getValue().isEmpty()) throw src.error(at, "must be a non-empty list of values");
            keys.add(e.getKey());
            List<JsonNode> vs = new ArrayList<>();
            e.getValue().forEach(vs::add);
            values.add(vs);
        }
        return new Spec.Sweep(keys, values);
    }

    // ---- shared -------------------------------------------------------------------------------

    static ObjectNode tree(Object defaults) { return Yaml.MAPPER.valueToTree(defaults); }

    /** The defaults overlaid with the user's keys; a key the defaults lack is an error naming those allowed. */
    static ObjectNode fill(Source src, String at, ObjectNode defaults, JsonNode user, String what) throws SpecError {
        ObjectNode out = defaults.deepCopy();
        if (user == null || user.isNull()) return out;
        if (!user.isObject()) throw src.error(at, what + " must be a mapping with keys " + allowed(defaults));
        for (Iterator<Map.Entry<String, JsonNode>> it = user.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String child = Keys.child(at, e.getKey());
            JsonNode d = defaults.get(e.getKey());
            if (d == null) throw src.error(child, "unknown key for " + what + "; allowed: " + allowed(defaults));
            Integer bound = Bounds.SIZES.get(e.getKey());
            if (bound != null && e.getValue().isIntegralNumber() && e.getValue().longValue() > bound) {
                throw src.error(child, Bounds.past(e.getKey(), bound) + " (got " + e.getValue().asText() + ")");
            }
            if (d.isObject()) out.set(e.getKey(), fill(src, child, (ObjectNode) d, e.getValue(), e.getKey()));
            else out.set(e.getKey(), e.getValue());
        }
        return out;
    }

    private static String allowed(ObjectNode defaults) {
        List<String> keys = new ArrayList<>();
        defaults.fieldNames().forEachRemaining(keys::add);
        return keys.isEmpty() ? "(none: this kind takes no parameters)" : String.join(", ", keys);
    }

    /** Builds a record from a filled tree; a type or range error names its key. */
    static <T> T build(Source src, String at, ObjectNode node, Class<T> type) throws SpecError {
        try {
            return Yaml.MAPPER.treeToValue(node, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            String path = at + pointer(e.getPath());
            if (cause instanceof Check.InvalidParameter p) throw src.error(Keys.child(path, p.field()), "must be " + p.allowed() + " (got " + got(src, node, p) + ")");
            throw src.error(path, cause == null ? e.getOriginalMessage() : cause.getMessage());
        } catch (MismatchedInputException e) {
            String path = at + pointer(e.getPath());
            throw src.error(path, "expected " + describe(e.getTargetType()));
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            if (!(e.getCause() instanceof com.fasterxml.jackson.core.exc.InputCoercionException c)) throw src.error(at, e.getOriginalMessage());
            String path = at + pointer(e.getPath());
            boolean isInt = c.getTargetType() == int.class || c.getTargetType() == Integer.class;
            throw src.error(path, "out of range: a whole number from " + (isInt ? Integer.MIN_VALUE : Long.MIN_VALUE) + " to "
                    + (isInt ? Integer.MAX_VALUE : Long.MAX_VALUE));
        } catch (IOException | IllegalArgumentException e) {
            throw src.error(at, e.getMessage());
        }
    }

    private static String got(Source src, ObjectNode node, Check.InvalidParameter p) {
        String m = p.getMessage();
        int i = m.lastIndexOf("(got ");
        return i < 0 ? "?" : m.substring(i + 5, m.length() - 1);
    }

    private static String pointer(List<com.fasterxml.jackson.databind.JsonMappingException.Reference> path) {
        StringBuilder p = new StringBuilder();
        for (var r : path) {
            if (r.getFieldName() != null) p.append('/').append(r.getFieldName());
            else if (r.getIndex() >= 0) p.append('/').append(r.getIndex());
        }
        return p.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) return "a value of another type";
        if (type == double.class || type == Double.class) return "a number";
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) return "a whole number";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type == String.class) return "text";
        if (type.isEnum()) {
            List<String> names = new ArrayList<>();
            for (Object c : type.getEnumConstants()) names.add(c.toString());
            return "one of " + String.join(", ", names);
        }
        if (type.isArray()) return "a list";
        return "a mapping (" + type.getSimpleName() + ")";
    }

    private static String text(Source src, String at, JsonNode node, boolean required) throws SpecError {
        if (node == null || node.isNull()) {
            if (required) throw src.error(at, "missing");
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) throw src.error(at, "must be text");
        return node.asText();
    }

    private static long integer(Source src, String at, JsonNode node, long min, long max) throws SpecError {
        if (node == null || !node.isIntegralNumber()) throw src.error(at, "must be a whole number");
        if (!node.canConvertToLong() || node.longValue() < min) throw src.error(at, "must be >= " + min + (max < Long.MAX_VALUE ? " and <= " + max : ""));
        if (node.longValue() > max) throw src.error(at, Bounds.past(Keys.display(at), max));
        return node.longValue();
    }

    /** A whole number past a long is refused wherever it is, before anything reads it (and wraps it). */
    private static void outOfRange(Source src, String at, JsonNode node) throws SpecError {
        if (node.isIntegralNumber() && !node.canConvertToLong()) {
            throw src.error(at, "out of range: a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE + " (got " + node.asText() + ")");
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                outOfRange(src, Keys.child(at, e.getKey()), e.getValue());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) outOfRange(src, Keys.child(at, i), node.get(i));
        }
    }

    private static List<String> sorted(Set<String> s) { return s.stream().sorted().toList(); }
}
