"""Running ferrite-bench from the end-to-end suites.

`bench_binary()` finds the load generator (`$FERRITE_BENCH`, else the release build, else the
debug build of this checkout); `run_bench(port, *flags)` runs it against a server with a JSON
output file and returns the exit code, stdout, stderr and parsed JSON, so each test asserts on
what ferrite-bench printed and wrote.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from harness.servers import REPO_ROOT


def bench_binary() -> Path:
    configured = os.environ.get("FERRITE_BENCH")
    if configured:
        return Path(configured).resolve()
    for build in ("release", "debug"):
        candidate = REPO_ROOT / ".build" / build / "ferrite-bench"
        if candidate.is_file():
            return candidate
    return REPO_ROOT / ".build" / "release" / "ferrite-bench"


@dataclass
class BenchRun:
    returncode: int
    stdout: str
    stderr: str
    json: dict | None

    def stats(self, section: str = "ALL STATS") -> dict:
        assert self.json is not None, f"no JSON written; stderr: {self.stderr}"
        return self.json[section]


def run_bench(port: int, *flags: str, timeout: float = 60.0, json_out: bool = True) -> BenchRun:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "out.json"
        argv = [str(bench_binary()), "-s", "127.0.0.1", "-p", str(port), "--hide-histogram", *flags]
        if json_out:
            argv.append(f"--json-out-file={path}")
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout)
        document = json.loads(path.read_text()) if json_out and path.exists() else None
    return BenchRun(done.returncode, done.stdout, done.stderr, document)
