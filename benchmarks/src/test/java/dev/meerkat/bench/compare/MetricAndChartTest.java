package dev.meerkat.bench.compare;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MetricAndChartTest {

    @Test
    void printsTheLineIssueSevenSpecifies() {
        Metric m = new Metric("write ops/s standalone", 24100, 12300, true, 2.0);
        assertThat(m.line()).isEqualTo("write ops/s standalone: 24100 vs 12300 = 1.96x");
        assertThat(m.meerkatBetter()).isTrue();
        assertThat(m.goalMet()).isFalse();
        Metric mem = new Metric("RSS MB per 100k znodes standalone", 31.25, 62.5, false, 0.5);
        assertThat(mem.line()).isEqualTo("RSS MB per 100k znodes standalone: 31.3 vs 62.5 = 0.50x");
        assertThat(mem.meerkatBetter()).isTrue();
        assertThat(mem.goalMet()).isTrue();
        assertThat(new Metric("x", 1.5, 3, false, Double.NaN).line()).isEqualTo("x: 1.50 vs 3 = 0.50x");
    }

    @Test
    void lineMatchesTheFormatForAnyValues() {
        for (double v : new double[] {0.004, 3, 99.99, 12345.678}) {
            assertThat(new Metric("m", v, 7, true, Double.NaN).line())
                    .matches("m: [0-9.]+ vs [0-9.]+ = [0-9]+\\.[0-9]{2}x");
        }
    }

    @Test
    void chartIsWellFormedSvgWithEveryMetric() throws Exception {
        List<Metric> metrics = List.of(
                new Metric("write ops/s standalone", 24100, 12300, true, 2.0),
                new Metric("write p99 latency us standalone", 9000, 3000, false, 0.5),
                new Metric("restart <ms> & more", 10, 0, false, 0.5));
        String svg = Chart.svg(metrics, "title", "sub & title");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(svg).contains("write ops/s standalone", "1.96x", "3.00x", "restart &lt;ms&gt; &amp; more",
                "#2e7d32", "#c62828");
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Compare.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(Compare.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
        assertThat(Compare.median(new double[0])).isNaN();
    }
}
