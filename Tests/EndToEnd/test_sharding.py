"""Sharding that no client can see: servers started with 2 and 4 shards (4 shards on this
2-core machine too) must keep multi-key commands atomic across shards, keep every
connection's replies in request order while commands hop between shards, and let
keyspace-wide commands see every shard. Each shard thread must be pinned to a CPU.

The shard of a key is its hash slot (asked of the server with CLUSTER KEYSLOT, which
test_cluster_keyslot checks against Redis) times the shard count over 16384."""

from __future__ import annotations

import os
import random
import threading
import time

import pytest
import redis

from harness.raw import RawConnection, encode


@pytest.fixture(params=[2, 4], ids=["2-shards", "4-shards"])
def sharded(request, spawn_ferrite):
    return spawn_ferrite("--shards", str(request.param)), request.param


def _shard_of(client: redis.Redis, key: str, shards: int) -> int:
    return client.cluster("keyslot", key) * shards // 16384


def _keys_on_distinct_shards(client: redis.Redis, shards: int, prefix: str, wanted: int = 2) -> list[str]:
    """`wanted` keys, each owned by a different shard."""
    found: dict[int, str] = {}
    index = 0
    while len(found) < wanted:
        key = f"{prefix}:{index}"
        found.setdefault(_shard_of(client, key, shards), key)
        index += 1
    return list(found.values())[:wanted]


def test_mset_pairs_across_shards_are_never_seen_half_written(sharded):
    server, shards = sharded
    setup = redis.Redis(port=server.port)
    pairs = [_keys_on_distinct_shards(setup, shards, f"pair{p}") for p in range(4)]
    for a, b in pairs:
        assert _shard_of(setup, a, shards) != _shard_of(setup, b, shards)
        setup.mset({a: "0", b: "0"})
    stop = time.monotonic() + 3
    mixed: list[tuple] = []
    reads = [0]

    def writer(seed: int) -> None:
        client = redis.Redis(port=server.port)
        rng = random.Random(seed)
        value = 0
        while time.monotonic() < stop:
            a, b = rng.choice(pairs)
            value += 1
            client.mset({a: f"{seed}-{value}", b: f"{seed}-{value}"})

    def reader() -> None:
        client = redis.Redis(port=server.port)
        while time.monotonic() < stop:
            for a, b in pairs:
                first, second = client.mget(a, b)
                reads[0] += 1
                if first != second:
                    mixed.append((a, first, b, second))

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in range(3)]
    threads += [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert reads[0] > 100
    assert mixed == []


def test_rename_and_copy_across_shards_move_values_atomically(sharded):
    server, shards = sharded
    client = redis.Redis(port=server.port)
    source, target = _keys_on_distinct_shards(client, shards, "move")
    client.set(source, "v", ex=100)
    assert client.rename(source, target) is True
    assert client.get(source) is None and client.get(target) == b"v"
    assert 0 < client.ttl(target) <= 100
    assert client.copy(target, source) is True
    assert client.mget(source, target) == [b"v", b"v"]
    assert client.renamenx(source, target) is False
    assert client.delete(source, target, "missing") == 2
    assert client.exists(source, target) == 0


def test_pipelined_replies_keep_request_order_while_commands_hop(sharded):
    server, shards = sharded
    rng = random.Random(7)
    keys = [f"order:{i}" for i in range(64)]
    model: dict[str, int] = {}
    commands, expected = [], []
    for _ in range(3000):
        key = rng.choice(keys)
        kind = rng.randrange(4)
        if kind == 0:
            commands.append(("INCR", key))
            model[key] = model.get(key, 0) + 1
            expected.append(b":%d\r\n" % model[key])
        elif kind == 1:
            commands.append(("GET", key))
            expected.append(b"$-1\r\n" if key not in model else b"$%d\r\n%d\r\n" % (len(str(model[key])), model[key]))
        elif kind == 2:
            other = rng.choice(keys)
            commands.append(("EXISTS", key, other))
            expected.append(b":%d\r\n" % ((key in model) + (other in model)))
        else:
            commands.append(("PING",))
            expected.append(b"+PONG\r\n")
    with RawConnection(server.port) as conn:
        # The whole stream in one write (deep pipeline), then one command at a time in chunks
        # of three (shallow pipelines, where commands are forwarded one by one).
        conn.send(b"".join(encode(*command) for command in commands))
        assert conn.read_replies(len(expected)) == expected
        for start in range(0, 300, 3):
            chunk = [("INCR", key) for key in keys[start % 64:start % 64 + 3]]
            replies = []
            for _, key in chunk:
                model[key] = model.get(key, 0) + 1
                replies.append(b":%d\r\n" % model[key])
            conn.send(b"".join(encode(*command) for command in chunk))
            assert conn.read_replies(len(replies)) == replies


def test_keyspace_wide_commands_see_every_shard(sharded):
    server, shards = sharded
    client = redis.Redis(port=server.port)
    keys = {f"wide:{i}" for i in range(5000)}
    client.mset({key: "v" for key in keys})
    owners = {_shard_of(client, key, shards) for key in list(keys)[:200]}
    assert owners == set(range(shards))
    assert client.dbsize() == 5000
    assert set(k.decode() for k in client.keys("wide:*")) == keys
    # SCAN while keys are added (tables resize): every key present throughout is returned.
    seen, cursor, added = set(), 0, 0
    while True:
        cursor, batch = client.scan(cursor, count=100)
        seen.update(k.decode() for k in batch)
        if added < 20:
            client.mset({f"late:{added}:{i}": "v" for i in range(500)})
            added += 1
        if cursor == 0:
            break
    assert keys <= seen
    assert client.randomkey() is not None
    assert client.info("keyspace")["db0"]["keys"] == 5000 + 20 * 500
    assert client.swapdb(0, 3) is True
    assert client.dbsize() == 0
    assert redis.Redis(port=server.port, db=3).dbsize() == 15000
    assert client.flushall() is True
    assert redis.Redis(port=server.port, db=3).dbsize() == 0
    assert client.randomkey() is None


def test_every_shard_thread_is_pinned_to_one_cpu(sharded):
    server, shards = sharded
    client = redis.Redis(port=server.port)
    assert client.config_get("shards") == {"shards": str(shards)}
    pid = client.info("server")["process_id"]
    pinned = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/status") as status:
            allowed = next(line.split()[1] for line in status if line.startswith("Cpus_allowed_list"))
        if allowed.isdigit():
            pinned.append(int(allowed))
    available = sorted(os.sched_getaffinity(0))
    assert sorted(pinned) == sorted(available[i % len(available)] for i in range(shards))
