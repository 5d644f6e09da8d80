"""MONITOR against a real redis-server: the lines a monitor receives (time, database, client,
arguments quoted as `sdscatrepr` quotes them, credentials redacted; commands inside EXEC, not
queued ones; administrative commands, unknown commands and arity errors left out), what a
monitor may still run (commands that touch no keys; those that do are refused, a second MONITOR
gets no reply, RESET makes it a plain client again), MONITOR inside MULTI, several monitors, the
Unix socket's name, commands on every shard reaching a monitor in each client's order, and
redis-cli's `monitor`.

The time and the client's port differ between servers, so lines are compared with the time
replaced by `T` after checking its form, and the client checked against the sender's own
address."""

from __future__ import annotations

import re
import subprocess
import time

import pytest

from harness.raw import RawConnection, ReplyTimeout, encode

LINE = re.compile(rb"^\+(\d+)\.(\d{6}) \[(\d+) ([^\]]+)\] (.*)$")


def read_lines(conn: RawConnection, count: int) -> list[bytes]:
    """`count` monitor lines (simple strings), without their CRLF."""
    replies = conn.read_replies(count, timeout=10)
    return [reply[:-2] for reply in replies]


def normalized(lines: list[bytes], peers: dict[bytes, bytes]) -> list[bytes]:
    """Each line with its time checked (within a minute of now) and replaced by T, and its client
    replaced by the name `peers` gives it."""
    now = time.time()
    result = []
    for line in lines:
        match = LINE.match(line)
        assert match, line
        assert abs(int(match.group(1)) - now) < 60, line
        peer = peers.get(match.group(4), match.group(4))
        result.append(b"+T [%s %s] %s" % (match.group(3), peer, match.group(5)))
    return result


def client_address(conn: RawConnection) -> bytes:
    info = conn.command("CLIENT", "INFO")
    return re.search(rb" addr=(\S+) ", info).group(1)


SCENARIO = [
    ["SET", "a", "1"], ["GET", "a"], ["GET"], ["NOPE", "x"], ["SELECT", "5"],
    ["SET", b"b\x00\xff\n\"\\ \t\r\x07\x08", "x y"], ["SELECT", "0"],
    ["MULTI"], ["SET", "a", "2"], ["INCR", "a"], ["EXEC"],
    ["MULTI"], ["GET", "a"], ["DISCARD"],
    ["CONFIG", "GET", "hz"], ["CLIENT", "LIST"], ["SLOWLOG", "LEN"], ["LATENCY", "LATEST"], ["MONITOR"],
    ["CLIENT", "SETNAME", "nm"], ["CLIENT", "GETNAME"], ["PING"], ["ECHO", ""], ["INFO", "server"],
    ["AUTH", "secret"], ["AUTH", "default", "secret"], ["HELLO", "2", "AUTH", "default", "pw", "SETNAME", "n2"],
    ["INCRBYFLOAT", "f", "1.5"], ["DEL", "a", "f"], ["MGET", "a", "{x}b", "c"],
]


def feed(server) -> list[bytes]:
    with RawConnection(server.port) as monitor, RawConnection(server.port) as client:
        assert monitor.command("MONITOR") == b"+OK\r\n"
        peer = client_address(client)  # CLIENT INFO is shown: it is not administrative
        for command in SCENARIO:
            client.command(*command)
        client.command("PING", "last")
        lines = []
        while not lines or not lines[-1].endswith(b'"PING" "last"'):
            lines += read_lines(monitor, 1)
        return normalized(lines, {peer: b"CLIENT"})


def test_the_feed_matches_redis(ferrite, redis_ref):
    ours, theirs = feed(ferrite), feed(redis_ref)
    assert ours == theirs
    # What both wrote, spelled out in part, so that a change in both at once cannot go unnoticed.
    assert ours[:2] == [b'+T [0 CLIENT] "CLIENT" "INFO"', b'+T [0 CLIENT] "SET" "a" "1"']
    assert b'+T [5 CLIENT] "SET" "b\\x00\\xff\\n\\"\\\\ \\t\\r\\a\\b" "x y"' in ours
    assert b'+T [0 CLIENT] "AUTH" "(redacted)"' in ours
    assert b'+T [0 CLIENT] "HELLO" "2" "AUTH" "(redacted)" "(redacted)" "SETNAME" "n2"' in ours
    assert not any(b'"CONFIG"' in line or b'"NOPE"' in line or b'"MONITOR"' in line for line in ours)


def exchange(conn: RawConnection, *command) -> list[bytes]:
    """Sends `command` on a monitor's connection and returns everything that comes back within
    a short wait: its reply and, when it ran, its own line (lines have their time and client
    masked), in arrival order."""
    conn.send(encode(*command))
    got = []
    while True:
        try:
            got.append(conn.read_reply(timeout=0.15))
        except ReplyTimeout:
            return [re.sub(rb"\+\d+\.\d{6} \[(\d+) [^\]]+\]", rb"+T [\1 P]", reply) for reply in got]


def monitor_session(server) -> list[list[bytes]]:
    """What a monitor gets back for its own commands, command by command."""
    with RawConnection(server.port) as monitor, RawConnection(server.port) as client:
        got = [exchange(monitor, *command) for command in [
            ["MONITOR"], ["PING"], ["GET", "a"], ["SET", "a", "1"], ["DBSIZE"], ["SELECT", "1"], ["ECHO", "e"],
            ["MULTI"], ["GET", "a"], ["TIME"], ["EXEC"], ["MONITOR"], ["PING", "after"]]]
        info = exchange(monitor, "CLIENT", "INFO")
        got.append([re.search(rb" flags=(\S+) ", info[0]).group(1), *info[1:]])
        got.append(exchange(monitor, "RESET"))
        client.command("SET", "z", "1")
        got.append(exchange(monitor, "GET", "z"))
    return got


def test_what_a_monitor_may_run(ferrite, redis_ref):
    ours, theirs = monitor_session(ferrite), monitor_session(redis_ref)
    assert ours == theirs
    assert ours[1] == [b"+PONG\r\n", b'+T [0 P] "PING"\r\n']
    assert ours[2] == [b"-ERR Replica can't interact with the keyspace\r\n"]
    assert ours[11] == []  # a second MONITOR: no reply at all
    assert ours[-3][0] == b"O" and ours[-2] == [b"+RESET\r\n"] and ours[-1] == [b"$1\r\n1\r\n"]


def test_monitor_inside_multi_is_refused(ferrite, redis_ref):
    for server in (ferrite, redis_ref):
        with RawConnection(server.port) as conn:
            assert conn.command("MULTI") == b"+OK\r\n"
            assert conn.command("MONITOR") == b"+QUEUED\r\n"
            assert conn.command("EXEC") == b"*1\r\n-ERR MONITOR isn't allowed for DENY BLOCKING client\r\n"
            assert conn.command("SET", "k", "v") == b"+OK\r\n"  # still a plain client


def test_every_monitor_sees_every_shard_in_each_clients_order(ferrite):
    """Keys in all four quarters of the slot space, from three clients, pipelined: both monitors
    get every command, and each client's commands in the order it sent them."""
    keys = [b"a", b"b", b"c", b"d", b"{q1}", b"{q2}", b"{q3}", b"key:9"]
    with RawConnection(ferrite.port) as first, RawConnection(ferrite.port) as second:
        assert first.command("MONITOR") == b"+OK\r\n"
        assert second.command("MONITOR") == b"+OK\r\n"
        clients = [RawConnection(ferrite.port) for _ in range(3)]
        try:
            names = {client_address(client): b"C%d" % index for index, client in enumerate(clients)}
            for round_ in range(20):
                for index, client in enumerate(clients):
                    client.send(b"".join(encode("SET", key, b"%d-%d" % (index, round_)) for key in keys))
            for client in clients:
                client.read_replies(20 * len(keys), timeout=10)
        finally:
            for client in clients:
                client.close()
        expected = 3 + 3 * 20 * len(keys)  # each client's CLIENT INFO first
        for monitor in (first, second):
            lines = normalized(read_lines(monitor, expected), names)
            for index in range(3):
                mine = [line for line in lines if b" C%d] " % index in line and b'"INFO"' not in line]
                assert mine == [b'+T [0 C%d] "SET" "%s" "%d-%d"' % (index, key, index, round_)
                                for round_ in range(20) for key in keys]


def test_monitors_leaving_stop_the_feed(ferrite):
    monitor = RawConnection(ferrite.port)
    assert monitor.command("MONITOR") == b"+OK\r\n"
    with RawConnection(ferrite.port) as client:
        assert client.command("SET", "k", "1") == b"+OK\r\n"
        assert read_lines(monitor, 1)[0].endswith(b'"SET" "k" "1"')
        monitor.close()
        time.sleep(0.2)
        for _ in range(100):
            assert client.command("INCR", "k").startswith(b":")
        with RawConnection(ferrite.port) as late:
            assert late.command("MONITOR") == b"+OK\r\n"
            assert client.command("GET", "k") == b"$3\r\n101\r\n"
            assert read_lines(late, 1)[0].endswith(b'"GET" "k"')


def test_a_unix_socket_client_is_named_by_the_socket(spawn_ferrite, spawn_redis, socket_dir):
    for name, spawn in (("ferrite", spawn_ferrite), ("redis", spawn_redis)):
        path = socket_dir / f"{name}.sock"
        server = spawn("--unixsocket", str(path))
        with RawConnection(server.port) as monitor:
            assert monitor.command("MONITOR") == b"+OK\r\n"
            subprocess.run(["redis-cli", "-s", str(path), "SET", "u", "1"], check=True, capture_output=True, timeout=30)
            line = read_lines(monitor, 1)[0]
            assert re.fullmatch(rb'\+\d+\.\d{6} \[0 unix:%s\] "SET" "u" "1"' % re.escape(str(path).encode()), line), (name, line)


def test_redis_cli_monitor(ferrite):
    with subprocess.Popen(["redis-cli", "-p", str(ferrite.port), "monitor"], stdout=subprocess.PIPE, text=True) as cli:
        try:
            assert cli.stdout.readline() == "OK\n"
            with RawConnection(ferrite.port) as client:
                client.command("SET", "greeting", "hello world")
            line = cli.stdout.readline()
            assert re.fullmatch(r'\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "greeting" "hello world"\n', line), line
        finally:
            cli.kill()
