#!/usr/bin/env python3
"""ferrite-bench against the reference load generators, on this machine (`make bench-loadgen`).

One redis-server (--save '' --appendonly no) pinned to CPU 0 serves every run. Each load
generator runs on CPU 1 (ferrite-bench and redis-benchmark under taskset, resp-benchmark with
its own --cores 1, which cannot run under taskset): ferrite-bench (-t 1, closed loop),
redis-benchmark (Debian) and resp-benchmark (PyPI). GET and SET with 64-byte values over 100K
keys, 50 connections, pipeline 1 and 16; the generators alternate in a rotating order for
--rounds rounds (at least 3). The client's CPU time is the generator process's utime+stime
from getrusage(RUSAGE_CHILDREN); it prints the medians of ops/s, P50/P99 (resp-benchmark reports no P50) and ops
per client-CPU-second, then the two bars: ferrite-bench's ops per client-CPU-second ≥ 2×
redis-benchmark's, and its measured server throughput no lower than the best reference's. The
bars are judged on the ratios of each round (`paired_ratio.py`): a verdict needs 5 rounds or more.

The ceiling column is the ratio a generator would reach if its own code took no time: its
kernel CPU per request (the TCP work of both loopback ends that runs in its context) against
redis-benchmark's whole CPU per request.

--unix-socket runs the same comparison over a Unix domain socket instead of TCP (redis-server
listens on both; ferrite-bench takes -S, redis-benchmark -s; resp-benchmark has no such option and
sits out). On loopback TCP most of a generator's CPU is the kernel's TCP work, some of it the
server's receive that runs in the sender's context; a Unix socket costs the kernel far less, so
the generators' own costs weigh more. The bars are judged on TCP; this is supplementary evidence.

--baseline PATH adds another ferrite-bench build to the rotation (shown as "baseline"), so a
change to the load generator is measured side by side with the build before it; the user-CPU
column (microseconds per request) shows what the change saved without the kernel's share, which
is most of the cost and most of the noise.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_redis  # noqa: E402  (starting the server, and the ferrite-bench and resp-benchmark command lines)
import paired_ratio  # noqa: E402

TOOLS = ("ferrite-bench", "redis-benchmark", "resp-benchmark")


def run_measured(argv):
    """Runs argv to completion; returns (stdout, client CPU seconds, of which user seconds): the
    growth of this process's RUSAGE_CHILDREN, which counts exactly the one child (taskset execs
    the tool)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with {done.returncode}: {done.stderr.strip()[-400:]}")
    user = after.ru_utime - before.ru_utime
    return done.stdout, user + (after.ru_stime - before.ru_stime), user


def ferrite_bench(port, test, pipeline, args, binary=None):
    requests = args.requests_p1 if pipeline == 1 else args.requests_p16
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "out.json")
        argv = bench_redis.ferrite_bench_run_argv(port, test, pipeline, requests, args, path,
                                                  binary=binary or args.ferrite_bench)
        _, cpu, user = run_measured(argv)
        ops, p50, p99, count = bench_redis.ferrite_bench_totals(path)
    return ops, p50, p99, count, cpu, user


def redis_benchmark(port, test, pipeline, args):
    requests = args.requests_p1 if pipeline == 1 else args.requests_p16
    argv = ["taskset", "-c", str(args.load_cpu), "redis-benchmark", *bench_redis.endpoint(port, args, "-s"), "-t", test.lower(),
            "-P", str(pipeline), "-c", str(args.clients), "-n", str(requests), "-d", str(args.data_size),
            "-r", str(args.keys), "--csv"]
    out, cpu, user = run_measured(argv)
    lines = [line for line in out.splitlines() if line.startswith('"') and not line.startswith('"test"')]
    row = [cell.strip('"') for cell in lines[-1].split(",")]
    # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    return float(row[1]), float(row[4]), float(row[6]), requests, cpu, user


def resp_benchmark(port, test, pipeline, args):
    out, cpu, user = run_measured(bench_redis.resp_benchmark_argv(port, test, pipeline, args, seconds=args.resp_seconds))
    result = json.loads(out.strip().splitlines()[-1])
    return result["qps"], float("nan"), result["p99"], result["qps"] * args.resp_seconds, cpu, user


RUNNERS = {"ferrite-bench": ferrite_bench, "redis-benchmark": redis_benchmark, "resp-benchmark": resp_benchmark,
           "baseline": lambda port, test, pipeline, args: ferrite_bench(port, test, pipeline, args, binary=args.baseline)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ferrite-bench", default=os.path.join(ROOT, ".build/release/ferrite-bench"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--data-size", type=int, default=64)
    parser.add_argument("--requests-p1", type=int, default=300_000)
    parser.add_argument("--requests-p16", type=int, default=2_000_000)
    parser.add_argument("--resp-seconds", type=int, default=5, help="resp-benchmark runs by time")
    parser.add_argument("--server-cpu", type=int, default=0)
    parser.add_argument("--load-cpu", type=int, default=1)
    parser.add_argument("--baseline", help="another ferrite-bench build, measured alongside as \"baseline\"")
    parser.add_argument("--unix-socket", action="store_true", help="connect over a Unix domain socket, not TCP")
    args = parser.parse_args()
    args.rounds = max(args.rounds, 3)
    measured = [tool for tool in TOOLS if not (args.unix_socket and tool == "resp-benchmark")]
    tools = measured + (["baseline"] if args.baseline else [])

    port = bench_redis.free_port()
    socket_directory = tempfile.TemporaryDirectory()
    args.socket_path = os.path.join(socket_directory.name, "redis.sock") if args.unix_socket else None
    server = bench_redis.start_server("redis", port, None, args.server_cpu, socket_path=args.socket_path)
    results = {}
    try:
        # Prefill so GETs hit: every key once.
        subprocess.run([args.ferrite_bench, "-p", str(port), "-t", "1", "-c", "8", "-n", "allkeys", "--ratio=1:0",
                        "--key-pattern=P:P", "--pipeline=64", "-d", str(args.data_size), f"--key-maximum={args.keys - 1}",
                        "--hide-histogram"], check=True, capture_output=True)
        for round_number in range(args.rounds):
            order = tools[round_number % len(tools):] + tools[:round_number % len(tools)]
            print(f"round {round_number + 1}/{args.rounds}: {', '.join(order)}", flush=True)
            for pipeline in (1, 16):
                for test in ("GET", "SET"):
                    for tool in order:
                        ops, p50, p99, count, cpu, user = RUNNERS[tool](port, test, pipeline, args)
                        per_cpu = count / cpu if cpu > 0 else float("inf")
                        user_micros = user * 1e6 / count
                        results.setdefault((tool, test, pipeline), []).append((ops, p50, p99, per_cpu, user_micros))
                        print(f"  {tool:15} {test} P{pipeline:<2} {ops:>11,.0f} ops/s  p50 {p50:7.3f} ms  p99 {p99:7.3f} ms  "
                              f"{per_cpu:>11,.0f} ops/client-cpu-s  user {user_micros:6.3f} µs/op", flush=True)
    finally:
        bench_redis.stop_server(server)
        socket_directory.cleanup()

    print()
    transport = "a Unix socket" if args.unix_socket else "TCP loopback"
    print(f"Medians over {args.rounds} rounds over {transport}; redis-server on CPU {args.server_cpu}, "
          f"load generators on CPU {args.load_cpu}, {args.clients} connections, {args.data_size}-byte values, {args.keys:,} keys")
    header = (f"{'test':7} {'generator':15} {'ops/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'ops/client-cpu-s':>17} "
              f"{'user µs/op':>11} {'vs redis-benchmark':>19} {'ceiling':>8}")
    print(header)
    print("-" * len(header))
    verdicts = []
    for pipeline in (1, 16):
        for test in ("GET", "SET"):
            medians = {tool: tuple(statistics.median(s[i] for s in results[(tool, test, pipeline)]) for i in range(5))
                       for tool in tools}
            for tool in tools:
                ops, p50, p99, per_cpu, user_micros = medians[tool]
                ratio = per_cpu / medians["redis-benchmark"][3]
                kernel_micros = 1e6 / per_cpu - user_micros
                print(f"{test + ' P' + str(pipeline):7} {tool:15} {ops:>11,.0f} {p50:>8.3f} {p99:>8.3f} {per_cpu:>17,.0f} "
                      f"{user_micros:>11.3f} {ratio:>18.2f}× {bench_redis.ceiling(medians['redis-benchmark'][3], kernel_micros):>7.2f}×")
            # The bars, on the ratios of each round (paired_ratio.py): client efficiency against
            # redis-benchmark's, server throughput against the best reference's of the round.
            rounds = {tool: results[(tool, test, pipeline)] for tool in measured}
            efficiency = paired_ratio.paired_ratios([s[3] for s in rounds["ferrite-bench"]],
                                                    [s[3] for s in rounds["redis-benchmark"]])
            best_reference = [max(rounds[t][i][0] for t in measured if t != "ferrite-bench") for i in range(args.rounds)]
            throughput = paired_ratio.paired_ratios([s[0] for s in rounds["ferrite-bench"]], best_reference)
            verdicts.append((f"{test} P{pipeline}", efficiency, throughput))
    print()
    print(f"Bars, per-round ratios: median [{paired_ratio.CONFIDENCE:.0%} interval of the median] and verdict")
    for name, efficiency, throughput in verdicts:
        print(f"{name:7} ops/client-cpu-s × redis-benchmark (bar 2×): {paired_ratio.summary(efficiency, 2.0):32} "
              f"server ops/s × best reference (bar 1×): {paired_ratio.summary(throughput, 1.0)}")


if __name__ == "__main__":
    sys.exit(main())
