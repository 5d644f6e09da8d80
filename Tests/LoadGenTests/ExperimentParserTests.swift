import Foundation
import LoadGen
import Testing

/// Experiment files: every shipped one parses; every kind of mistake is refused with the file,
/// the line and column of the offending value, and the reason.
@Suite struct ExperimentParserTests {
    static let experimentsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Experiments").standardizedFileURL

    static let shipped = ["core", "shards", "allocators", "memory", "latency-open-loop"]

    @Test(arguments: shipped)
    func shippedExperimentsParse(name: String) throws {
        let path = Self.experimentsFolder.appendingPathComponent("\(name).yaml").path
        let experiment = try ExperimentParser.parse(String(contentsOfFile: path, encoding: .utf8), file: path)
        #expect(experiment.name == name)
        #expect(!experiment.workloads.isEmpty && !experiment.servers.isEmpty)
    }

    @Test func coreIsReadCompletely() throws {
        let path = Self.experimentsFolder.appendingPathComponent("core.yaml").path
        let core = try ExperimentParser.parse(String(contentsOfFile: path, encoding: .utf8), file: path)
        #expect(core.servers.map(\.name) == ["ferrite", "redis"])
        #expect(core.servers.map(\.command) == [["ferrite"], ["redis"]])
        #expect(core.servers.map(\.reference) == [false, true])
        #expect((core.cpus.server, core.cpus.load) == ("0", "1"))
        #expect(core.workloads.map(\.name) == ["GET P1", "SET P1", "GET P16", "SET P16"])
        #expect(core.workloads[2].arguments.last == "--pipeline=16")
        #expect(core.workloads.allSatisfy { $0.mode == .closed && $0.measure == .throughput })
        #expect(core.prefill.contains("allkeys"))
        #expect((core.rounds, core.seconds, core.warmupSeconds) == (30, 2, 0.25))
        #expect(core.keep.contains(.latencyDistribution) && !core.keep.contains(.bytesPerKey))
    }

    @Test func defaultsAndListArguments() throws {
        let experiment = try ExperimentParser.parse("""
            name: tiny
            servers: [{name: mine, command: "/opt/valkey-server --port {port}"}]
            workloads:
              - name: custom
                arguments: ["--command=SET __key__ a b", "-c", "2"]
            """, file: "tiny.yaml")
        #expect(experiment.servers[0].command == ["/opt/valkey-server", "--port", "{port}"])
        #expect(experiment.workloads[0].arguments == ["--command=SET __key__ a b", "-c", "2"])
        #expect((experiment.rounds, experiment.seconds, experiment.warmupSeconds, experiment.probes) == (5, 10, 2, false))
        #expect(experiment.keep == Experiment.Figure.allCases)
    }

    static let valid = """
        name: bad
        servers:
          - name: ferrite
            command: ferrite
        workloads:
          - name: GET
            arguments: --ratio=0:1
        """

    /// (replace this, with that) in `valid`, and the error expected.
    @Test(arguments: [
        ("name: bad", "name: ''", "f.yaml:1:7: name '' must be non-empty: letters, digits, space and - _ . : /"),
        ("name: bad", "name: bad\nrounds: 0", "f.yaml:2:9: rounds must be an integer ≥ 1"),
        ("name: bad", "name: bad\nrounds: three", "f.yaml:2:9: rounds must be an integer ≥ 1"),
        ("name: bad", "name: bad\nseconds: -1", "f.yaml:2:10: seconds must be a number > 0"),
        ("name: bad", "name: bad\nwarmup: x", "f.yaml:2:9: warmup must be a number ≥ 0"),
        ("name: bad", "name: bad\nrepeat: 3", "f.yaml:2:1: unknown key 'repeat' in the experiment (allowed: cpus, description, keep, name, prefill, probes, rounds, seconds, servers, warmup, workloads)"),
        ("name: bad", "name: bad\nname: again", "f.yaml:1:1: 'name' given twice in the mapping that starts here"),
        ("name: bad", "name: bad\ncpus: {server: a, load: 1}", "f.yaml:2:16: cpus.server must be a CPU list such as 0, 0-1 or 0,2 (got 'a')"),
        ("name: bad", "name: bad\ncpus: {server: 3-1, load: 1}", "f.yaml:2:16: cpus.server must be a CPU list such as 0, 0-1 or 0,2 (got '3-1')"),
        ("name: bad", "name: bad\ncpus: {server: 0}", "f.yaml:2:7: cpus needs 'load'"),
        ("name: bad", "name: bad\nkeep: [ops_per_sec, joy]", "f.yaml:2:21: unknown figure 'joy' (known: ops_per_sec, p50_ms, p99_ms, p999_ms, ops_per_cpu_second, rss_bytes, bytes_per_key, latency_distribution)"),
        ("name: bad", "name: bad\nprobes: maybe", "f.yaml:2:9: probes must be true or false"),
        ("    command: ferrite", "    command: /usr/bin/valkey-server", "f.yaml:4:14: the command of 'ferrite' must contain {port} (only ferrite and redis get it added)"),
        ("    command: ferrite", "    command: ferrite\n    reference: true", "f.yaml:3:3: at least one server must not be a reference"),
        ("    command: ferrite", "    command: ferrite\n  - name: ferrite\n    command: redis", "f.yaml:5:11: server name 'ferrite' used twice"),
        ("  - name: ferrite\n    command: ferrite", "  - name: ferrite", "f.yaml:3:5: a server needs 'command'"),
        ("    arguments: --ratio=0:1", "    arguments: --ratio=0:1\n    mode: sideways", "f.yaml:8:11: mode must be closed or open (got 'sideways')"),
        ("    arguments: --ratio=0:1", "    arguments: --ratio=0:1\n    mode: open", "f.yaml:6:5: an open-loop workload needs rate_fraction or a --rate argument"),
        ("    arguments: --ratio=0:1", "    arguments: --ratio=0:1\n    rate_fraction: 0.5", "f.yaml:8:20: rate_fraction needs mode: open"),
        ("    arguments: --ratio=0:1", "    arguments: --ratio=0:1\n    mode: open\n    rate_fraction: 1.5", "f.yaml:9:20: rate_fraction must be at most 1 (a fraction of capacity)"),
        ("    arguments: --ratio=0:1", "    arguments: --ratio=0:1\n    measure: joules", "f.yaml:8:14: measure must be throughput or memory (got 'joules')"),
        ("workloads:\n  - name: GET\n    arguments: --ratio=0:1", "workloads: []", "f.yaml:5:12: workloads must be a non-empty list"),
        ("name: bad", "name: [bad", "f.yaml:2:8: not valid YAML: did not find expected ',' or ']'"),
    ])
    func mistakesAreRefusedWithTheirPlace(replace: String, with replacement: String, expected: String) {
        let yaml = Self.valid.replacingOccurrences(of: replace, with: replacement)
        #expect(throws: ExperimentError.self) { try ExperimentParser.parse(yaml, file: "f.yaml") }
        do {
            _ = try ExperimentParser.parse(yaml, file: "f.yaml")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func emptyFileIsRefused() {
        do {
            _ = try ExperimentParser.parse("", file: "e.yaml")
            Issue.record("an empty file was accepted")
        } catch {
            #expect(error.description == "e.yaml:1:1: the file is empty")
        }
    }
}
