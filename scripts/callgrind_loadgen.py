#!/usr/bin/env python3
"""ferrite-bench's own instructions per request, counted by valgrind's callgrind: the load
generator's user-space cost without the machine's noise, for before/after comparisons of a
change to it (`make callgrind-loadgen`).

Starts a redis-server (--save '' --appendonly no) and loads --keys keys into it, then runs each
binary under `valgrind --tool=callgrind` twice per test, with --small and --large requests per
connection (50 connections, one thread, --pipeline, 64-byte values over the keys). The
difference between the two runs is the cost of the extra requests alone (start-up, connecting
and the final report cancel out); the script prints it per request, with the functions that
spend most of it (self cost). The load generator runs on its io_uring ring as usual; callgrind
counts only what runs in user space. Under valgrind every reply takes milliseconds, so latencies
take the recorder's slower path for long ones (`RequestRecorder`): a real run costs a little
less per reply than printed. Several binaries are compared in one run:

    scripts/callgrind_loadgen.py .build/release/ferrite-bench /tmp/before/ferrite-bench
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from callgrind_requests import free_port, wait_for  # noqa: E402


def self_costs(path: str) -> collections.Counter:
    """Instructions per function (self cost) of one callgrind output file."""
    annotated = subprocess.run(["callgrind_annotate", "--threshold=100", path], capture_output=True, text=True).stdout
    costs = collections.Counter()
    for count, name in re.findall(r"^\s*([\d,]+) \([\s\d.]+%\)\s+(.+)$", annotated, re.M):
        if "PROGRAM TOTALS" not in name:
            costs[name.split(" [")[0]] += int(count.replace(",", ""))
    return costs


def run(binary: str, port: int, test: str, per_connection: int, args, directory: str) -> collections.Counter:
    out = os.path.join(directory, f"callgrind.{test}.{per_connection}")
    ratio = "1:0" if test == "set" else "0:1"
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "--dump-instr=no",
                    binary, "-p", str(port), "-t", "1", "-c", "50", "-n", str(per_connection), f"--ratio={ratio}",
                    f"--pipeline={args.pipeline}", "-d", "64", f"--key-maximum={args.keys - 1}", "--hide-histogram"],
                   capture_output=True, check=True)
    return self_costs(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binaries", nargs="*", default=[".build/release/ferrite-bench"])
    parser.add_argument("--tests", default="set,get", type=lambda s: s.split(","))
    parser.add_argument("--pipeline", type=int, default=16)
    parser.add_argument("--small", type=int, default=2000, help="requests per connection of the shorter run")
    parser.add_argument("--large", type=int, default=6000, help="requests per connection of the longer run")
    parser.add_argument("--keys", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()
    requests = (args.large - args.small) * 50
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(port)
        subprocess.run(["redis-benchmark", "-p", str(port), "-t", "set", "-n", str(args.keys), "-P", "16",
                        "-d", "64", "-r", str(args.keys), "-q"], capture_output=True, check=True)
        with tempfile.TemporaryDirectory() as directory:
            for binary in args.binaries:
                # Valgrind 3.19 cannot read Swift's DWARF 5; the symbol table is all callgrind needs.
                stripped = os.path.join(directory, "ferrite-bench")
                subprocess.run(["objcopy", "--strip-debug", binary, stripped], check=True)
                print(f"{binary}: pipeline {args.pipeline}, 50 connections, "
                      f"{args.large:,} against {args.small:,} requests per connection")
                for test in args.tests:
                    extra = run(stripped, port, test, args.large, args, directory)
                    extra.subtract(run(stripped, port, test, args.small, args, directory))
                    print(f"  {test.upper()}: {sum(extra.values()) / requests:,.0f} instructions per request (user space)")
                    for name, count in extra.most_common(args.top):
                        print(f"    {count / requests:8,.0f}  {name[:110]}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
