import Yams

/// Reads an experiment file and checks it completely before anything starts: a mistake is
/// reported as `file:line:column: reason` (the line of the offending value), the way a
/// compiler reports one, so nobody finds out an hour into a run that round 3 cannot start.
public enum ExperimentParser {
    public static func parse(_ yaml: String, file: String) throws(ExperimentError) -> Experiment {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else { throw ExperimentError(file: file, line: 1, column: 1, reason: "the file is empty") }
            root = node
        } catch let error as ExperimentError {
            throw error
        } catch let error as YamlError {
            throw ExperimentError(file: file, yaml: error)
        } catch {
            throw ExperimentError(file: file, line: 1, column: 1, reason: "\(error)")
        }
        return try Reader(file: file).experiment(root)
    }
}

/// Why an experiment file was refused, and where.
public struct ExperimentError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let reason: String

    public var description: String { "\(file):\(line):\(column): \(reason)" }

    init(file: String, line: Int, column: Int, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    init(file: String, yaml error: YamlError) {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            self.init(file: file, line: mark.line, column: mark.column, reason: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            self.init(file: file, line: context.mark.line, column: context.mark.column, reason: "\(keys) given twice in the mapping that starts here")
        default:
            self.init(file: file, line: 1, column: 1, reason: "not valid YAML: \(error)")
        }
    }
}

/// The checks, one per kind of value, each failing with the position of the node it looked at.
private struct Reader {
    let file: String

    func fail(_ node: Node, _ reason: String) -> ExperimentError {
        ExperimentError(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, reason: reason)
    }

    /// The mapping's values by key, refusing keys not in `allowed` (Yams refuses duplicates).
    func fields(_ node: Node, _ what: String, allowed: Set<String>, required: Set<String>) throws(ExperimentError) -> [String: Node] {
        guard let mapping = node.mapping else { throw fail(node, "\(what) must be a mapping") }
        var fields: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw fail(key, "keys of \(what) must be names") }
            guard allowed.contains(name) else {
                throw fail(key, "unknown key '\(name)' in \(what) (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            fields[name] = value
        }
        for name in required.sorted() where fields[name] == nil { throw fail(node, "\(what) needs '\(name)'") }
        return fields
    }

    func string(_ node: Node, _ what: String) throws(ExperimentError) -> String {
        guard let scalar = node.scalar, node.tag.description != "tag:yaml.org,2002:null" else { throw fail(node, "\(what) must be a text") }
        return scalar.string
    }

    /// Names that become parts of paths (the experiment's results folder) or command lines.
    func name(_ node: Node, _ what: String) throws(ExperimentError) -> String {
        let text = try string(node, what)
        guard !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || " -_.:/".contains($0) }) else {
            throw fail(node, "\(what) '\(text)' must be non-empty: letters, digits, space and - _ . : /")
        }
        return text
    }

    func number(_ node: Node, _ what: String, minimum: Double, allowZero: Bool) throws(ExperimentError) -> Double {
        guard let text = node.scalar?.string, let value = Double(text), value.isFinite, allowZero ? value >= minimum : value > minimum else {
            throw fail(node, "\(what) must be a number \(allowZero ? "≥" : ">") \(minimum.formatted)")
        }
        return value
    }

    func integer(_ node: Node, _ what: String, minimum: Int) throws(ExperimentError) -> Int {
        guard let text = node.scalar?.string, let value = Int(text), value >= minimum else { throw fail(node, "\(what) must be an integer ≥ \(minimum)") }
        return value
    }

    func boolean(_ node: Node, _ what: String) throws(ExperimentError) -> Bool {
        switch node.scalar?.string.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw fail(node, "\(what) must be true or false")
        }
    }

    /// A list of texts, or one text split at spaces.
    func words(_ node: Node, _ what: String) throws(ExperimentError) -> [String] {
        if let sequence = node.sequence {
            var words: [String] = []
            for item in sequence { words.append(try string(item, "each item of \(what)")) }
            return words
        }
        return try string(node, what).split(separator: " ").map(String.init)
    }

    func cpuList(_ node: Node, _ what: String) throws(ExperimentError) -> String {
        let text = node.scalar?.string ?? ""
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let valid = !text.isEmpty && parts.allSatisfy { part in
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), let low = Int(bounds[0]), low >= 0 else { return false }
            return bounds.count == 1 || (Int(bounds[1]).map { $0 >= low } ?? false)
        }
        guard valid else { throw fail(node, "\(what) must be a CPU list such as 0, 0-1 or 0,2 (got '\(text)')") }
        return text
    }

    func experiment(_ root: Node) throws(ExperimentError) -> Experiment {
        let top = try fields(root, "the experiment",
                             allowed: ["name", "description", "servers", "cpus", "prefill", "workloads", "rounds", "seconds", "warmup", "keep", "probes"],
                             required: ["name", "servers", "workloads"])
        var experiment = Experiment(
            name: try name(top["name"]!, "name"), description: try top["description"].map { node throws(ExperimentError) in try string(node, "description") } ?? "",
            servers: [], cpus: .init(server: "0", load: "1"), prefill: [], workloads: [], rounds: 5, seconds: 10, warmupSeconds: 2,
            keep: Experiment.Figure.allCases, probes: false)
        experiment.servers = try servers(top["servers"]!)
        if let cpus = top["cpus"] {
            let parts = try fields(cpus, "cpus", allowed: ["server", "load"], required: ["server", "load"])
            experiment.cpus = .init(server: try cpuList(parts["server"]!, "cpus.server"), load: try cpuList(parts["load"]!, "cpus.load"))
        }
        if let prefill = top["prefill"] { experiment.prefill = try words(prefill, "prefill") }
        experiment.workloads = try workloads(top["workloads"]!)
        if let rounds = top["rounds"] { experiment.rounds = try integer(rounds, "rounds", minimum: 1) }
        if let seconds = top["seconds"] { experiment.seconds = try number(seconds, "seconds", minimum: 0, allowZero: false) }
        if let warmup = top["warmup"] { experiment.warmupSeconds = try number(warmup, "warmup", minimum: 0, allowZero: true) }
        if let probes = top["probes"] { experiment.probes = try boolean(probes, "probes") }
        if let keep = top["keep"] {
            guard let items = keep.sequence, !items.isEmpty else { throw fail(keep, "keep must be a list of figures") }
            experiment.keep = []
            for item in items {
                let text = try string(item, "each item of keep")
                guard let figure = Experiment.Figure(rawValue: text) else {
                    throw fail(item, "unknown figure '\(text)' (known: \(Experiment.Figure.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                experiment.keep.append(figure)
            }
        }
        return experiment
    }

    func servers(_ node: Node) throws(ExperimentError) -> [Experiment.Server] {
        guard let items = node.sequence, !items.isEmpty else { throw fail(node, "servers must be a non-empty list") }
        var servers: [Experiment.Server] = []
        for item in items {
            let parts = try fields(item, "a server", allowed: ["name", "command", "reference"], required: ["name", "command"])
            let name = try name(parts["name"]!, "a server's name")
            guard !servers.contains(where: { $0.name == name }) else { throw fail(parts["name"]!, "server name '\(name)' used twice") }
            let command = try words(parts["command"]!, "a server's command")
            guard !command.isEmpty else { throw fail(parts["command"]!, "a server's command must not be empty") }
            let known = command[0] == "ferrite" || command[0] == "redis"
            guard known || command.contains(where: { $0.contains("{port}") }) else {
                throw fail(parts["command"]!, "the command of '\(name)' must contain {port} (only ferrite and redis get it added)")
            }
            servers.append(.init(name: name, command: command, reference: try parts["reference"].map { node throws(ExperimentError) in try boolean(node, "reference") } ?? false))
        }
        guard servers.contains(where: { !$0.reference }) else { throw fail(node, "at least one server must not be a reference") }
        return servers
    }

    func workloads(_ node: Node) throws(ExperimentError) -> [Experiment.Workload] {
        guard let items = node.sequence, !items.isEmpty else { throw fail(node, "workloads must be a non-empty list") }
        var workloads: [Experiment.Workload] = []
        for item in items {
            let parts = try fields(item, "a workload", allowed: ["name", "arguments", "mode", "measure", "rate_fraction"], required: ["name", "arguments"])
            let name = try string(parts["name"]!, "a workload's name")
            guard !name.isEmpty && !name.contains("\n") else { throw fail(parts["name"]!, "a workload's name must be one non-empty line") }
            guard !workloads.contains(where: { $0.name == name }) else { throw fail(parts["name"]!, "workload name '\(name)' used twice") }
            var workload = Experiment.Workload(name: name, arguments: try words(parts["arguments"]!, "arguments"), mode: .closed, measure: .throughput, rateFraction: nil)
            if let mode = parts["mode"] {
                let text = try string(mode, "mode")
                guard let value = Experiment.Mode(rawValue: text) else { throw fail(mode, "mode must be closed or open (got '\(text)')") }
                workload.mode = value
            }
            if let measure = parts["measure"] {
                let text = try string(measure, "measure")
                guard let value = Experiment.Measure(rawValue: text) else { throw fail(measure, "measure must be throughput or memory (got '\(text)')") }
                workload.measure = value
            }
            if let fraction = parts["rate_fraction"] {
                let value = try number(fraction, "rate_fraction", minimum: 0, allowZero: false)
                guard value <= 1 else { throw fail(fraction, "rate_fraction must be at most 1 (a fraction of capacity)") }
                guard workload.mode == .open else { throw fail(fraction, "rate_fraction needs mode: open") }
                workload.rateFraction = value
            }
            if workload.mode == .open && workload.rateFraction == nil && !workload.arguments.contains(where: { $0.hasPrefix("--rate") }) {
                throw fail(item, "an open-loop workload needs rate_fraction or a --rate argument")
            }
            workloads.append(workload)
        }
        return workloads
    }
}

private extension Double {
    var formatted: String { self == rounded() ? String(Int(self)) : String(self) }
}
