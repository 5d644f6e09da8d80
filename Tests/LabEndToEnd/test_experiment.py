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
rounds: 2
seconds: 1
warmup: 0
"""


def run_experiment(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    experiment = tmp_path / "ci-smoke.yaml"
    experiment.write_text(text)
    return subprocess.run(
        [str(binary("FERRITE_BENCH", "ferrite-bench")), "experiment", str(experiment), "--results", str(tmp_path / "Results"),
         "--ferrite", str(binary("FERRITE_SERVER", "ferrite-server")), "--repository", str(REPO_ROOT)],
        capture_output=True, text=True, timeout=300)


def test_experiment_records_a_result_the_dashboard_reads(tmp_path):
    result = run_experiment(tmp_path, EXPERIMENT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "round 1/2: ferrite then redis" in result.stdout
    assert "round 2/2: redis then ferrite" in result.stdout
    assert "Medians over 2 rounds; ratios to ferrite" in result.stdout
    files = list((tmp_path / "Results" / "ci-smoke").glob("*.json"))
    assert len(files) == 1
    record = json.loads(files[0].read_text())
    assert record["schema"] == 1 and record["experiment"]["name"] == "ci-smoke" and len(record["experiment"]["sha256"]) == 64
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True).stdout.strip()
    assert record["commit"]["id"] == head and files[0].name.startswith(head[:7] + "-")
    assert "Redis server v=7" in record["servers"][1]["version"] and record["servers"][1]["reference"] is True
    assert [(s["server"], s["round"]) for s in record["samples"]] == [("ferrite", 0), ("redis", 0), ("redis", 1), ("ferrite", 1)]
    for sample in record["samples"]:
        assert sample["errors"] == 0 and sample["ops_per_sec"] > 100
        assert 0 < sample["p50_ms"] <= sample["p99_ms"] <= sample["p999_ms"]
        assert sample["server_cpu_seconds"] >= 0 and sample["rss_bytes"] > 1_000_000
        assert [p for p, _ in sample["latency_distribution"]][:3] == [0, 25, 50]
    dashboard = binary("FERRITE_DASHBOARD", "ferrite-dashboard")
    site = tmp_path / "site"
    exported = subprocess.run([str(dashboard), "export", "--results", str(tmp_path / "Results"), "--out", str(site)], capture_output=True, timeout=60)
    assert exported.returncode == 0, exported.stdout
    page = (site / "index.html").read_text()
    assert "ci-smoke" in page and "GET P4 · Throughput (median)" in page


def test_malformed_experiment_is_refused_before_anything_starts(tmp_path):
    result = run_experiment(tmp_path, EXPERIMENT.replace("rounds: 2", "rounds: many"))
    assert result.returncode == 1
    assert result.stderr.strip().endswith("ci-smoke.yaml:11:9: rounds must be an integer ≥ 1")
    assert "round 1" not in result.stdout and not (tmp_path / "Results").exists()
