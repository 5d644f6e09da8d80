import Engine
import Glibc

/// LATENCY DOCTOR's report, in Redis's words (`createLatencyReport`): a line per event with
/// its statistics over the kept samples, then the advice those events call for. Ferrite's
/// events are "command" and "fast-command"; the advice about forks, AOF, expiry and eviction
/// belongs to events it does not have, so it is never given.
struct LatencyDoctorReport {
    let events: [(name: String, series: LatencyMonitor.Series)]
    let config: ServerConfig
    var now = Int64(time(nil))
    /// Whether the process has transparent huge pages (Redis advises against them).
    var usesHugePages = LatencyDoctorReport.anonymousHugePages() > 0

    var text: String {
        if events.isEmpty && config.latencyMonitorThreshold == 0 {
            return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n"
        }
        var report = ""
        var advices = 0
        var enableSlowLog = false, tuneSlowLog = false, inspectSlowLog = false, scheduler = false, largeObjects = false
        for (number, event) in events.enumerated() {
            if number == 0 {
                report += "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n"
            }
            report += statistics(number: number + 1, event.name, event.series)
            switch event.name {
            case "command":
                if config.slowlogLogSlowerThan < 0 || config.slowlogMaxLen == 0 {
                    enableSlowLog = true
                    advices += 1
                } else if config.slowlogLogSlowerThan / 1000 > config.latencyMonitorThreshold {
                    tuneSlowLog = true
                    advices += 1
                }
                inspectSlowLog = true
                largeObjects = true
                advices += 2
            case "fast-command":
                scheduler = true
                advices += 1
            default:
                break
            }
            report += "\n"
        }
        if usesHugePages { advices += 1 }
        if events.isEmpty && advices == 0 {
            return report + "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n"
        }
        if advices == 0 {
            return report + "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n"
        }
        report += "\nI have a few advices for you:\n\n"
        let suggestedThreshold = UInt64(config.latencyMonitorThreshold) &* 1000
        if enableSlowLog {
            report += "- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than \(suggestedThreshold)'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n"
        }
        if tuneSlowLog {
            report += "- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than \(suggestedThreshold)'.\n"
        }
        if inspectSlowLog {
            report += "- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n"
        }
        if scheduler {
            report += "- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n"
                + "  1) Lower the system load.\n"
                + "  2) Use a computer / VM just for Redis if you are running other software in the same system.\n"
                + "  3) Check if you have a \"noisy neighbour\" problem.\n"
                + "  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n"
                + "  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n"
        }
        if largeObjects {
            report += "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n"
        }
        if usesHugePages {
            report += "- I detected a non zero amount of anonymous huge pages used by your process. This creates very serious latency events in different conditions, especially when Redis is persisting on disk. To disable THP support use the command 'echo never > /sys/kernel/mm/transparent_hugepage/enabled', make sure to also add it into /etc/rc.local so that the command will be executed again after a reboot. Note that even if you have already disabled THP, you still need to restart the Redis process to get rid of the huge pages already created.\n"
        }
        return report
    }

    /// "1. command: 2 latency spikes (average 5ms, mean deviation 1ms, period 3.50 sec).
    /// Worst all time event 7ms." (Redis's `analyzeLatencyForEvent`: integer average and mean
    /// absolute deviation, the period from the oldest sample to now, per sample).
    func statistics(number: Int, _ name: String, _ series: LatencyMonitor.Series) -> String {
        let samples = series.samples
        let count = Int64(samples.count)
        var average: Int64 = 0, deviation: Int64 = 0, period: Int64 = 0
        if count > 0 {
            average = samples.reduce(0) { $0 + $1.milliseconds } / count
            deviation = samples.reduce(0) { $0 + abs(average - $1.milliseconds) } / count
            period = max(now - samples.map(\.time).min()!, 1)
        }
        let perSample = count > 0 ? Double(period) / Double(count) : 0
        return "\(number). \(name): \(count) latency spikes (average \(average)ms, mean deviation \(deviation)ms, period \(InfoCommand.formatRatio(perSample)) sec). Worst all time event \(series.highest)ms."
    }

    /// Redis's `THPGetAnonHugePagesSize`: the process's AnonHugePages, in bytes.
    static func anonymousHugePages() -> Int {
        guard let file = fopen("/proc/self/smaps_rollup", "r") else { return 0 }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix("AnonHugePages:") else { continue }
            let digits = text.dropFirst("AnonHugePages:".count).filter(\.isNumber)
            return (Int(String(digits)) ?? 0) * 1024
        }
        return 0
    }
}
