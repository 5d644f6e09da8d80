#if canImport(Glibc)
import Glibc
#endif

/// Writes report files (JSON, .hgrm, --out-file) with plain stdio, reporting failures as
/// one-line errors.
enum FileOutput {
    static func write(_ contents: String, to path: String) throws(ConfigError) {
        guard let file = fopen(path, "w") else {
            throw ConfigError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        guard fputs(contents, file) >= 0 else {
            throw ConfigError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// Messages and the progress line, written straight to file descriptor 2 (unbuffered, and
/// without touching C's global `stderr`, which strict concurrency cannot vouch for).
enum StandardError {
    static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
