package reweigh.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A self-contained HTML report page: inline CSS, no external resources, and on a page with a chart legend one short
 * inline script of its own ({@link #SCRIPT}; the page reads the same without it). All text arguments are
 * escaped except {@link #figure}'s svg and {@link #raw}. With two or more headings, a contents list is placed
 * before the first one.
 */
public final class Html {

    private static final String CSS = """
            body{margin:0;background:#fff;color:#1b1b1b;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,\
            Helvetica,Arial,sans-serif}
            main{max-width:60rem;margin:0 auto;padding:2rem 1.25rem 4rem}
            h1{font-size:1.8rem;line-height:1.25;margin:0 0 1rem}
            h2{font-size:1.35rem;margin:2.5rem 0 .75rem;padding-bottom:.25rem;border-bottom:1px solid #ddd}
            h3{font-size:1.1rem;margin:1.75rem 0 .5rem}
            p{margin:.75rem 0}
            a{color:#0b5cad}
            nav.up{font-size:.95rem;margin:0 0 .5rem}
            nav.toc{margin:1rem 0 1.5rem;font-size:.95rem}
            nav.toc ol{margin:.25rem 0;padding-left:1.5rem}
            .note{margin:1.25rem 0;padding:.75rem 1rem;border-left:4px solid #0072B2;background:#eef5fb;\
            border-radius:0 4px 4px 0}
            details{margin:.75rem 0}
            summary{cursor:pointer;color:#0b5cad}
            figure{margin:1.75rem 0}
            figure svg{display:block;margin:0 auto;max-width:100%;height:auto}
            figcaption{margin:.5rem auto 0;max-width:46rem;font-size:.9rem;color:#444}
            .table-wrap{overflow-x:auto;margin:1rem 0}
            table{border-collapse:collapse;font-size:.92rem}
            th,td{padding:.35rem .75rem;border-bottom:1px solid #e3e3e3;text-align:left;vertical-align:top}
            th{border-bottom:2px solid #bbb;font-weight:600}
            .num{text-align:right;font-variant-numeric:tabular-nums}
            tbody tr:nth-child(even){background:#f8f8f8}
            @media print{main{max-width:none;padding:0}figure,table{break-inside:avoid}}
            """;
    /**
     * A click (or Enter) on a chart's legend entry hides or shows its series: the legend entry {@code data-key="i"} and
     * the groups {@code data-series="i"} of the same chart (see {@code Svg.openSeries}). Without script, all are shown.
     */
    private static final String SCRIPT = """
            <script>
            document.querySelectorAll("svg [data-key]").forEach(function (key) {
              var chart = key.closest("svg"), selector = '[data-series="' + key.getAttribute("data-key") + '"]';
              function toggle() {
                var off = key.classList.toggle("off");
                key.style.opacity = off ? "0.35" : "";
                chart.querySelectorAll(selector).forEach(function (s) { s.style.display = off ? "none" : ""; });
              }
              key.style.cursor = "pointer";
              key.setAttribute("tabindex", "0");
              key.setAttribute("role", "button");
              key.addEventListener("click", toggle);
              key.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); toggle(); } });
            });
            </script>
            """;
    /** A table cell that reads as a number (optionally with ±, %, exponent or thousands commas): right-aligned. */
    private static final Pattern NUMBER =
            Pattern.compile("[-+−]?(\\d[\\d,]*(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?%?( ?± ?\\d[\\d.]*([eE][-+]?\\d+)?%?)?");

    private record Heading(String id, String text) {}

    private final String title;
    private String up = "";
    private final StringBuilder body = new StringBuilder();
    private final List<Heading> headings = new ArrayList<>();
    private final TreeSet<String> ids = new TreeSet<>();
    private int contentsAt = -1;

    /** Used for both the page title and the h1. */
    public Html(String title) {
        this.title = title == null ? "" : title;
    }

    /** An h2 whose id is a slug of the text ("Main results" → "main-results"), made unique with -2, -3, .... */
    public Html heading(String text) {
        String base = slug(text);
        String id = base;
        for (int n = 2; ids.contains(id); n++) {
            id = base + "-" + n;
        }
        ids.add(id);
        headings.add(new Heading(id, text == null ? "" : text));
        if (contentsAt < 0) {
            contentsAt = body.length();
        }
        body.append("<h2 id=\"").append(id).append("\">").append(escape(text)).append("</h2>\n");
        return this;
    }

    public Html subheading(String text) {
        body.append("<h3>").append(escape(text)).append("</h3>\n");
        return this;
    }

    public Html paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A visually distinct callout, e.g. for a finding. */
    public Html note(String text) {
        body.append("<div class=\"note\">").append(escape(text)).append("</div>\n");
        return this;
    }

    /**
     * Paragraphs folded away under a one-line summary (an HTML details element: closed until clicked, no script), for a
     * long derivation that would bury the verdict stated before it.
     */
    public Html details(String summary, List<String> paragraphs) {
        body.append("<details>\n<summary>").append(escape(summary)).append("</summary>\n");
        for (String p : paragraphs) paragraph(p);
        body.append("</details>\n");
        return this;
    }

    public Html bullets(List<String> items) {
        body.append("<ul>\n");
        for (String item : items) {
            body.append("<li>").append(escape(item)).append("</li>\n");
        }
        body.append("</ul>\n");
        return this;
    }

    /** The svg is inserted as-is; the caption (escaped) goes below it and is omitted when null or empty. */
    public Html figure(String svg, String caption) {
        body.append("<figure>\n").append(svg == null ? "" : svg);
        if (caption != null && !caption.isEmpty()) {
            body.append("<figcaption>").append(escape(caption)).append("</figcaption>\n");
        }
        body.append("</figure>\n");
        return this;
    }

    /** Rows may be ragged. Columns whose non-blank body cells are all numbers are right-aligned. */
    public Html table(List<String> header, List<List<String>> rows) {
        header = header == null ? List.of() : header;
        int columns = header.size();
        for (List<String> r : rows) {
            columns = Math.max(columns, r.size());
        }
        boolean[] numeric = new boolean[columns];
        boolean[] text = new boolean[columns];
        for (List<String> r : rows) {
            for (int c = 0; c < r.size(); c++) {
                String cell = r.get(c) == null ? "" : r.get(c).strip();
                boolean isNumber = NUMBER.matcher(cell).matches();
                numeric[c] |= isNumber;
                text[c] |= !cell.isEmpty() && !isNumber;
            }
        }
        for (int c = 0; c < columns; c++) {
            numeric[c] &= !text[c];
        }
        body.append("<div class=\"table-wrap\"><table>\n");
        if (!header.isEmpty()) {
            body.append("<thead><tr>");
            for (int c = 0; c < header.size(); c++) {
                body.append(numeric[c] ? "<th class=\"num\">" : "<th>").append(escape(header.get(c))).append("</th>");
            }
            body.append("</tr></thead>\n");
        }
        body.append("<tbody>\n");
        for (List<String> r : rows) {
            body.append("<tr>");
            for (int c = 0; c < r.size(); c++) {
                body.append(numeric[c] ? "<td class=\"num\">" : "<td>").append(escape(r.get(c))).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</tbody></table></div>\n");
        return this;
    }

    /** A paragraph holding one link; a javascript: href is replaced by "#", since a page runs no script but its own. */
    public Html link(String href, String text) {
        body.append("<p><a href=\"").append(escape(safe(href))).append("\">").append(escape(text)).append("</a></p>\n");
        return this;
    }

    /** The href as given, but "#" for a javascript: one (a page runs no script but its own); "" for null. */
    private static String safe(String href) {
        String h = href == null ? "" : href;
        return h.strip().toLowerCase(Locale.ROOT).startsWith("javascript:") ? "#" : h;
    }

    /** One paragraph: {@code lead}, then a link to each of {@code hrefs}, named by its href, separated by " · ". */
    public Html links(String lead, List<String> hrefs) {
        body.append("<p>").append(escape(lead));
        for (int i = 0; i < hrefs.size(); i++) {
            body.append(i == 0 ? " " : " · ").append("<a href=\"").append(escape(safe(hrefs.get(i)))).append("\">").append(escape(hrefs.get(i))).append("</a>");
        }
        body.append("</p>\n");
        return this;
    }

    /** A link up to the page this one belongs to (a run's report to the index of its runs), placed above the title. */
    public Html up(String href, String text) {
        up = "<nav class=\"up\"><a href=\"" + escape(safe(href)) + "\">" + escape(text) + "</a></nav>\n";
        return this;
    }

    /** Inserted as-is. */
    public Html raw(String html) {
        body.append(html == null ? "" : html);
        return this;
    }

    public String render() {
        StringBuilder out = new StringBuilder(body.length() + CSS.length() + 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n")
                .append("</head>\n<body>\n<main>\n").append(up).append("<h1>").append(escape(title)).append("</h1>\n");
        if (headings.size() >= 2) {
            out.append(body, 0, contentsAt).append("<nav class=\"toc\"><strong>Contents</strong>\n<ol>\n");
            for (Heading h : headings) {
                out.append("<li><a href=\"#").append(h.id()).append("\">").append(escape(h.text())).append("</a></li>\n");
            }
            out.append("</ol></nav>\n").append(body, contentsAt, body.length());
        } else {
            out.append(body);
        }
        out.append("</main>\n");
        if (body.indexOf("data-key=\"") >= 0) out.append(SCRIPT);
        return out.append("</body>\n</html>\n").toString();
    }

    /**
     * Escapes text for HTML and XML content or attributes. Characters XML 1.0 forbids (most C0 controls, lone
     * surrogates) become U+FFFD so output stays well-formed. null gives "".
     */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || Character.isSurrogate(c)
                            || c == 0xFFFE || c == 0xFFFF) {
                        b.append('\uFFFD');
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String slug(String text) {
        StringBuilder b = new StringBuilder();
        for (char c : (text == null ? "" : text).toLowerCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                b.append(c);
            } else if (b.length() > 0 && b.charAt(b.length() - 1) != '-') {
                b.append('-');
            }
        }
        while (b.length() > 0 && b.charAt(b.length() - 1) == '-') {
            b.setLength(b.length() - 1);
        }
        return b.length() == 0 ? "section" : b.toString();
    }
}
