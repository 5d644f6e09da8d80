import ArgumentParser
import Foundation

/// `ferrite-bench experiment FILE`: parse the experiment (refusing a malformed one before
/// anything starts), run it, record the result.
struct ExperimentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferrite-bench experiment", abstract: "Run a declarative experiment (Experiments/*.yaml) and record its result.")

    @Argument(help: "The experiment file.") var file: String
    @Option(help: "Where results go (Results/<experiment>/...).") var results = "Results"
    @Option(help: "The ferrite-server binary `ferrite` stands for.") var ferrite = ".build/release/ferrite-server"
    @Option(help: "The checkout whose commit the result records.") var repository = "."
    @Option(help: "Rounds, overriding the file's.") var rounds: Int?
    @Option(help: "Seconds per measurement, overriding the file's.") var seconds: Double?
    @Option(help: "Warm-up seconds, overriding the file's.") var warmup: Double?
    @Option(help: "The compiled eBPF probes (`make probes`), for experiments with `probes: true`.")
    var probesObject = ThreadProbes.defaultObject

    func validate() throws {
        if let rounds, rounds < 1 { throw ValidationError("--rounds must be at least 1") }
        if let seconds, seconds <= 0 { throw ValidationError("--seconds must be positive") }
        if let warmup, warmup < 0 { throw ValidationError("--warmup must not be negative") }
    }

    func run() throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ExperimentRunError("\(file): cannot read the file") }
        let experiment = try ExperimentParser.parse(text, file: file)
        guard FileManager.default.isExecutableFile(atPath: ferrite) || !experiment.servers.contains(where: { $0.command[0] == "ferrite" }) else {
            throw ExperimentRunError("\(ferrite) not found: build it with `swift build -c release --product ferrite-server`")
        }
        var options = ExperimentRunner.Options(resultsFolder: results, repository: repository, ferriteBinary: ferrite)
        options.rounds = rounds
        options.seconds = seconds
        options.warmup = warmup
        options.probesObject = probesObject
        try ExperimentRunner(experiment: experiment, file: file, options: options).run()
    }
}

/// Runs a subcommand of ferrite-bench (`experiment`, `backfill`): every failure is one line on
/// stderr and exit status 1, as for the benchmark itself.
enum Subcommand {
    static func main<Command: ParsableCommand>(_ type: Command.Type, _ arguments: [String]) -> Int32 {
        do {
            var command = try type.parseAsRoot(arguments)
            try command.run()
            return 0
        } catch {
            if type.exitCode(for: error) == .success {
                print(type.fullMessage(for: error))
                return 0
            }
            let name = type.configuration.commandName ?? "ferrite-bench"
            StandardError.write("\(name): \(type.message(for: error).split(separator: "\n").first ?? "")\n")
            return 1
        }
    }
}
