package reweigh.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlTest {

    static final String EVIL = "<script>alert('x')</script> & \"q\"";

    static Html page() {
        String svg = new LineChart("c", "x", "y").add(Series.line("s", new double[] {0, 1}, new double[] {0, 1})).svg();
        return new Html("Report " + EVIL)
                .paragraph("intro " + EVIL)
                .heading("Main results")
                .subheading("sub " + EVIL)
                .note("finding " + EVIL)
                .figure(svg, "caption " + EVIL)
                .table(List.of("name", "value " + EVIL), List.of(List.of("a " + EVIL, "0.5"), List.of("b", "1.25e-3")))
                .bullets(List.of("item " + EVIL))
                .heading("Main results")
                .link("javascript:alert(1)", "link " + EVIL)
                .link("other.html#x", "other")
                .raw("<hr>\n");
    }

    @Test
    void rendersAllElementsWithoutUnescapedUserText() {
        String html = page().render();
        for (String s : List.of("<!DOCTYPE html>", "<meta charset=\"utf-8\">", "<title>Report ", "<h1>Report ",
                "<h2 id=\"main-results\">Main results</h2>", "<h2 id=\"main-results-2\">", "<h3>sub ",
                "<div class=\"note\">finding ", "<figure>\n<svg ", "<figcaption>caption ", "<table>",
                "<th class=\"num\">value ", "<td class=\"num\">0.5</td>", "<li>item ", "<a href=\"#\">link ",
                "<a href=\"other.html#x\">other</a>", "<hr>", "max-width:100%", "<nav class=\"toc\">",
                "<a href=\"#main-results-2\">")) {
            assertTrue(html.contains(s), "missing " + s);
        }
        assertEquals(html.indexOf("<script>"), html.lastIndexOf("<script"), "no script but the page's own");
        assertFalse(html.contains("alert('x')"));
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"));
        assertTrue(html.indexOf("<nav") < html.indexOf("<h2") && html.indexOf("intro") < html.indexOf("<nav"));
        assertTrue(html.indexOf("</svg>") < html.indexOf("<figcaption>"));
        assertFalse(html.contains("http://") && html.contains("src="), "no external resources");
    }

    /** Issue 16: a run's report links up to the index of its runs, above its title, escaped like every href. */
    @Test
    void anUpLinkGoesAboveTheTitle() {
        String html = new Html("Run").paragraph("text").up("../index.html", "every experiment " + EVIL).render();
        assertTrue(html.contains("<main>\n<nav class=\"up\"><a href=\"../index.html\">every experiment &lt;script&gt;"), html);
        assertTrue(html.indexOf("<nav class=\"up\">") < html.indexOf("<h1>"));
        assertTrue(new Html("Run").up("javascript:alert(1)", "x").render().contains("<a href=\"#\">x</a>"));
        assertFalse(new Html("Run").render().contains("nav class=\"up\""), "no link unless asked");
    }

    /**
     * Issue 16: a page with a chart legend carries one inline script, after its content, that pairs each legend entry
     * with its series' groups; it loads nothing. A page without a legend carries none.
     */
    @Test
    void aPageWithALegendCarriesItsOwnShortScriptAndNoOther() {
        String html = page().render();
        int at = html.indexOf("<script>");
        assertTrue(at > html.indexOf("</main>") && html.indexOf("</script>") < html.indexOf("</body>"), html);
        String script = html.substring(at, html.indexOf("</script>"));
        assertTrue(script.contains("data-key") && script.contains("data-series") && script.contains("\"click\""), script);
        assertFalse(script.contains("http") || script.contains("src") || script.contains("fetch("), "loads nothing");
        assertTrue(script.lines().count() < 20, "a few lines");
        String noLegend = new LineChart("c", "x", "y").add(Series.line("", new double[] {0, 1}, new double[] {0, 1})).svg();
        assertFalse(new Html("t").figure(noLegend, "").paragraph("p").render().contains("<script"));
    }

    /** Issue 16: a long derivation folds away under its summary, escaped, after the verdict before it. */
    @Test
    void aLongDerivationFoldsAwayUnderItsSummary() {
        String html = new Html("t").note("verdict").details("how " + EVIL, List.of("first " + EVIL, "second")).render();
        assertTrue(html.contains("<div class=\"note\">verdict</div>\n<details>\n<summary>how &lt;script&gt;"), html);
        assertTrue(html.contains("</summary>\n<p>first &lt;script&gt;"), html);
        assertTrue(html.contains("<p>second</p>\n</details>\n"), html);
        assertFalse(html.contains("<details open"), "closed until clicked");
    }

    @Test
    void renderIsDeterministic() {
        assertEquals(page().render(), page().render());
    }

    @Test
    void escapeHandlesNullAndSpecials() {
        assertEquals("", Html.escape(null));
        assertEquals("a&lt;b &amp; &quot;c&quot;", Html.escape("a<b & \"c\""));
        assertEquals("\uFFFD ok \uD83D\uDE00", Html.escape("\u0007 ok \uD83D\uDE00"));
    }
}
