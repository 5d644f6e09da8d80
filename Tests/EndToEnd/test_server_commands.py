"""The admin commands (COMMAND, INFO, CONFIG, CLIENT) against a real redis-server 7.0, reply bytes
compared in RESP2 and RESP3.

Normalisation, only where the two servers legitimately differ:
* order: Redis keeps commands and subcommands in dicts hashed with a per-process random seed,
  so COMMAND, COMMAND LIST, COMMAND DOCS and the subcommands inside an entry come in an order
  that changes from one redis-server run to the next. Those replies are parsed (keeping every
  RESP type: set, map, array, simple, bulk) and their entries compared by name.
* commands Redis has and Ferrite does not (CONFIG REWRITE, CLIENT PAUSE…): Redis's side is cut
  down to Ferrite's commands before comparing; the list of what is missing is asserted exactly,
  so a new command shows up here.
* INFO values that depend on the process (pids, ports, times, memory, run ids, versions): field
  names and their order are compared, and values only where they are the same on both servers.
"""

from __future__ import annotations

import pytest

from harness.raw import RawConnection, encode

PROTOCOLS = [2, 3]


# -- RESP parsing that keeps the types ---------------------------------------------------------

def parse(buf: bytes, pos: int = 0):
    """One reply as (type byte, payload): maps as lists of pairs, arrays and sets as lists."""
    end = buf.index(b"\r\n", pos)
    kind, head, pos = buf[pos:pos + 1], buf[pos + 1:end], end + 2
    if kind in (b"$", b"="):
        length = int(head)
        if length < 0:
            return (kind, None), pos
        return (kind, buf[pos:pos + length]), pos + length + 2
    if kind in (b"*", b"~"):
        if int(head) < 0:
            return (kind, None), pos
        items = []
        for _ in range(int(head)):
            item, pos = parse(buf, pos)
            items.append(item)
        return (kind, items), pos
    if kind == b"%":
        pairs = []
        for _ in range(int(head)):
            key, pos = parse(buf, pos)
            value, pos = parse(buf, pos)
            pairs.append((key, value))
        return (kind, pairs), pos
    return (kind, head), pos


def parsed(reply: bytes):
    value, end = parse(reply)
    assert end == len(reply), reply[end:end + 100]
    return value


def connect(port: int, protocol: int) -> RawConnection:
    conn = RawConnection(port)
    if protocol == 3:
        conn.command("HELLO", "3")
    return conn


def both(ferrite, redis_ref, protocol: int, *args) -> tuple[bytes, bytes]:
    with connect(ferrite.port, protocol) as ours, connect(redis_ref.port, protocol) as theirs:
        return ours.command(*args), theirs.command(*args)


def difference(ours: bytes, theirs: bytes) -> str:
    """Both replies from a little before the first byte where they differ."""
    at = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
    start = max(0, at - 120)
    return f"first difference at byte {at}\n ferrite: {ours[start:at + 200]!r}\n   redis: {theirs[start:at + 200]!r}"


def assert_same(ferrite, redis_ref, protocol: int, *args) -> bytes:
    ours, theirs = both(ferrite, redis_ref, protocol, *args)
    assert ours == theirs, f"{args} (RESP{protocol}): {difference(ours, theirs)}"
    return ours


def names_in(reply: bytes) -> list[str]:
    return [item[1].decode() for item in parsed(reply)[1]]


@pytest.fixture
def ferrite_commands(ferrite) -> list[str]:
    """Every command and subcommand Ferrite has, by full name."""
    with RawConnection(ferrite.port) as conn:
        return names_in(conn.command("COMMAND", "LIST"))


# Redis 7.0 subcommands of containers Ferrite has, that Ferrite does not implement.
NOT_IMPLEMENTED_SUBCOMMANDS = {
    "config|rewrite",
    "client|caching", "client|getredir", "client|pause", "client|tracking",
    "client|trackinginfo", "client|unblock", "client|unpause",
}


def without_subcommands(entry, field_index_or_key, keep: set[str]):
    """`entry` with the subcommand list (an INFO entry's 10th field, a DOCS map's
    "subcommands") reduced to `keep` and sorted by name."""
    kind, payload = entry
    if kind == b"*" and isinstance(field_index_or_key, int):
        subs = payload[field_index_or_key]
        kept = sorted((s for s in subs[1] if s[1][0][1].decode() in keep), key=lambda s: s[1][0][1])
        return (kind, payload[:field_index_or_key] + [(subs[0], kept)] + payload[field_index_or_key + 1:])
    pairs = list(payload) if kind == b"%" else [(payload[i], payload[i + 1]) for i in range(0, len(payload), 2)]
    out = []
    for key, value in pairs:
        if key[1] == field_index_or_key:
            sub_pairs = value[1] if value[0] == b"%" else [(value[1][i], value[1][i + 1]) for i in range(0, len(value[1]), 2)]
            sub_pairs = sorted((p for p in sub_pairs if p[0][1].decode() in keep), key=lambda p: p[0][1])
            value = (value[0], sub_pairs)
        out.append((key, value))
    return (kind, out)


# -- COMMAND -----------------------------------------------------------------------------------

def test_command_list_has_redis_names_and_subcommands(ferrite, redis_ref, ferrite_commands):
    with RawConnection(redis_ref.port) as conn:
        theirs = set(names_in(conn.command("COMMAND", "LIST")))
    ours = set(ferrite_commands)
    assert len(ours) == len(ferrite_commands) >= 80
    assert ours <= theirs, ours - theirs
    assert {"config|get", "client|list", "command|docs", "object|encoding"} <= ours
    containers = {name.split("|")[0] for name in ours if "|" in name}
    assert {n for n in theirs - ours if n.split("|")[0] in containers} == NOT_IMPLEMENTED_SUBCOMMANDS


@pytest.mark.parametrize("filter_args", [
    ("PATTERN", "config*"), ("PATTERN", "*GET*"), ("ACLCAT", "string"), ("ACLCAT", "dangerous"),
    ("ACLCAT", "nosuchcategory"), ("MODULE", "x"),
])
def test_command_list_filters_match_redis(ferrite, redis_ref, ferrite_commands, filter_args):
    ours, theirs = both(ferrite, redis_ref, 2, "COMMAND", "LIST", "FILTERBY", *filter_args)
    assert sorted(names_in(ours)) == sorted(n for n in names_in(theirs) if n in ferrite_commands)


@pytest.mark.parametrize("args", [
    ("FILTERBY",), ("FILTERBY", "PATTERN"), ("FILTERBY", "NOSUCH", "x"), ("NOSUCH",),
    ("FILTERBY", "PATTERN", "a", "FILTERBY"),
])
def test_command_list_errors_match_redis(ferrite, redis_ref, args):
    assert_same(ferrite, redis_ref, 2, "COMMAND", "LIST", *args)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_command_info_of_every_command_matches_redis(ferrite, redis_ref, ferrite_commands, protocol):
    keep = set(ferrite_commands)
    mismatches = []
    with connect(ferrite.port, protocol) as ours, connect(redis_ref.port, protocol) as theirs:
        for name in ferrite_commands:
            mine, reference = ours.command("COMMAND", "INFO", name), theirs.command("COMMAND", "INFO", name)
            if mine == reference:
                continue
            # Containers: the same entry once subcommands are put in one order and cut to ours.
            mine_entry = parsed(mine)[1][0]
            reference_entry = parsed(reference)[1][0]
            if without_subcommands(mine_entry, 9, keep) != without_subcommands(reference_entry, 9, keep):
                mismatches.append(f"{name}: {difference(mine, reference)}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_command_docs_of_every_command_matches_redis(ferrite, redis_ref, ferrite_commands, protocol):
    keep = set(ferrite_commands)
    mismatches = []
    with connect(ferrite.port, protocol) as ours, connect(redis_ref.port, protocol) as theirs:
        for name in ferrite_commands:
            mine, reference = ours.command("COMMAND", "DOCS", name), theirs.command("COMMAND", "DOCS", name)
            if mine == reference:
                continue
            mine_docs = parsed(mine)
            reference_docs = parsed(reference)
            mine_body = mine_docs[1][0][1] if protocol == 3 else mine_docs[1][1]
            reference_body = reference_docs[1][0][1] if protocol == 3 else reference_docs[1][1]
            if (without_subcommands(mine_body, b"subcommands", keep)
                    != without_subcommands(reference_body, b"subcommands", keep)):
                mismatches.append(f"{name}: {difference(mine, reference)}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_command_docs_and_info_of_several_and_unknown_names(ferrite, redis_ref, protocol):
    assert_same(ferrite, redis_ref, protocol, "COMMAND", "DOCS", "get", "nosuch", "set", "config|get")
    assert_same(ferrite, redis_ref, protocol, "COMMAND", "INFO", "get", "nosuch", "CONFIG|GET", "Set")


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("args", [
    ("GETKEYS", "MSET", "a", "1", "b", "2"), ("GETKEYS", "MSET", "a", "1", "b"),
    ("GETKEYS", "SET", "k", "v", "EX", "10"), ("GETKEYS", "RENAME", "a", "b"),
    ("GETKEYS", "ECHO", "a", "b"), ("GETKEYS", "PING", "x"), ("GETKEYS", "NOSUCH", "x"),
    ("GETKEYS", "CONFIG", "GET", "x"), ("GETKEYS", "CONFIG", "NOSUCH", "x"),
    ("GETKEYS", "OBJECT", "ENCODING", "k"), ("GETKEYS", "OBJECT", "ENCODING"), ("GETKEYS", "GET"),
    ("GETKEYS", "MSET", "a"), ("GETKEYS", "LCS", "a", "b", "LEN"), ("GETKEYS", "DEL", "a", "b", "c"),
    ("GETKEYSANDFLAGS", "SET", "k", "v"), ("GETKEYSANDFLAGS", "SET", "k", "v", "gEt"),
    ("GETKEYSANDFLAGS", "SET", "k", "v", "EX", "1", "GET"), ("GETKEYSANDFLAGS", "GETEX", "k"),
    ("GETKEYSANDFLAGS", "COPY", "a", "b"), ("GETKEYSANDFLAGS", "RENAME", "a", "b"),
    ("GETKEYSANDFLAGS", "MSET", "a", "1", "b", "2"), ("GETKEYSANDFLAGS", "DEL", "a", "b"),
    ("GETKEYSANDFLAGS", "LCS", "a", "b"), ("GETKEYSANDFLAGS", "GETDEL", "a"),
    ("GETKEYSANDFLAGS", "OBJECT", "FREQ", "a"), ("GETKEYSANDFLAGS", "NOSUCH", "a"),
    ("GETKEYS",), ("GETKEYS", "GET"), ("COUNT", "x"), ("HELP",), ("NOSUCH",), ("DOCS", "nosuch"),
])
def test_command_subcommands_match_redis(ferrite, redis_ref, protocol, args):
    assert_same(ferrite, redis_ref, protocol, "COMMAND", *args)


def test_command_count_counts_top_level_commands(ferrite, ferrite_commands):
    with RawConnection(ferrite.port) as conn:
        assert conn.command("COMMAND", "COUNT") == b":%d\r\n" % len([n for n in ferrite_commands if "|" not in n])
