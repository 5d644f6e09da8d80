#!/usr/bin/env python3
"""Ferrite vs redis-server, side by side on this machine (`make bench-redis`).

Each round starts a fresh server pinned to CPU 0 (ferrite-server, then redis-server
--save '' --appendonly no; the order alternates every round so drift hits both alike), runs the
load on CPU 1 (redis-benchmark; with --load, resp-benchmark or this repository's ferrite-bench,
which saturates both servers at pipeline 1 where the others do not) for GET and SET with 64-byte
values over 100K keys, 50 connections, pipeline 1 and 16, and reads the server's utime+stime
from /proc/<pid>/stat around every run. It prints the medians of ops/s, P99 and ops per
server-CPU-second with the ratio to Redis (also round by round, with the interval of its median:
`paired_ratio.py`), each server's user and kernel CPU microseconds per request, and the
ceiling: the ratio Ferrite would reach if its own code took no time (Redis's CPU per request
over Ferrite's kernel CPU per request). Then the memory test: RSS growth per key for 1M keys
with 64-byte values, loaded with redis-cli --pipe.

--unix-socket has every server listen on a Unix domain socket too (`unixsocket`) and the load
connect there instead of to TCP loopback (not resp-benchmark, which speaks TCP only). On
loopback TCP each side's send runs the other side's TCP receive, which costs both servers the
same and caps the ratio (the ceiling); a Unix socket costs the kernel far less per request, so
its ratio shows more of what the servers' own code costs.
"""
import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import paired_ratio  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port, proc, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not become ready")


def cpu_seconds(pid):
    """(user, kernel) CPU seconds of the process so far: utime and stime from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) / CLOCK_TICKS, int(fields[12]) / CLOCK_TICKS


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def start_server(kind, port, ferrite_binary, server_cpu, extra=(), socket_path=None):
    """Starts `kind` ("ferrite" with `extra` flags, or "redis") pinned to `server_cpu`, also on
    the Unix socket `socket_path` when given."""
    unix = ("--unixsocket", socket_path, "--unixsocketperm", "700") if socket_path else ()
    if kind == "ferrite":
        command = [ferrite_binary, "--port", str(port), "--loglevel", "warning", *unix, *extra]
    else:
        command = ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no", "--loglevel", "warning", *unix]
    proc = subprocess.Popen(["taskset", "-c", str(server_cpu)] + command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(port, proc)
    return proc


def stop_server(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def endpoint(port, args, unix_flag):
    """Where a load connects: `unix_flag path` on --unix-socket runs, else `-p port`."""
    return [unix_flag, args.socket_path] if getattr(args, "socket_path", None) else ["-p", str(port)]


def redis_benchmark(port, test, pipeline, requests, args):
    command = ["taskset", "-c", str(args.load_cpu), "redis-benchmark", *endpoint(port, args, "-s"), "-t", test,
               "-P", str(pipeline), "-c", str(args.clients), "-n", str(requests), "-d", str(args.data_size),
               "-r", str(args.keys), "--csv"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    lines = [line for line in out.splitlines() if line.startswith('"') and not line.startswith('"test"')]
    row = [cell.strip('"') for cell in lines[-1].split(",")]
    # "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
    return float(row[1]), float(row[4]), float(row[6])


# resp-benchmark (PyPI) pins its own threads (`cores`) and cannot run under taskset; it runs in
# a child Python so that its CPU time is that child's alone. `load` fills keys in sequence; a
# count of 0 runs for `seconds`. Only redis-benchmark runs other tests than GET and SET (MSET).
RESP_BENCHMARK_CHILD = """
import json, sys
from resp_benchmark import Benchmark
mode, port, command, clients, pipeline, count, seconds, cpu = sys.argv[1:]
benchmark = Benchmark(host="127.0.0.1", port=int(port), cores=cpu)
if mode == "load":
    benchmark.load_data(command=command, count=int(count), connections=int(clients), pipeline=int(pipeline), quiet=True)
else:
    result = benchmark.bench(command=command, connections=int(clients), pipeline=int(pipeline), count=int(count),
                             seconds=int(seconds), quiet=True)
    print(json.dumps({"qps": result.qps, "p99": result.p99_latency_ms}))
"""


def resp_benchmark_argv(port, test, pipeline, args, count=0, seconds=0):
    """The command line of one resp-benchmark run of GET or SET over `args.keys` keys, drawn
    uniformly (or, for test "load", every key once in sequence)."""
    if test.upper() == "LOAD":
        command = f"SET {{key sequence {args.keys}}} {{value {args.data_size}}}"
    elif test.upper() == "SET":
        command = f"SET {{key uniform {args.keys}}} {{value {args.data_size}}}"
    elif test.upper() == "GET":
        command = f"GET {{key uniform {args.keys}}}"
    else:
        raise ValueError(f"resp-benchmark runs here only GET and SET, not {test}")
    if getattr(args, "socket_path", None):
        raise ValueError("resp-benchmark cannot connect to a Unix socket")
    mode = "load" if test.upper() == "LOAD" else "bench"
    return [sys.executable, "-c", RESP_BENCHMARK_CHILD, mode, str(port), command, str(args.clients), str(pipeline),
            str(count), str(seconds), str(args.load_cpu)]


def resp_benchmark(port, test, pipeline, requests, args):
    out = subprocess.run(resp_benchmark_argv(port, test, pipeline, args, count=requests), capture_output=True, text=True,
                         check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["qps"], float("nan"), result["p99"]  # resp-benchmark reports no P50


def ferrite_bench_argv(port, args, *options, binary=None):
    """A ferrite-bench command line on the load CPU (default: the release build, `make build-bench`)."""
    return ["taskset", "-c", str(args.load_cpu), binary or os.path.join(ROOT, ".build/release/ferrite-bench"),
            *endpoint(port, args, "-S"), "-t", "1", "-d", str(args.data_size), f"--key-maximum={args.keys - 1}", "--hide-histogram",
            *options]


def ferrite_bench_run_argv(port, test, pipeline, requests, args, json_path, binary=None):
    """The command line of one closed-loop run of `requests` GETs or SETs (keys drawn uniformly)
    over --clients connections, writing memtier's JSON to `json_path`."""
    ratios = {"SET": "1:0", "GET": "0:1"}
    if test.upper() not in ratios:
        raise ValueError(f"ferrite-bench runs here only GET and SET, not {test}")
    return ferrite_bench_argv(port, args, "-c", str(args.clients), "-n", str(requests // args.clients),
                              f"--ratio={ratios[test.upper()]}", f"--pipeline={pipeline}", f"--json-out-file={json_path}",
                              binary=binary)


def ferrite_bench_totals(json_path):
    """(ops/s, P50 ms, P99 ms, requests) from a run's JSON."""
    with open(json_path) as f:
        totals = json.load(f)["ALL STATS"]["Totals"]
    latencies = totals["Percentile Latencies"]
    return totals["Ops/sec"], latencies["p50.00"], latencies["p99.00"], totals["Count"]


def ferrite_bench(port, test, pipeline, requests, args):
    """This repository's load generator (closed loop, one thread), keys drawn uniformly."""
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "out.json")
        subprocess.run(ferrite_bench_run_argv(port, test, pipeline, requests, args, path), capture_output=True, check=True)
        ops, p50, p99, _ = ferrite_bench_totals(path)
    return ops, p50, p99


LOADS = {"redis-benchmark": redis_benchmark, "resp-benchmark": resp_benchmark, "ferrite-bench": ferrite_bench}


def prefill(port, args):
    """Every key of the range, named as the chosen load generator names them, so that GETs hit."""
    if args.load == "resp-benchmark":
        subprocess.run(resp_benchmark_argv(port, "load", 64, args, count=args.keys), capture_output=True, check=True)
    elif args.load == "ferrite-bench":
        subprocess.run(ferrite_bench_argv(port, args, "-c", "1", "-n", "allkeys", "--ratio=1:0", "--key-pattern=S:S",
                                          "--pipeline=64"), capture_output=True, check=True)
    else:
        subprocess.run(["taskset", "-c", str(args.load_cpu), "redis-benchmark", "-p", str(port), "-t", "set",
                        "-P", "64", "-c", "8", "-n", str(args.keys * 3), "-d", str(args.data_size), "-r", str(args.keys), "-q"],
                       capture_output=True, check=True)


def run_round(kind, args, results, extra=(), label=None, tests=("set", "get"), server_cpus=None, binary=None):
    """`tests` (redis-benchmark's names) at pipeline 1 and 16 against a fresh server pinned to
    `server_cpus` (default: --server-cpu), Ferrite from `binary` (default: --ferrite); samples go
    to results[(label, (test, pipeline))], label defaulting to `kind`."""
    label = label or kind
    port = free_port()
    socket_directory = tempfile.TemporaryDirectory() if args.unix_socket else None
    args.socket_path = os.path.join(socket_directory.name, "server.sock") if socket_directory else None
    proc = start_server(kind, port, binary or args.ferrite, server_cpus or args.server_cpu, extra, args.socket_path)
    try:
        prefill(port, args)
        for pipeline in (1, 16):
            for test in tests:
                requests = args.requests_p1 if pipeline == 1 else args.requests_p16
                user_before, kernel_before = cpu_seconds(proc.pid)
                ops, p50, p99 = LOADS[args.load](port, test, pipeline, requests, args)
                user_after, kernel_after = cpu_seconds(proc.pid)
                user, kernel = user_after - user_before, kernel_after - kernel_before
                used = user + kernel
                per_cpu = requests / used if used > 0 else float("inf")
                # The user/kernel split per request shows how much of the cost a server's own
                # code can still change: the kernel's TCP work is the same for both servers.
                user_us, kernel_us = user * 1e6 / requests, kernel * 1e6 / requests
                key = (test.upper(), pipeline)
                results.setdefault((label, key), []).append((ops, p50, p99, per_cpu, user_us, kernel_us))
                print(f"  {label:8} {test.upper():3} P{pipeline:<2}  {ops:>11,.0f} ops/s  p50 {p50:6.3f} ms  p99 {p99:6.3f} ms  "
                      f"{per_cpu:>11,.0f} ops/cpu-s  user {user_us:5.2f} µs/op  kernel {kernel_us:5.2f} µs/op", flush=True)
    finally:
        stop_server(proc)
        if socket_directory:
            socket_directory.cleanup()


def run_rotating(servers, args, results, tests=("set", "get")):
    """`run_round` for each of `servers` — (label, kind, extra flags, server CPUs or None for
    --server-cpu, ferrite binary or None for --ferrite) — in an order that rotates every round,
    so that drift hits them all alike."""
    for round_number in range(args.rounds):
        shift = round_number % len(servers)
        order = servers[shift:] + servers[:shift]
        print(f"round {round_number + 1}/{args.rounds}: {' then '.join(label for label, *_ in order)}", flush=True)
        for label, kind, extra, cpus, binary in order:
            run_round(kind, args, results, extra=extra, label=label, tests=tests, server_cpus=cpus, binary=binary)


def ceiling(reference_per_cpu, kernel_us):
    """The ops-per-CPU-second ratio to the reference a server would reach if its own code took no
    time at all: the reference's CPU per request over this server's kernel CPU per request. The
    kernel's share (TCP on both ends of loopback, waking the peer) is the same work whatever the
    server does in user space, so no ratio above this is reachable with the same system calls."""
    return 1e6 / reference_per_cpu / kernel_us if kernel_us > 0 else float("inf")


def print_medians(results, labels, tests, base):
    """The median ops/s, P99 and ops per server-CPU-second of each label, per test and pipeline,
    with their ratios to label `base`'s, the per-round ratio of ops per CPU-second with its
    interval (`paired_ratio.py`), and each label's `ceiling` against `base`."""
    header = (f"{'test':9} {'server':10} {'ops/s':>12} {'p99 ms':>8} {'ops/cpu-s':>12} "
              f"{'ops/s ×':>8} {'p99 ×':>7} {'ops/cpu-s ×':>11} {'per round [interval]':>21} {'ceiling ×':>9}")
    print(header)
    print("-" * len(header))
    for pipeline in (1, 16):
        for test in (t.upper() for t in tests):
            medians = {label: tuple(statistics.median(s[i] for s in results[(label, (test, pipeline))]) for i in range(6))
                       for label in labels}
            b_ops, _, b_p99, b_cpu, _, _ = medians[base]
            for label in labels:
                ops, _, p99, per_cpu, _, kernel_us = medians[label]
                print(f"{test + ' P' + str(pipeline):9} {label:10} {ops:>12,.0f} {p99:>8.3f} {per_cpu:>12,.0f} "
                      f"{ops / b_ops:8.2f} {p99 / b_p99 if b_p99 else float('nan'):7.2f} {per_cpu / b_cpu:11.2f} "
                      f"{per_round(results, label, base, (test, pipeline)):>21} {ceiling(b_cpu, kernel_us):9.2f}")


def per_round(results, label, base, key):
    """`label`'s ops per CPU-second over `base`'s, round by round: median [interval]."""
    ratios = paired_ratio.paired_ratios([s[3] for s in results[(label, key)]], [s[3] for s in results[(base, key)]])
    return paired_ratio.summary(ratios)


def memory_test(kind, args, extra=()):
    """RSS growth per key after loading `args.memory_keys` keys with 64-byte values."""
    port = free_port()
    proc = start_server(kind, port, args.ferrite, args.server_cpu, extra)
    try:
        subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, check=True)
        time.sleep(0.2)
        before = rss_bytes(proc.pid)
        value = b"v" * 64
        with tempfile.NamedTemporaryFile(delete=False) as f:
            for i in range(args.memory_keys):
                key = b"key:%d" % i
                f.write(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$64\r\n%s\r\n" % (len(key), key, value))
            path = f.name
        with open(path, "rb") as f:
            subprocess.run(["redis-cli", "-p", str(port), "--pipe"], stdin=f, capture_output=True, check=True)
        os.unlink(path)
        size = int(subprocess.run(["redis-cli", "-p", str(port), "dbsize"], capture_output=True, text=True, check=True).stdout)
        time.sleep(0.2)
        after = rss_bytes(proc.pid)
        return size, (after - before) / size
    finally:
        stop_server(proc)


def transport(args):
    """The medians' heading names a --unix-socket run's transport."""
    return " over a Unix socket" if args.unix_socket else ""


def add_arguments(parser):
    """The workload and placement options this script shares with bench_allocators.py."""
    parser.add_argument("--ferrite", default=os.path.join(ROOT, ".build/release/ferrite-server"))
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
    parser.add_argument("--unix-socket", action="store_true", help="the load connects over a Unix domain socket, not TCP")
    parser.add_argument("--load", choices=sorted(LOADS), default="redis-benchmark",
                        help="the load generator; at pipeline 1 only ferrite-bench (built by `make build-bench`) "
                             "saturates Ferrite on one CPU")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    args = parser.parse_args()

    results = {}
    run_rotating([(kind, kind, (), None, None) for kind in ("ferrite", "redis")], args, results)
    print()
    print(f"Medians over {args.rounds} rounds{transport(args)}; server on CPU {args.server_cpu}, {args.load} on CPU {args.load_cpu}, "
          f"{args.clients} connections, {args.data_size}-byte values, {args.keys:,} keys")
    header = (f"{'test':8} {'server':8} {'ops/s':>12} {'p99 ms':>8} {'ops/cpu-s':>12} {'user µs':>8} {'kern µs':>8} "
              f"{'ops/s ×':>8} {'p99 ×':>7} {'ops/cpu-s ×':>11} {'per round [interval]':>21} {'ceiling ×':>9}")
    print(header)
    print("-" * len(header))
    for pipeline in (1, 16):
        for test in ("GET", "SET"):
            key = (test, pipeline)
            medians = {}
            for kind in ("ferrite", "redis"):
                samples = results[(kind, key)]
                medians[kind] = tuple(statistics.median(s[i] for s in samples) for i in range(6))
            for kind in ("ferrite", "redis"):
                ops, _, p99, per_cpu, user_us, kernel_us = medians[kind]
                r_ops, _, r_p99, r_cpu, _, _ = medians["redis"]
                ratio = (f"{ops / r_ops:8.2f} {p99 / r_p99 if r_p99 else float('nan'):7.2f} {per_cpu / r_cpu:11.2f} "
                         f"{per_round(results, kind, 'redis', key):>21} {ceiling(r_cpu, kernel_us):9.2f}") if kind == "ferrite" else ""
                print(f"{test + ' P' + str(pipeline):8} {kind:8} {ops:>12,.0f} {p99:>8.3f} {per_cpu:>12,.0f} "
                      f"{user_us:>8.2f} {kernel_us:>8.2f} {ratio}")
    if not args.skip_memory:
        print()
        print(f"Memory: RSS growth per key, {args.memory_keys:,} keys 'key:<n>' with 64-byte values (redis-cli --pipe)")
        for kind in ("ferrite", "redis"):
            size, per_key = memory_test(kind, args)
            print(f"  {kind:8} dbsize={size:,}  {per_key:6.1f} bytes/key")


if __name__ == "__main__":
    sys.exit(main())
