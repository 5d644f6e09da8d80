"""requirepass, AUTH and HELLO AUTH, each scenario run against a private Ferrite and a private
real redis-server started with the same options, replies compared byte for byte: what a client
that has not authenticated may run (AUTH, HELLO, QUIT, RESET; unknown commands and arity errors
still answered as such; EXEC refused with EXECABORT), the limits on its frames (more than 10
arguments or a bulk over 16384 bytes close the connection), AUTH's one- and two-argument forms
and their errors, HELLO AUTH taking effect as it is read, RESET forgetting the authentication,
CONFIG SET requirepass at run time (old connections keep their state, new ones must
authenticate; removing the password opens the server again but HELLO still refuses a client
that never authenticated), passwords kept out of SLOWLOG, the counters INFO shows, CLIENT PAUSE
not holding back a refusal, protected mode admitting remote clients once a password is set,
and the real clients (redis-cli -a, redis-py, redis-benchmark -a, ferrite-bench -a)."""

from __future__ import annotations

import re
import subprocess

import pytest

from harness import loadgen
from harness.differential import parse_reply
from harness.raw import RawConnection, encode
from harness.servers import remote_address

PASSWORD = "s3cret pass"
NOAUTH = b"-NOAUTH Authentication required.\r\n"
WRONGPASS = b"-WRONGPASS invalid username-password pair or user is disabled.\r\n"
HELLO_NOAUTH = (b"-NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                b"HELLO AUTH <user> <pass> option can be used to authenticate the client and select "
                b"the RESP protocol version at the same time\r\n")


@pytest.fixture
def pair(spawn_ferrite, spawn_redis):
    """Ferrite and Redis, both started with `requirepass`."""
    return {"ferrite": spawn_ferrite("--requirepass", PASSWORD), "redis": spawn_redis("--requirepass", PASSWORD)}


@pytest.fixture
def open_pair(spawn_ferrite, spawn_redis):
    """Ferrite and Redis without a password."""
    return {"ferrite": spawn_ferrite(), "redis": spawn_redis()}


def replies(server, commands: list[list]) -> list[bytes]:
    """Each command's reply, sent one at a time on one new connection."""
    with RawConnection(server.port) as conn:
        return [conn.command(*command) for command in commands]


def same_on_both(servers, commands: list[list]) -> list[bytes]:
    """The replies, asserted identical on both servers (HELLO's client id aside, which counts
    each server's own connections); returns Ferrite's."""
    got = {name: [re.sub(rb"\$2\r\nid\r\n:\d+\r\n", b"$2\r\nid\r\n:ID\r\n", reply) for reply in replies(server, commands)]
           for name, server in servers.items()}
    for command, ours, theirs in zip(commands, got["ferrite"], got["redis"]):
        assert ours == theirs, f"{command}: ferrite {ours!r}, redis {theirs!r}"
    return got["ferrite"]


def info_field(conn: RawConnection, section: str, field: str) -> str | None:
    text = conn.command("INFO", section).decode()
    match = re.search(rf"^{re.escape(field)}:(.*)\r$", text, re.M)
    return match.group(1) if match else None


def test_an_unauthenticated_client_runs_only_what_redis_allows(pair):
    got = same_on_both(pair, [
        ["GET", "k"], ["PING"], ["NOPE", "x"], ["GET"], ["MULTI"], ["EXEC"], ["DISCARD"],
        ["CLIENT", "LIST"], ["CONFIG", "GET", "requirepass"], ["SET", "k", "v"],
        ["HELLO"], ["HELLO", "3"], ["HELLO", "4"], ["HELLO", "3", "SETNAME", "early"],
        ["AUTH"], ["AUTH", "a", "b", "c"], ["AUTH", "wrong"], ["AUTH", "other", PASSWORD],
        ["AUTH", "DEFAULT", PASSWORD], ["GET", "k"],
        ["AUTH", PASSWORD], ["GET", "k"], ["CLIENT", "GETNAME"], ["AUTH", "wrong"], ["GET", "k"],
        ["QUIT"],
    ])
    assert got[0] == NOAUTH and got[5].startswith(b"-EXECABORT") and got[10] == HELLO_NOAUTH
    assert got[16] == WRONGPASS and got[20] == b"+OK\r\n" and got[21] == b"$-1\r\n"
    assert got[22] == b"$5\r\nearly\r\n"  # HELLO's SETNAME took effect before its NOAUTH
    assert got[24] == b"$-1\r\n"  # a failed AUTH leaves an authenticated client so


def test_refusals_are_counted_as_redis_counts_them(pair):
    commands = [["GET", "k"], ["PING"], ["EXEC"], ["HELLO", "3"], ["AUTH", "wrong"], ["AUTH", PASSWORD],
                ["MULTI"], ["AUTH", "wrong"], ["AUTH", "default", PASSWORD], ["EXEC"], ["INFO", "errorstats"]]
    got = same_on_both(pair, commands)
    assert got[9] == b"*2\r\n" + WRONGPASS + b"+OK\r\n"
    for server in pair.values():
        with RawConnection(server.port) as conn:
            assert conn.command("AUTH", PASSWORD) == b"+OK\r\n"
            stats = conn.command("INFO", "commandstats").decode()
        assert re.search(r"cmdstat_get:calls=0,.*rejected_calls=1,failed_calls=0", stats), stats
        assert re.search(r"cmdstat_exec:calls=1,.*rejected_calls=1,failed_calls=0", stats), stats
        assert re.search(r"cmdstat_auth:calls=5,.*rejected_calls=0,failed_calls=2", stats), stats
        assert re.search(r"cmdstat_hello:calls=1,.*rejected_calls=0,failed_calls=1", stats), stats


def test_hello_auth_authenticates_as_it_is_read(pair):
    got = same_on_both(pair, [
        ["HELLO", "3", "AUTH", "default", "wrong"], ["GET", "k"],
        ["HELLO", "3", "AUTH", "default"], ["GET", "k"],
        ["HELLO", "2", "AUTH", "default", PASSWORD, "SETNAME", "bad name"], ["GET", "k"],
        ["HELLO", "2", "AUTH", "default", PASSWORD, "BOGUS"], ["CLIENT", "GETNAME"],
        ["HELLO", "2", "SETNAME", "fine", "AUTH", "default", "wrong"], ["CLIENT", "GETNAME"],
    ])
    assert got[0] == WRONGPASS and got[1] == NOAUTH and got[5] == b"$-1\r\n"
    for server in pair.values():
        with RawConnection(server.port) as conn:
            reply = conn.command("HELLO", "3", "AUTH", "default", PASSWORD, "SETNAME", "n")
            assert reply.startswith(b"%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"), reply
            assert conn.command("CLIENT", "GETNAME") == b"$1\r\nn\r\n"


def test_reset_forgets_the_authentication(pair):
    got = same_on_both(pair, [["AUTH", PASSWORD], ["SET", "k", "v"], ["RESET"], ["GET", "k"],
                              ["AUTH", "default", PASSWORD], ["GET", "k"]])
    assert got[2] == b"+RESET\r\n" and got[3] == NOAUTH and got[5] == b"$1\r\nv\r\n"


@pytest.mark.parametrize("frame, expected", [
    (b"*11\r\n", b"-ERR Protocol error: unauthenticated multibulk length\r\n"),
    (b"*2\r\n$3\r\nGET\r\n$16385\r\n", b"-ERR Protocol error: unauthenticated bulk length\r\n"),
])
def test_an_unauthenticated_client_cannot_send_large_frames(pair, frame, expected):
    for name, server in pair.items():
        with RawConnection(server.port) as conn:
            conn.send(frame)
            assert conn.read_until_close() == expected, name


def test_frames_within_the_limits_and_after_auth_are_accepted(pair):
    at_limit = encode("ECHO", "x" * 16384)
    ten = encode("DEL", *["k"] * 9)  # 10 arguments: refused, but no protocol error
    big = encode("MSET", *["k", "v" * 20000] * 10)
    for name, server in pair.items():
        with RawConnection(server.port) as conn:
            assert conn.exchange(at_limit, 1) == NOAUTH, name
            assert conn.exchange(ten, 1) == NOAUTH, name
            # AUTH and a large frame in one write: the second is parsed as authenticated.
            assert conn.exchange(encode("AUTH", PASSWORD) + big, 2) == b"+OK\r\n+OK\r\n", name
            assert conn.command("STRLEN", "k") == b":20000\r\n", name


def test_auth_without_a_configured_password(open_pair):
    got = same_on_both(open_pair, [
        ["AUTH", "anything"], ["AUTH", "default", "anything"], ["AUTH", "someone", "anything"],
        ["HELLO", "3", "AUTH", "default", "whatever"], ["HELLO", "2", "AUTH", "nobody", "x"], ["PING"],
    ])
    assert got[0] == (b"-ERR AUTH <password> called without any password configured for the default user. "
                      b"Are you sure your configuration is correct?\r\n")
    assert got[1] == b"+OK\r\n" and got[2] == WRONGPASS and got[5] == b"+PONG\r\n"


def test_config_set_requirepass_at_run_time(open_pair):
    for name, server in open_pair.items():
        with RawConnection(server.port) as before, RawConnection(server.port) as admin:
            assert admin.command("CONFIG", "SET", "requirepass", "pw") == b"+OK\r\n", name
            assert admin.command("CONFIG", "GET", "requirepass") == b"*2\r\n$11\r\nrequirepass\r\n$2\r\npw\r\n"
            # Connections made before the password keep running; new ones must authenticate.
            assert before.command("SET", "k", "v") == b"+OK\r\n", name
            with RawConnection(server.port) as after:
                assert after.command("GET", "k") == NOAUTH, name
                assert after.command("HELLO") == HELLO_NOAUTH, name
                assert admin.command("CONFIG", "SET", "requirepass", "") == b"+OK\r\n", name
                # No password: everyone runs commands again, but HELLO still asks the client
                # that never authenticated to (Redis checks its flag alone).
                assert after.command("GET", "k") == b"$1\r\nv\r\n", name
                assert after.command("HELLO") == HELLO_NOAUTH, name
                assert after.command("AUTH", "default", "x") == b"+OK\r\n", name
                assert after.command("HELLO").startswith(b"*14\r\n"), name
            assert admin.command("CONFIG", "GET", "requirepass") == b"*2\r\n$11\r\nrequirepass\r\n$0\r\n\r\n"


def test_passwords_never_reach_the_slow_log(pair):
    commands = [["AUTH", PASSWORD], ["CONFIG", "SET", "slowlog-log-slower-than", "0"], ["SLOWLOG", "RESET"],
                ["AUTH", "default", PASSWORD], ["AUTH", "wrong"], ["HELLO", "2", "AUTH", "default", PASSWORD],
                ["CONFIG", "SET", "requirepass", PASSWORD, "hz", "10"],
                ["CONFIG", "SET", "hz", "nope", "requirepass", "other"]]
    logged = {}
    for name, server in pair.items():
        with RawConnection(server.port) as conn:
            for command in commands:
                conn.command(*command)
            logged[name] = conn.command("SLOWLOG", "GET", "20")
    for name, log in logged.items():
        assert PASSWORD.encode() not in log and b"other" not in log, (name, log)
    # Each entry: id, time, duration, arguments, peer, name; the arguments must match.
    arguments = {name: [entry[3] for entry in parse_reply(log)] for name, log in logged.items()}
    assert arguments["ferrite"] == arguments["redis"]
    assert sum(entry.count(b"(redacted)") for entry in arguments["ferrite"]) == 7


def test_client_pause_does_not_hold_back_a_refusal(pair):
    for name, server in pair.items():
        with RawConnection(server.port) as admin, RawConnection(server.port) as stranger:
            assert admin.command("AUTH", PASSWORD) == b"+OK\r\n"
            assert admin.command("CLIENT", "PAUSE", "3000", "ALL") == b"+OK\r\n"
            try:
                assert stranger.command("GET", "k") == NOAUTH, name
            finally:
                assert admin.command("CLIENT", "UNPAUSE") == b"+OK\r\n"


@pytest.mark.parametrize("password", [None, PASSWORD])
def test_protected_mode_admits_remote_clients_once_a_password_is_set(spawn_ferrite, spawn_redis, password):
    address = remote_address()
    if address is None:
        pytest.skip("no non-loopback address to connect from")
    extra = ("--bind", f"{address} 127.0.0.1", "--protected-mode", "yes")
    if password:
        extra += ("--requirepass", password)
    for server in (spawn_ferrite(*extra), spawn_redis(*extra)):
        with RawConnection(server.port, host=address) as conn:
            conn.send(encode("GET", "k"))
            if password:
                assert conn.read_reply() == NOAUTH, server.name
            else:
                assert conn.read_until_close().startswith(b"-DENIED "), server.name


def test_real_clients_authenticate(pair):
    server = pair["ferrite"]
    cli = subprocess.run(["redis-cli", "-p", str(server.port), "-a", PASSWORD, "--no-auth-warning", "SET", "c", "1"],
                         capture_output=True, text=True, timeout=30)
    assert cli.stdout == "OK\n", cli
    denied = subprocess.run(["redis-cli", "-p", str(server.port), "GET", "c"], capture_output=True, text=True, timeout=30)
    assert denied.stdout.startswith("NOAUTH Authentication required."), denied

    redis = pytest.importorskip("redis")
    client = redis.Redis(port=server.port, password=PASSWORD, protocol=3)
    assert client.incr("c") == 2
    with pytest.raises(redis.AuthenticationError):
        redis.Redis(port=server.port, password="wrong").ping()
    client.close()

    bench = subprocess.run(["redis-benchmark", "-p", str(server.port), "-a", PASSWORD, "-t", "set", "-n", "2000",
                            "-r", "100", "-q"], capture_output=True, text=True, timeout=120)
    assert bench.returncode == 0 and "SET:" in bench.stdout, bench

    result = loadgen.run_bench(server.port, "-a", PASSWORD, "-t", "1", "-c", "2", "-n", "200", "--ratio=1:1")
    assert result.returncode == 0, result.stderr
    assert result.stats()["Totals"]["Count"] == 400 and result.stats()["Totals"]["Errors"] == 0, result.stats()
    wrong = loadgen.run_bench(server.port, "-a", "wrong", "-t", "1", "-c", "1", "-n", "10", json_out=False)
    assert wrong.returncode == 1 and "WRONGPASS" in wrong.stderr, wrong
