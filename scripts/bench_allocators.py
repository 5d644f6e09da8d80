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
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_redis  # noqa: E402  (the shared server, load and measurement helpers)

ALLOCATORS = ("system", "jemalloc", "mimalloc")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ferrite", default=os.path.join(bench_redis.ROOT, ".build/release/ferrite-server"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--data-size", type=int, default=64)
    parser.add_argument("--requests-p1", type=int, default=300_000)
    parser.add_argument("--requests-p16", type=int, default=2_000_000)
    parser.add_argument("--memory-keys", type=int, default=1_000_000)
    parser.add_argument("--server-cpu", type=int, default=0)
    parser.add_argument("--load-cpu", type=int, default=1)
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()

    results = {}
    for round_number in range(args.rounds):
        shift = round_number % len(ALLOCATORS)
        order = ALLOCATORS[shift:] + ALLOCATORS[:shift]
        print(f"round {round_number + 1}/{args.rounds}: {' then '.join(order)}", flush=True)
        for allocator in order:
            bench_redis.run_round("ferrite", args, results, extra=("--allocator", allocator), label=allocator)

    print()
    print(f"Medians over {args.rounds} rounds; server on CPU {args.server_cpu}, redis-benchmark on CPU {args.load_cpu}, "
          f"{args.clients} connections, {args.data_size}-byte values, {args.keys:,} keys")
    header = f"{'test':8} {'allocator':9} {'ops/s':>12} {'p99 ms':>8} {'ops/cpu-s':>12} {'ops/s ×':>8} {'p99 ×':>7} {'ops/cpu-s ×':>11}"
    print(header)
    print("-" * len(header))
    for pipeline in (1, 16):
        for test in ("GET", "SET"):
            medians = {allocator: tuple(statistics.median(s[i] for s in results[(allocator, (test, pipeline))]) for i in range(4))
                       for allocator in ALLOCATORS}
            base_ops, _, base_p99, base_cpu = medians["system"]
            for allocator in ALLOCATORS:
                ops, _, p99, per_cpu = medians[allocator]
                print(f"{test + ' P' + str(pipeline):8} {allocator:9} {ops:>12,.0f} {p99:>8.3f} {per_cpu:>12,.0f} "
                      f"{ops / base_ops:8.2f} {p99 / base_p99 if base_p99 else float('nan'):7.2f} {per_cpu / base_cpu:11.2f}")
    if not args.skip_memory:
        print()
        print(f"Memory: RSS growth per key, {args.memory_keys:,} keys 'key:<n>' with 64-byte values (redis-cli --pipe)")
        for allocator in ALLOCATORS:
            size, per_key = bench_redis.memory_test("ferrite", args, extra=("--allocator", allocator))
            print(f"  {allocator:9} dbsize={size:,}  {per_key:6.1f} bytes/key")


if __name__ == "__main__":
    sys.exit(main())
