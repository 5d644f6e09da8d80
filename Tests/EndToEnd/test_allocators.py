"""`allocator system|jemalloc|mimalloc`: each one starts, serves real clients, says in INFO
memory which allocator it is (in Redis's words) and reports figures that follow the data."""

from __future__ import annotations

import re
import subprocess

import pytest
import redis

from harness.servers import is_real_redis

ALLOCATORS = [("system", r"libc"), ("jemalloc", r"jemalloc-\d+\.\d+\.\d+"), ("mimalloc", r"mimalloc-\d+\.\d+\.\d+")]


def _memory(client: redis.Redis) -> dict:
    return client.info("memory")


@pytest.mark.parametrize("allocator,reported", ALLOCATORS, ids=[a for a, _ in ALLOCATORS])
def test_allocator_serves_clients_and_reports_itself(spawn_ferrite, ferrite_path, allocator, reported):
    if is_real_redis(ferrite_path):
        pytest.skip("allocator is Ferrite's directive")
    server = spawn_ferrite("--allocator", allocator)
    client = redis.Redis(port=server.port)
    assert client.config_get("allocator") == {"allocator": allocator}
    before = _memory(client)
    assert re.fullmatch(reported, before["mem_allocator"]), before["mem_allocator"]

    # Smoke test: strings of every encoding, counters, expiry, and values large enough to
    # leave the record slabs for the allocator itself (over 4 KB).
    pipe = client.pipeline(transaction=False)
    for i in range(2000):
        pipe.set(f"small:{i}", "v" * 40)
        pipe.set(f"large:{i}", b"x" * 8192)
    pipe.execute()
    assert client.incrby("counter", 41) == 41
    assert client.incr("counter") == 42
    assert client.set("ttl", "1", ex=100) and 0 < client.ttl("ttl") <= 100
    assert client.get("large:1999") == b"x" * 8192
    assert client.dbsize() == 4002

    loaded = _memory(client)
    for field in ("allocator_allocated", "allocator_active", "allocator_resident"):
        assert loaded[field] > 0, field
    # 2000 values of 8 KB are at least 16 MB more in use, by the allocator's own count.
    assert loaded["allocator_allocated"] - before["allocator_allocated"] >= 2000 * 8192
    assert loaded["used_memory"] - before["used_memory"] >= 2000 * 8192
    assert loaded["allocator_active"] >= loaded["allocator_allocated"] * 0.9

    client.flushall()
    emptied = _memory(client)
    assert emptied["allocator_allocated"] < loaded["allocator_allocated"] - 2000 * 8192 * 0.9


def test_unknown_allocator_is_refused(ferrite_path):
    if is_real_redis(ferrite_path):
        pytest.skip("allocator is Ferrite's directive")
    result = subprocess.run([str(ferrite_path), "--allocator", "tcmalloc"], capture_output=True, timeout=10)
    assert result.returncode == 1
    output = (result.stdout + result.stderr).decode()
    assert "argument(s) must be one of the following: system, jemalloc, mimalloc" in output
