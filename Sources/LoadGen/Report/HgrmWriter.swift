import Histogram

/// `--hdr-file-prefix`: the latency distribution of each run as HdrHistogram's percentile
/// text (`.hgrm`, values in milliseconds), one file for the whole run and one per request
/// type, named as memtier names them: PREFIX_FULL_RUN_1.hgrm, PREFIX_SET_command_run_1.hgrm,
/// PREFIX_GET_command_run_1.hgrm (PREFIX_INCR_command_run_1.hgrm for --command=INCR …).
enum HgrmWriter {
    struct Output: TextOutputStream {
        var text = ""
        mutating func write(_ string: String) { text += string }
    }

    static func files(for result: RunResult, prefix: String, runNumber: Int) -> [(path: String, contents: String)] {
        var files = [("\(prefix)_FULL_RUN_\(runNumber).hgrm", render(result.totals.histogram))]
        for (type, stats) in zip(result.plan.types, result.stats) {
            files.append(("\(prefix)_\(type.fileName)_command_run_\(runNumber).hgrm", render(stats.histogram)))
        }
        return files
    }

    static func render(_ histogram: Histogram<UInt64>) -> String {
        var output = Output()
        histogram.outputPercentileDistribution(to: &output, outputValueUnitScalingRatio: 1000)
        return output.text
    }
}
