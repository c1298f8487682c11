package reweigh.spec;

import java.util.ArrayList;
import java.util.List;

/** Converts between dotted keys as users write them ({@code finetune[1].beta}) and JSON pointers. */
final class Keys {
    private Keys() {}

    /** {@code finetune[1].beta} or {@code finetune.1.beta} -> [finetune, 1, beta]. */
    static String[] split(String key) {
        List<String> parts = new ArrayList<>();
        for (String dotted : key.split("\\.")) {
            String s = dotted;
            int bracket = s.indexOf('[');
            if (bracket < 0) {
                if (!s.isEmpty()) parts.add(s);
                continue;
            }
            if (bracket > 0) parts.add(s.substring(0, bracket));
            while (bracket >= 0) {
                int close = s.indexOf(']', bracket);
                if (close < 0) break;
                parts.add(s.substring(bracket + 1, close));
                s = s.substring(close + 1);
                bracket = s.indexOf('[');
            }
        }
        return parts.toArray(String[]::new);
    }

    /** {@code /finetune/1/beta} -> {@code finetune[1].beta}. */
    static String display(String pointer) {
        StringBuilder out = new StringBuilder();
        for (String part : pointer.split("/")) {
            if (part.isEmpty()) continue;
            String p = part.replace("~1", "/").replace("~0", "~");
            if (!p.isEmpty() && p.chars().allMatch(Character::isDigit)) out.append('[').append(p).append(']');
            else out.append(out.length() == 0 ? "" : ".").append(p);
        }
        return out.toString();
    }

    /** JSON pointer of a child. */
    static String child(String pointer, String name) {
        return pointer + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    static String child(String pointer, int index) { return pointer + "/" + index; }
}
