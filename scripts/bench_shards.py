#!/usr/bin/env python3
"""Ferrite's shards side by side with redis-server (`make bench-shards`).

Each round starts, in an order that rotates every round: ferrite-server --shards 1 pinned to
CPU 0; ferrite-server --shards 2 pinned to CPU 0 (one thread hosting both shards: the server on
one CPU and the load on the other, as every other row); ferrite-server --shards 2 on CPUs 0 and 1
(a shard thread pinned to each, so one shares CPU 1 with the load); and redis-server --save ''
--appendonly no on CPU 0. The load (redis-benchmark by default, or --load), pinned to CPU 1,
runs GET, SET and MSET (10 random keys per call) with 64-byte values over 100K keys, 50
connections, pipeline 1 and 16: with 2 shards about half of the single-key commands and nearly
every MSET need the other shard. MSET runs only with redis-benchmark, whose MSET draws each key
on its own; the other loads have no such command. It prints the medians of ops/s, P99 and ops
per server-CPU-second (utime+stime from /proc) with the ratio to Redis, also round by round.

`--unix-socket` connects the load over a Unix domain socket (see bench_redis.py).

`--baseline BINARY` adds another ferrite-server (say, the commit before a change, built
elsewhere) with one shard on CPU 0 to every round, to check one shard did not get slower;
with `--baseline-cpus 0,1` it runs with its default shards on both CPUs instead, beside
"2 sh/2cpu", to compare a change to how shard threads work together.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_redis  # noqa: E402  (the shared server, load and measurement helpers)

# (label, kind, flags, server CPUs, binary: None for --ferrite)
SERVERS = (
    ("1 shard", "ferrite", ("--shards", "1"), "0", None),
    ("2 shards", "ferrite", ("--shards", "2"), "0", None),
    ("2 sh/2cpu", "ferrite", ("--shards", "2"), "0,1", None),
    ("redis", "redis", (), "0", None),
)
TESTS = ("get", "set", "mset")
# redis-benchmark's MSET draws each of its 10 keys on its own; the other loads have no such test.
TESTS_WITHOUT_MSET = ("get", "set")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    bench_redis.add_arguments(parser)
    parser.add_argument("--baseline", help="another ferrite-server binary to run with one shard beside the others")
    parser.add_argument("--baseline-cpus", default="0", help="the CPUs of the baseline (one shard thread each)")
    args = parser.parse_args()
    servers = SERVERS + ((("baseline", "ferrite", (), args.baseline_cpus, args.baseline),) if args.baseline else ())

    tests = TESTS if args.load == "redis-benchmark" else TESTS_WITHOUT_MSET
    results = {}
    bench_redis.run_rotating(servers, args, results, tests=tests)
    print()
    print(f"Medians over {args.rounds} rounds{bench_redis.transport(args)}; {args.load} on CPU {args.load_cpu}, {args.clients} connections, "
          f"{args.data_size}-byte values, {args.keys:,} keys")
    bench_redis.print_medians(results, [label for label, *_ in servers], tests, base="redis")


if __name__ == "__main__":
    sys.exit(main())
