"""Open loop and coordinated omission, and the Zipf key pattern, measured end to end.

The coordinated-omission test pauses a real redis-server with SIGSTOP for 200 ms once a
second. Offered half of its measured capacity, the open-loop run (latency from each request's
intended send time) must show the stalls in its P99 (≥ 100 ms: a fifth of each second's
requests fall due during a stall), while the closed-loop run, whose few connections simply
wait, reports a P99 that hides them.
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time

import pytest
import redis

from harness.loadgen import bench_binary, run_bench


@pytest.fixture(scope="module", autouse=True)
def bench_built():
    if not bench_binary().is_file():
        pytest.fail(f"ferrite-bench not found at {bench_binary()}", pytrace=False)


class Staller:
    """Stops a process for `pause` seconds once every `period` seconds until stopped."""

    def __init__(self, pid: int, pause: float = 0.2, period: float = 1.0):
        self.pid, self.pause, self.period = pid, pause, period
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self.done.wait(self.period - self.pause):
            os.kill(self.pid, signal.SIGSTOP)
            time.sleep(self.pause)
            os.kill(self.pid, signal.SIGCONT)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join()
        os.kill(self.pid, signal.SIGCONT)


def test_open_loop_shows_stalls_that_closed_loop_hides(spawn_redis):
    server = spawn_redis()
    shape = ["-t", "1", "-c", "4", "--key-maximum=1000", "--ratio=1:1"]
    capacity = run_bench(server.port, *shape, "--test-time=1").stats()["Totals"]["Ops/sec"]
    rate = capacity / 2
    with Staller(server.process.pid):
        closed = run_bench(server.port, *shape, "--test-time=3")
    with Staller(server.process.pid):
        opened = run_bench(server.port, *shape, "--test-time=3", f"--rate={rate:.0f}", "--arrival=poisson")
    assert closed.returncode == 0 and opened.returncode == 0, (closed.stderr, opened.stderr)
    closed_p99 = closed.stats()["Totals"]["Percentile Latencies"]["p99.00"]
    open_p99 = opened.stats()["Totals"]["Percentile Latencies"]["p99.00"]
    assert open_p99 >= 100, f"open-loop P99 {open_p99} ms at {rate:.0f} ops/s"
    assert closed_p99 < 100, f"closed-loop P99 {closed_p99} ms"
    # Both runs did see the stalls: the longest closed-loop request waited one.
    assert closed.stats()["Totals"]["Max Latency"] >= 150
    load = opened.stats()["Load"]
    assert load["Mode"] == "open-loop" and load["Arrival"] == "poisson"
    assert math.isclose(load["Requested Ops/sec"], round(rate), rel_tol=0.01)


def test_open_loop_rate_is_kept_when_the_server_can(spawn_redis):
    server = spawn_redis()
    run = run_bench(server.port, "-t", "2", "-c", "2", "--test-time=2", "--rate=2000", "--arrival=uniform")
    assert run.returncode == 0, run.stderr
    load = run.stats()["Load"]
    assert load["Kept Up"] == "true", load
    # The open loop owes rate × time requests (less one gap's stagger per connection); the
    # reported Ops/sec also divides by the drain after the deadline, which a busy machine stretches.
    assert math.isclose(run.stats()["Totals"]["Count"], 4000, rel_tol=0.02), run.stats()["Totals"]
    assert "Open loop: requested 2000.00 ops/sec" in run.stdout
    assert "WARNING" not in run.stdout


def test_open_loop_says_when_the_server_cannot_keep_up(spawn_redis):
    server = spawn_redis()
    with Staller(server.process.pid, pause=0.7, period=0.8):  # too short a window to catch up
        run = run_bench(server.port, "-t", "1", "-c", "1", "--test-time=2", "--rate=5000")
    assert run.returncode == 0, run.stderr
    assert run.stats()["Load"]["Kept Up"] == "false"
    assert "WARNING: the server did not keep up with the requested rate" in run.stdout


def test_rate_limiting_paces_each_connection(spawn_redis):
    server = spawn_redis()
    run = run_bench(server.port, "-t", "1", "-c", "4", "--test-time=2", "--rate-limiting=100")
    assert run.returncode == 0, run.stderr
    assert math.isclose(run.stats()["Totals"]["Count"], 800, rel_tol=0.05), run.stats()["Totals"]
    assert run.stats()["Load"]["Mode"] == "rate-limited"


@pytest.mark.parametrize("exponent", [0.8, 1.2])
def test_zipf_key_frequencies_follow_the_exponent(spawn_redis, exponent):
    """Every request increments its key; the counters are the run's key histogram."""
    server = spawn_redis()
    keys = 1000
    run = run_bench(server.port, "-t", "2", "-c", "2", "-n", "25000", "--pipeline=16", "--distinct-client-seed",
                    "--key-minimum=1", f"--key-maximum={keys}", f"--key-zipf-exp={exponent}",
                    "--command=INCR __key__", "--command-key-pattern=Z")
    assert run.returncode == 0, run.stderr
    values = redis.Redis(port=server.port).mget([f"memtier-{k}" for k in range(1, keys + 1)])
    counts = [int(v) if v else 0 for v in values]
    assert sum(counts) == 100_000
    ranks = range(1, 51)
    xs = [math.log(r) for r in ranks]
    ys = [math.log(counts[r - 1]) for r in ranks]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    assert abs(slope + exponent) < 0.1, f"fitted exponent {-slope:.3f}, asked {exponent}"
    # The hottest key's share is 1 / H(n, s).
    harmonic = sum(k ** -exponent for k in range(1, keys + 1))
    assert math.isclose(counts[0] / 100_000, 1 / harmonic, rel_tol=0.08)


def test_saturation_search_reports_each_step_and_the_answer(spawn_redis):
    server = spawn_redis()
    easy = run_bench(server.port, "-t", "1", "-c", "2", "--rate=2000", "--slo-p99=500", "--slo-step-time=1")
    assert easy.returncode == 0, easy.stderr
    assert "step  1: offered       2000 ops/sec" in easy.stdout
    assert "Saturation: 2000 ops/sec is the highest offered rate with P99 within 500.000 ms" in easy.stdout
    search = easy.json["SATURATION SEARCH"]
    assert search["Max Ops/sec within SLO"] == 2000 and len(search["Steps"]) == 1

    # No loopback round trip takes a nanosecond: every step fails, halving the rate each time.
    impossible = run_bench(server.port, "-t", "1", "-c", "1", "--rate=8", "--slo-p99=0.000001", "--slo-step-time=1")
    assert impossible.returncode == 0, impossible.stderr
    steps = impossible.json["SATURATION SEARCH"]["Steps"]
    assert [step["Offered Ops/sec"] for step in steps] == [8, 4, 2, 1]
    assert not any(step["Within SLO"] for step in steps)
    assert "Saturation: no rate tried met the SLO" in impossible.stdout
