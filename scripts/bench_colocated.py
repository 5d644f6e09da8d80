#!/usr/bin/env python3
"""Ferrite as a first try runs it: default configuration, load on the same CPUs (`make bench-colocated`).

The other benchmarks keep the load off the server's CPUs, as the README advises. Someone trying
Ferrite on a small machine does not: `ferrite-server` starts a shard thread pinned to every CPU,
and redis-benchmark runs wherever the scheduler puts it, sharing a CPU with a shard thread.
Every hop between shard threads then waits for a CPU that is busy with the load as well.

Each round starts, in an order that rotates every round, ferrite-server with its defaults (one
shard per CPU), redis-server --save '' --appendonly no, with --baseline another ferrite-server
build (say, the commit before a change), and with --one-shard ferrite-server --shards 1 (its one
thread pinned to the first CPU, leaving the others to the load). The loads are not pinned.
Against each it runs:
- closed loop, redis-benchmark GET, SET and MSET (10 random keys per call), 64-byte values over
  100K keys, 50 connections, pipeline 1 and 16: ops/s, P99 and ops per server-CPU-second;
- open loop, ferrite-bench GET at each --rates (Poisson arrivals over 50 connections, latency
  from each request's intended send time): P50, P99 and P99.9 at the same offered load, where
  a closed loop would compare the tails of different throughputs.
It prints the medians, with the closed-loop ratios to Redis.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_redis  # noqa: E402  (the shared server, load and measurement helpers)

TESTS = ("get", "set", "mset")
ALL_CPUS = ",".join(str(cpu) for cpu in sorted(os.sched_getaffinity(0)))


def open_loop(port, rate, args):
    """(P50, P99, P99.9 in ms, ops/s) of ferrite-bench GETs offered at `rate` per second."""
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "out.json")
        command = bench_redis.ferrite_bench_argv(
            port, args, "-c", str(args.clients), "--ratio=0:1", f"--rate={rate}", "--arrival=poisson",
            f"--test-time={args.open_loop_seconds}", "--print-percentiles=50,99,99.9", f"--json-out-file={path}")
        subprocess.run(command, capture_output=True, check=True)
        with open(path) as f:
            totals = json.load(f)["ALL STATS"]["Totals"]
    latencies = totals["Percentile Latencies"]
    return latencies["p50.00"], latencies["p99.00"], latencies["p99.90"], totals["Ops/sec"]


def run_open_loop(kind, label, binary, extra, args, results):
    port = bench_redis.free_port()
    proc = bench_redis.start_server(kind, port, binary, ALL_CPUS, extra)
    try:
        bench_redis.prefill(port, argparse.Namespace(**{**vars(args), "load": "ferrite-bench"}))  # GETs hit
        for rate in args.rates:
            p50, p99, p999, ops = open_loop(port, rate, args)
            results.setdefault((label, rate), []).append((p50, p99, p999, ops))
            print(f"  {label:8} GET at {rate:>7,}/s  {ops:>9,.0f} ops/s  p50 {p50:6.3f} ms  p99 {p99:6.3f} ms  "
                  f"p99.9 {p999:6.3f} ms", flush=True)
    finally:
        bench_redis.stop_server(proc)


def print_open_loop(results, labels, rates):
    header = f"{'offered GET/s':>13} {'server':10} {'ops/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'p99.9 ms':>9}"
    print(header)
    print("-" * len(header))
    for rate in rates:
        for label in labels:
            samples = results[(label, rate)]
            p50, p99, p999, ops = (statistics.median(s[i] for s in samples) for i in range(4))
            print(f"{rate:>13,} {label:10} {ops:>10,.0f} {p50:8.3f} {p99:8.3f} {p999:9.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    bench_redis.add_arguments(parser)
    parser.add_argument("--baseline", help="another ferrite-server binary, run the same way beside the others")
    parser.add_argument("--rates", type=lambda text: [int(r) for r in text.split(",")], default=[20_000, 30_000],
                        help="offered GETs per second of the open-loop runs, comma-separated")
    parser.add_argument("--open-loop-seconds", type=int, default=8)
    parser.add_argument("--one-shard", action="store_true", help="also run ferrite-server --shards 1")
    args = parser.parse_args()
    if args.load != "redis-benchmark" or args.unix_socket:
        parser.error("the closed loop runs redis-benchmark (it has MSET) over TCP: --load and --unix-socket do not apply")
    args.load_cpu = ALL_CPUS  # the loads run unpinned: taskset to every CPU the script may use

    servers = [("ferrite", "ferrite", (), ALL_CPUS, None), ("redis", "redis", (), ALL_CPUS, None)]
    if args.baseline:
        servers.append(("baseline", "ferrite", (), ALL_CPUS, args.baseline))
    if args.one_shard:
        servers.append(("1 shard", "ferrite", ("--shards", "1"), ALL_CPUS, None))
    labels = [label for label, *_ in servers]
    closed, opened = {}, {}
    for round_number in range(args.rounds):
        shift = round_number % len(servers)
        order = servers[shift:] + servers[:shift]
        print(f"round {round_number + 1}/{args.rounds}: {' then '.join(label for label, *_ in order)}", flush=True)
        for label, kind, extra, cpus, binary in order:
            bench_redis.run_round(kind, args, closed, extra=extra, label=label, tests=TESTS, server_cpus=cpus,
                                  binary=binary)
            run_open_loop(kind, label, binary or args.ferrite, extra, args, opened)
    print()
    print(f"Medians over {args.rounds} rounds; servers and loads unpinned on CPUs {ALL_CPUS}, {args.clients} connections, "
          f"{args.data_size}-byte values, {args.keys:,} keys")
    print("Closed loop (redis-benchmark):")
    bench_redis.print_medians(closed, labels, TESTS, base="redis")
    print()
    print(f"Open loop (ferrite-bench, Poisson arrivals, {args.open_loop_seconds} s per rate):")
    print_open_loop(opened, labels, args.rates)


if __name__ == "__main__":
    sys.exit(main())
