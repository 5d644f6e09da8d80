import Foundation
import Hummingbird

/// `ferrite-dashboard --results Results --port 8080`: the site's pages over HTTP. The results
/// folder is read again for every request, so a run recorded while the dashboard is up shows
/// on the next reload.
public enum DashboardServer {
    public static func run(results: URL, host: String, port: Int, detector: ChangePointDetector = ChangePointDetector()) async throws {
        let router = Router()
        router.get("/") { _, _ in try respond(results: results, path: "index.html", detector: detector) }
        router.get("**") { _, context in
            try respond(results: results, path: context.parameters.getCatchAll().joined(separator: "/"), detector: detector)
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "ferrite-dashboard"),
            onServerRunning: { _ in print("ferrite-dashboard: serving \(results.path) on http://\(host):\(port)/") })
        try await app.runService()
    }

    private static func respond(results: URL, path: String, detector: ChangePointDetector) throws -> Response {
        let site = DashboardSite(library: try ResultsLibrary.load(folder: results), detector: detector)
        guard let html = site.page(path) else { throw HTTPError(.notFound, message: "No page \(path)") }
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}
