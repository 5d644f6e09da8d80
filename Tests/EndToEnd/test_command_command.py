"""COMMAND and its subcommands against real Redis: the entry shapes clients parse, the docs
redis-cli builds its hints from, key extraction."""

from __future__ import annotations

import re

import pytest
import redis

from harness.compare import same_replies
from harness.raw import RawConnection, encode
from test_redis_cli import _hint_line


@pytest.mark.parametrize("names", [("get",), ("config|get",), ("nosuchcommand", "echo")])
def test_command_info_entries_match_redis(ferrite, redis_ref, names):
    same_replies(ferrite, redis_ref, encode("COMMAND", "INFO", *names))


# Compared for every command Ferrite has. Not compared: key specs (derived from first/last/step,
# so their access flags are coarser than Redis's hand-written ones), tips (cluster routing hints
# Ferrite does not give yet) and the order of subcommands (Redis lists them in hash order).
COMPARED = ("name", "arity", "flags", "first_key_pos", "last_key_pos", "step_count", "acl_categories")


def test_every_command_info_matches_redis(ferrite, redis_ref):
    ours = redis.Redis(port=ferrite.port).command()
    theirs = redis.Redis(port=redis_ref.port).command()
    assert len(ours) >= 60
    mismatches = []
    for name, entry in ours.items():
        assert name in theirs, name
        for field in COMPARED:
            if entry[field] != theirs[name][field]:
                mismatches.append((name, field, entry[field], theirs[name][field]))
    assert not mismatches, "\n".join(map(str, mismatches))


@pytest.mark.parametrize("protocol", [2, 3])
def test_command_info_shape_in_both_protocols(ferrite, protocol):
    client = redis.Redis(port=ferrite.port, protocol=protocol)
    info = client.command()
    assert info["get"]["arity"] == 2 and info["set"]["arity"] == -3
    assert set(info["get"]["flags"]) == {"readonly", "fast"}
    assert client.command_count() == len(info) >= 60
    client.close()


@pytest.mark.parametrize("args", [
    ("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"),
    ("COMMAND", "GETKEYS", "SET", "k", "v", "EX", "10"),
    ("COMMAND", "GETKEYS", "PING"),
    ("COMMAND", "GETKEYS", "NOSUCH", "x"),
    ("COMMAND", "GETKEYS", "GET"),
    ("COMMAND", "GETKEYSANDFLAGS", "GET", "k"),
    ("COMMAND", "HELP"),
    ("COMMAND", "NOSUCH"),
])
def test_command_subcommands_match_redis(ferrite, redis_ref, args):
    same_replies(ferrite, redis_ref, encode(*args))


def test_command_list_filters(ferrite):
    with RawConnection(ferrite.port) as conn:
        listed = conn.command("COMMAND", "LIST", "FILTERBY", "PATTERN", "ge*")
        names = set(re.findall(rb"\$\d+\r\n([^\r]+)\r\n", listed))
        assert {b"get", b"getex", b"getdel", b"getrange", b"getset"} <= names
        assert all(name.startswith(b"ge") for name in names)
        assert conn.command("COMMAND", "LIST", "FILTERBY", "MODULE", "x") == b"*0\r\n"


def test_command_docs_structure(ferrite):
    with RawConnection(ferrite.port) as conn:
        # A map of one command to a map of five fields: flat arrays in RESP2, maps in RESP3.
        for hello, start in ((None, b"*2\r\n$3\r\nset\r\n*10\r\n"), ("3", b"%1\r\n$3\r\nset\r\n%5\r\n")):
            if hello:
                conn.command("HELLO", hello)
            docs = conn.command("COMMAND", "DOCS", "set")
            assert docs.startswith(start + b"$7\r\nsummary\r\n")
            for expected in (b"since", b"group", b"complexity", b"arguments", b"pure-token", b"oneof", b"KEEPTTL"):
                assert expected in docs, expected


def test_redis_cli_hints_come_from_our_command_docs(ferrite, redis_ref):
    # CLIENT KILL's syntax is written differently from Redis's, so the hint shows which docs
    # redis-cli used: ours (redis-cli falls back to its built-in table only when DOCS fails).
    ours = _hint_line(ferrite.port, "CLIENT KILL ")
    theirs = _hint_line(redis_ref.port, "CLIENT KILL ")
    assert "[SKIPME YES|NO]" in ours and ours != theirs
    assert _hint_line(ferrite.port, "SET k v ").endswith(
        "SET k v [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]")
