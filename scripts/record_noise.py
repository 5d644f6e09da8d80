#!/usr/bin/env python3
"""Records this machine's run-to-run benchmark noise: the same ferrite-server build and the
reference redis-server measured over and over, alternating (each sample a fresh server pinned
to CPU 0, one redis-benchmark run pinned to CPU 1 per workload). The regression detector's
tests build their step-free and stepped series from these samples, so its detection and
false-alarm rates are those of real noise here — raw, and as the ratio to the reference
measured beside it, which is what an experiment records.

    python3 scripts/record_noise.py --samples 150 --out Tests/DashboardTests/Fixtures/noise.json
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_redis  # noqa: E402  (server start/stop and the redis-benchmark runner)

WORKLOADS = [("get", 16, 400_000), ("set", 1, 60_000)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ferrite", default=os.path.join(bench_redis.ROOT, ".build/release/ferrite-server"))
    parser.add_argument("--samples", type=int, default=120)
    parser.add_argument("--out", required=True)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--data-size", type=int, default=64)
    parser.add_argument("--server-cpu", type=int, default=0)
    parser.add_argument("--load-cpu", type=int, default=1)
    args = parser.parse_args()

    series = {kind: {f"{test.upper()} P{pipeline}": {"ops_per_sec": [], "p99_ms": []} for test, pipeline, _ in WORKLOADS}
              for kind in ("ferrite", "redis")}
    for sample in range(args.samples):
        for kind in (("ferrite", "redis") if sample % 2 == 0 else ("redis", "ferrite")):
            port = bench_redis.free_port()
            proc = bench_redis.start_server(kind, port, args.ferrite, args.server_cpu)
            try:
                for test, pipeline, requests in WORKLOADS:
                    ops, _, p99 = bench_redis.redis_benchmark(port, test, pipeline, requests, args)
                    series[kind][f"{test.upper()} P{pipeline}"]["ops_per_sec"].append(ops)
                    series[kind][f"{test.upper()} P{pipeline}"]["p99_ms"].append(p99)
            finally:
                bench_redis.stop_server(proc)
        print(f"sample {sample + 1}/{args.samples}: " + "  ".join(
            f"{kind} {name} {values['ops_per_sec'][-1]:,.0f}" for kind in series for name, values in series[kind].items()), flush=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=bench_redis.ROOT).stdout.strip()
    record = {
        "description": "Run-to-run noise: one ferrite-server build and redis-server alternating, a fresh server per sample, redis-benchmark "
                       f"-c {args.clients} -d {args.data_size} -r {args.keys}; server on CPU {args.server_cpu}, load on CPU {args.load_cpu}",
        "commit": commit, "recorded": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "kernel": platform.release(), "series": series,
    }
    with open(args.out, "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
