"""Active expiry end to end: a million keys with a 1 s TTL disappear within a few seconds
with no client touching them, and the server keeps answering quickly while it collects them."""

from __future__ import annotations

import subprocess
import time

from harness.raw import RawConnection, encode

KEYS = 1_000_000


def _mass_insert_with_ttl(port: int, count: int) -> None:
    # SET k v PX 1000 for every key, through redis-cli --pipe (the bulk loader users have).
    lines = b"".join(encode("SET", b"ttl:%d" % i, b"v" * 16, "PX", "1000") for i in range(count))
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
