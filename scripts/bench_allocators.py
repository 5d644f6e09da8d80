#!/usr/bin/env python3
"""Ferrite on each of its allocators, side by side (`make bench-allocators`).

Each round starts ferrite-server with `--allocator system`, `jemalloc` and `mimalloc` in
turn (the order rotates every round so drift hits all alike), pinned to CPU 0 with
redis-benchmark on CPU 1, and runs the workloads of `bench_redis.py`: GET and SET with 64-byte
values over 100K keys, 50 connections, pipeline 1 and 16. It prints the medians of ops/s, P99
and ops per server-CPU-second with the ratio to `system`, then the RSS growth per key for 1M
keys with 64-byte values on each allocator.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_redis  # noqa: E402  (the shared server, load and measurement helpers)

ALLOCATORS = ("system", "jemalloc", "mimalloc")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    bench_redis.add_arguments(parser)
    args = parser.parse_args()

    results = {}
    servers = [(allocator, "ferrite", ("--allocator", allocator), None, None) for allocator in ALLOCATORS]
    bench_redis.run_rotating(servers, args, results)
    print()
    print(f"Medians over {args.rounds} rounds; server on CPU {args.server_cpu}, redis-benchmark on CPU {args.load_cpu}, "
          f"{args.clients} connections, {args.data_size}-byte values, {args.keys:,} keys")
    bench_redis.print_medians(results, ALLOCATORS, ("get", "set"), base="system")
    if not args.skip_memory:
        print()
        print(f"Memory: RSS growth per key, {args.memory_keys:,} keys 'key:<n>' with 64-byte values (redis-cli --pipe)")
        for allocator in ALLOCATORS:
            size, per_key = bench_redis.memory_test("ferrite", args, extra=("--allocator", allocator))
            print(f"  {allocator:9} dbsize={size:,}  {per_key:6.1f} bytes/key")


if __name__ == "__main__":
    sys.exit(main())
