"""ferrite-bench against a real redis-server and against ferrite-server: request counts,
ratio, key ranges, verification, error accounting, connection options and memtier's outputs.

Each test runs against both servers (`target`), and, through the session fixtures, once per
Ferrite I/O backend. Counts are checked on the server side too (INFO commandstats, DBSIZE).
"""

from __future__ import annotations

import math
import subprocess

import pytest
import redis

from harness.loadgen import bench_binary, run_bench


@pytest.fixture(scope="session", autouse=True)
def bench_built():
    if not bench_binary().is_file():
        pytest.fail(f"ferrite-bench not found at {bench_binary()}: run `swift build --product ferrite-bench`", pytrace=False)


@pytest.fixture(params=["redis", "ferrite"])
def target(request, ferrite, redis_ref):
    server = redis_ref if request.param == "redis" else ferrite
    redis.Redis(port=server.port).config_resetstat()  # commandstats count this test's calls only
    return server


def command_calls(port: int, name: str) -> int:
    stats = redis.Redis(port=port).info("commandstats")
    return stats.get(f"cmdstat_{name}", {}).get("calls", 0)


def test_counts_match_requests_and_ratio(target):
    run = run_bench(target.port, "-t", "2", "-c", "3", "-n", "500", "--ratio=1:3", "--key-maximum=1000")
    assert run.returncode == 0, run.stderr
    stats = run.stats()
    # 500 per connection, 6 connections; a 1:3 cycle gives 125 SETs per connection.
    assert stats["Totals"]["Count"] == 3000
    assert stats["Sets"]["Count"] == 750
    assert stats["Gets"]["Count"] == 2250
    assert stats["Totals"]["Errors"] == 0
    assert command_calls(target.port, "set") == 750
    assert command_calls(target.port, "get") == 2250
    # The table shows the same run.
    assert "ALL STATS" in run.stdout and "Totals" in run.stdout
    assert stats["Load"]["Mode"] == "closed-loop"


@pytest.mark.parametrize("io_backend_flag", ["io_uring", "epoll"])
def test_ratio_is_honoured_in_a_timed_run(target, io_backend_flag):
    run = run_bench(target.port, "-t", "1", "-c", "4", "--test-time=1", "--ratio=1:10", "--pipeline=4",
                    f"--io-backend={io_backend_flag}")
    assert run.returncode == 0, run.stderr
    stats = run.stats()
    sets, gets = stats["Sets"]["Count"], stats["Gets"]["Count"]
    assert sets > 100
    # Each connection is at most one 11-request cycle from the exact ratio.
    assert abs(gets - 10 * sets) <= 4 * 11
    assert stats["Load"]["I/O backend"] == io_backend_flag
    assert stats["Runtime"]["Total duration"] >= 1000
    # Hits and misses add up to the GETs.
    seconds = stats["Runtime"]["Total duration"] / 1000
    hits_and_misses = (stats["Gets"]["Hits/sec"] + stats["Gets"]["Misses/sec"]) * seconds
    assert math.isclose(hits_and_misses, gets, rel_tol=0.01)


def test_allkeys_parallel_writes_exactly_the_key_range(target):
    run = run_bench(target.port, "-t", "2", "-c", "4", "-n", "allkeys", "--ratio=1:0", "--key-pattern=P:P",
                    "--key-minimum=1", "--key-maximum=5000", "--pipeline=8")
    assert run.returncode == 0, run.stderr
    client = redis.Redis(port=target.port)
    assert client.dbsize() == 5000
    assert client.exists("memtier-1") and client.exists("memtier-5000")
    assert not client.exists("memtier-0") and not client.exists("memtier-5001")
    assert run.stats()["Sets"]["Count"] == 5000
    assert command_calls(target.port, "set") == 5000


def test_verify_finds_a_corrupted_key(target):
    common = ["-t", "1", "-c", "4", "--key-minimum=1", "--key-maximum=2000", "-d", "48"]
    write = run_bench(target.port, *common, "-n", "allkeys", "--ratio=1:0", "--key-pattern=P:P", "--verify")
    assert write.returncode == 0, write.stderr
    assert "Verification: 2000 keys checked, 2000 matched, 0 mismatched, 0 missing" in write.stdout

    client = redis.Redis(port=target.port)
    client.set("memtier-77", "x" * 48)
    client.delete("memtier-1500")
    check = run_bench(target.port, *common, "--verify-only")
    assert check.returncode == 1
    assert "Verification: 2000 keys checked, 1998 matched, 1 mismatched, 1 missing" in check.stdout
    assert "Mismatched keys: memtier-77" in check.stdout
    verification = check.stats("VERIFY RESULTS")["Verification"]
    assert verification == {"Checked": 2000, "Matched": 1998, "Mismatched": 1, "Missing": 1}


@pytest.mark.parametrize("io_backend_flag", ["io_uring", "epoll"])
def test_verify_reads_replies_that_span_several_receives(target, io_backend_flag):
    # 10,000-byte values: each GET reply spans several 4 KB receive buffers, and a pipeline of
    # them ends mid-reply, so judging replies where they were received and carrying the rest
    # over must agree byte for byte with what was written.
    common = ["-t", "1", "-c", "3", "--key-minimum=1", "--key-maximum=300", "-d", "10000", "--pipeline=5",
              f"--io-backend={io_backend_flag}"]
    write = run_bench(target.port, *common, "-n", "allkeys", "--ratio=1:0", "--key-pattern=P:P", "--verify")
    assert write.returncode == 0, write.stderr
    assert "Verification: 300 keys checked, 300 matched, 0 mismatched, 0 missing" in write.stdout
    reads = run_bench(target.port, *common, "-n", "200", "--ratio=0:1")
    assert reads.returncode == 0, reads.stderr
    gets = reads.stats()["Gets"]
    assert gets["Count"] == 600 and gets["Misses/sec"] == 0 and reads.stats()["Totals"]["Errors"] == 0


def test_error_replies_are_counted_and_shown(target):
    client = redis.Redis(port=target.port)
    client.mset({f"memtier-{i}": "not a number" for i in range(10)})
    run = run_bench(target.port, "-t", "1", "-c", "2", "-n", "50", "--key-maximum=9", "--command=INCR __key__")
    assert run.returncode == 0, run.stderr
    stats = run.stats()
    assert stats["Incrs"]["Count"] == 100
    assert stats["Incrs"]["Errors"] == 100
    assert stats["Totals"]["Errors/sec"] > 0
    row = next(line for line in run.stdout.splitlines() if line.startswith("Incrs"))
    assert float(row.split()[2]) > 0  # the Errors/sec column


def test_arbitrary_commands_with_ratio_and_data(target):
    run = run_bench(target.port, "-t", "1", "-c", "2", "-n", "300", "--key-maximum=99", "-d", "10",
                    "--command=SET __key__ __data__", "--command-ratio=1",
                    "--command=GET __key__", "--command-ratio=2")
    assert run.returncode == 0, run.stderr
    stats = run.stats()
    assert stats["Sets"]["Count"] == 200 and stats["Gets"]["Count"] == 400
    assert command_calls(target.port, "set") == 200 and command_calls(target.port, "get") == 400
    value = redis.Redis(port=target.port).get(next(iter(redis.Redis(port=target.port).scan_iter("memtier-*"))))
    assert value == b"abcdefghij"


def test_resp3_and_select_db(target):
    run = run_bench(target.port, "-t", "1", "-c", "2", "-n", "100", "--ratio=1:1", "--protocol=resp3",
                    "--select-db=2", "--key-maximum=49", "--key-pattern=S:S")
    assert run.returncode == 0, run.stderr
    assert redis.Redis(port=target.port, db=0).dbsize() == 0
    assert redis.Redis(port=target.port, db=2).dbsize() == 50
    stats = run.stats()
    assert stats["Gets"]["Errors"] == 0 and stats["Sets"]["Errors"] == 0
    redis.Redis(port=target.port, db=2).flushdb()


def test_hdr_files_and_memtier_shaped_outputs(target, tmp_path):
    prefix = tmp_path / "lat"
    run = run_bench(target.port, "-t", "1", "-c", "2", "-n", "200", f"--hdr-file-prefix={prefix}",
                    "--print-percentiles=50,90,99.9")
    assert run.returncode == 0, run.stderr
    for name in ("FULL_RUN_1", "SET_command_run_1", "GET_command_run_1"):
        text = (tmp_path / f"lat_{name}.hgrm").read_text()
        assert text.lstrip().startswith("Value") and "#[Max" in text
    assert "[RUN #1" in run.stderr and "ops/sec" in run.stderr and "msec latency" in run.stderr
    header = next(line for line in run.stdout.splitlines() if line.startswith("Type"))
    assert header.split()[:5] == ["Type", "Ops/sec", "Hits/sec", "Misses/sec", "Errors/sec"]
    assert "p90 Latency" in header and "p99.9 Latency" in header and header.rstrip().endswith("KB/sec")
    assert set(run.stats()["Totals"]["Percentile Latencies"]) == {"p50.00", "p90.00", "p99.90"}


def test_run_count_reports_best_worst_and_average(target):
    run = run_bench(target.port, "-t", "1", "-c", "1", "-n", "100", "-x", "2")
    assert run.returncode == 0, run.stderr
    for title in ("RUN #1 RESULTS", "RUN #2 RESULTS", "BEST RUN RESULTS", "WORST RUN RESULTS",
                  "AGGREGATED AVERAGE RESULTS (2 runs)"):
        assert title in run.json and title in run.stdout
    assert run.json["AGGREGATED AVERAGE RESULTS (2 runs)"]["Totals"]["Count"] == 200


def test_authentication(spawn_redis):
    server = spawn_redis()  # the harness's readiness PING needs no password: set it afterwards
    redis.Redis(port=server.port).config_set("requirepass", "s3cret")
    good = run_bench(server.port, "-t", "1", "-c", "1", "-n", "10", "-a", "s3cret")
    assert good.returncode == 0, good.stderr
    bad = run_bench(server.port, "-t", "1", "-c", "1", "-n", "10", "-a", "wrong", json_out=False)
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines()[-1].startswith("ferrite-bench: AUTH refused by the server: WRONGPASS")
    anonymous = run_bench(server.port, "-t", "1", "-c", "1", "-n", "10", json_out=False)
    assert anonymous.returncode == 1 and "NOAUTH" in anonymous.stderr


@pytest.mark.parametrize("flags, message", [
    (["--no-such-flag"], "ferrite-bench: Unknown option '--no-such-flag'"),
    (["--ratio=1-10"], "ferrite-bench: --ratio: '1-10' is not SET:GET with non-negative integers, e.g. 1:10"),
    (["-c", "zero"], "ferrite-bench: The value 'zero' is invalid for '-c <clients>'"),
])
def test_bad_flags_are_one_line_errors(flags, message):
    done = subprocess.run([str(bench_binary()), *flags], capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert done.stderr == message + "\n"


def test_unreachable_server_is_a_one_line_error():
    done = subprocess.run([str(bench_binary()), "-p", "1", "-n", "1"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert done.stderr == "ferrite-bench: connection to 127.0.0.1:1 failed: Connection refused\n"
