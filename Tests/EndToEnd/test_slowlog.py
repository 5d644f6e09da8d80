"""SLOWLOG and its two directives, each scenario run against Ferrite and a real redis-server:
what is logged (EXEC's commands one by one, not EXEC; not unknown commands or arity errors),
how arguments are kept (31 and a count, 128 bytes and a count, HELLO's AUTH redacted), the
client's address and name, ids, LEN, GET's count, RESET, `slowlog-max-len` trimming at the
next entry, a negative threshold, and the errors. With several shards, one connection's
commands run on all of them and still make one log in one order.

Times and durations differ between two servers: each entry's time must be now, its duration
a non-negative integer; ids must count down by one; the address must be the connection's own."""

from __future__ import annotations

import time

import pytest

from harness.compare import normalize_client_id
from harness.differential import RespError, parse_reply
from harness.raw import RawConnection


@pytest.fixture
def slowlog_servers(ferrite, redis_ref):
    """Both servers logging every command (threshold 0) from an empty log; the defaults
    (10000 µs, 128 entries) come back afterwards, since the servers are shared."""
    for server in (ferrite, redis_ref):
        with RawConnection(server.port) as conn:
            assert conn.command("CONFIG", "SET", "slowlog-log-slower-than", "0", "slowlog-max-len", "128") == b"+OK\r\n"
            assert conn.command("SLOWLOG", "RESET") == b"+OK\r\n"
    yield {"ferrite": ferrite, "redis": redis_ref}
    for server in (ferrite, redis_ref):
        with RawConnection(server.port) as conn:
            conn.command("CONFIG", "SET", "slowlog-log-slower-than", "10000", "slowlog-max-len", "128")
            conn.command("SLOWLOG", "RESET")


def _address(conn: RawConnection) -> bytes:
    info = conn.command("CLIENT", "INFO").decode()
    return next(field for field in info.split() if field.startswith("addr=")).split("=", 1)[1].encode()


def _normalized_log(conn: RawConnection, names: dict[bytes, str], count: str = "-1") -> list:
    """SLOWLOG GET `count`, with each entry's id, time, duration and address checked and
    replaced by what two servers share: the id's distance from the newest, and the label of
    the connection that sent the command."""
    entries = parse_reply(conn.command("SLOWLOG", "GET", count))
    now = time.time()
    normalized = []
    for entry in entries:
        entry_id, logged_at, duration, arguments, peer, client_name = entry
        assert abs(logged_at - now) < 10, entry
        assert isinstance(duration, int) and duration >= 0, entry
        normalized.append([entries[0][0] - entry_id, arguments, names.get(peer, peer), client_name])
    return normalized


def _run_scenario(port: int) -> dict:
    results = {}
    with RawConnection(port) as first, RawConnection(port) as second:
        names = {_address(first): "first", _address(second): "second"}
        first.command("SLOWLOG", "RESET")
        first.command("CLIENT", "SETNAME", "bob")
        results["hello"] = normalize_client_id(first.command("HELLO", "2", "AUTH", "default", "secret", "SETNAME", "bob"))
        for args in (["MULTI"], ["SET", "a", "1"], ["GET", "a"], ["EXEC"]):
            first.command(*args)
        first.command("SET", "big", "x" * 200)
        first.command("MSET", *[f"key{index}" for index in range(40)])
        first.command("MGET", "{x}1", "{y}2", "{z}3")
        results["unknown"] = first.command("NOSUCH", "x")
        results["arity"] = first.command("GET")
        results["failed"] = first.command("SET", "k", "v", "EX", "soon")
        second.command("ECHO", "from the other connection")
        results["len"] = first.command("SLOWLOG", "LEN")
        results["log"] = _normalized_log(first, names)
        results["newest two"] = _normalized_log(first, names, "2")
        results["none"] = first.command("SLOWLOG", "GET", "0")
        # Ten by default; the count counts entries, not ids.
        results["default count"] = len(parse_reply(first.command("SLOWLOG", "GET")))
    return results


def test_every_command_is_logged_as_redis_logs_it(slowlog_servers):
    got = _run_scenario(slowlog_servers["ferrite"].port)
    want = _run_scenario(slowlog_servers["redis"].port)
    assert got == want
    # What the comparison proves, spelled out.
    log = want["log"]
    assert [entry[1][0] for entry in log][:3] == [b"SLOWLOG", b"ECHO", b"SET"]
    assert [b"EXEC"] not in [entry[1][:1] for entry in log]
    assert [b"HELLO", b"2", b"AUTH", b"(redacted)", b"(redacted)", b"SETNAME", b"bob"] in [entry[1] for entry in log]
    mset = next(entry[1] for entry in log if entry[1][0] == b"MSET")
    assert len(mset) == 32 and mset[-1] == b"... (10 more arguments)"
    big = next(entry[1] for entry in log if entry[1][:2] == [b"SET", b"big"])
    assert big[2] == b"x" * 128 + b"... (72 more bytes)"
    assert [entry[0] for entry in log] == list(range(len(log)))


def _trimming_scenario(port: int) -> list:
    replies = []
    with RawConnection(port) as conn:
        for index in range(5):
            conn.command("SET", f"k{index}", "v")
        replies.append(conn.command("SLOWLOG", "LEN"))
        # A shorter log takes effect at the next entry: the CONFIG SET itself.
        conn.command("CONFIG", "SET", "slowlog-max-len", "3")
        replies.append(conn.command("SLOWLOG", "LEN"))
        replies.append(parse_reply(conn.command("SLOWLOG", "GET", "-1"))[-1][3])
        # Switched off: nothing more is logged (not even the CONFIG SET that did it), and a
        # shorter log waits for an entry that never comes.
        conn.command("CONFIG", "SET", "slowlog-log-slower-than", "-1")
        conn.command("CONFIG", "SET", "slowlog-max-len", "1")
        replies.append(conn.command("SLOWLOG", "LEN"))
        replies.append(conn.command("SLOWLOG", "RESET"))
        replies.append(conn.command("SLOWLOG", "LEN"))
        # Back on with a high threshold: fast commands are not logged.
        conn.command("CONFIG", "SET", "slowlog-log-slower-than", "1000000")
        conn.command("SET", "fast", "1")
        replies.append(conn.command("SLOWLOG", "LEN"))
        replies.append(conn.command("SLOWLOG", "GET"))
    return replies


def test_max_len_trims_at_the_next_entry_and_a_negative_threshold_logs_nothing(slowlog_servers):
    got = _trimming_scenario(slowlog_servers["ferrite"].port)
    want = _trimming_scenario(slowlog_servers["redis"].port)
    assert got == want
    assert want[:2] == [b":6\r\n", b":3\r\n"] and want[3] == b":3\r\n" and want[5:] == [b":0\r\n", b":0\r\n", b"*0\r\n"]


ERRORS = [
    ["SLOWLOG"], ["SLOWLOG", "foo"], ["SLOWLOG", "GET", "x"], ["SLOWLOG", "GET", "-2"],
    ["SLOWLOG", "GET", "9223372036854775808"], ["SLOWLOG", "get", "1", "2"], ["SLOWLOG", "LEN", "x"],
    ["SLOWLOG", "RESET", "x"], ["SLOWLOG", "HELP", "x"], ["SLOWLOG", "HELP"],
    ["CONFIG", "SET", "slowlog-log-slower-than", "-2"], ["CONFIG", "SET", "slowlog-log-slower-than", "abc"],
    ["CONFIG", "SET", "slowlog-max-len", "-1"], ["CONFIG", "GET", "slowlog-max-len"],
    ["CONFIG", "GET", "slowlog-log-slower-than"],
]


@pytest.mark.parametrize("args", ERRORS, ids=" ".join)
def test_errors_help_and_config_match_redis(ferrite, redis_ref, args):
    with RawConnection(ferrite.port) as conn:
        got = conn.command(*args)
    with RawConnection(redis_ref.port) as conn:
        want = conn.command(*args)
    assert got == want
    if args[0] == "SLOWLOG" and args[1:] != ["HELP"]:
        assert isinstance(parse_reply(want), RespError)


def test_the_largest_values_are_taken(slowlog_servers):
    # No command is that slow, and the threshold must not overflow on its way to clock ticks.
    for server in slowlog_servers.values():
        with RawConnection(server.port) as conn:
            assert conn.command("CONFIG", "SET", "slowlog-log-slower-than", "9223372036854775807",
                                "slowlog-max-len", "9223372036854775807") == b"+OK\r\n"
            assert conn.command("SET", "k", "v") == b"+OK\r\n"
            assert conn.command("SLOWLOG", "LEN") == b":1\r\n"  # the reset before it
