package reweigh.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A spec's YAML tree with the origin of every node: the file and line it was written on, or the
 * {@code --set} that put it there. Errors are reported against these origins.
 */
public final class Source {
    private final String file;
    private final ObjectNode tree;
    private final Map<String, String> origins; // JSON pointer -> "file:line" or "--set k=v"

    private Source(String file, ObjectNode tree, Map<String, String> origins) {
        this.file = file;
        this.tree = tree;
        this.origins = origins;
    }

    /**
     * Parses YAML text; a syntax error is a {@link SpecError} at its line, and so is a second document
     * ({@code ---}), which would otherwise be ignored. Text over {@link Bounds#SPEC_BYTES} is refused unparsed.
     */
    public static Source parse(String file, String yaml) throws SpecError {
        long bytes = yaml.length() <= Bounds.SPEC_BYTES / 3 ? yaml.length() : yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > Bounds.SPEC_BYTES) throw new SpecError(file, "", Bounds.tooLarge(bytes));
        Map<String, String> origins = new HashMap<>();
        try (JsonParser parser = Yaml.MAPPER.getFactory().createParser(yaml)) {
            JsonToken token;
            int depth = 0;
            int documents = 0;
            while ((token = parser.nextToken()) != null) {
                if (depth == 0 && (token.isStructStart() || token.isScalarValue()) && ++documents > 1) {
                    throw new SpecError(file + ":" + parser.currentTokenLocation().getLineNr(), "",
                            "a second YAML document ('---'); a spec is one document");
                }
                if (token.isStructStart()) depth++;
                else if (token.isStructEnd()) depth--;
                JsonPointer at = parser.getParsingContext().pathAsPointer();
                if (token == JsonToken.FIELD_NAME || token.isScalarValue() || token.isStructStart()) {
                    origins.putIfAbsent(at.toString(), file + ":" + parser.currentTokenLocation().getLineNr());
                }
            }
            JsonNode node = Yaml.MAPPER.readTree(yaml);
            if (node == null || node.isMissingNode() || node.isNull()) throw new SpecError(file, "", "the spec is empty");
            if (!node.isObject()) throw new SpecError(file + ":1", "", "a spec is a YAML mapping of keys to values");
            return new Source(file, (ObjectNode) node, origins);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new SpecError(file + (line > 0 ? ":" + line : ""), "", "not valid YAML: " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new SpecError(file, "", "cannot read: " + e.getMessage());
        }
    }

    /** SnakeYAML's messages span lines and point with a caret; the line number already says where. */
    private static String oneLine(String message) {
        return message.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.matches("\\^+")).reduce((a, b) -> a + "; " + b).orElse("");
    }

    public String file() { return file; }

    /** The tree; callers that change it must go through {@link #with}. */
    public ObjectNode tree() { return tree; }

    /**
     * A copy with {@code key=value} applied, where value is YAML text ({@code 0.3}, {@code [0.1, 1]}, {@code k3});
     * {@code option} ({@code --set}, {@code --grid}) is named in errors.
     */
    public Source with(String option, String assignment) throws SpecError {
        int eq = assignment.indexOf('=');
        String origin = option + " " + assignment;
        if (eq <= 0) throw new SpecError(origin, "", "an override is key=value, e.g. " + option + " evaluator.detect=0.9");
        String key = assignment.substring(0, eq).trim();
        JsonNode value;
        try {
            String text = assignment.substring(eq + 1);
            value = text.isBlank() ? Yaml.MAPPER.nullNode() : Yaml.MAPPER.readTree(text);
            if (value == null || value.isMissingNode()) value = Yaml.MAPPER.nullNode();
        } catch (IOException e) {
            throw new SpecError(origin, key, "the value is not valid YAML");
        }
        return with(key, value, origin);
    }

    /** A copy with the node at the dotted {@code key} ({@code finetune[1].beta}) replaced by {@code value}. */
    public Source with(String key, JsonNode value, String origin) throws SpecError {
        ObjectNode copy = tree.deepCopy();
        String[] parts = Keys.split(key);
        if (parts.length == 0) throw new SpecError(origin, key, "empty key");
        JsonNode parent = copy;
        StringBuilder pointer = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = child(parent, parts[i], origin, key);
            if (next == null || next.isNull()) {
                if (!parent.isObject()) throw new SpecError(origin, key, "no such element: " + Keys.display(pointer + "/" + parts[i]));
                next = ((ObjectNode) parent).putObject(parts[i]);
            }
            pointer.append('/').append(parts[i]);
            parent = next;
        }
        String last = parts[parts.length - 1];
        if (parent.isObject()) {
            ((ObjectNode) parent).set(last, value);
        } else if (parent.isArray() && isIndex(last) && Integer.parseInt(last) < parent.size()) {
            ((com.fasterxml.jackson.databind.node.ArrayNode) parent).set(Integer.parseInt(last), value);
        } else {
            throw new SpecError(origin, key, Keys.display(pointer.toString()) + " has no element " + last);
        }
        Map<String, String> origins = new HashMap<>(this.origins);
        String at = pointer + "/" + last;
        origins.keySet().removeIf(p -> p.equals(at) || p.startsWith(at + "/"));
        origins.put(at, origin);
        return new Source(file, copy, origins);
    }

    private static JsonNode child(JsonNode parent, String part, String origin, String key) throws SpecError {
        if (parent.isArray()) {
            if (!isIndex(part) || Integer.parseInt(part) >= parent.size()) {
                throw new SpecError(origin, key, "index " + part + " is out of range (the list has " + parent.size() + " elements)");
            }
            return parent.get(Integer.parseInt(part));
        }
        if (!parent.isObject()) throw new SpecError(origin, key, "cannot set inside a " + parent.getNodeType().toString().toLowerCase());
        return parent.get(part);
    }

    private static boolean isIndex(String s) { return !s.isEmpty() && s.chars().allMatch(Character::isDigit); }

    /** Where the node at this JSON pointer came from, or the nearest ancestor's origin. */
    public String origin(String pointer) {
        String p = pointer;
        while (true) {
            String o = origins.get(p);
            if (o != null) return o;
            if (p.isEmpty()) return file;
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** An error at the node with this pointer. */
    public SpecError error(String pointer, String problem) {
        return new SpecError(origin(pointer), Keys.display(pointer), problem);
    }
}
