package dev.meerkat.bench.compare;

import java.util.List;
import java.util.Locale;

/**
 * Draws the ratios as a horizontal bar chart in SVG: one row per metric, bars from 1x to the
 * ratio on a log-2 scale (so 2x and 0.5x are equally long), green where Meerkat does better and
 * red where it does worse, with the goal marked where there is one.
 */
public final class Chart {
    private static final int WIDTH = 960;
    private static final int LABEL_WIDTH = 360;
    private static final int PLOT_LEFT = LABEL_WIDTH + 10;
    private static final int PLOT_RIGHT = WIDTH - 70;
    private static final int TOP = 78;
    private static final int ROW = 34;
    private static final String BETTER = "#2e7d32";
    private static final String WORSE = "#c62828";

    private Chart() {
    }

    public static String svg(List<Metric> metrics, String title, String subtitle) {
        double lo = 0.25;
        double hi = 4;
        for (Metric m : metrics) {
            double r = m.ratio();
            if (!Double.isNaN(r) && r > 0) {
                lo = Math.min(lo, r);
                hi = Math.max(hi, r);
            }
        }
        double logLo = Math.max(-5, Math.floor(log2(lo)));
        double logHi = Math.min(5, Math.ceil(log2(hi)));
        int height = TOP + ROW * metrics.size() + 50;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">%n",
                WIDTH, height, WIDTH, height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", WIDTH, height));
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"26\" font-size=\"17\" font-weight=\"bold\">%s</text>%n",
                escape(title)));
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"46\" fill=\"#555555\">%s</text>%n", escape(subtitle)));
        int plotBottom = TOP + ROW * metrics.size();
        for (double e = logLo; e <= logHi; e++) {
            double x = x(Math.pow(2, e), logLo, logHi);
            boolean one = e == 0;
            s.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" stroke-width=\"%s\"/>%n",
                    x, TOP - 8, x, plotBottom, one ? "#000000" : "#dddddd", one ? "1.5" : "1"));
            s.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555555\">%sx</text>%n",
                    x, plotBottom + 18, java.math.BigDecimal.valueOf(Math.pow(2, e)).stripTrailingZeros()
                            .toPlainString()));
        }
        s.append(String.format(Locale.ROOT,
                "<text x=\"16\" y=\"%d\" fill=\"#555555\">Bars: ratio Meerkat / ZooKeeper on a log scale."
                        + " Green: Meerkat better, red: Meerkat worse. Dashed: the goal of issue 7.</text>%n",
                plotBottom + 40));
        for (int k = 0; k < metrics.size(); k++) {
            Metric m = metrics.get(k);
            int y = TOP + k * ROW;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                    LABEL_WIDTH, y + 15, escape(m.name())));
            s.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#777777\" font-size=\"11\">%s vs %s,"
                            + " %s is better</text>%n",
                    LABEL_WIDTH, y + 28, Metric.number(m.meerkat()), Metric.number(m.zookeeper()),
                    m.higherIsBetter() ? "higher" : "lower"));
            double r = m.ratio();
            if (Double.isNaN(r) || r <= 0) {
                continue;
            }
            double x1 = x(1, logLo, logHi);
            double x2 = x(r, logLo, logHi);
            s.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"20\" fill=\"%s\"/>%n",
                    Math.min(x1, x2), y + 4, Math.max(1, Math.abs(x2 - x1)), m.meerkatBetter() ? BETTER : WORSE));
            s.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"%s\" font-weight=\"bold\">%sx</text>%n",
                    x2 >= x1 ? x2 + 5 : x2 - 5, y + 19, x2 >= x1 ? "start" : "end",
                    String.format(Locale.ROOT, "%.2f", r)));
            if (m.hasGoal()) {
                double gx = x(m.goal(), logLo, logHi);
                s.append(String.format(Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000000\""
                                + " stroke-dasharray=\"3,2\" stroke-width=\"1.5\"/>%n",
                        gx, y + 1, gx, y + 27));
            }
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static double x(double ratio, double logLo, double logHi) {
        double l = Math.max(logLo, Math.min(logHi, log2(ratio)));
        return PLOT_LEFT + (l - logLo) / (logHi - logLo) * (PLOT_RIGHT - PLOT_LEFT);
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
