package reweigh.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class ChartsTest {

    static final double NaN = Double.NaN;

    /** Every chart kind the tests care about, built fresh on each call. */
    static Map<String, Supplier<String>> charts() {
        Map<String, Supplier<String>> m = new TreeMap<>();
        double[] x = {0, 100, 200, 300, 400, 500};
        double[] y = {0.1, 0.35, 0.5, 0.62, 0.7, 0.74};
        double[] lo = {0.05, 0.3, 0.44, 0.55, 0.64, 0.7};
        double[] hi = {0.15, 0.4, 0.56, 0.69, 0.76, 0.78};
        m.put("line", () -> new LineChart("Accuracy", "step", "p(correct)")
                .add(Series.line("exact", x, y)).add(Series.line("heuristic", x, lo).dashed())
                .add(Series.line("pts", x, hi).points()).add(Series.line("lp", x, y).linePoints())
                .hline(0.5, "chance").svg());
        m.put("band", () -> new LineChart("With band", "step", "p").add(Series.line("a", x, y).withBand(lo, hi))
                .yRange(0, 1).svg(500, 300));
        m.put("logxy", () -> new LineChart("Log", "n", "loss").logX().logY()
                .add(Series.line("a", new double[] {-1, 0, 1, 10, 100, 1000}, new double[] {5, 4, 3, 0.5, 0.01, -2}))
                .svg());
        m.put("empty", () -> new LineChart("Empty", "x", "y").svg());
        m.put("allNaN", () -> new LineChart("NaN", "x", "y")
                .add(Series.line("n", new double[] {NaN, 1}, new double[] {1, NaN})).svg());
        m.put("flat", () -> new LineChart("Flat", "x", "y")
                .add(Series.line("f", new double[] {2, 2, 2}, new double[] {0.5, 0.5, 0.5})).svg());
        m.put("nanGaps", () -> new LineChart("Gaps", "x", "y").add(Series.line("g",
                new double[] {0, 1, 2, 3, 4, 5, 6}, new double[] {1, 2, NaN, 4, Double.POSITIVE_INFINITY, 6, 7})).svg());
        m.put("bars", () -> new BarChart("Bars", "rate", List.of("alpha", "beta", "gamma"))
                .add("base", new double[] {0.2, 0.5, 0.9}, new double[] {0.1, 0.4, 0.85}, new double[] {0.3, 0.6, 0.95})
                .add("tuned", new double[] {0.3, NaN, 0.7}).svg());
        m.put("barsLog", () -> new BarChart("Bars log", "count", List.of("a", "b"))
                .add("s", new double[] {10, 2000}, new double[] {-1, 1000}, new double[] {20, 3000}).logY().svg());
        m.put("barsNegative", () -> new BarChart("Change", "Δ", List.of("a much longer category name", "b", "c", "d"))
                .add("s", new double[] {-0.3, 0.2, 0, 0.1}).svg(300, 240));
        m.put("heatmap", () -> new Heatmap("Heat", "detect", List.of("0", "0.5", "1"), "leak", List.of("0", "0.2"),
                new double[][] {{1.1, 1.1, 1.1}, {0.4, NaN, 2.5}}).svg());
        m.put("heatmapFlat", () -> new Heatmap("Flat", "x", List.of("a"), "y", List.of("b"), new double[][] {{3}}).svg(300, 200));
        m.put("heatmapEmpty", () -> new Heatmap("None", "x", List.of("a"), "y", List.of("b"), new double[][] {{NaN}}).svg());
        m.put("fit", () -> fitted(true));
        m.put("clipped", () -> outlier(260, true));
        m.put("barsEmpty", () -> new BarChart("None", "y", List.of()).svg());
        m.put("multiples", () -> multiples(3).svg(900, 260));
        m.put("multiplesEmpty", () -> new SmallMultiples("None", 2).svg(600, 200));
        return m;
    }

    /** Measured NLL at k = 1..8 as points, and (when {@code fit}) the power law fitted to them, over a wider k. */
    static String fitted(boolean fit) {
        double[] k = {1, 2, 3, 4, 6, 8}, nll = {2.1, 1.3, 1.0, 0.82, 0.66, 0.55};
        double[] at = java.util.stream.IntStream.range(0, 40).mapToDouble(i -> Math.pow(16, i / 39.0)).toArray();
        LineChart c = new LineChart("NLL", "k", "NLL").logX().logY().add(Series.line("other", k, k).dashed())
                .add(Series.line("base", k, nll).linePoints());
        if (fit) c.fit(at, java.util.Arrays.stream(at).map(v -> 2 * Math.pow(v, -0.8) + 0.05).toArray(), "base: fit");
        return c.svg();
    }

    /** Two curves near a reference line at ln 10, one of which climbs to {@code top}; clipped above 19.5 when asked. */
    static String outlier(double top, boolean clip) {
        double[] h = {0, 0.25, 0.5, 0.75, 1};
        LineChart c = new LineChart("Δ log-odds", "h", "Δ").add(Series.line("kl-rl", h, new double[] {0, 4.9, 9.8, 14.6, 19.5}).linePoints())
                .add(Series.line("sft-filtered", h, new double[] {0, 3, top / 2, top, NaN}).dashed()).hline(Math.log(10), "cut 10×");
        if (clip) c.clipAbove(19.5);
        return c.svg();
    }

    /** One panel per condition, the same two series in each, on one y range. */
    static SmallMultiples multiples(int panels) {
        SmallMultiples m = new SmallMultiples("Rates by condition", 2);
        double[] x = {0, 1, 2, 3};
        for (int p = 0; p < panels; p++) {
            m.add(new LineChart("condition " + p, "level", "rate").integerX().xRange(0, 3).yRange(0, 1)
                    .add(Series.line("base", x, new double[] {0.1, 0.2, 0.3, 0.4 + p / 10.0}).linePoints())
                    .add(Series.line("tuned", x, new double[] {0.1, 0.15, 0.2, 0.25}).dashed()));
        }
        return m;
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyChartIsWellFormedSvg() throws Exception {
        for (Map.Entry<String, Supplier<String>> e : charts().entrySet()) {
            String svg = e.getValue().get();
            Document d = parse(svg);
            assertEquals("svg", d.getDocumentElement().getLocalName(), e.getKey());
            assertEquals("http://www.w3.org/2000/svg", d.getDocumentElement().getNamespaceURI());
            for (String attr : new String[] {"width", "height", "viewBox", "font-family"}) {
                assertFalse(d.getDocumentElement().getAttribute(attr).isEmpty(), e.getKey() + " lacks " + attr);
            }
        }
    }

    @Test
    void outputIsDeterministic() {
        for (Map.Entry<String, Supplier<String>> e : charts().entrySet()) {
            assertEquals(e.getValue().get(), e.getValue().get(), e.getKey());
        }
    }

    @Test
    void emptyAndInvalidDataSayNoData() {
        Map<String, Supplier<String>> m = charts();
        for (String k : List.of("empty", "allNaN", "barsEmpty")) {
            assertTrue(m.get(k).get().contains(">no data<"), k);
        }
        assertFalse(m.get("flat").get().contains("no data"));
    }

    @Test
    void heatmapColoursByValueKeysItsScaleAndMarksMissingCells() throws Exception {
        String svg = charts().get("heatmap").get();
        assertTrue(svg.contains("fill=\"#440154\" stroke=\"#fff\" stroke-width=\"0.5\"><title>detect=0, leak=0.2: 0.4</title>"), "the lowest value is the bottom of the scale");
        assertTrue(svg.contains("fill=\"#fde725\" stroke=\"#fff\" stroke-width=\"0.5\"><title>detect=1, leak=0.2: 2.5</title>"), "the highest value is the top of the scale");
        assertTrue(svg.contains("fill=\"#dddddd\" stroke=\"#fff\" stroke-width=\"0.5\"><title>detect=0.5, leak=0.2: no value</title>"), "a missing value is grey");
        assertTrue(svg.contains(">–</text>"), "and marked");
        assertTrue(svg.contains(">2.5</text>") && svg.contains(">0.4</text>"), "large cells show their values");
        assertTrue(charts().get("heatmapEmpty").get().contains(">no data<"));
        assertFalse(charts().get("heatmapFlat").get().contains("no data"), "one value still draws");
    }

    @Test
    void nanBreaksTheLine() throws Exception {
        NodeList lines = parse(charts().get("nanGaps").get()).getElementsByTagName("polyline");
        assertEquals(2, lines.getLength()); // 0-1, then 5-6; the lone point 3 becomes a dot
        assertEquals(2, lines.item(0).getAttributes().getNamedItem("points").getNodeValue().split(" ").length);
    }

    @Test
    void logAxesDropNonPositivePoints() throws Exception {
        NodeList lines = parse(charts().get("logxy").get()).getElementsByTagName("polyline");
        assertEquals(1, lines.getLength());
        assertEquals(3, lines.item(0).getAttributes().getNamedItem("points").getNodeValue().split(" ").length);
    }

    @Test
    void textIsEscaped() throws Exception {
        String name = "a<b & \"c\"";
        String svg = new LineChart(name, name, name).add(Series.line(name, new double[] {1, 2}, new double[] {1, 2}))
                .hline(1.5, name).svg();
        assertTrue(svg.contains("a&lt;b &amp; &quot;c&quot;"));
        assertFalse(svg.contains(name));
        String bars = new BarChart(name, name, List.of(name)).add(name, new double[] {1}).svg();
        assertFalse(bars.contains(name));
        parse(svg);
        parse(bars);
        parse(new LineChart("ctl\u0001\uD800", "", "").svg()); // XML-forbidden characters are replaced
    }

    /**
     * Issue 16: legend names were cut ("network: reinforce (95…"). They wrap onto as many lines as they need, each
     * line within the legend's width, and the chart grows taller where the legend would not fit beside the plot.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void legendNamesWrapInFullAndTheChartGrowsToHoldThem(long seed) throws Exception {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        List<String> names = new java.util.ArrayList<>(List.of("network: reinforce (95% interval over 3 replicates)", "x".repeat(300)));
        for (int i = 0; i < 2 + rng.nextInt(14); i++) {
            StringBuilder name = new StringBuilder("s" + i);
            for (int w = rng.nextInt(12); w > 0; w--) name.append(' ').append("abcdefghijklmnopqrstuvwxyz", 0, 1 + rng.nextInt(26));
            names.add(name.toString());
        }
        LineChart line = new LineChart("t", "x", "y");
        BarChart bars = new BarChart("t", "y", List.of("a", "b"));
        for (int i = 0; i < names.size(); i++) {
            line.add(Series.line(names.get(i), new double[] {0, 1}, new double[] {i, i + 1}));
            bars.add(names.get(i), new double[] {i + 1, i + 2});
        }
        for (String svg : List.of(line.svg(), bars.svg())) {
            assertFalse(svg.contains("…"), "nothing is cut");
            Document d = parse(svg);
            List<String> texts = new java.util.ArrayList<>();
            NodeList all = d.getElementsByTagName("text");
            double legendX = Double.NaN, lowest = 0;
            for (int i = 0; i < all.getLength(); i++) {
                texts.add(all.item(i).getTextContent().replace(" ", ""));
                if (all.item(i).getTextContent().startsWith("network: reinforce")) {
                    legendX = Double.parseDouble(all.item(i).getAttributes().getNamedItem("x").getNodeValue());
                }
                if (all.item(i).getAttributes().getNamedItem("y") != null) {
                    NodeList spans = ((org.w3c.dom.Element) all.item(i)).getElementsByTagName("tspan");
                    lowest = Math.max(lowest, Double.parseDouble(all.item(i).getAttributes().getNamedItem("y").getNodeValue()) + 14 * spans.getLength());
                }
            }
            for (String name : names) assertTrue(texts.contains(name.replace(" ", "")), "the legend holds all of " + name);
            NodeList spans = d.getElementsByTagName("tspan");
            assertTrue(spans.getLength() >= 21, "the 300 x's take many lines");
            int width = Integer.parseInt(d.getDocumentElement().getAttribute("width"));
            int height = Integer.parseInt(d.getDocumentElement().getAttribute("height"));
            for (int i = 0; i < spans.getLength(); i++) {
                assertTrue(legendX + Svg.textWidth(spans.item(i).getTextContent(), Svg.LABEL_PX) <= width, "each line fits the width");
            }
            assertTrue(height > 360 && lowest <= height, "the chart grew to " + height + " to hold the legend, to " + lowest);
            assertEquals("0 0 " + width + " " + height, d.getDocumentElement().getAttribute("viewBox"));
        }
        assertEquals(List.of("ab cd", "efghi", "j"), Svg.wrap("ab cd efghij", 5 * 12 * 0.6, 12));
    }

    @Test
    void manySeriesGetDistinctStyles() throws Exception {
        LineChart c = new LineChart("many", "x", "y");
        for (int i = 0; i < 20; i++) {
            c.add(Series.line("s" + i, new double[] {0, 1}, new double[] {i, i + 1}));
        }
        NodeList lines = parse(c.svg(900, 600)).getElementsByTagName("polyline");
        assertEquals(20, lines.getLength());
        Set<String> styles = new HashSet<>();
        for (int i = 0; i < lines.getLength(); i++) {
            var a = lines.item(i).getAttributes();
            var dash = a.getNamedItem("stroke-dasharray");
            styles.add(a.getNamedItem("stroke").getNodeValue() + "|" + (dash == null ? "" : dash.getNodeValue()));
        }
        assertEquals(20, styles.size());
    }

    /** Issue 16: evaluator's kl-rl, replicator and sft-filtered all sit on 0; each one's marks must show beside the others'. */
    @Test
    void seriesThatCoincideDrawMarksOfDifferentShapes() throws Exception {
        LineChart c = new LineChart("same", "x", "y");
        for (int i = 0; i < 4; i++) c.add(Series.line("s" + i, new double[] {0, 1}, new double[] {0, 0}).linePoints());
        Document d = parse(c.svg());
        Set<String> shapes = new HashSet<>();
        for (String tag : List.of("circle", "rect")) {
            NodeList marks = d.getElementsByTagName(tag);
            for (int i = 0; i < marks.getLength(); i++) {
                var e = (org.w3c.dom.Element) marks.item(i);
                if (e.getTextContent().startsWith("s")) shapes.add(tag + " " + (e.getAttribute("fill").equals("#fff") ? "open" : "filled"));
            }
        }
        assertEquals(Set.of("circle filled", "rect filled", "circle open", "rect open"), shapes);
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Series.line("a", new double[2], new double[3]));
        assertThrows(IllegalArgumentException.class,
                () -> Series.line("a", new double[2], new double[2]).withBand(new double[2], null));
        assertThrows(IllegalArgumentException.class,
                () -> new BarChart("t", "y", List.of("a", "b")).add("s", new double[1]));
        assertThrows(IllegalArgumentException.class, () -> new LineChart("t", "x", "y").yRange(1, 0));
    }

    /** Hovering a bar or a point shows its value, and its interval where it has one (an SVG title, no script). */
    @Test
    void barsAndPointsSayTheirValueAndIntervalOnHover() throws Exception {
        String bars = charts().get("bars").get();
        assertTrue(bars.contains("<title>alpha, base: 0.2 [0.1, 0.3]</title>"), bars);
        assertTrue(bars.contains("<title>gamma, tuned: 0.7</title>"), bars);
        String line = new LineChart("t", "x", "y").add(Series.line("a", new double[] {1, 2}, new double[] {0.5, 3.71e-6})
                .withBand(new double[] {0.4, 0}, new double[] {0.6, 1e-5}).linePoints()).svg();
        assertTrue(line.contains("<title>a: 2, 3.71×10⁻⁶ [0, 1×10⁻⁵]</title>"), line);
        parse(bars);
        parse(line);
    }

    /** Issue 16: base and best-of-n shared a colour once a bar chart had nine series (the palette wrapped at 8). */
    @Test
    void noTwoSeriesOfOneChartShareAColour() throws Exception {
        Set<String> colours = new HashSet<>();
        for (int i = 0; i < 64; i++) assertTrue(colours.add(Svg.colour(i)), "series " + i + " repeats " + Svg.colour(i));
        BarChart bars = new BarChart("many", "y", List.of("a"));
        for (int i = 0; i < 12; i++) bars.add("s" + i, new double[] {i + 1});
        NodeList rects = parse(bars.svg()).getElementsByTagName("rect");
        Set<String> fills = new HashSet<>();
        for (int i = 0; i < rects.getLength(); i++) {
            var title = rects.item(i).getTextContent();
            if (title.startsWith("a, s")) fills.add(rects.item(i).getAttributes().getNamedItem("fill").getNodeValue());
        }
        assertEquals(12, fills.size(), "twelve bars, twelve colours");
    }

    /**
     * Issue 16: pressure's 12 series and honeypots' 17 in one panel became a panel per condition. Panels are nested
     * charts, laid out in rows, each series in the same colour in every panel, and the grid as high as its rows.
     */
    @Test
    void smallMultiplesPlaceOnePanelPerConditionWithTheSameColoursInEach() throws Exception {
        Document d = parse(multiples(3).svg(900, 260));
        List<org.w3c.dom.Element> nested = new java.util.ArrayList<>();
        for (var n = d.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof org.w3c.dom.Element e && e.getLocalName().equals("svg")) nested.add(e);
        }
        assertEquals(3, nested.size());
        List<String> at = new java.util.ArrayList<>();
        List<Set<String>> colours = new java.util.ArrayList<>();
        int panelHeight = 0;
        for (int i = 0; i < nested.size(); i++) {
            var panel = nested.get(i);
            at.add(panel.getAttribute("x") + "," + panel.getAttribute("y"));
            panelHeight = Math.max(panelHeight, Integer.parseInt(panel.getAttribute("height")));
            Set<String> strokes = new java.util.TreeSet<>();
            NodeList lines = panel.getElementsByTagName("polyline");
            for (int j = 0; j < lines.getLength(); j++) strokes.add(((org.w3c.dom.Element) lines.item(j)).getAttribute("stroke"));
            colours.add(strokes);
            assertTrue(panel.getTextContent().contains("condition " + i), "each panel keeps its title");
        }
        int width = Integer.parseInt(nested.get(0).getAttribute("width"));
        assertEquals(List.of("0,30", (width + 8) + ",30", "0," + (30 + panelHeight + 8)), at, "two to a row, then the third below");
        assertEquals(2, colours.get(0).size());
        assertEquals(colours.get(0), colours.get(1));
        assertEquals(colours.get(0), colours.get(2));
        assertEquals(30 + 2 * panelHeight + 8, Integer.parseInt(d.getDocumentElement().getAttribute("height")));
    }

    /** Issue 16: many-shot's finding is shots to elicit, where "never" is a result: an ∞ at the bar's foot, not a gap. */
    @Test
    void anInfiniteBarIsMarkedNeverAtItsFoot() throws Exception {
        String svg = new BarChart("shots", "k", List.of("lie", "correct")).add("base", new double[] {2.5, Double.POSITIVE_INFINITY})
                .add("tuned", new double[] {Double.NaN, 1}).svg();
        NodeList texts = parse(svg).getElementsByTagName("text");
        int marks = 0;
        for (int i = 0; i < texts.getLength(); i++) {
            if (texts.item(i).getTextContent().endsWith("∞") && texts.item(i).getTextContent().startsWith("correct, base: ∞")) marks++;
        }
        assertEquals(1, marks, "one ∞, hovering names it");
        assertEquals(2, parse(svg).getElementsByTagName("rect").getLength() - countRectsWithoutTitle(svg), "two finite bars, NaN draws none");
    }

    private static int countRectsWithoutTitle(String svg) throws Exception {
        NodeList rects = parse(svg).getElementsByTagName("rect");
        int n = 0;
        for (int i = 0; i < rects.getLength(); i++) if (((org.w3c.dom.Element) rects.item(i)).getElementsByTagName("title").getLength() == 0) n++;
        return n;
    }

    /** A panel whose rate exists from level 1 on still spans levels 0..3, like its neighbours (pressure's had 0..4). */
    @Test
    void aFixedXRangeHoldsWhereTheDataStartLater() throws Exception {
        double[] x = {0, 1, 2, 3}, y = {NaN, 1, 1, 1};
        List<String> free = tickTexts(new LineChart("t", "level", "p").integerX().add(Series.line("a", x, y)).svg());
        List<String> fixed = tickTexts(new LineChart("t", "level", "p").integerX().xRange(0, 3).add(Series.line("a", x, y)).svg());
        assertTrue(free.contains("4"), "without it the axis runs past the last level: " + free);
        assertTrue(fixed.containsAll(List.of("0", "1", "2", "3")) && !fixed.contains("4"), fixed.toString());
        assertThrows(IllegalArgumentException.class, () -> new LineChart("t", "x", "y").xRange(3, 3));
    }

    private static List<String> tickTexts(String svg) throws Exception {
        NodeList texts = parse(svg).getElementsByTagName("text");
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) out.add(texts.item(i).getTextContent());
        return out;
    }

    /** Issue 16: the wrapper's probe chart had no chance line; bars take reference lines as line charts do. */
    @Test
    void barsDrawAReferenceLineInsideTheirRange() throws Exception {
        String svg = new BarChart("probe", "accuracy", List.of("embed", "layer 1")).add("base", new double[] {0.9, 0.95})
                .hline(0.1, "chance (1/10)").svg();
        parse(svg);
        assertTrue(svg.contains("stroke-dasharray=\"4 3\""), svg);
        assertTrue(svg.contains(">chance (1/10)</text>"), svg);
    }

    /** Two predictions half a point apart (tilting 17.6%, reweighting 18.3%) had their labels drawn over each other. */
    @Test
    void labelsOfCloseReferenceLinesDoNotOverlap() throws Exception {
        String svg = new BarChart("lies", "P(lie)", List.of("base", "tuned")).add("", new double[] {0.176, 0.1})
                .hline(0.176, "tilting").hline(0.183, "reweighting").svg();
        NodeList texts = parse(svg).getElementsByTagName("text");
        double tilting = Double.NaN, reweighting = Double.NaN;
        for (int i = 0; i < texts.getLength(); i++) {
            var at = texts.item(i).getAttributes().getNamedItem("y");
            if (at == null) continue; // a tilted category label, placed by a transform
            double y = Double.parseDouble(at.getNodeValue());
            if (texts.item(i).getTextContent().equals("tilting")) tilting = y;
            if (texts.item(i).getTextContent().equals("reweighting")) reweighting = y;
        }
        assertTrue(Math.abs(tilting - reweighting) >= 11, "labels at " + tilting + " and " + reweighting);
    }

    /**
     * Issue 16: a fitted curve is drawn over the points it fits, finely dashed in their series' colour, with its
     * own hover text; it adds nothing else (no legend entry) and does not widen the axes, though it runs to k = 16.
     */
    @Test
    void aFitIsDrawnOverItsSeriesInItsColourAndLeavesTheRestAsItWas() throws Exception {
        String with = fitted(true), without = fitted(false);
        NodeList lines = parse(with).getElementsByTagName("polyline");
        var fit = lines.item(lines.getLength() - 1).getAttributes();
        assertEquals(Svg.colour(1), fit.getNamedItem("stroke").getNodeValue(), "the colour of the series it fits");
        assertEquals("3 2", fit.getNamedItem("stroke-dasharray").getNodeValue());
        assertEquals("base: fit", lines.item(lines.getLength() - 1).getTextContent());
        int at = with.lastIndexOf("<polyline");
        String drawn = with.substring(with.lastIndexOf("<g data-series=\"1\">", at), with.indexOf("</g>\n", at) + 5); // its group
        assertTrue(with.indexOf("<title>base: 8, 0.55</title>") < at, "over the points");
        assertEquals(without, with.replace(drawn, ""), "nothing else changes: axes, legend, points");
        assertThrows(IllegalStateException.class, () -> new LineChart("t", "x", "y").fit(new double[1], new double[1], "no series"));
    }

    /**
     * Issue 16: a legend entry and what its series draws carry one number (data-key, data-series), for the page's
     * script to hide or show together; an unnamed series has no entry but is grouped all the same.
     */
    @Test
    void eachLegendEntryNamesTheGroupsOfItsSeries() throws Exception {
        for (String chart : List.of("line", "band", "bars", "fit")) {
            Document d = parse(charts().get(chart).get());
            NodeList keys = d.getElementsByTagName("g");
            Map<String, Integer> drawn = new TreeMap<>();
            Set<String> named = new HashSet<>();
            for (int i = 0; i < keys.getLength(); i++) {
                var e = (org.w3c.dom.Element) keys.item(i);
                if (e.hasAttribute("data-series")) drawn.merge(e.getAttribute("data-series"), e.getChildNodes().getLength(), Integer::sum);
                if (e.hasAttribute("data-key")) named.add(e.getAttribute("data-key"));
            }
            assertFalse(named.isEmpty(), chart);
            for (String k : named) assertTrue(drawn.getOrDefault(k, 0) > 0, chart + ": series " + k + " draws inside its groups");
        }
        String anonymous = new LineChart("t", "x", "y").add(Series.line("a", new double[] {0, 1}, new double[] {0, 1}))
                .add(Series.line("", new double[] {0, 1}, new double[] {1, 0})).svg();
        assertTrue(anonymous.contains("<g data-key=\"0\">") && !anonymous.contains("<g data-key=\"1\">"));
        assertTrue(anonymous.contains("<g data-series=\"1\">"));
    }

    /**
     * Issue 16: honeypots' sft-filtered climbed to 260 and flattened the 10× line at 2.3. Clipped above 19.5, the axis
     * ends at 20, and each point above it is a triangle on the top edge whose hover gives its true value.
     */
    @Test
    void pointsAboveAClippedAxisAreMarkedOnItsTopEdge() throws Exception {
        String svg = outlier(260, true);
        Document d = parse(svg);
        NodeList texts = d.getElementsByTagName("text");
        List<String> ticks = new java.util.ArrayList<>();
        for (int i = 0; i < texts.getLength(); i++) {
            var anchor = texts.item(i).getAttributes().getNamedItem("text-anchor");
            if (anchor != null && anchor.getNodeValue().equals("end") && texts.item(i).getTextContent().matches("-?\\d+")) {
                ticks.add(texts.item(i).getTextContent());
            }
        }
        assertEquals("20", ticks.get(ticks.size() - 1), "the axis ends at the first tick at or above 19.5: " + ticks);
        NodeList polygons = d.getElementsByTagName("polygon");
        List<String> marked = new java.util.ArrayList<>();
        for (int i = 0; i < polygons.getLength(); i++) {
            marked.add(polygons.item(i).getTextContent());
            assertEquals(Svg.colour(1), polygons.item(i).getAttributes().getNamedItem("fill").getNodeValue(), "in its series' colour");
        }
        assertEquals(List.of("sft-filtered: 0.5, 130 (above the axis)", "sft-filtered: 0.75, 260 (above the axis)"), marked);
        assertTrue(svg.indexOf("<title>sft-filtered: 0.5, 130 (above the axis)") > svg.indexOf("<g data-series=\"1\">"), "hidden with its series");
        assertEquals(outlier(19, false), outlier(19, true), "nothing above the clip: as without it");
        assertTrue(outlier(260, false).contains(">250</text>"), "unclipped, the outlier sets the axis");
    }

    @Test
    void numbersUseFixedDecimals() {
        assertEquals("12.5", Svg.num(12.5));
        assertEquals("3", Svg.num(3.0001));
        assertEquals("0", Svg.num(-0.001));
        assertEquals("-0.07", Svg.num(-0.07));
        assertNotNull(Svg.num(1e9));
    }
}
