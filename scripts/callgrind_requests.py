#!/usr/bin/env python3
"""Instructions per request, counted by valgrind's callgrind: numbers that do not move with
machine noise, for before/after comparisons of a hot-path change (`make callgrind`).

Runs ferrite-server (--shards, default one; epoll backend: valgrind does not follow io_uring's
kernel-side work) under `valgrind --tool=callgrind`, pinned to --server-cpus when given (`0`
with several shards: they share one thread), loads --keys keys with redis-benchmark, zeroes the
counters, runs --requests requests of each --tests at --pipeline, and prints, per test, the
server's instructions per request and the functions with the most instructions (self cost).
Pass several binaries to compare them in one run:

    scripts/callgrind_requests.py .build/release/ferrite-server /tmp/before/ferrite-server
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout.strip() == b"PONG":
            return
        time.sleep(0.2)
    sys.exit(f"server on port {port} did not answer")


def benchmark(port: int, test: str, requests: int, pipeline: int, keys: int) -> None:
    subprocess.run(["redis-benchmark", "-p", str(port), "-t", test, "-n", str(requests), "-P", str(pipeline),
                    "-c", "50", "-d", "64", "-r", str(keys), "-q"], capture_output=True, check=True)


def profile(binary: str, test: str, args, directory: str) -> tuple:
    """Instructions per request and the top functions' per request, for one fresh server."""
    port = free_port()
    out = os.path.join(directory, f"callgrind.{port}")
    # Valgrind 3.19 cannot read Swift's DWARF 5; the symbol table is all callgrind needs.
    stripped = os.path.join(directory, f"ferrite-server.{port}")
    subprocess.run(["objcopy", "--strip-debug", binary, stripped], check=True)
    pinning = ["taskset", "-c", args.server_cpus] if args.server_cpus else []
    server = subprocess.Popen([*pinning, "valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "--dump-instr=no",
                               "--instr-atstart=no",
                               stripped, "--port", str(port), "--shards", str(args.shards), "--io-backend", "epoll"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        benchmark(port, "set", args.keys, 64, args.keys)
        # Instrumenting only around the measured requests keeps the costs per function
        # (zeroing the counters instead leaves them all on the thread's entry point).
        subprocess.run(["callgrind_control", "-i", "on", str(server.pid)], capture_output=True, check=True)
        benchmark(port, test, args.requests, args.pipeline, args.keys)
        subprocess.run(["callgrind_control", "-d", test, str(server.pid)], capture_output=True, check=True)
        time.sleep(0.5)
        annotated = subprocess.run(["callgrind_annotate", "--threshold=90", f"{out}.1"],
                                   capture_output=True, text=True).stdout
    finally:
        server.terminate()
        server.wait()
    total = int(re.search(r"^([\d,]+).*PROGRAM TOTALS", annotated, re.M).group(1).replace(",", ""))
    functions = re.findall(r"^\s*([\d,]+) \([\s\d.]+%\)\s+\S*?:(\S+)", annotated, re.M)[:args.top]
    return total / args.requests, [(int(count.replace(",", "")) / args.requests, name) for count, name in functions]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binaries", nargs="*", default=[".build/release/ferrite-server"])
    parser.add_argument("--tests", default="get,set", type=lambda s: s.split(","))
    parser.add_argument("--requests", type=int, default=200_000)
    parser.add_argument("--pipeline", type=int, default=16)
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--shards", type=int, default=1)
    parser.add_argument("--server-cpus", help="taskset CPU list for the server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        for binary in args.binaries:
            print(f"{binary}: {args.requests:,} requests per test, pipeline {args.pipeline}, 50 connections")
            for test in args.tests:
                per_request, functions = profile(binary, test, args, directory)
                print(f"  {test.upper()}: {per_request:,.0f} instructions per request (server, user space)")
                for count, name in functions:
                    print(f"    {count:8,.0f}  {name[:110]}")


if __name__ == "__main__":
    sys.exit(main())
