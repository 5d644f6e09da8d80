"""INFO memory's used_memory follows what the server really holds: it grows by about the size
of the values stored, once (records over 4 KiB come from malloc, the rest from the keyspace's
own slabs, and neither may be counted twice), and falls back when they are deleted."""

from __future__ import annotations

import re
import subprocess

import pytest

from harness.raw import RawConnection, encode

MB = 1024 * 1024


def _used_memory(conn: RawConnection) -> int:
    info = conn.command("INFO", "memory").decode()
    return int(re.search(r"^used_memory:(\d+)\r$", info, re.M).group(1))


@pytest.mark.parametrize("server", ["ferrite", "redis_ref"])
def test_used_memory_grows_and_shrinks_with_the_data(server, request):
    # Run against Redis too: the bounds hold for it, so they describe used_memory, not Ferrite.
    port = request.getfixturevalue(server).port
    with RawConnection(port) as conn:
        baseline = _used_memory(conn)
        big = b"b" * 1_000_000
        for i in range(20):
            conn.command("SET", f"big:{i}", big)
        with_big = _used_memory(conn)
        assert 19 * MB <= with_big - baseline <= 24 * MB, (baseline, with_big)
        conn.command("DEL", *[f"big:{i}" for i in range(20)])
        assert _used_memory(conn) - baseline <= 2 * MB  # the client query buffer stays grown

        # 100,000 small keys, through redis-cli --pipe.
        lines = b"".join(encode("SET", b"small:%d" % i, b"v" * 16) for i in range(100_000))
        result = subprocess.run(["redis-cli", "-p", str(port), "--pipe"], input=lines,
                                capture_output=True, timeout=60)
        assert b"errors: 0, replies: 100000" in result.stdout, result.stdout
        with_small = _used_memory(conn)
        assert 3 * MB <= with_small - baseline <= 20 * MB, (baseline, with_small)

        # Records between 4 KiB and 8 KiB, either side of the slab's largest class.
        for i in range(1000):
            conn.command("SET", f"mid:{i}", b"m" * (4000 + 8 * i % 4000))
        with_mid = _used_memory(conn)
        assert 5 * MB <= with_mid - with_small <= 9 * MB, (with_small, with_mid)

        assert conn.command("FLUSHALL") == b"+OK\r\n"
        assert _used_memory(conn) - baseline <= 2 * MB
