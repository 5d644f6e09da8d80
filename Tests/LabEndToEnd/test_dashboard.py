"""The dashboard in a real browser: `ferrite-dashboard` serves a results folder made by this
test (numbers known in advance), headless Chromium loads the overview, a run page and a
compare page, and the test checks what the pages show against the results. Screenshots (light
and dark theme) are kept in `$E2E_ARTIFACTS` (default `.build/e2e-artifacts`) to look at."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", REPO_ROOT / ".build" / "e2e-artifacts"))
WORKLOADS = ["GET P1", "SET P16"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dashboard_binary() -> Path:
    configured = os.environ.get("FERRITE_DASHBOARD")
    if configured:
        return Path(configured)
    for configuration in ("release", "debug"):
        candidate = REPO_ROOT / ".build" / configuration / "ferrite-dashboard"
        if candidate.is_file():
            return candidate
    pytest.fail("ferrite-dashboard not built: swift build --product ferrite-dashboard", pytrace=False)


def browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return name
    pytest.fail("no headless Chromium (apt-get install chromium)", pytrace=False)


def ferrite_ops(commit: int, workload: str, rnd: int) -> float:
    """Known throughput: SET P16 drops 8 % at commit 6; rounds differ by ±1 % around the middle one."""
    level = 900_000.0 if workload == "SET P16" else 95_000.0
    if workload == "SET P16" and commit >= 6:
        level *= 0.92
    return round(level * (1 + (rnd - 2) * 0.01), 1)


PROBED_COMMIT = 6


def thread_probes(rnd: int) -> list[dict]:
    """What eBPF probes saw of the two shards in one round of a million requests."""
    return [{"thread": f"shard-{shard}", "tid": 100 + shard, "syscalls": 125_000,
             "syscalls_by_name": [{"name": "io_uring_enter", "count": 120_000}, {"name": "close", "count": 5_000}],
             "run_queue_waits": 2_000, "run_queue_wait_micros": 6_000.0, "run_queue_max_wait_micros": 30.0 + rnd * 2.5,
             "preemptions": 10, "run_queue_wait_buckets": [1_500, 400, 100] + [0] * 21} for shard in range(2)]


def write_results(folder: Path, commits: int = 8, rounds: int = 5) -> list[dict]:
    records = []
    for commit in range(commits):
        samples = []
        for workload in WORKLOADS:
            for rnd in range(rounds):
                for server, ops in (("ferrite", ferrite_ops(commit, workload, rnd)), ("redis", 80_000.0 if workload == "GET P1" else 500_000.0)):
                    p99 = round(100_000 / ops, 4)
                    probes = thread_probes(rnd) if commit == PROBED_COMMIT and server == "ferrite" else None
                    samples.append({"server": server, "workload": workload, "round": rnd, "operations": 1_000_000, "ops_per_sec": ops,
                                    "p50_ms": round(p99 * 0.3, 4), "p99_ms": p99, "p999_ms": p99 * 2, "server_cpu_seconds": 2.0,
                                    "ops_per_cpu_second": ops * 1.4, "rss_bytes": 20_000_000, "bytes_per_key": None,
                                    "latency_distribution": [[50.0, p99 * 0.3], [90.0, p99 * 0.6], [99.0, p99], [99.9, p99 * 2], [99.99, p99 * 3], [100.0, p99 * 4]],
                                    "probes": probes})
        short = f"{0xbee0000 + commit:07x}"
        record = {
            "schema": 1,
            "experiment": {"name": "core", "file": "Experiments/core.yaml", "sha256": "a" * 64, "description": "GET/SET, Ferrite vs Redis"},
            "commit": {"id": short + "0" * 33, "short": short, "time": f"2026-11-{10 + commit:02d}T12:00:00Z",
                       "subject": f"Change number {commit}", "dirty": False},
            "started": f"2026-12-01T{commit:02d}:00:00Z",
            "environment": {"cpu_model": "Browser Test CPU", "cores": 2, "kernel": "6.18.44", "swift": "6.3.1", "host": "ci"},
            "servers": [{"name": "ferrite", "command": "ferrite-server --port {port}", "version": "Ferrite v=0.1.0", "reference": False},
                        {"name": "redis", "command": "redis-server --port {port}", "version": "Redis server v=7.0.15", "reference": True}],
            "workloads": [{"name": w, "mode": "closed", "arguments": ["--pipeline=16" if "P16" in w else "--pipeline=1"]} for w in WORKLOADS],
            "samples": samples,
            "probes": {"available": True} if commit == PROBED_COMMIT else {"available": False, "reason": "no CAP_BPF"},
        }
        (folder / "core").mkdir(parents=True, exist_ok=True)
        (folder / "core" / f"{short}-20261201T{commit:02d}0000Z.json").write_text(json.dumps(record, indent=1))
        records.append(record)
    return records


@pytest.fixture
def dashboard(tmp_path):
    results = tmp_path / "Results"
    records = write_results(results)
    port = free_port()
    process = subprocess.Popen([str(dashboard_binary()), "serve", "--results", str(results), "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"dashboard exited: {process.stdout.read().decode()}")
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}", records, results
    process.terminate()
    process.wait(timeout=10)


def render(url: str, screenshot: str | None = None, dark: bool = False) -> str:
    """The page's DOM after load, as headless Chromium sees it; optionally a screenshot."""
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1400,1900"]
    if dark:
        flags.append("--force-dark-mode")
    if screenshot:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        subprocess.run([browser(), *flags, f"--screenshot={ARTIFACTS / screenshot}", url], capture_output=True, timeout=120, check=True)
        assert (ARTIFACTS / screenshot).stat().st_size > 10_000
    result = subprocess.run([browser(), *flags, "--dump-dom", url], capture_output=True, timeout=120, check=True)
    return result.stdout.decode()


def median(values):
    return statistics.median(values)


def compact(value: float) -> str:
    """The dashboard's number format (SVGChart.compact) for the values this test uses."""
    for limit, suffix in ((1_000_000, "M"), (1_000, "k")):
        if abs(value) >= limit:
            scaled = value / limit
            text = f"{scaled:.0f}" if abs(scaled) >= 100 else f"{scaled:.1f}" if abs(scaled) >= 10 else f"{scaled:.3g}"
            return (text.rstrip("0").rstrip(".") if "." in text else text) + suffix
    return f"{value:.3g}"


def test_overview_shows_every_commit_with_medians_and_the_flagged_drop(dashboard):
    base, records, _ = dashboard
    dom = render(base + "/", screenshot="overview-light.png")
    render(base + "/", screenshot="overview-dark.png", dark=True)
    assert dom.count('<svg class="chart"') == 4  # two workloads × (throughput, P99)
    for record in records:
        short = record["commit"]["short"]
        for workload in WORKLOADS:
            ops = [s["ops_per_sec"] for s in record["samples"] if s["server"] == "ferrite" and s["workload"] == workload]
            assert f"{short} ferrite: {compact(median(ops))} ops/s" in dom, (short, workload)
    assert "-8.0%" in dom  # the marker at the drop
    assert re.search(r'class="marker regression"', dom)
    assert "redis" in dom and "Change number 7" in dom


def test_run_page_shows_environment_distribution_and_samples(dashboard):
    base, records, _ = dashboard
    record = records[PROBED_COMMIT]
    dom = render(f"{base}/run/core/{record['commit']['short']}-20261201T060000Z.html", screenshot="run.png")
    for text in ("Browser Test CPU", "Redis server v=7.0.15", "recorded", "latency by percentile", "99.99%", "percentile (log scale)"):
        assert text in dom, text
    for sample in record["samples"]:
        assert f"<td>{sample['ops_per_sec']:.0f}</td>" in dom
    # Each shard over 5 rounds of a million requests: 0.125 system calls per request, 2 run-queue
    # waits per thousand requests averaging 3 µs, the longest wait of any round, preemptions summed.
    assert "Thread probes (eBPF)" in dom
    row = ('<td class="text">shard-1</td><td>5</td><td>0.125</td><td>2.00</td><td>3.0</td><td>40</td><td>50</td>'
           '<td class="text">io_uring_enter 0.120, close 0.005</td>')
    assert row in dom
    # The wait histogram of both shards over all rounds, as shares: 1,500 / 400 / 100 of 2,000 waits.
    assert "Run-queue waits by length (all threads and rounds)" in dom
    assert "ferrite: 20.0 % of waits in the 2µs bucket" in dom and "ferrite: 5.0 % of waits in the 4µs bucket" in dom
    other = render(f"{base}/run/core/{records[5]['commit']['short']}-20261201T050000Z.html")
    assert "unavailable: no CAP_BPF" in other and "Thread probes" not in other


def test_compare_page_gives_ratios_and_significance(dashboard):
    base, records, _ = dashboard
    a, b = records[5]["commit"]["short"], records[6]["commit"]["short"]
    dom = render(f"{base}/compare/core/{a}..{b}.html", screenshot="compare.png")
    assert "<td>0.920</td>" in dom and "regression" in dom
    assert "<td>1.000</td>" in dom and "no significant change" in dom


def test_check_and_export(dashboard, tmp_path):
    _, _, results = dashboard
    ok = subprocess.run([str(dashboard_binary()), "check", "--results", str(results)], capture_output=True, timeout=60)
    assert ok.returncode == 0, ok.stdout
    out = tmp_path / "site"
    exported = subprocess.run([str(dashboard_binary()), "export", "--results", str(results), "--out", str(out)], capture_output=True, timeout=60)
    assert exported.returncode == 0, exported.stdout
    assert (out / "index.html").is_file() and len(list((out / "run" / "core").glob("*.html"))) == 8
    # Slow the newest commit down by 10 %: check must flag it and fail.
    newest = sorted((results / "core").glob("*.json"))[-1]
    record = json.loads(newest.read_text())
    for sample in record["samples"]:
        if sample["server"] == "ferrite":
            sample["ops_per_sec"] *= 0.9
    newest.write_text(json.dumps(record))
    flagged = subprocess.run([str(dashboard_binary()), "check", "--results", str(results)], capture_output=True, timeout=60)
    assert flagged.returncode == 1
    assert b"regression at bee0007" in flagged.stdout
