#!/usr/bin/env python3
"""How connections should reach the shards (`make bench-accept`): `accept-mode reuseport` (every
shard listens with SO_REUSEPORT; the kernel picks a shard by a hash of the connection's
addresses) against `accept-mode handoff` (shard 0 accepts every connection and hands them to
the shards in turn through their mailboxes).

Each round starts ferrite-server --shards 2 in each mode, in an order that rotates every round,
pinned to --server-cpus (default 0,1: one shard per CPU, so how evenly connections are spread
decides how evenly the work is), with redis-benchmark pinned to CPU 1, and runs:

- churn: PING with a new connection per request (redis-benchmark -k 0), 50 clients: what
  accepting costs;
- GET P1 with 50 connections, and with 4 (few connections: the spread is coarse).

It prints the medians of ops/s, P99, ops per server-CPU-second, and the busiest shard thread's
share of the server's CPU time (0.50 is an even split).
"""
import argparse
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_redis  # noqa: E402  (the shared server, load and measurement helpers)

MODES = ("reuseport", "handoff")
# (label, redis-benchmark arguments, requests)
TESTS = (
    ("churn", ["-t", "ping_inline", "-k", "0", "-c", "50"], 15_000),
    ("GET P1 c50", ["-t", "get", "-c", "50"], 300_000),
    ("GET P1 c4", ["-t", "get", "-c", "4"], 150_000),
)


def thread_cpu(pid):
    """CPU seconds of each thread of `pid`, by thread id."""
    seconds = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        seconds[tid] = (int(fields[11]) + int(fields[12])) / bench_redis.CLOCK_TICKS
    return seconds


def run(mode, args, results):
    port = bench_redis.free_port()
    proc = bench_redis.start_server("ferrite", port, args.ferrite, args.server_cpus,
                                    ("--shards", "2", "--accept-mode", mode))
    try:
        subprocess.run(["taskset", "-c", str(args.load_cpu), "redis-benchmark", "-p", str(port), "-t", "set",
                        "-P", "64", "-c", "8", "-n", "300000", "-d", "64", "-r", "100000", "-q"],
                       capture_output=True, check=True)
        for label, load, requests in TESTS:
            before = thread_cpu(proc.pid)
            out = subprocess.run(["taskset", "-c", str(args.load_cpu), "redis-benchmark", "-p", str(port),
                                  "-n", str(requests), "-d", "64", "-r", "100000", "--csv", *load],
                                 capture_output=True, text=True, check=True).stdout
            after = thread_cpu(proc.pid)
            row = [cell.strip('"') for cell in out.strip().splitlines()[-1].split(",")]
            ops, p99 = float(row[1]), float(row[6])
            used = {tid: after[tid] - before.get(tid, 0) for tid in after}
            total = sum(used.values())
            busiest = max(used.values()) / total if total else float("nan")
            per_cpu = requests / total if total else float("inf")
            results.setdefault((mode, label), []).append((ops, p99, per_cpu, busiest))
            print(f"  {mode:9} {label:11} {ops:>10,.0f} ops/s  p99 {p99:7.3f} ms  {per_cpu:>10,.0f} ops/cpu-s  "
                  f"busiest shard {busiest:4.2f}", flush=True)
    finally:
        bench_redis.stop_server(proc)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ferrite", default=os.path.join(bench_redis.ROOT, ".build/release/ferrite-server"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--server-cpus", default="0,1")
    parser.add_argument("--load-cpu", type=int, default=1)
    args = parser.parse_args()
    results = {}
    for round_number in range(args.rounds):
        order = MODES[round_number % 2:] + MODES[:round_number % 2]
        print(f"round {round_number + 1}/{args.rounds}: {' then '.join(order)}", flush=True)
        for mode in order:
            run(mode, args, results)
    print(f"\nMedians over {args.rounds} rounds; ferrite-server --shards 2 on CPUs {args.server_cpus}, "
          f"redis-benchmark on CPU {args.load_cpu}")
    header = f"{'test':11} {'mode':9} {'ops/s':>10} {'p99 ms':>8} {'ops/cpu-s':>10} {'busiest':>8} {'ops/s ×':>8} {'ops/cpu-s ×':>11}"
    print(header)
    print("-" * len(header))
    for label, _, _ in TESTS:
        base = [statistics.median(s[i] for s in results[("reuseport", label)]) for i in range(4)]
        for mode in MODES:
            ops, p99, per_cpu, busiest = (statistics.median(s[i] for s in results[(mode, label)]) for i in range(4))
            print(f"{label:11} {mode:9} {ops:>10,.0f} {p99:>8.3f} {per_cpu:>10,.0f} {busiest:>8.2f} "
                  f"{ops / base[0]:8.2f} {per_cpu / base[2]:11.2f}")


if __name__ == "__main__":
    sys.exit(main())
