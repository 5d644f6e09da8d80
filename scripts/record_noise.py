#!/usr/bin/env python3
"""Records this machine's run-to-run benchmark noise with the lab's own runner: one
`ferrite-bench experiment` of an experiment file (default Experiments/core.yaml) with many more
rounds than a commit's run has, the same build throughout. The regression detector's tests
(`Tests/DashboardTests/RecordedNoiseTests.swift`) cut per-commit runs out of these rounds, so
their detection and false-alarm rates are those of real runs here — each sample exactly as
the runner measures it (servers side by side, same seconds and warm-up as the file).

    python3 scripts/record_noise.py --rounds 150 --out Tests/DashboardTests/Fixtures/noise.json --keep /tmp/noise

Build first: swift build -c release --product ferrite-server --product ferrite-bench
"""
import argparse
import glob
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def experiment_rounds(path):
    """The file's own `rounds:` (what one commit's run measures)."""
    with open(path) as f:
        for line in f:
            if line.startswith("rounds:"):
                return int(line.split(":", 1)[1].split("#")[0])
    return 5


def run_experiment(args, results):
    """Runs the experiment with its results going to `results`; returns the new result file."""
    before = set(glob.glob(os.path.join(results, "*", "*.json")))
    subprocess.run([args.bench, "experiment", args.experiment, "--rounds", str(args.rounds), "--results", results,
                    "--ferrite", args.ferrite, "--repository", ROOT], check=True)
    [path] = set(glob.glob(os.path.join(results, "*", "*.json"))) - before
    return path


def read_json(path):
    with open(path) as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--experiment", default=os.path.join(ROOT, "Experiments/core.yaml"))
    parser.add_argument("--rounds", type=int, default=150)
    parser.add_argument("--out", required=True)
    parser.add_argument("--bench", default=os.path.join(ROOT, ".build/release/ferrite-bench"))
    parser.add_argument("--ferrite", default=os.path.join(ROOT, ".build/release/ferrite-server"))
    parser.add_argument("--from", dest="source", help="convert this result file of the experiment instead of running it")
    parser.add_argument("--keep", metavar="FOLDER",
                        help="keep the run's result file (every sample, with its slices) in FOLDER/<experiment>/ "
                             "instead of a temporary folder")
    args = parser.parse_args()

    if args.source:
        run = read_json(args.source)
    elif args.keep:
        run = read_json(run_experiment(args, args.keep))
    else:
        with tempfile.TemporaryDirectory() as results:
            run = read_json(run_experiment(args, results))
    rounds = 1 + max(sample["round"] for sample in run["samples"])

    series = {}
    for sample in sorted(run["samples"], key=lambda s: s["round"]):
        metrics = series.setdefault(sample["server"], {}).setdefault(sample["workload"], {"ops_per_sec": [], "p99_ms": []})
        metrics["ops_per_sec"].append(sample["ops_per_sec"])
        metrics["p99_ms"].append(sample["p99_ms"])
    record = {
        "description": f"Run-to-run noise: {os.path.relpath(args.experiment, ROOT)} run by ferrite-bench experiment for "
                       f"{rounds} rounds, one build throughout; per server and workload, one sample per round",
        "commit": run["commit"]["short"], "recorded": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "kernel": platform.release(), "rounds_per_run": experiment_rounds(args.experiment), "series": series,
    }
    with open(args.out, "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
