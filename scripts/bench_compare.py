#!/usr/bin/env python3
"""Two or more ferrite-server builds side by side (before/after a change), with redis-server
as the reference.

    scripts/bench_compare.py [--shards N] [--server-cpus 0] [--tests get,set] OLD NEW [...]

Each round starts every server fresh, in an order that rotates every round so drift hits all
alike: each BINARY given with `--shards N` pinned to --server-cpus, and redis-server --save ''
--appendonly no on the same CPUs. redis-benchmark, pinned to CPU 1, runs the tests with 64-byte
values over 100K keys, 50 connections, pipeline 1 and 16 (bench_redis.py's workload). It prints
the medians of ops/s, P99 and ops per server-CPU-second, with their ratios to the first
binary's (Redis's row shows where the reference stands). Build the commit before a change
elsewhere (say, in a worktree) and pass its binary first.
"""
import argparse
import sys

import bench_redis


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    bench_redis.add_arguments(parser)
    parser.add_argument("--shards", default="1", help="--shards for every ferrite-server")
    parser.add_argument("--server-cpus", default="0", help="taskset CPU list of every server")
    parser.add_argument("--tests", default="get,set", help="redis-benchmark tests, comma-separated")
    parser.add_argument("binaries", nargs="+", help="ferrite-server binaries, the first is the base")
    args = parser.parse_args()
    tests = tuple(args.tests.split(","))
    servers = [(f"#{index + 1}", "ferrite", ("--shards", args.shards), args.server_cpus, binary)
               for index, binary in enumerate(args.binaries)]
    servers.append(("redis", "redis", (), args.server_cpus, None))

    results = {}
    bench_redis.run_rotating(servers, args, results, tests=tests)
    print()
    for label, *_, binary in servers:
        print(f"{label}: {binary or 'redis-server'}")
    print(f"Medians over {args.rounds} rounds; servers on CPUs {args.server_cpus} ({args.shards} shards), "
          f"{args.load} on CPU {args.load_cpu}, {args.clients} connections; ratios to #1")
    bench_redis.print_medians(results, [label for label, *_ in servers], tests, base="#1")


if __name__ == "__main__":
    sys.exit(main())
