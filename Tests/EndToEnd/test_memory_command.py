"""MEMORY USAGE|STATS|DOCTOR|MALLOC-STATS|PURGE|HELP. Errors, help, PURGE and an empty server's
DOCTOR are compared byte for byte with a real redis-server; the figures are Ferrite's own
(its record layout, INFO memory's numbers) under Redis's field names, order and types."""

from __future__ import annotations

import pytest
import redis

from harness.differential import parse_reply
from harness.raw import RawConnection

SAME_AS_REDIS = [
    ["MEMORY"], ["MEMORY", "USAGE"], ["MEMORY", "USAGE", "a", "SAMPLES", "x"], ["MEMORY", "USAGE", "a", "SAMPLES", "-1"],
    ["MEMORY", "USAGE", "a", "FOO"], ["MEMORY", "USAGE", "a", "SAMPLES"], ["MEMORY", "USAGE", "missing"],
    ["MEMORY", "USAGE", "missing", "samples", "0", "SAMPLES", "7"], ["MEMORY", "DOCTOR", "x"], ["MEMORY", "STATS", "x"],
    ["MEMORY", "PURGE", "x"], ["MEMORY", "MALLOC-STATS", "x"], ["MEMORY", "HELP", "x"], ["MEMORY", "foo"],
    ["MEMORY", "HELP"], ["MEMORY", "PURGE"],
]


@pytest.mark.parametrize("args", SAME_AS_REDIS, ids=" ".join)
def test_errors_help_and_purge_match_redis(ferrite, redis_ref, args):
    for protocol in ("2", "3"):
        replies = []
        for server in (ferrite, redis_ref):
            with RawConnection(server.port) as conn:
                conn.command("HELLO", protocol)
                replies.append(conn.command(*args))
        assert replies[0] == replies[1], protocol


def test_usage_counts_the_record_its_index_slot_and_its_expiry_entry(ferrite):
    client = redis.Redis(port=ferrite.port)
    client.set("n", 1)  # int: 4-byte header, key length and key, 8-byte integer → 16
    client.set("key:1", "x" * 64)  # embstr: header, key, value length, value → 75, so 80
    client.set("key:2", "x" * 64, ex=100)  # plus 12 bytes of expiry fields and the expiry entry
    client.execute_command("SELECT", "3")
    client.set("{other}key", "value")
    assert client.memory_usage("n") is None  # another database
    client.execute_command("SELECT", "0")
    assert [client.memory_usage(key) for key in ("n", "key:1", "key:2")] == [16 + 8, 80 + 8, 88 + 8 + 8]
    assert client.memory_usage("key:1", samples=0) == 88
    client.append("key:1", "y")  # a raw string that grew keeps room to grow again
    assert client.memory_usage("key:1") > 88


def test_usage_of_a_missing_key_is_null_in_both_protocols(ferrite):
    with RawConnection(ferrite.port) as conn:
        assert conn.command("MEMORY", "USAGE", "missing") == b"$-1\r\n"
        conn.command("HELLO", "3")
        assert conn.command("MEMORY", "USAGE", "missing") == b"_\r\n"


def _stats_shape(port: int) -> list:
    with RawConnection(port) as conn:
        conn.command("HELLO", "3")
        conn.command("SET", "a", "1")
        conn.command("SELECT", "3")
        conn.command("SET", "b", "2", "EX", "100")
        fields = parse_reply(conn.command("MEMORY", "STATS"))
        raw = conn.command("MEMORY", "STATS")
    names = fields[0::2]
    kinds = []
    for value in fields[1::2]:
        kinds.append(sorted(value[0::2]) if isinstance(value, list) else type(value).__name__)
    # RESP3 tells doubles (",") from integers (":"); parse_reply gives both as their text/int.
    doubles = [line.split(b"\r\n")[0] for line in raw.split(b"\r\n,")[1:]]
    return [names, kinds, len(doubles)]


def test_stats_has_redis_fields_in_redis_order(ferrite, redis_ref):
    assert _stats_shape(ferrite.port) == _stats_shape(redis_ref.port)


def test_stats_figures_agree_with_info_and_the_keyspace(ferrite):
    client = redis.Redis(port=ferrite.port)
    client.mset({f"key:{index}": "x" * 64 for index in range(1000)})
    stats = client.memory_stats()
    info = client.info("memory")
    assert stats["keys.count"] == client.dbsize() == 1000
    assert stats["startup.allocated"] == info["used_memory_startup"]
    assert 0 < stats["dataset.bytes"] < stats["total.allocated"] <= stats["peak.allocated"]
    assert abs(stats["total.allocated"] - info["used_memory"]) < info["used_memory"] * 0.1
    assert stats["keys.bytes-per-key"] == (stats["total.allocated"] - stats["startup.allocated"]) // 1000
    assert stats["db.0"]["overhead.hashtable.main"] > 0 and stats["db.0"]["overhead.hashtable.expires"] == 0


def test_doctor_of_an_empty_server_is_redis_sentence_and_of_a_full_one_a_report(spawn_ferrite, spawn_redis):
    ferrite, reference = spawn_ferrite(), spawn_redis()
    replies = []
    for server in (ferrite, reference):
        with RawConnection(server.port) as conn:
            replies.append(conn.command("MEMORY", "DOCTOR"))
    assert replies[0] == replies[1] and b"this instance is empty" in replies[0]
    client = redis.Redis(port=ferrite.port)
    for batch in range(10):
        client.mset({f"key:{batch}:{index}": "x" * 64 for index in range(10000)})
    report = client.execute_command("MEMORY", "DOCTOR").decode()
    assert report.startswith("Hi Sam, I can't find any memory issue") or (
        report.startswith("Sam, I detected a few issues") and report.endswith("I want to help you.\n"))


@pytest.mark.parametrize("allocator, first_line", [
    ("system", "Stats not supported for the current allocator"),
    ("jemalloc", "___ Begin jemalloc statistics ___"),
    ("mimalloc", "heap stats:"),
])
def test_malloc_stats_is_the_allocator_own_report(spawn_ferrite, allocator, first_line):
    server = spawn_ferrite("--allocator", allocator)
    client = redis.Redis(port=server.port)
    report = client.execute_command("MEMORY", "MALLOC-STATS").decode()
    assert report.splitlines()[0].startswith(first_line)
    assert client.execute_command("MEMORY", "PURGE") == b"OK"
