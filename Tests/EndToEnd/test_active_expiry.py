"""Active expiry end to end: a million keys with a 1 s TTL disappear within a few seconds
with no client touching them, and the server keeps answering quickly while it collects them;
other databases are not held up by one with a backlog; INFO keyspace's avg_ttl estimates the
TTL left, as Redis's does."""

from __future__ import annotations

import re
import os
import subprocess
import time

import pytest

from harness.raw import RawConnection, encode

KEYS = 1_000_000


def _mass_insert_with_ttl(port: int, count: int, db: int = 0, expiry: tuple[str, str] = ("PX", "1000")) -> None:
    # SET k v PX 1000 for every key, through redis-cli --pipe (the bulk loader users have).
    lines = encode("SELECT", str(db)) + b"".join(
        encode("SET", b"ttl:%d" % i, b"v" * 16, *expiry) for i in range(count))
    count += 1  # the SELECT's reply
    result = subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input=lines, capture_output=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert b"errors: 0, replies: %d" % count in result.stdout, result.stdout


def test_million_keys_with_one_second_ttl_expire_without_access(ferrite):
    _mass_insert_with_ttl(ferrite.port, KEYS)
    loaded_at = time.monotonic()
    probe = RawConnection(ferrite.port)
    slowest = 0.0
    size = KEYS
    # DBSIZE never touches keys, so only the active cycle can make them go.
    while time.monotonic() - loaded_at < 8:
        started = time.monotonic()
        reply = probe.command("DBSIZE")
        slowest = max(slowest, time.monotonic() - started)
        size = int(reply[1:-2])
        if size == 0:
            break
        time.sleep(0.01)
    elapsed = time.monotonic() - loaded_at
    info = probe.command("INFO", "stats").decode()
    probe.close()
    assert size == 0, f"{size} keys left {elapsed:.1f} s after loading"
    assert elapsed < 6, f"took {elapsed:.1f} s"
    # The cycle is bounded to 25 ms per 100 ms: no request waits anywhere near a full pass.
    assert slowest < 0.1, f"a DBSIZE took {slowest * 1000:.0f} ms during expiry"
    assert f"expired_keys:{KEYS}" in info
    print(f"all {KEYS} keys expired {elapsed:.2f} s after loading; slowest DBSIZE {slowest * 1000:.1f} ms")


def _avg_ttl(conn: RawConnection, db: int) -> int | None:
    """db<n>'s avg_ttl from INFO keyspace; None when the database is empty (not listed)."""
    info = conn.command("INFO", "keyspace").decode()
    found = re.search(rf"^db{db}:keys=\d+,expires=\d+,avg_ttl=(\d+)\r$", info, re.M)
    return int(found.group(1)) if found else None


@pytest.mark.parametrize("server", ["ferrite", "redis_ref"])
def test_avg_ttl_estimates_the_time_left(server, request):
    # Run against Redis too: its answer is what "plausible" means here.
    port = request.getfixturevalue(server).port
    with RawConnection(port) as conn:
        for i in range(200):
            conn.command("SET", f"ttl:{i}", "v", "EX", "100")
        conn.command("SELECT", "1")
        conn.command("SET", "plain", "v")
        deadline = time.monotonic() + 3
        while _avg_ttl(conn, 0) == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        average = _avg_ttl(conn, 0)
        assert average is not None and 95_000 <= average <= 100_000, average
        assert _avg_ttl(conn, 1) == 0  # no key there has a TTL
        conn.command("SELECT", "0")
        for i in range(200):
            conn.command("PERSIST", f"ttl:{i}")
        while _avg_ttl(conn, 0) != 0 and time.monotonic() < deadline + 3:
            time.sleep(0.05)
        assert _avg_ttl(conn, 0) == 0  # the next cycle finds no key with a TTL


def test_other_databases_expire_while_db0_works_through_a_backlog(ferrite, spawn_ferrite):
    # 200,000 keys expiring in db 0 take active expiry a while; 100 keys in db 5 expiring at the
    # same moment must not wait for them: Redis starts each cycle after the database where the
    # last one ran out of time. (Without that, db 5 waits until db 0 is down to its last ~10%.)
    # Two cycles may pass before db 5's turn, and a fast cycle deletes tens of thousands of
    # keys, so the bar is a quarter of db 0 left, well clear of both.
    # Every shard runs its own cycle; with more shards than CPUs a shard that waits for a CPU
    # would measure the scheduler, so the server gets at most one shard per CPU.
    shards = int(os.environ.get("FERRITE_SHARDS") or 0)
    if shards > len(os.sched_getaffinity(0)):
        ferrite = spawn_ferrite("--shards", str(len(os.sched_getaffinity(0))))
    expire_at = str(int(time.time() * 1000) + 4000)
    _mass_insert_with_ttl(ferrite.port, 100, db=5, expiry=("PXAT", expire_at))
    _mass_insert_with_ttl(ferrite.port, 200_000, db=0, expiry=("PXAT", expire_at))
    with RawConnection(ferrite.port) as db0, RawConnection(ferrite.port) as db5:
        db5.command("SELECT", "5")
        deadline = time.monotonic() + 15
        while db5.command("DBSIZE") != b":0\r\n" and time.monotonic() < deadline:
            time.sleep(0.005)
        left_in_db0 = int(db0.command("DBSIZE")[1:-2])
    assert left_in_db0 > 50_000, f"db 5 emptied only once db 0 was down to {left_in_db0} keys"
