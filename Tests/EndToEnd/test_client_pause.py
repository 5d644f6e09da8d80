"""CLIENT PAUSE and CLIENT UNPAUSE, each scenario run against Ferrite and a real redis-server:
the errors (the mode is checked before the timeout), timeouts that pause nothing (0, and the
largest, whose end wraps into the past), what a WRITE pause holds (commands flagged write or
may_replicate, an EXEC whose queue holds one, a write inside MULTI before it is queued; not
reads, not a read-only EXEC), what an ALL pause holds (everything, CLIENT UNPAUSE and QUIT
included, but unknown commands and arity errors), a waiting client in CLIENT LIST (`flags=b`,
its command) and INFO (`blocked_clients`), its pipelined commands answered in order after the
pause, a second pause joining the first (the stricter mode, the later end), a pause that ended
leaving no mode behind, and CLIENT UNPAUSE releasing every waiter, on every shard, at once.

Durations differ between two servers, so they are classified before being compared: "at once"
is under `AT_ONCE_MS`; a pause that ends by its timeout is noticed at the server's timer (hz 10,
up to ~100 ms late), so "held" means from `timeout - 20` to `timeout + 600` ms after the
CLIENT PAUSE was sent. Replies are compared byte for byte. The servers are shared by the whole
session: the fixture unpauses both before and after each test."""

from __future__ import annotations

import threading
import time

import pytest

from harness.differential import RespError, parse_reply
from harness.raw import RawConnection, encode

AT_ONCE_MS = 150
EARLY_MS = 20
LATE_MS = 600


@pytest.fixture
def pause_servers(ferrite, redis_ref):
    """Both servers unpaused before and after the test: a pause left behind would hold every
    later test's commands."""
    def unpause(server) -> None:
        with RawConnection(server.port) as conn:
            assert conn.command("CLIENT", "UNPAUSE") == b"+OK\r\n"

    for server in (ferrite, redis_ref):
        unpause(server)
    yield {"ferrite": ferrite, "redis": redis_ref}
    for server in (ferrite, redis_ref):
        unpause(server)


class Pending:
    """Commands sent in one write on `conn`, their replies read by a thread that notes when
    each arrives. The connection is the thread's until `replies()` returns."""

    def __init__(self, conn: RawConnection, *commands: list):
        self.conn = conn
        self.count = len(commands)
        self.arrivals: list[tuple[bytes, float]] = []
        self.error: BaseException | None = None
        self.sent = time.monotonic()
        conn.send(b"".join(encode(*command) for command in commands))
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for _ in range(self.count):
                reply = self.conn.read_reply(timeout=5)
                self.arrivals.append((reply, time.monotonic()))
        except BaseException as error:  # reported by replies()
            self.error = error

    def arrived(self) -> int:
        return len(self.arrivals)

    def wait_for(self, count: int, timeout: float = 5) -> None:
        """Until `count` replies have arrived (the first ones: a pipeline's CLIENT PAUSE)."""
        deadline = time.monotonic() + timeout
        while len(self.arrivals) < count and self.error is None and time.monotonic() < deadline:
            time.sleep(0.001)
        assert len(self.arrivals) >= count, (self.arrivals, self.error)

    def replies(self) -> list[bytes]:
        self.thread.join(10)
        if self.error is not None:
            raise self.error
        return [reply for reply, _ in self.arrivals]

    def after(self, start: float) -> list[float]:
        """Milliseconds from `start` to each reply (all of them read)."""
        self.replies()
        return [(at - start) * 1000 for _, at in self.arrivals]


def _at_once(ms: float) -> str:
    return "at once" if ms < AT_ONCE_MS else f"after {ms:.0f} ms"


def _held(ms: float, timeout: int) -> str:
    """A reply that waited for a pause of `timeout` ms to run out, timed from the pause."""
    if timeout - EARLY_MS <= ms < timeout + LATE_MS:
        return f"held {timeout} ms"
    return f"after {ms:.0f} ms, not held {timeout} ms"


def _timed(conn: RawConnection, *args) -> tuple[bytes, float]:
    start = time.monotonic()
    reply = conn.command(*args)
    return reply, (time.monotonic() - start) * 1000


def _pause(conn: RawConnection, *args) -> float:
    """Sends CLIENT PAUSE `args`, checks its OK, and returns when it was sent."""
    start = time.monotonic()
    assert conn.command("CLIENT", "PAUSE", *args) == b"+OK\r\n"
    return start


def _unpause(conn: RawConnection) -> float:
    start = time.monotonic()
    assert conn.command("CLIENT", "UNPAUSE") == b"+OK\r\n"
    return start


def _named_clients(conn: RawConnection) -> dict[str, tuple[str, str]]:
    """CLIENT LIST as name -> (flags, cmd), for the connections that have a name."""
    clients = {}
    for line in parse_reply(conn.command("CLIENT", "LIST")).decode().splitlines():
        fields = dict(field.split("=", 1) for field in line.split(" ") if "=" in field)
        if fields.get("name"):
            clients[fields["name"]] = (fields["flags"], fields["cmd"])
    return clients


def _blocked_clients(conn: RawConnection) -> str:
    text = parse_reply(conn.command("INFO", "clients")).decode()
    return next(line for line in text.split("\r\n") if line.startswith("blocked_clients:"))


def _connections(port: int, *names: str) -> list[RawConnection]:
    conns = []
    for name in names:
        conn = RawConnection(port)
        assert conn.command("CLIENT", "SETNAME", name) == b"+OK\r\n"
        conns.append(conn)
    return conns


def _close(conns) -> None:
    for conn in conns:
        conn.close()


def _both(pause_servers, scenario) -> dict:
    """The scenario's results on each server; they must be identical. Redis's are returned."""
    got = scenario(pause_servers["ferrite"].port)
    want = scenario(pause_servers["redis"].port)
    assert got == want
    return want


# -- errors ---------------------------------------------------------------------------------------

ERRORS = [
    ["CLIENT", "PAUSE"], ["CLIENT", "PAUSE", "abc"], ["CLIENT", "PAUSE", "1.5"], ["CLIENT", "PAUSE", " 5"],
    ["CLIENT", "PAUSE", "5 "], ["CLIENT", "PAUSE", ""], ["CLIENT", "PAUSE", "+5"], ["CLIENT", "PAUSE", "-0"],
    ["CLIENT", "PAUSE", "0x10"], ["CLIENT", "PAUSE", "9223372036854775808"], ["CLIENT", "PAUSE", "-1"],
    ["CLIENT", "PAUSE", "-9223372036854775808"], ["CLIENT", "PAUSE", "10", "READ"], ["CLIENT", "PAUSE", "10", ""],
    ["CLIENT", "PAUSE", "abc", "READ"], ["CLIENT", "PAUSE", "-1", "NONE"], ["CLIENT", "PAUSE", "10", "WRITE", "x"],
    ["client", "pause", "10", "all", "x"], ["CLIENT", "UNPAUSE", "x"], ["client", "Unpause", "x", "y"],
]


@pytest.mark.parametrize("args", ERRORS, ids=" ".join)
def test_errors_match_redis_and_pause_nothing(pause_servers, args):
    replies = {}
    for label, server in pause_servers.items():
        with RawConnection(server.port) as conn, RawConnection(server.port) as other:
            reply = conn.command(*args)
            write, ms = _timed(other, "SET", "k", "v")
            replies[label] = [reply, write, _at_once(ms)]
    assert replies["ferrite"] == replies["redis"]
    want = replies["redis"]
    assert isinstance(parse_reply(want[0]), RespError) and want[1:] == [b"+OK\r\n", "at once"]
    if args == ["CLIENT", "PAUSE", "abc", "READ"]:
        assert want[0] == b"-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n"
    if args == ["CLIENT", "PAUSE", "10", "WRITE", "x"]:
        assert want[0] == b"-ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.\r\n"


# -- timeouts that pause nothing ------------------------------------------------------------------


def _nothing_scenario(port: int) -> list:
    results = []
    with RawConnection(port) as conn, RawConnection(port) as other:
        for args in (["0"], ["0", "WRITE"], ["9223372036854775807"], ["9223372036854775807", "write"],
                     ["9223372036854775806", "ALL"]):
            results.append(conn.command("CLIENT", "PAUSE", *args))
            for client in (other, conn):
                reply, ms = _timed(client, "SET", "k", "v")
                results.append((reply, _at_once(ms)))
    return results


def test_zero_and_the_largest_timeout_pause_nothing(pause_servers):
    want = _both(pause_servers, _nothing_scenario)
    assert want == [b"+OK\r\n", (b"+OK\r\n", "at once"), (b"+OK\r\n", "at once")] * 5


def _ended_scenario(port: int) -> dict:
    """An ALL pause that is over, then a WRITE pause: reads go on."""
    results = {}
    with RawConnection(port) as conn, RawConnection(port) as other:
        for label, first in (("zero", ["0"]), ("ran out", ["100", "ALL"])):
            conn.command("CLIENT", "PAUSE", *first)
            if label == "ran out":
                time.sleep(0.35)  # past the end and past a timer tick that notices it
            start = _pause(conn, "300", "WRITE")
            reply, ms = _timed(other, "GET", "k")
            results[label] = [reply, _at_once(ms)]
            writer = Pending(other, ["SET", "k", label])
            results[label] += [writer.replies(), _held(writer.after(start)[0], 300)]
    return results


def test_a_pause_that_is_over_leaves_no_mode_behind(pause_servers):
    want = _both(pause_servers, _ended_scenario)
    assert want == {"zero": [b"$-1\r\n", "at once", [b"+OK\r\n"], "held 300 ms"],
                    "ran out": [b"$4\r\nzero\r\n", "at once", [b"+OK\r\n"], "held 300 ms"]}


# -- WRITE ----------------------------------------------------------------------------------------

# name -> command; each waits on its own connection, named so CLIENT LIST can tell them apart.
WRITERS = {
    "set": ["SET", "a", "1"],
    "mset": ["MSET", "b", "2", "c", "3"],
    "del": ["DEL", "d"],
    "incr": ["INCR", "n"],
    "expire": ["EXPIRE", "e", "100"],
    "failing": ["SET", "f", "v", "EX", "abc"],  # still a write command: waits, then fails
}


def _write_scenario(port: int) -> dict:
    results = {}
    with RawConnection(port) as setup:
        results["setup"] = [setup.command("SET", "d", "x"), setup.command("SET", "e", "y")]
    conns = _connections(port, "pauser", "observer", *WRITERS) + [RawConnection(port)]
    pauser, observer, *writers, reader = conns
    try:
        _pause(pauser, "500", "WRITE")
        results["reads"] = [(reply, _at_once(ms)) for reply, ms in (
            _timed(reader, "GET", "d"), _timed(reader, "MGET", "a", "b", "c"), _timed(pauser, "GET", "e"),
            # Rejected before they would run: answered at once.
            _timed(reader, "SET", "a"), _timed(reader, "NOSUCH", "a"))]
        pending = {name: Pending(conn, WRITERS[name]) for name, conn in zip(WRITERS, writers)}
        time.sleep(0.05)
        results["waiting"] = {name: p.arrived() for name, p in pending.items()}
        results["client list"] = _named_clients(observer)
        results["info"] = _blocked_clients(observer)
        # Nothing was written meanwhile.
        results["during"] = observer.command("MGET", "a", "b", "c", "d", "n")
        start = _unpause(observer)
        results["released"] = {name: (p.replies(), _at_once(p.after(start)[0])) for name, p in pending.items()}
        results["after"] = [observer.command("MGET", "a", "b", "c", "d", "n", "f"), observer.command("TTL", "e"),
                            _blocked_clients(observer)]
    finally:
        _close(conns)
    return results


def test_a_write_pause_holds_writes_until_unpause_and_lets_reads_through(pause_servers):
    want = _both(pause_servers, _write_scenario)
    assert want["reads"] == [(b"$1\r\nx\r\n", "at once"), (b"*3\r\n$-1\r\n$-1\r\n$-1\r\n", "at once"),
                             (b"$1\r\ny\r\n", "at once"),
                             (b"-ERR wrong number of arguments for 'set' command\r\n", "at once"),
                             (b"-ERR unknown command 'NOSUCH', with args beginning with: 'a' \r\n", "at once")]
    assert want["waiting"] == dict.fromkeys(WRITERS, 0)
    clients = want["client list"]
    assert clients["pauser"] == ("N", "get") and clients["observer"] == ("N", "client|list")
    assert {name: clients[name] for name in WRITERS} == {name: ("b", args[0].lower()) for name, args in WRITERS.items()}
    assert want["info"] == "blocked_clients:6"
    assert want["released"]["mset"] == ([b"+OK\r\n"], "at once")
    assert want["released"]["failing"] == ([b"-ERR value is not an integer or out of range\r\n"], "at once")
    assert want["after"] == [b"*6\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$-1\r\n$1\r\n1\r\n$-1\r\n", b":100\r\n",
                             "blocked_clients:0"]


def _shards_scenario(port: int) -> dict:
    """Writers on keys of different shards (slots: a 15495, b 3300, c 7365, d 11298: with 2
    shards and with 4, a and b are on two, c and d on two), released together by UNPAUSE."""
    results = {}
    conns = _connections(port, "pauser", "one", "two", "three")
    pauser, *writers = conns
    try:
        _pause(pauser, "500", "WRITE")
        pending = [Pending(writers[0], ["SET", "a", "1"]), Pending(writers[1], ["SET", "b", "2"]),
                   Pending(writers[2], ["MSET", "c", "3", "d", "4"])]
        time.sleep(0.05)
        results["waiting"] = [p.arrived() for p in pending]
        results["info"] = _blocked_clients(pauser)
        results["during"] = pauser.command("MGET", "a", "b", "c", "d")
        start = _unpause(pauser)
        results["released"] = [(p.replies(), _at_once(p.after(start)[0])) for p in pending]
        results["after"] = pauser.command("MGET", "a", "b", "c", "d")
    finally:
        _close(conns)
    return results


def test_unpause_releases_writers_on_every_shard_at_once(pause_servers):
    want = _both(pause_servers, _shards_scenario)
    assert want == {"waiting": [0, 0, 0], "info": "blocked_clients:3",
                    "during": b"*4\r\n$-1\r\n$-1\r\n$-1\r\n$-1\r\n",
                    "released": [([b"+OK\r\n"], "at once")] * 3,
                    "after": b"*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n"}


def _multi_scenario(port: int) -> dict:
    results = {}
    conns = _connections(port, "pauser", "tx", "observer")
    pauser, tx, observer = conns
    try:
        # A write inside MULTI waits before it is queued; a read is queued at once.
        results["multi"] = [tx.command("MULTI")]
        _pause(pauser, "500", "WRITE")
        reply, ms = _timed(tx, "GET", "k")
        results["multi"].append((reply, _at_once(ms)))
        queued = Pending(tx, ["SET", "k", "1"])
        time.sleep(0.05)
        results["queued waiting"] = [queued.arrived(), _named_clients(observer)["tx"], _blocked_clients(observer)]
        start = _unpause(observer)
        results["queued"] = [queued.replies(), _at_once(queued.after(start)[0]), tx.command("EXEC")]
        # EXEC waits when its queue holds a write, also when the transaction is doomed...
        for label, commands in (("exec", [["SET", "k", "2"], ["GET", "k"]]),
                                ("doomed exec", [["SET", "k", "3"], ["SET", "k"]])):
            results[label] = [tx.command("MULTI")] + [tx.command(*command) for command in commands]
            _pause(pauser, "500", "WRITE")
            execution = Pending(tx, ["EXEC"])
            time.sleep(0.05)
            results[label] += [execution.arrived(), _named_clients(observer)["tx"]]
            start = _unpause(observer)
            results[label] += [execution.replies(), _at_once(execution.after(start)[0])]
        # ...and not when it only reads.
        results["read exec"] = [tx.command("MULTI"), tx.command("GET", "k")]
        _pause(pauser, "500", "WRITE")
        reply, ms = _timed(tx, "EXEC")
        results["read exec"] += [reply, _at_once(ms)]
        _unpause(observer)
    finally:
        _close(conns)
    return results


def test_multi_and_exec_under_a_write_pause(pause_servers):
    want = _both(pause_servers, _multi_scenario)
    assert want["multi"] == [b"+OK\r\n", (b"+QUEUED\r\n", "at once")]
    assert want["queued waiting"] == [0, ("xb", "set"), "blocked_clients:1"]
    assert want["queued"] == [[b"+QUEUED\r\n"], "at once", b"*2\r\n$-1\r\n+OK\r\n"]
    assert want["exec"][-4:] == [0, ("xb", "exec"), [b"*2\r\n+OK\r\n$1\r\n2\r\n"], "at once"]
    assert want["doomed exec"][-4:] == [0, ("xb", "exec"),
                                        [b"-EXECABORT Transaction discarded because of previous errors.\r\n"], "at once"]
    assert want["read exec"] == [b"+OK\r\n", b"+QUEUED\r\n", b"*1\r\n$1\r\n2\r\n", "at once"]


def _pipeline_scenario(port: int) -> dict:
    results = {}
    conns = _connections(port, "pauser", "waiter", "observer")
    pauser, waiter, observer = conns
    try:
        # The pausing client's own write, and the read behind it, wait for the end.
        own = Pending(pauser, ["CLIENT", "PAUSE", "300", "WRITE"], ["SET", "z", "1"], ["GET", "z"])
        times = own.after(own.sent)
        results["own"] = [own.replies(), _at_once(times[0])] + [_held(ms, 300) for ms in times[1:]]
        # Another client's pipeline: nothing runs until the pause is lifted, then all in order.
        _pause(pauser, "500", "WRITE")
        pipeline = Pending(waiter, ["SET", "p", "1"], ["GET", "p"], ["PING"], ["INCR", "p"], ["GET", "p"])
        time.sleep(0.05)
        results["waiting"] = [pipeline.arrived(), _named_clients(observer)["waiter"], observer.command("GET", "p")]
        start = _unpause(observer)
        results["released"] = [pipeline.replies(), [_at_once(ms) for ms in pipeline.after(start)]]
    finally:
        _close(conns)
    return results


def test_pipelined_commands_wait_their_turn(pause_servers):
    want = _both(pause_servers, _pipeline_scenario)
    assert want["own"] == [[b"+OK\r\n", b"+OK\r\n", b"$1\r\n1\r\n"], "at once", "held 300 ms", "held 300 ms"]
    assert want["waiting"] == [0, ("b", "set"), b"$-1\r\n"]
    assert want["released"] == [[b"+OK\r\n", b"$1\r\n1\r\n", b"+PONG\r\n", b":2\r\n", b"$1\r\n2\r\n"],
                                ["at once"] * 5]


# -- the end of a pause, ALL, and a second pause --------------------------------------------------


def _timeout_scenario(port: int) -> dict:
    results = {}
    conns = _connections(port, "pauser", "writer", "reader")
    pauser, writer, reader = conns
    try:
        start = _pause(pauser, "300", "WRITE")
        waiting = Pending(writer, ["SET", "k", "1"])
        reply, ms = _timed(reader, "GET", "k")
        results["write"] = [reply, _at_once(ms), waiting.replies(), _held(waiting.after(start)[0], 300)]
    finally:
        _close(conns)
    return results


def test_a_pause_ends_by_its_timeout(pause_servers):
    want = _both(pause_servers, _timeout_scenario)
    assert want["write"] == [b"$-1\r\n", "at once", [b"+OK\r\n"], "held 300 ms"]


def _all_scenario(port: int) -> dict:
    results = {}
    conns = [RawConnection(port) for _ in range(5)]
    pauser, rejected, pinger, reader, unpauser = conns
    try:
        own = Pending(pauser, ["CLIENT", "PAUSE", "300"], ["PING"])
        start = own.sent
        own.wait_for(1)
        # Answered at once: what is refused before it would run.
        results["refused"] = [(reply, _at_once(ms)) for reply, ms in (
            _timed(rejected, "NOSUCH"), _timed(rejected, "GET"), _timed(rejected, "CLIENT", "UNPAUSE", "x"),
            _timed(rejected, "client", "pause"))]
        # Everything else waits for the end, the pauser's own PING and CLIENT UNPAUSE included.
        pending = {"own": own, "ping": Pending(pinger, ["PING"]), "get": Pending(reader, ["GET", "k"]),
                   "unpause": Pending(unpauser, ["CLIENT", "UNPAUSE"])}
        results["held"] = {name: (p.replies(), [_held(ms, 300) for ms in p.after(start)][-1])
                           for name, p in pending.items()}
    finally:
        _close(conns)
    return results


def test_an_all_pause_holds_every_command_but_refused_ones(pause_servers):
    want = _both(pause_servers, _all_scenario)
    assert want["refused"] == [
        (b"-ERR unknown command 'NOSUCH', with args beginning with: \r\n", "at once"),
        (b"-ERR wrong number of arguments for 'get' command\r\n", "at once"),
        (b"-ERR wrong number of arguments for 'client|unpause' command\r\n", "at once"),
        (b"-ERR wrong number of arguments for 'client|pause' command\r\n", "at once")]
    assert want["held"] == {"own": ([b"+OK\r\n", b"+PONG\r\n"], "held 300 ms"),
                            "ping": ([b"+PONG\r\n"], "held 300 ms"), "get": ([b"$-1\r\n"], "held 300 ms"),
                            "unpause": ([b"+OK\r\n"], "held 300 ms")}


def _quit_scenario(port: int) -> dict:
    results = {}
    with RawConnection(port) as pauser:
        for mode in ("WRITE", "ALL"):
            with RawConnection(port) as quitter:
                start = _pause(pauser, "300", mode)
                quitting = Pending(quitter, ["QUIT"])
                ms = quitting.after(start)[0]
                results[mode] = [quitting.replies(), _at_once(ms) if mode == "WRITE" else _held(ms, 300),
                                 quitter.read_until_close(timeout=2)]
            if mode == "WRITE":
                _unpause(pauser)
    return results


def test_quit_waits_for_an_all_pause_only(pause_servers):
    want = _both(pause_servers, _quit_scenario)
    assert want == {"WRITE": [[b"+OK\r\n"], "at once", b""], "ALL": [[b"+OK\r\n"], "held 300 ms", b""]}


def _join_scenario(port: int) -> dict:
    results = {}
    conns = _connections(port, "pauser", "writer", "reader", "observer")
    pauser, writer, reader, observer = conns
    try:
        # Two WRITE pauses: the later end wins, whichever came first.
        for label, first, second in (("shorter second", "300", "100"), ("longer second", "100", "300")):
            start = _pause(pauser, first, "WRITE")
            _pause(pauser, second, "WRITE")
            waiting = Pending(writer, ["SET", "k", label])
            reply, ms = _timed(reader, "GET", "k")
            results[label] = [reply, _at_once(ms), waiting.replies(), _held(waiting.after(start)[0], 300)]
            _unpause(observer)
        # WRITE for 300 ms, then ALL for 100: everything waits for 300 ms.
        start = _pause(pauser, "300", "WRITE")
        _pause(pauser, "100", "ALL")
        pending = [Pending(writer, ["SET", "k", "joined"]), Pending(reader, ["GET", "r"]),
                   Pending(observer, ["PING"])]
        results["stricter"] = [(p.replies(), _held(p.after(start)[0], 300)) for p in pending]
    finally:
        _close(conns)
    return results


def test_a_second_pause_joins_the_first(pause_servers):
    want = _both(pause_servers, _join_scenario)
    assert want["shorter second"] == [b"$-1\r\n", "at once", [b"+OK\r\n"], "held 300 ms"]
    assert want["longer second"] == [b"$14\r\nshorter second\r\n", "at once", [b"+OK\r\n"], "held 300 ms"]
    assert want["stricter"] == [
        ([b"+OK\r\n"], "held 300 ms"), ([b"$-1\r\n"], "held 300 ms"), ([b"+PONG\r\n"], "held 300 ms")]
