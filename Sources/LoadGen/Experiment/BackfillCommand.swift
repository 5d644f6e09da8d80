import ArgumentParser
import Foundation

/// `ferrite-bench backfill --experiment core --commits A..B`: records an experiment for past
/// commits of the branch's own line (first parents: the commits of merged branches were never
/// the branch's state, and early ones have no server). Each commit is checked out in a
/// worktree of its own under `.build-backfill/` and its ferrite-server built there (one scratch
/// folder for all, so each build is incremental); the binary is kept by commit id, so an
/// interrupted backfill resumes where it stopped. A commit that does not build or cannot run
/// the experiment is skipped with the reason. The experiment file is today's; the result
/// records the old commit.
struct BackfillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferrite-bench backfill", abstract: "Build past commits and record an experiment for each.")

    @Option(help: "The experiment's name (Experiments/<name>.yaml) or file.") var experiment: String
    @Option(help: "A git range (A..B) or commits separated by commas.") var commits: String
    @Option(help: "Record at most this many commits, spread evenly over the range (0: all).") var count = 0
    @Option(help: "Where results go.") var results = "Results"
    @Option(help: "The checkout whose history is used.") var repository = "."
    @Option(help: "Rounds, overriding the file's.") var rounds: Int?
    @Option(help: "Seconds per measurement, overriding the file's.") var seconds: Double?
    @Flag(help: "Run again for commits that already have a result of this experiment.") var again = false

    func run() throws {
        let file = experiment.hasSuffix(".yaml") ? experiment : "Experiments/\(experiment).yaml"
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ExperimentRunError("\(file): cannot read the file") }
        let parsed = try ExperimentParser.parse(text, file: file)
        let selected = Self.spread(try resolve(), count: count)
        let root = URL(fileURLWithPath: repository).standardizedFileURL.path
        let work = root + "/.build-backfill"
        let source = work + "/src"
        if !FileManager.default.fileExists(atPath: source) {
            try Self.run(["git", "-C", root, "worktree", "add", "--detach", source, selected.first ?? "HEAD"])
        }
        let fileURL = URL(fileURLWithPath: file).standardizedFileURL.path
        for (index, commit) in selected.enumerated() {
            let short = String(commit.prefix(7))
            let existing = (try? FileManager.default.contentsOfDirectory(atPath: "\(results)/\(parsed.name)")) ?? []
            if !again && existing.contains(where: { $0.hasPrefix(short + "-") }) {
                print("[\(index + 1)/\(selected.count)] \(short): already recorded")
                continue
            }
            let binary = "\(work)/bin/\(commit)/ferrite-server"
            if !FileManager.default.isExecutableFile(atPath: binary) {
                print("[\(index + 1)/\(selected.count)] \(short): building")
                try Self.run(["git", "-C", source, "checkout", "--quiet", "--detach", commit])
                do {
                    try Self.build(source: source, scratch: work + "/build")
                } catch {
                    print("[\(index + 1)/\(selected.count)] \(short): does not build, skipped (\(error))")
                    continue
                }
                try FileManager.default.createDirectory(atPath: "\(work)/bin/\(commit)", withIntermediateDirectories: true)
                try FileManager.default.copyItem(atPath: work + "/build/release/ferrite-server", toPath: binary)
            } else {
                try Self.run(["git", "-C", source, "checkout", "--quiet", "--detach", commit])
            }
            print("[\(index + 1)/\(selected.count)] \(short): recording \(parsed.name)")
            var options = ExperimentRunner.Options(resultsFolder: results, repository: source, ferriteBinary: binary)
            options.rounds = rounds
            options.seconds = seconds
            do {
                try ExperimentRunner(experiment: parsed, file: fileURL, options: options).run()
            } catch {
                print("[\(index + 1)/\(selected.count)] \(short): cannot be recorded, skipped (\(error))")
            }
        }
    }

    /// The commits to record, oldest first.
    private func resolve() throws -> [String] {
        let arguments = commits.contains("..") ? ["git", "-C", repository, "rev-list", "--first-parent", "--reverse", commits]
            : ["git", "-C", repository, "rev-parse"] + commits.split(separator: ",").map(String.init)
        let output = Shell.output(arguments)
        let list = output.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        guard !list.isEmpty else { throw ExperimentRunError("no commits in '\(commits)'") }
        return list
    }

    /// `count` commits evenly spread over `commits`, always with the first and the last.
    static func spread(_ commits: [String], count: Int) -> [String] {
        guard count > 0 && count < commits.count else { return commits }
        guard count > 1 else { return [commits.last!] }
        return (0..<count).map { commits[$0 * (commits.count - 1) / (count - 1)] }
    }

    /// Builds the checked-out commit's release ferrite-server. Early commits declare test
    /// targets whose folders git did not keep (they were empty); SwiftPM refuses those, so the
    /// folders it names are created and the build tried again.
    static func build(source: String, scratch: String) throws {
        for _ in 0..<8 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["swift", "build", "-c", "release", "--product", "ferrite-server", "--package-path", source, "--scratch-path", scratch]
            let errors = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            if process.terminationStatus == 0 { return }
            guard let range = text.range(of: "should be located under '"),
                  let end = text[range.upperBound...].firstIndex(of: "'") else {
                throw ExperimentRunError(text.split(separator: "\n").last { $0.contains("error") }.map(String.init) ?? "swift build failed")
            }
            let folder = source + "/" + text[range.upperBound..<end]
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: folder + "/Placeholder.swift", contents: Data())
        }
        throw ExperimentRunError("swift build kept failing")
    }

    static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ExperimentRunError("\(arguments.joined(separator: " ")) exited with \(process.terminationStatus)") }
    }
}
