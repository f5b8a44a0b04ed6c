package dev.meerkat.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one load run. Only operations that completed inside the measured window count;
 * failed ones are counted as errors and not in the latencies.
 *
 * @param options what was run
 * @param ops successful operations completed in the measured window
 * @param errors operations that failed in the measured window
 * @param elapsedSeconds the measured window as timed, close to the asked duration
 * @param latency all successful operations, microseconds
 * @param reads getData and exists only
 * @param writes create and setData only
 * @param perSecond one entry per measured second
 * @param firstError the first error code seen (warm-up included), or null
 * @param undrained requests still unanswered 60 s after the run stopped issuing
 * @param clientCpuSeconds CPU time of the load generator's JVM in the measured window
 * @param serverCpuSeconds CPU time of the server's process in the measured window, NaN if unknown
 */
public record LoadResult(LoadOptions options, long ops, long errors, double elapsedSeconds, LatencyStats latency,
        LatencyStats reads, LatencyStats writes, List<Second> perSecond, String firstError, long undrained,
        double clientCpuSeconds, double serverCpuSeconds) {

    /** One measured second: operations per second and latency percentiles in microseconds. */
    public record Second(int t, double opsPerSecond, long p50, long p99, long errors) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("t", t);
            m.put("opsPerSecond", opsPerSecond);
            m.put("p50", p50);
            m.put("p99", p99);
            m.put("errors", errors);
            return m;
        }
    }

    public double opsPerSecond() {
        return elapsedSeconds <= 0 ? 0 : ops / elapsedSeconds;
    }

    /** Server CPU time per successful operation, in microseconds; NaN if unknown. */
    public double serverCpuMicrosPerOp() {
        return ops == 0 ? Double.NaN : serverCpuSeconds * 1e6 / ops;
    }

    /** Client CPU time per successful operation, in microseconds. */
    public double clientCpuMicrosPerOp() {
        return ops == 0 ? Double.NaN : clientCpuSeconds * 1e6 / ops;
    }

    /** The median of the per-second throughputs, less sensitive to one slow second than the mean. */
    public double medianSecondOpsPerSecond() {
        if (perSecond.isEmpty()) {
            return 0;
        }
        double[] v = perSecond.stream().mapToDouble(Second::opsPerSecond).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        LoadOptions o = options;
        m.put("label", o.label());
        m.put("connect", o.connect());
        m.put("client", o.client());
        m.put("op", o.op().cliName());
        if (o.op() == LoadOptions.Op.MIXED) {
            m.put("readPercent", o.readPercent());
        }
        m.put("valueSize", o.valueSize());
        m.put("keys", o.keys());
        m.put("sessions", o.sessions());
        m.put("outstandingPerSession", o.outstanding());
        m.put("warmupSeconds", o.warmupSeconds());
        m.put("durationSeconds", o.durationSeconds());
        m.put("ops", ops);
        m.put("errors", errors);
        m.put("firstError", firstError);
        m.put("undrained", undrained);
        m.put("elapsedSeconds", elapsedSeconds);
        m.put("opsPerSecond", opsPerSecond());
        m.put("medianSecondOpsPerSecond", medianSecondOpsPerSecond());
        m.put("clientCpuSeconds", clientCpuSeconds);
        m.put("clientCpuMicrosPerOp", clientCpuMicrosPerOp());
        m.put("serverCpuSeconds", serverCpuSeconds);
        m.put("serverCpuMicrosPerOp", serverCpuMicrosPerOp());
        m.put("latencyMicros", latency.toMap());
        if (reads.count() > 0) {
            m.put("readLatencyMicros", reads.toMap());
        }
        if (writes.count() > 0) {
            m.put("writeLatencyMicros", writes.toMap());
        }
        List<Object> seconds = new ArrayList<>();
        for (Second s : perSecond) {
            seconds.add(s.toMap());
        }
        m.put("perSecond", seconds);
        return m;
    }
}
