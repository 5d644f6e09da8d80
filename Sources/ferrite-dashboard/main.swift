import ArgumentParser
import Dashboard
import Foundation

/// `ferrite-dashboard`: serve the results dashboard, export it as static pages, or check the
/// newest commit for regressions (exit status 1 when there is one).
@main
struct FerriteDashboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ferrite-dashboard",
        abstract: "Throughput and P99 by commit, from the recorded Results.",
        subcommands: [Serve.self, Export.self, Check.self],
        defaultSubcommand: Serve.self)

    struct Options: ParsableArguments {
        @Option(help: "The results folder.") var results = "Results"
        var folder: URL { URL(fileURLWithPath: results) }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Serve the dashboard over HTTP.")
        @OptionGroup var options: Options
        @Option(help: "Address to listen on.") var host = "127.0.0.1"
        @Option(help: "Port to listen on.") var port = 8080

        func run() async throws {
            try await DashboardServer.run(results: options.folder, host: host, port: port)
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the dashboard's pages as static HTML.")
        @OptionGroup var options: Options
        @Option(help: "Folder to write the pages to.") var out: String

        func run() throws {
            let site = DashboardSite(library: try ResultsLibrary.load(folder: options.folder))
            let count = try site.export(to: URL(fileURLWithPath: out))
            print("ferrite-dashboard: wrote \(count) pages to \(out)")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Exit 1 when the newest commit of an experiment is a regression.")
        @OptionGroup var options: Options

        func run() throws {
            let findings = RegressionCheck(library: try ResultsLibrary.load(folder: options.folder)).findings()
            for finding in findings { print(finding) }
            if !findings.isEmpty { throw ExitCode(1) }
            print("ferrite-dashboard: no regression at the newest commit")
        }
    }
}
