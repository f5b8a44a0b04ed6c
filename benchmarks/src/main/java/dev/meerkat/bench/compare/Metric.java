package dev.meerkat.bench.compare;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One compared figure: Meerkat's value, ZooKeeper's, and their ratio Meerkat / ZooKeeper.
 *
 * @param name e.g. {@code write ops/s standalone}
 * @param higherIsBetter true for throughput, false for latency, time and memory
 * @param goal the ratio issue 7 asks for (at least it when higher is better, at most it
 *     otherwise), or NaN when there is none
 */
public record Metric(String name, double meerkat, double zookeeper, boolean higherIsBetter, double goal) {

    public double ratio() {
        return zookeeper == 0 ? Double.NaN : meerkat / zookeeper;
    }

    /** Whether Meerkat does better than ZooKeeper on this figure. */
    public boolean meerkatBetter() {
        double r = ratio();
        return higherIsBetter ? r > 1 : r < 1;
    }

    public boolean hasGoal() {
        return !Double.isNaN(goal);
    }

    public boolean goalMet() {
        double r = ratio();
        return hasGoal() && (higherIsBetter ? r >= goal : r <= goal);
    }

    /** {@code <metric>: <meerkat> vs <zookeeper> = <ratio>x}, the line issue 7 specifies. */
    public String line() {
        return name + ": " + number(meerkat) + " vs " + number(zookeeper) + " = "
                + String.format(Locale.ROOT, "%.2f", ratio()) + "x";
    }

    /** Whole numbers from 100 up, otherwise three significant digits at most. */
    static String number(double v) {
        double a = Math.abs(v);
        if (a >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("meerkat", meerkat);
        m.put("zookeeper", zookeeper);
        m.put("ratio", ratio());
        m.put("better", higherIsBetter ? "higher" : "lower");
        m.put("goal", hasGoal() ? goal : null);
        m.put("goalMet", hasGoal() ? goalMet() : null);
        m.put("line", line());
        return m;
    }
}
