"""DEBUG and `enable-debug-command`, each scenario run against a private Ferrite and a private
real redis-server started with the same options, replies compared byte for byte: the refusal
with `no` (the default) and with `local` from a non-local client, and where Redis makes it
(after the arity check, before authentication, a transaction doomed), counted as a rejected
call in INFO commandstats and errorstats and kept out of SLOWLOG; CONFIG GET/SET of the
directive; `local` admitting loopback and Unix socket clients; the subcommands Ferrite has
(HELP, SLEEP, OBJECT with its address, LRU clock and idle time normalised, SET-ACTIVE-EXPIRE,
PROTOCOL in RESP2 and RESP3, LOG, STRINGMATCH-TEST) and the error for every other; and
SET-ACTIVE-EXPIRE 0 leaving expired keys in place on every shard until it is turned back on."""

from __future__ import annotations

import re
import socket
import time

import pytest

from harness.raw import RawConnection, encode
from harness.servers import ferrite_binary, is_real_redis, remote_address

REFUSED = (b"-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can "
           b"run it from a local connection, otherwise you need to set this option in the configuration file, "
           b"and then restart the server.\r\n")
NOAUTH = b"-NOAUTH Authentication required.\r\n"
PROTOCOL_TYPES = ["string", "integer", "double", "bignum", "null", "array", "set", "map", "attrib", "push",
                  "verbatim", "true", "false", "nosuchtype"]


def spawn_pair(spawn_ferrite, spawn_redis, *extra: str) -> dict:
    return {"ferrite": spawn_ferrite(*extra), "redis": spawn_redis(*extra)}


def replies(server, commands: list[list], host: str = "127.0.0.1") -> list[bytes]:
    """Each command's reply, sent one at a time on one new connection."""
    with RawConnection(server.port, host=host) as conn:
        return [conn.command(*command) for command in commands]


def same_on_both(servers: dict, commands: list[list], host: str = "127.0.0.1", normalise=lambda r: r) -> list[bytes]:
    got = {name: [normalise(reply) for reply in replies(server, commands, host)] for name, server in servers.items()}
    for command, ours, theirs in zip(commands, got["ferrite"], got["redis"]):
        assert ours == theirs, f"{command}: ferrite {ours!r}, redis {theirs!r}"
    return got["ferrite"]


def debug_stats(server) -> tuple[bytes, bytes, bytes]:
    """DEBUG's commandstats line (time normalised), the errorstats section and
    total_error_replies."""
    commandstats = RawConnection(server.port).command("INFO", "commandstats")
    line = re.search(rb"cmdstat_debug:[^\r]*", commandstats)
    line = re.sub(rb"usec=\d+,usec_per_call=[\d.]+", b"usec=U", line.group(0)) if line else b""
    errorstats = RawConnection(server.port).command("INFO", "errorstats")
    stats = RawConnection(server.port).command("INFO", "stats")
    total = re.search(rb"total_error_replies:\d+", stats).group(0)
    return line, errorstats.split(b"\r\n", 1)[1], total


def slowlog_commands(server) -> list[bytes]:
    """The command names SLOWLOG GET -1 lists, newest first."""
    reply = RawConnection(server.port).command("SLOWLOG", "GET", "-1")
    return re.findall(rb"\*\d+\r\n\$\d+\r\n([a-zA-Z]+)\r\n", reply)


@pytest.mark.parametrize("setting", [None, "no"])
def test_refused_unless_enabled(spawn_ferrite, spawn_redis, setting):
    extra = ("--enable-debug-command", setting) if setting else ()
    servers = spawn_pair(spawn_ferrite, spawn_redis, *extra, "--slowlog-log-slower-than", "0")
    got = same_on_both(servers, [
        ["DEBUG", "HELP"], ["debug", "sleep", "0"], ["DEBUG", "NOSUCH", "a", "b"],
        ["DEBUG"],  # the arity check comes first
        ["MULTI"], ["DEBUG", "HELP"], ["PING"], ["EXEC"],
        ["CONFIG", "GET", "enable-debug-command"],
        ["CONFIG", "SET", "enable-debug-command", "yes"],
    ])
    assert got[0] == got[1] == got[2] == got[5] == REFUSED
    assert got[3] == b"-ERR wrong number of arguments for 'debug' command\r\n"
    assert got[7].startswith(b"-EXECABORT")
    stats = {name: debug_stats(server) for name, server in servers.items()}
    assert stats["ferrite"] == stats["redis"]
    assert stats["ferrite"][0] == b"cmdstat_debug:calls=0,usec=U,rejected_calls=5,failed_calls=0"
    for server in servers.values():
        assert b"debug" not in [name.lower() for name in slowlog_commands(server)], server.name


def test_refused_before_authentication(spawn_ferrite, spawn_redis):
    """Redis checks the protection before the password; allowed, DEBUG then needs AUTH."""
    for setting, expected in (("no", REFUSED), ("yes", NOAUTH)):
        servers = spawn_pair(spawn_ferrite, spawn_redis, "--requirepass", "pw", "--enable-debug-command", setting)
        got = same_on_both(servers, [["DEBUG", "HELP"], ["AUTH", "pw"], ["DEBUG", "PROTOCOL", "integer"]])
        assert got == [expected, b"+OK\r\n", b":12345\r\n" if setting == "yes" else REFUSED]


@pytest.mark.parametrize("setting", ["no", "yes", "local", "LOCAL"])
def test_config_get_and_immutable_set(spawn_ferrite, spawn_redis, setting):
    servers = spawn_pair(spawn_ferrite, spawn_redis, "--enable-debug-command", setting)
    got = same_on_both(servers, [
        ["CONFIG", "GET", "enable-debug-command"], ["CONFIG", "GET", "enable-debug-*"],
        ["CONFIG", "SET", "enable-debug-command", "no"], ["CONFIG", "SET", "enable-debug-command", "maybe"],
    ])
    assert got[0] == b"*2\r\n$20\r\nenable-debug-command\r\n$%d\r\n%s\r\n" % (len(setting), setting.lower().encode())
    assert got[2] == (b"-ERR CONFIG SET failed (possibly related to argument 'enable-debug-command') - "
                      b"can't set immutable config\r\n")


def test_local_admits_loopback_and_unix_socket_clients(spawn_ferrite, spawn_redis, socket_dir):
    servers = {
        "ferrite": spawn_ferrite("--enable-debug-command", "local", "--unixsocket", str(socket_dir / "f.sock")),
        "redis": spawn_redis("--enable-debug-command", "local", "--unixsocket", str(socket_dir / "r.sock")),
    }
    assert same_on_both(servers, [["DEBUG", "PROTOCOL", "string"]]) == [b"$11\r\nHello World\r\n"]
    for name, path in (("ferrite", "f.sock"), ("redis", "r.sock")):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(5)
            conn.connect(str(socket_dir / path))
            conn.sendall(encode("DEBUG", "PROTOCOL", "integer"))
            assert conn.recv(100) == b":12345\r\n", name


def test_local_refuses_remote_clients(spawn_ferrite, spawn_redis):
    address = remote_address()
    if address is None:
        pytest.skip("no non-loopback address to connect from")
    servers = spawn_pair(spawn_ferrite, spawn_redis, "--bind", f"{address} 127.0.0.1", "--protected-mode", "no",
                         "--enable-debug-command", "local")
    got = same_on_both(servers, [["DEBUG", "HELP"], ["DEBUG", "SLEEP", "0"]], host=address)
    assert got == [REFUSED, REFUSED]
    assert same_on_both(servers, [["DEBUG", "SLEEP", "0"]]) == [b"+OK\r\n"]
    stats = {name: debug_stats(server) for name, server in servers.items()}
    assert stats["ferrite"] == stats["redis"]
    assert stats["ferrite"][0] == b"cmdstat_debug:calls=1,usec=U,rejected_calls=2,failed_calls=0"


@pytest.fixture
def enabled(spawn_ferrite, spawn_redis):
    return spawn_pair(spawn_ferrite, spawn_redis, "--enable-debug-command", "yes", "--slowlog-log-slower-than", "0")


def test_help_and_unknown_subcommands(enabled):
    got = same_on_both(enabled, [
        ["DEBUG", "HELP"], ["debug", "help"], ["DEBUG", "HELP", "extra"],
        ["DEBUG", "NOSUCH"], ["DEBUG", "STRINGMATCH-LEN"],
        ["DEBUG", "SLEEP"], ["DEBUG", "OBJECT"], ["DEBUG", "OBJECT", "a", "b"], ["DEBUG", "PROTOCOL"],
        ["DEBUG", "SET-ACTIVE-EXPIRE"], ["DEBUG", "LOG"], ["DEBUG", "STRINGMATCH-TEST", "x"],
        ["DEBUG", "x" * 200],
    ])
    assert got[0].startswith(b"*106\r\n+DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n")
    assert got[3] == b"-ERR unknown subcommand or wrong number of arguments for 'NOSUCH'. Try DEBUG HELP.\r\n"
    if not is_real_redis(ferrite_binary()):
        # Subcommands Redis has and Ferrite does not answer as unknown ones.
        for name in ("RELOAD", "DIGEST", "POPULATE", "SEGFAULT"):
            assert replies(enabled["ferrite"], [["DEBUG", name]]) == [
                b"-ERR unknown subcommand or wrong number of arguments for '%s'. Try DEBUG HELP.\r\n" % name.encode()]


def test_simple_subcommands_and_their_counters(enabled):
    got = same_on_both(enabled, [
        ["DEBUG", "SLEEP", "0"], ["DEBUG", "SLEEP", "0.05"], ["DEBUG", "SLEEP", "abc"], ["DEBUG", "SLEEP", "-1"],
        ["DEBUG", "LOG", "hello from the test"], ["DEBUG", "SET-ACTIVE-EXPIRE", "1"],
        ["DEBUG", "SET-ACTIVE-EXPIRE", "yes"], ["DEBUG", "SET-ACTIVE-EXPIRE", "1"],
        ["DEBUG", "STRINGMATCH-TEST"], ["DEBUG", "NOSUCH"], ["DEBUG", "OBJECT", "missing"],
    ])
    assert got[8] == b"+Apparently Redis did not crash: test passed\r\n"
    stats = {name: debug_stats(server) for name, server in enabled.items()}
    assert stats["ferrite"] == stats["redis"]
    assert stats["ferrite"][0] == b"cmdstat_debug:calls=11,usec=U,rejected_calls=0,failed_calls=2"
    for server in enabled.values():
        assert [name.lower() for name in slowlog_commands(server)].count(b"debug") == 11, server.name
    assert b"DEBUG LOG: hello from the test" in enabled["ferrite"].log_path.read_bytes()


def test_sleep_stops_the_server(enabled):
    for server in enabled.values():
        with RawConnection(server.port) as sleeper, RawConnection(server.port) as other:
            sleeper.send(encode("DEBUG", "SLEEP", "0.3"))
            time.sleep(0.05)
            started = time.monotonic()
            assert other.command("PING") == b"+PONG\r\n"
            assert time.monotonic() - started > 0.15, server.name
            assert sleeper.read_reply() == b"+OK\r\n"


@pytest.mark.parametrize("resp", [2, 3])
def test_protocol_replies(enabled, resp):
    """Every type pipelined on one connection; attrib and push write two values each, so the
    bytes are read up to the last reply, the error for an unknown type."""
    pipeline = b"".join(encode("DEBUG", "PROTOCOL", kind) for kind in PROTOCOL_TYPES)
    got = {}
    for name, server in enabled.items():
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as conn:
            conn.sendall(encode("HELLO", str(resp)))
            time.sleep(0.2)
            conn.recv(65536)  # HELLO's reply: the servers' names and versions differ
            conn.sendall(pipeline)
            data = b""
            while not data.endswith(b"push|verbatim|true|false\r\n"):
                chunk = conn.recv(65536)
                assert chunk, name
                data += chunk
            got[name] = data
    assert got["ferrite"] == got["redis"]
    if resp == 3:
        assert b",3.141\r\n(1234567999999999999999999999999999999\r\n" in got["ferrite"]
        assert b"|1\r\n$14\r\nkey-popularity\r\n" in got["ferrite"]
        assert b">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n" in got["ferrite"]
    else:
        assert b"-ERR RESP2 is not supported by this command\r\n" in got["ferrite"]


def _normalise_object(reply: bytes) -> bytes:
    return re.sub(rb"at:0x[0-9a-f]+ (.*) lru:\d+ lru_seconds_idle:\d+", rb"at:ADDR \1 lru:L lru_seconds_idle:I", reply)


def test_object(enabled):
    values = ["hello", "123", "9999", "10000", "-5", "-129", "40000", "3000000000", "12345678901",
              "007", "+1", "1.5", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH",
              "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHI", ""]
    commands = []
    for index, value in enumerate(values):
        commands += [["SET", f"key:{index}", value], ["DEBUG", "OBJECT", f"key:{index}"]]
    commands += [["SETRANGE", "key:0", "2", "LL"], ["DEBUG", "OBJECT", "key:0"], ["INCR", "key:1"],
                 ["DEBUG", "OBJECT", "key:1"], ["APPEND", "key:2", "1"], ["DEBUG", "OBJECT", "key:2"],
                 ["DEBUG", "OBJECT", "missing"]]
    got = same_on_both(enabled, commands, normalise=_normalise_object)
    assert got[1] == b"+Value at:ADDR refcount:1 encoding:embstr serializedlength:6 lru:L lru_seconds_idle:I\r\n"
    assert got[3] == b"+Value at:ADDR refcount:2147483647 encoding:int serializedlength:2 lru:L lru_seconds_idle:I\r\n"
    assert got[-1] == b"-ERR no such key\r\n"
    for server in enabled.values():
        reply = RawConnection(server.port).command("DEBUG", "OBJECT", "key:0")
        assert re.fullmatch(rb"\+Value at:0x[0-9a-f]+ .* lru:\d+ lru_seconds_idle:\d+\r\n", reply), reply


def test_object_does_not_touch_the_key(enabled):
    for server in enabled.values():
        with RawConnection(server.port) as conn:
            conn.command("SET", "k", "v")
            time.sleep(2.1)
            conn.command("DEBUG", "OBJECT", "k")
            idle = int(conn.command("OBJECT", "IDLETIME", "k")[1:-2])
            assert idle >= 1, server.name


def test_set_active_expire_stops_active_expiry(enabled):
    """Keys over every shard with a 100 ms TTL stay counted by DBSIZE (which touches no key)
    while active expiry is off, remain visible to DEBUG OBJECT, and go once it is back on."""
    count = 64
    for server in enabled.values():
        with RawConnection(server.port) as conn:
            assert conn.command("DEBUG", "SET-ACTIVE-EXPIRE", "0") == b"+OK\r\n"
            conn.send(b"".join(encode("SET", f"ttl:{index}", "v", "PX", "100") for index in range(count)))
            assert conn.read_replies(count) == [b"+OK\r\n"] * count
            time.sleep(1.0)  # ten cron ticks at hz 10
            assert conn.command("DBSIZE") == b":%d\r\n" % count, server.name
            assert conn.command("DEBUG", "OBJECT", "ttl:0").startswith(b"+Value at:"), server.name
            assert conn.command("GET", "ttl:1") == b"$-1\r\n"  # touched: lazily expired
            assert conn.command("DBSIZE") == b":%d\r\n" % (count - 1), server.name
            assert conn.command("DEBUG", "SET-ACTIVE-EXPIRE", "1") == b"+OK\r\n"
            deadline = time.monotonic() + 5
            while conn.command("DBSIZE") != b":0\r\n":
                assert time.monotonic() < deadline, server.name
                time.sleep(0.1)
