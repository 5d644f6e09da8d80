"""COMMAND and its subcommands against real Redis: the entry shapes clients parse, the docs
redis-cli builds its hints from, key extraction."""

from __future__ import annotations

import re
import shutil

import pytest
import redis

from harness.compare import same_replies
from harness.raw import RawConnection, encode
from test_redis_cli import _hint_line


@pytest.mark.parametrize("names", [("get",), ("config|get",), ("nosuchcommand", "echo")])
def test_command_info_entries_match_redis(ferrite, redis_ref, names):
    same_replies(ferrite, redis_ref, encode("COMMAND", "INFO", *names))


# Every field is compared for every command Ferrite has. The one normalisation: subcommands are
# sorted by name and cut to the ones Ferrite has (Redis lists them in the order of a dict hashed
# with a per-process random seed, and has a few Ferrite lacks; test_server_commands.py lists those).
@pytest.mark.parametrize("protocol", [2, 3])
def test_every_command_info_matches_redis(ferrite, redis_ref, protocol):
    ours = redis.Redis(port=ferrite.port, protocol=protocol).command()
    theirs = redis.Redis(port=redis_ref.port, protocol=protocol).command()
    assert len(ours) >= 60
    ours_subcommands = {sub[0] for entry in ours.values() for sub in entry["subcommands"]}

    def normalised(entry):
        subcommands = sorted((s for s in entry["subcommands"] if s[0] in ours_subcommands), key=lambda s: s[0])
        return {**entry, "subcommands": subcommands}

    mismatches = []
    for name, entry in ours.items():
        assert name in theirs, name
        for field in entry:
            if normalised(entry)[field] != normalised(theirs[name])[field]:
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


@pytest.mark.parametrize("hello", [None, "3"])
def test_command_docs_match_redis(ferrite, redis_ref, hello):
    # A map of one command to a map of its fields: flat arrays in RESP2, maps in RESP3.
    with RawConnection(ferrite.port) as ours, RawConnection(redis_ref.port) as theirs:
        if hello:
            ours.command("HELLO", hello)
            theirs.command("HELLO", hello)
        for name in ("set", "client|kill", "config|set", "incrbyfloat", "getset", "copy"):
            assert ours.command("COMMAND", "DOCS", name) == theirs.command("COMMAND", "DOCS", name), name


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("typed", ["CLIENT KILL ", "CONFIG SET ", "CLIENT LIST ", "INCRBYFLOAT k ", "COMMAND LIST "])
def test_redis_cli_hints_match_redis(ferrite, redis_ref, typed):
    # redis-cli builds these hints from COMMAND DOCS (falling back to its built-in table only
    # when DOCS fails), so equal hints show the argument trees agree.
    theirs = _hint_line(redis_ref.port, typed)
    assert theirs.startswith(typed.strip()) and len(theirs) > len(typed), f"redis-cli gave no hint: {theirs!r}"
    assert _hint_line(ferrite.port, typed) == theirs
