"""The experiment runner for real: `ferrite-bench experiment` starts ferrite-server and a real
redis-server, alternates them over the rounds, and writes a schema-1 result that the dashboard
then reads; a malformed experiment is refused before any server starts."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def binary(variable: str, name: str) -> Path:
    configured = os.environ.get(variable)
    if configured:
        return Path(configured)
    for configuration in ("release", "debug"):
        candidate = REPO_ROOT / ".build" / configuration / name
        if candidate.is_file():
            return candidate
    pytest.fail(f"{name} not built", pytrace=False)


EXPERIMENT = """
name: ci-smoke
description: a few seconds of GET, Ferrite vs Redis
servers:
  - {name: ferrite, command: ferrite}
  - {name: redis, command: redis, reference: true}
prefill: --ratio=1:0 --key-pattern=P:P --key-minimum=1 --key-maximum=2000 -n allkeys -d 32 -c 4 -t 1 --pipeline=16
workloads:
  - name: GET P4
    arguments: --ratio=0:1 --key-pattern=R:R --key-minimum=1 --key-maximum=2000 -t 1 -c 4 --pipeline=4
  - name: SET P4
    arguments: --ratio=1:0 --key-pattern=R:R --key-minimum=1 --key-maximum=2000 -t 1 -c 4 --pipeline=4
rounds: 2
seconds: 1
warmup: 0
"""


# The compiled eBPF probes (`make probes`, a prerequisite of `make lab-test`).
PROBES_OBJECT = REPO_ROOT / ".build" / "bpf" / "thread_probes.bpf.o"

# Two shard threads, one on each CPU: shard-1 shares CPU 1 with the load, so it queues for it.
PROBED = (EXPERIMENT.replace("command: ferrite}", "command: ferrite --shards 2}").replace("rounds: 2", "rounds: 1")
          + "cpus: {server: \"0-1\", load: \"1\"}\nprobes: true\n")


def run_experiment(tmp_path: Path, text: str, probes_object: Path = PROBES_OBJECT) -> subprocess.CompletedProcess:
    experiment = tmp_path / "ci-smoke.yaml"
    experiment.write_text(text)
    return subprocess.run(
        [str(binary("FERRITE_BENCH", "ferrite-bench")), "experiment", str(experiment), "--results", str(tmp_path / "Results"),
         "--ferrite", str(binary("FERRITE_SERVER", "ferrite-server")), "--repository", str(REPO_ROOT),
         "--probes-object", str(probes_object)],
        capture_output=True, text=True, timeout=300)


def only_record(tmp_path: Path) -> dict:
    files = list((tmp_path / "Results" / "ci-smoke").glob("*.json"))
    assert len(files) == 1
    return json.loads(files[0].read_text())


def test_experiment_records_a_result_the_dashboard_reads(tmp_path):
    result = run_experiment(tmp_path, EXPERIMENT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "round 1/2: ferrite then redis" in result.stdout
    assert "round 2/2: redis then ferrite" in result.stdout
    assert "Medians over 2 rounds; ratios to ferrite" in result.stdout
    files = list((tmp_path / "Results" / "ci-smoke").glob("*.json"))
    record = only_record(tmp_path)
    assert record["schema"] == 1 and record["experiment"]["name"] == "ci-smoke" and len(record["experiment"]["sha256"]) == 64
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True).stdout.strip()
    assert record["commit"]["id"] == head and files[0].name.startswith(head[:7] + "-")
    assert "Redis server v=7" in record["servers"][1]["version"] and record["servers"][1]["reference"] is True
    # Both servers of a round run side by side: workload by workload, each server in the round's order.
    assert [(s["round"], s["workload"], s["server"]) for s in record["samples"]] == [
        (0, "GET P4", "ferrite"), (0, "GET P4", "redis"), (0, "SET P4", "ferrite"), (0, "SET P4", "redis"),
        (1, "GET P4", "redis"), (1, "GET P4", "ferrite"), (1, "SET P4", "redis"), (1, "SET P4", "ferrite")]
    for sample in record["samples"]:
        assert sample["errors"] == 0 and sample["ops_per_sec"] > 100 and sample["operations"] > 100
        assert "probes" not in sample or sample["probes"] is None
        assert 0 < sample["p50_ms"] <= sample["p99_ms"] <= sample["p999_ms"]
        # The server's own CPU time while it was measured (schedstat, nanoseconds): some, but not more than the second.
        assert 0.005 < sample["server_cpu_seconds"] < 1.5 and sample["rss_bytes"] > 1_000_000
        assert [p for p, _ in sample["latency_distribution"]][:3] == [0, 25, 50]
        # One second in 0.25 s slices: each slice's throughput, in time order.
        assert len(sample["slice_ops_per_sec"]) == 4 and all(ops > 0 for ops in sample["slice_ops_per_sec"])
    dashboard = binary("FERRITE_DASHBOARD", "ferrite-dashboard")
    site = tmp_path / "site"
    exported = subprocess.run([str(dashboard), "export", "--results", str(tmp_path / "Results"), "--out", str(site)], capture_output=True, timeout=60)
    assert exported.returncode == 0, exported.stdout
    page = (site / "index.html").read_text()
    assert "ci-smoke" in page and "GET P4 · Throughput (median)" in page


def test_malformed_experiment_is_refused_before_anything_starts(tmp_path):
    result = run_experiment(tmp_path, EXPERIMENT.replace("rounds: 2", "rounds: many"))
    assert result.returncode == 1
    assert result.stderr.strip().endswith("ci-smoke.yaml:13:9: rounds must be an integer ≥ 1")
    assert "round 1" not in result.stdout and not (tmp_path / "Results").exists()


def test_probes_record_each_server_thread(tmp_path):
    result = run_experiment(tmp_path, PROBED)
    assert result.returncode == 0, result.stdout + result.stderr
    record = only_record(tmp_path)
    assert record["probes"] == {"available": True}
    ferrite, redis = (next(s for s in record["samples"] if s["server"] == name) for name in ("ferrite", "redis"))
    shards = {t["thread"]: t for t in ferrite["probes"] if t["thread"].startswith("shard-")}
    assert set(shards) == {"shard-0", "shard-1"}, ferrite["probes"]
    for thread in ferrite["probes"] + redis["probes"]:
        assert thread["syscalls"] == sum(call["count"] for call in thread["syscalls_by_name"])
        assert len(thread["run_queue_wait_buckets"]) == 24 and sum(thread["run_queue_wait_buckets"]) == thread["run_queue_waits"]
        assert thread["run_queue_max_wait_micros"] <= thread["run_queue_wait_micros"] + 0.001
    # The shards wait for their events in io_uring_enter (or epoll_wait on the fallback backend)
    # and queue for a CPU (shard-1 for the one the load runs on).
    waits_for_events = {call["name"] for t in shards.values() for call in t["syscalls_by_name"]} & {"io_uring_enter", "epoll_wait"}
    assert waits_for_events, shards
    assert sum(t["run_queue_waits"] for t in shards.values()) > 0
    # Redis reads and writes each batch of requests itself.
    main = next(t for t in redis["probes"] if t["thread"] == "redis-server")
    calls = {call["name"]: call["count"] for call in main["syscalls_by_name"]}
    assert calls.get("read", 0) > redis["operations"] / 8 and calls.get("write", 0) > redis["operations"] / 8, calls
    assert "probes: shard-" not in result.stdout and "    shard-0: " in result.stdout and " syscalls/op (" in result.stdout
    site = tmp_path / "site"
    exported = subprocess.run([str(binary("FERRITE_DASHBOARD", "ferrite-dashboard")), "export", "--results", str(tmp_path / "Results"),
                               "--out", str(site)], capture_output=True, timeout=60)
    assert exported.returncode == 0, exported.stdout
    run_page = next((site / "run").rglob("*.html")).read_text()
    assert "Thread probes (eBPF)" in run_page and "<td class=\"text\">shard-1</td>" in run_page


def test_probes_that_cannot_run_are_reported_and_the_run_goes_on(tmp_path):
    missing = tmp_path / "nowhere.bpf.o"
    result = run_experiment(tmp_path, PROBED, probes_object=missing)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"probes unavailable: {missing} is missing (make probes builds it)" in result.stdout
    record = only_record(tmp_path)
    assert record["probes"] == {"available": False, "reason": f"{missing} is missing (make probes builds it)"}
    assert all(sample.get("probes") is None and sample["ops_per_sec"] > 100 for sample in record["samples"])
