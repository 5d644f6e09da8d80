import Foundation

/// The dashboard's pages by path, the same set whether served over HTTP or exported as files:
///
///     index.html                               overview
///     run/<experiment>/<run file>.html         one run
///     compare/<experiment>/<commit>..<commit>.html
///
/// Links between pages are relative, so an export works from any folder or web server.
public struct DashboardSite: Sendable {
    public let library: ResultsLibrary
    public let detector: ChangePointDetector

    public init(library: ResultsLibrary, detector: ChangePointDetector = ChangePointDetector()) {
        self.library = library
        self.detector = detector
    }

    /// The page at `path` (no leading slash), or nil.
    public func page(_ path: String) -> String? {
        if path.isEmpty || path == "index.html" { return OverviewPage(library: library, detector: detector).render() }
        if path.hasPrefix("run/") && path.hasSuffix(".html") {
            let id = String(path.dropFirst("run/".count).dropLast(".html".count))
            return library.run(id: id).map { RunPage(run: $0).render() }
        }
        if path.hasPrefix("compare/") && path.hasSuffix(".html") {
            let parts = path.dropFirst("compare/".count).dropLast(".html".count).split(separator: "/")
            guard parts.count == 2 else { return nil }
            let commits = parts[1].components(separatedBy: "..")
            guard commits.count == 2 else { return nil }
            return ComparePage(library: library, experiment: String(parts[0]), base: commits[0], other: commits[1]).render()
        }
        return nil
    }

    /// Every page the overview links to, directly or through another page.
    public var paths: [String] {
        var paths = ["index.html"] + library.runs.map { Self.runPath($0.id) }
        for experiment in library.experiments {
            var commits: [String] = []
            for run in library.runs(of: experiment) where !commits.contains(run.record.commit.short) { commits.append(run.record.commit.short) }
            for (index, commit) in commits.enumerated() {
                if index > 0 { paths.append(Self.comparePath(experiment: experiment, commits[index - 1], commit)) }
                if index < commits.count - 1 { paths.append(Self.comparePath(experiment: experiment, commit, commits.last!)) }
            }
        }
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    /// Writes every page below `folder`; returns how many.
    @discardableResult
    public func export(to folder: URL) throws -> Int {
        for path in paths {
            guard let html = page(path) else { continue }
            let file = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(html.utf8).write(to: file)
        }
        return paths.count
    }

    static func runPath(_ id: String) -> String { "run/\(id).html" }

    static func comparePath(experiment: String, _ base: String, _ other: String) -> String {
        "compare/\(experiment)/\(base)..\(other).html"
    }

    /// "../" once per folder level of a page.
    static func root(ofDepth depth: Int) -> String { String(repeating: "../", count: depth) }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter.string(from: date) + " UTC"
    }
}
