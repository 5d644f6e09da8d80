"""redis-py (RESP2 and RESP3) against Ferrite: the way most applications will talk to it.
Strings, keys, expiry, pipelines, SCAN completeness, INFO, CLIENT names and CONFIG GET."""

from __future__ import annotations

import time

import pytest
import redis


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def client(request, ferrite):
    connection = redis.Redis(host="127.0.0.1", port=ferrite.port, protocol=request.param,
                             decode_responses=True, socket_timeout=30)
    yield connection
    connection.close()


def test_strings(client):
    assert client.set("s", "hello") is True
    assert client.get("s") == "hello"
    assert client.set("s", "other", nx=True) is None
    assert client.set("s", "world", xx=True, get=True) == "hello"
    assert client.append("s", "!") == 6
    assert client.strlen("s") == 6
    assert client.getrange("s", 1, 3) == "orl"
    assert client.setrange("s", 6, "?") == 7
    assert client.get("s") == "world!?"
    assert client.mset({"a": "1", "b": "2"}) is True
    assert client.mget("a", "b", "missing") == ["1", "2", None]
    assert client.msetnx({"b": "x", "c": "3"}) is False
    assert client.incr("a") == 2
    assert client.incrby("a", 10) == 12
    assert client.decr("a") == 11
    assert client.decrby("a", 20) == -9
    assert client.incrbyfloat("f", 1.5) == 1.5
    assert client.incrbyfloat("f", "2.25") == 3.75
    assert client.getset("b", "new") == "2"
    assert client.getdel("b") == "new"
    assert client.get("b") is None
    assert client.setnx("n", "v") is True and client.setnx("n", "w") is False
    assert client.lcs("s", "n") == ""
    client.set("l1", "ohmytext")
    client.set("l2", "mynewtext")
    assert client.lcs("l1", "l2") == "mytext"
    assert client.lcs("l1", "l2", len=True) == 6
    with pytest.raises(redis.ResponseError, match="not an integer or out of range"):
        client.incr("s")
    client.set("big", str(2**63 - 1))
    with pytest.raises(redis.ResponseError, match="increment or decrement would overflow"):
        client.incr("big")


def test_binary_values_round_trip(ferrite):
    raw_client = redis.Redis(port=ferrite.port, decode_responses=False)
    value = bytes(range(256)) * 64
    assert raw_client.set(b"bin\x00key", value) is True
    assert raw_client.get(b"bin\x00key") == value
    raw_client.close()


def test_keys(client):
    client.mset({"k1": "a", "k2": "b", "k3": "c"})
    assert client.exists("k1", "k2", "nope", "k1") == 3
    assert client.type("k1") == "string"
    assert client.type("nope") == "none"
    assert client.delete("k1", "nope") == 1
    assert client.unlink("k2") == 1
    assert client.rename("k3", "k4") is True
    with pytest.raises(redis.ResponseError, match="no such key"):
        client.rename("k3", "k5")
    client.set("k5", "z")
    assert client.renamenx("k4", "k5") is False
    assert client.copy("k4", "k6") is True
    assert client.copy("k4", "k6") is False
    assert client.copy("k4", "k6", replace=True) is True
    assert client.move("k6", 1) is True
    assert client.exists("k6") == 0
    assert client.touch("k4", "k5", "none") == 2
    assert client.object("encoding", "k4") == "embstr"
    client.set("int", "12345")
    assert client.object("encoding", "int") == "int"
    assert client.dbsize() == 3
    assert sorted(client.keys("*")) == ["int", "k4", "k5"]
    assert client.randomkey() in {"int", "k4", "k5"}


def test_expiry(client):
    client.set("e", "v", ex=100)
    assert 99 <= client.ttl("e") <= 100
    assert 99_000 <= client.pttl("e") <= 100_000
    assert client.persist("e") is True
    assert client.ttl("e") == -1
    assert client.ttl("missing") == -2
    assert client.expire("e", 50, nx=True) is True
    assert client.expire("e", 10, gt=True) is False
    assert client.expire("e", 10, lt=True) is True
    at = int(time.time()) + 1000
    assert client.expireat("e", at) is True
    assert client.expiretime("e") == at
    assert client.pexpireat("e", at * 1000 + 123) is True
    assert client.pexpiretime("e") == at * 1000 + 123
    client.set("short", "v", px=50)
    client.psetex("short2", 30, "v")
    client.set("short3", "v")
    assert client.pexpire("short3", 40) is True
    assert client.getex("e", px=60) == "v"
    time.sleep(0.2)
    assert client.exists("short", "short2", "short3", "e") == 0
    assert client.get("short") is None
    client.execute_command("SETEX", "s", 100, "v")
    assert client.getex("s", persist=True) == "v"
    assert client.ttl("s") == -1


def test_pipelines(client):
    pipe = client.pipeline(transaction=False)
    for i in range(1000):
        pipe.set(f"p:{i}", i)
        pipe.incr(f"p:{i}")
        pipe.get(f"p:{i}")
    results = pipe.execute()
    assert results == [x for i in range(1000) for x in (True, i + 1, str(i + 1))]
    pipe = client.pipeline(transaction=False)
    pipe.get("p:1")
    pipe.incr("p:nonnumeric-source")
    pipe.set("text", "abc")
    pipe.incr("text")
    pipe.get("p:999")
    results = pipe.execute(raise_on_error=False)
    assert results[:3] == ["2", 1, True]
    assert isinstance(results[3], redis.ResponseError)
    assert results[4] == "1000"


def test_scan_returns_every_key(client):
    names = {f"scan:{i}" for i in range(3000)}
    pipe = client.pipeline(transaction=False)
    for name in names:
        pipe.set(name, "v")
    pipe.set("other", "v")
    pipe.execute()
    assert set(client.scan_iter(count=37)) == names | {"other"}
    assert set(client.scan_iter(match="scan:1*", count=100)) == {n for n in names if n.startswith("scan:1")}
    assert set(client.scan_iter(match="scan:*", _type="string")) == names
    cursor, batch = client.scan(0, count=10)
    assert cursor != 0 and batch


def test_scan_sees_keys_present_throughout_while_others_change(client):
    stable = {f"stable:{i}" for i in range(2000)}
    pipe = client.pipeline(transaction=False)
    for name in stable:
        pipe.set(name, "v")
    pipe.execute()
    seen, cursor, step = set(), 0, 0
    while True:
        cursor, batch = client.scan(cursor, count=20)
        seen.update(batch)
        step += 1
        # Churn: add and remove other keys between SCAN calls (grows and shrinks the table).
        pipe = client.pipeline(transaction=False)
        for j in range(40):
            pipe.set(f"churn:{step}:{j}", "v")
        if step > 2:
            pipe.delete(*[f"churn:{step - 2}:{j}" for j in range(40)])
        pipe.execute()
        if cursor == 0:
            break
    assert stable <= seen


def test_info(client, ferrite):
    client.mset({"i1": "a", "i2": "b"})
    client.set("i3", "c", ex=1000)
    info = client.info()
    assert info["redis_version"]
    assert info["tcp_port"] == ferrite.port
    assert info["connected_clients"] >= 1
    assert info["db0"] == {"keys": 3, "expires": 1, "avg_ttl": info["db0"]["avg_ttl"]}
    server = client.info("server")
    assert "uptime_in_seconds" in server and "redis_mode" in server
    assert "db0" not in server
    assert set(client.info("keyspace")) == {"db0"}
    assert "total_commands_processed" in client.info("stats")
    assert "used_memory" in client.info("memory")


def test_client_setname_getname(client):
    assert client.client_getname() is None
    assert client.client_setname("e2e-client") is True
    assert client.client_getname() == "e2e-client"
    assert any(c["name"] == "e2e-client" for c in client.client_list())
    assert isinstance(client.client_id(), int)
    with pytest.raises(redis.ResponseError, match="Client names cannot contain spaces"):
        client.client_setname("has space")


def test_config_get(client, ferrite, redis_ref):
    reference = redis.Redis(port=redis_ref.port, decode_responses=True)
    for name in ["databases", "timeout", "hz", "proto-max-bulk-len", "client-query-buffer-limit",
                 "tcp-keepalive"]:
        assert client.config_get(name) == reference.config_get(name), name
    assert client.config_get("port") == {"port": str(ferrite.port)}
    assert client.config_get("no-such-parameter") == {}
    assert client.config_get("databases", "hz") == {"databases": "16", "hz": "10"}
    reference.close()
