"""Transactions (MULTI, EXEC, DISCARD, WATCH, UNWATCH) on one server, each case run in lockstep
against real Redis 7.0 with the reply bytes compared, in RESP2 and RESP3:

* queueing and EXEC's array (errors inside it do not stop the commands after them), the empty
  transaction, SELECT inside MULTI, whole transactions pipelined in one write, QUIT inside MULTI;
* errors: nested MULTI and WATCH inside MULTI (refused, the transaction goes on), EXEC and
  DISCARD without MULTI, commands refused while queueing (unknown, wrong arity, SHUTDOWN), which
  make EXEC answer EXECABORT and run nothing;
* WATCH: a table of what does and does not abort EXEC (writes that change nothing, SETBIT and
  BITFIELD writing what is already there, flushes, SWAPDB, MOVE, expiry before and after
  WATCH, the watcher's own writes…), each case asserting
  Redis's outcome as well as the same bytes from both servers; what ends a WATCH;
* CLIENT INFO / CLIENT LIST inside a transaction, INFO commandstats and errorstats after one;
* redis-py's transactional pipelines and `Redis.transaction` retrying on WatchError.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
import redis

from harness.compare import normalize_client_id, same_replies, same_until_close
from harness.raw import RawConnection, encode
from test_server_commands import CLIENT_FIELDS_COMPARED, client_fields, commandstats, info_sections, parsed

PROTOCOLS = [2, 3]
OK = b"+OK\r\n"
QUEUED = b"+QUEUED\r\n"
NULL_EXEC = {2: b"*-1\r\n", 3: b"_\r\n"}
NULL_BULK = {2: b"$-1\r\n", 3: b"_\r\n"}
EXECABORT = b"-EXECABORT Transaction discarded because of previous errors.\r\n"
NOT_INTEGER = b"-ERR value is not an integer or out of range\r\n"
EXPIRY_PAUSE = 0.15  # lets a PX 50 key run out


class Lockstep:
    """One connection to the server under test and one to Redis: every command goes to both
    and must get the same bytes back (and `expect`, when given)."""

    def __init__(self, ferrite, redis_ref, protocol: int = 2):
        self.protocol = protocol
        self.conns = [RawConnection(ferrite.port), RawConnection(redis_ref.port)]
        if protocol == 3:
            for conn in self.conns:
                assert conn.command("HELLO", "3").startswith(b"%7\r\n")

    def __call__(self, *args, expect: bytes | None = None) -> bytes:
        ours, theirs = (conn.command(*args) for conn in self.conns)
        assert ours == theirs, f"{args} (RESP{self.protocol})\n ferrite: {ours[:300]!r}\n   redis: {theirs[:300]!r}"
        if expect is not None:
            assert ours == expect, f"{args} (RESP{self.protocol}): both servers answered {ours[:300]!r}"
        return ours

    def close(self) -> None:
        for conn in self.conns:
            conn.close()


@pytest.fixture
def lockstep(ferrite, redis_ref):
    """Opens `Lockstep` connection pairs (RESP2 unless asked), closed after the test."""
    opened: list[Lockstep] = []

    def open_pair(protocol: int = 2) -> Lockstep:
        opened.append(Lockstep(ferrite, redis_ref, protocol))
        return opened[-1]

    yield open_pair
    for pair in opened:
        pair.close()


# -- queueing and EXEC -------------------------------------------------------------------------

@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_exec_replies_with_every_queued_reply_errors_included(lockstep, protocol):
    c = lockstep(protocol)
    c("MULTI", expect=OK)
    for command in (("SET", "s", "abc"), ("INCR", "s"), ("GET", "missing"), ("SET", "t", "1"),
                    ("INCRBY", "t", "2"), ("GET", "t"), ("APPEND", "s", "d")):
        c(*command, expect=QUEUED)
    c("EXEC", expect=b"*7\r\n+OK\r\n" + NOT_INTEGER + NULL_BULK[protocol] + b"+OK\r\n:3\r\n$1\r\n3\r\n:4\r\n")
    # Out of the transaction again: commands run at once.
    c("MGET", "s", "t", expect=b"*2\r\n$4\r\nabcd\r\n$1\r\n3\r\n")
    c("EXEC", expect=b"-ERR EXEC without MULTI\r\n")


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_empty_transaction_and_discard(lockstep, protocol):
    c = lockstep(protocol)
    c("MULTI", expect=OK)
    c("EXEC", expect=b"*0\r\n")
    c("MULTI", expect=OK)
    c("SET", "k", "v", expect=QUEUED)
    c("DISCARD", expect=OK)
    c("GET", "k", expect=NULL_BULK[protocol])
    c("multi", expect=OK)
    c("exec", expect=b"*0\r\n")


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_exec_and_discard_without_multi_are_errors(lockstep, protocol):
    c = lockstep(protocol)
    c("EXEC", expect=b"-ERR EXEC without MULTI\r\n")
    c("DISCARD", expect=b"-ERR DISCARD without MULTI\r\n")
    c("MULTI", expect=OK)
    c("DISCARD", expect=OK)
    c("DISCARD", expect=b"-ERR DISCARD without MULTI\r\n")
    c("MULTI", "extra", expect=b"-ERR wrong number of arguments for 'multi' command\r\n")
    c("DISCARD", "extra", expect=b"-ERR wrong number of arguments for 'discard' command\r\n")
    # Redis answers a refused EXEC with EXECABORT, inside MULTI or not, and discards.
    exec_arity = b"-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n"
    c("EXEC", "extra", expect=exec_arity)
    c("MULTI", expect=OK)
    c("SET", "k", "v", expect=QUEUED)
    c("EXEC", "extra", expect=exec_arity)
    c("EXEC", expect=b"-ERR EXEC without MULTI\r\n")
    c("GET", "k", expect=NULL_BULK[protocol])


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_select_inside_multi_changes_the_connection_db(lockstep, protocol):
    c = lockstep(protocol)
    c("MULTI", expect=OK)
    c("SELECT", "2", expect=QUEUED)
    c("SET", "k", "in db 2", expect=QUEUED)
    c("SELECT", "99", expect=QUEUED)
    c("SET", "j", "also in db 2", expect=QUEUED)
    c("EXEC", expect=b"*4\r\n+OK\r\n+OK\r\n-ERR DB index is out of range\r\n+OK\r\n")
    c("GET", "k", expect=b"$7\r\nin db 2\r\n")
    other = lockstep(protocol)
    other("EXISTS", "k", "j", expect=b":0\r\n")
    other("SELECT", "2", expect=OK)
    other("EXISTS", "k", "j", expect=b":2\r\n")


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_nested_multi_and_watch_inside_multi_do_not_abort(lockstep, protocol):
    c = lockstep(protocol)
    c("MULTI", expect=OK)
    c("SET", "a", "1", expect=QUEUED)
    c("MULTI", expect=b"-ERR MULTI calls can not be nested\r\n")
    c("WATCH", "a", expect=b"-ERR WATCH inside MULTI is not allowed\r\n")
    c("INCR", "a", expect=QUEUED)
    c("EXEC", expect=b"*2\r\n+OK\r\n:2\r\n")
    c("GET", "a", expect=b"$1\r\n2\r\n")


QUEUEING_ERRORS = {
    "unknown-command": (("NOSUCH", "x"), b"-ERR unknown command 'NOSUCH', with args beginning with: 'x' \r\n"),
    "get-wrong-arity": (("GET",), b"-ERR wrong number of arguments for 'get' command\r\n"),
    "set-wrong-arity": (("set", "a"), b"-ERR wrong number of arguments for 'set' command\r\n"),
    "shutdown": (("SHUTDOWN",), b"-ERR Command not allowed inside a transaction\r\n"),
    "shutdown-nosave": (("shutdown", "NOSAVE"), b"-ERR Command not allowed inside a transaction\r\n"),
}


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("error", QUEUEING_ERRORS, ids=list(QUEUEING_ERRORS))
def test_command_refused_while_queueing_aborts_exec(lockstep, ferrite, protocol, error):
    command, reply = QUEUEING_ERRORS[error]
    c = lockstep(protocol)
    c("SET", "a", "1", expect=OK)
    # Step by step: SHUTDOWN is only ever sent to a connection that is inside MULTI.
    c("MULTI", expect=OK)
    c("INCR", "a", expect=QUEUED)
    c(*command, expect=reply)
    c("SET", "b", "2", expect=QUEUED)  # still queued after the error
    c("EXEC", expect=EXECABORT)
    c("MGET", "a", "b", expect=b"*2\r\n$1\r\n1\r\n" + NULL_BULK[protocol])
    c("EXEC", expect=b"-ERR EXEC without MULTI\r\n")
    # DISCARD after a refused command just discards.
    c("MULTI", expect=OK)
    c(*command, expect=reply)
    c("DISCARD", expect=OK)
    c("MULTI", expect=OK)
    c("INCR", "a", expect=QUEUED)
    c("EXEC", expect=b"*1\r\n:2\r\n")
    assert ferrite.alive()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_whole_transactions_pipelined_in_one_write(ferrite, redis_ref, protocol):
    commands = [("HELLO", "3")] if protocol == 3 else []
    for i in range(150):
        p, q, r = f"p{i % 7}", f"q{i % 5}", f"r{i % 3}"
        commands += [("MULTI",), ("SET", p, str(i)), ("INCR", p), ("GET", p), ("SET", "abc", "text"),
                     ("INCR", "abc" if i % 2 else p), ("EXEC",),
                     ("MULTI",), ("NOSUCH",), ("SET", q, "1"), ("EXEC",), ("GET", q),
                     ("MULTI",), ("EXEC",),
                     ("WATCH", p), ("MULTI",), ("INCR", p), ("EXEC",),
                     ("WATCH", q), ("SET", q, "self"), ("MULTI",), ("INCR", q), ("EXEC",), ("GET", q),
                     ("MULTI",), ("MULTI",), ("WATCH", p), ("APPEND", r, "x"), ("DISCARD",),
                     ("EXEC",), ("DISCARD",),
                     ("MULTI",), ("SELECT", str(i % 4)), ("APPEND", r, "y"), ("UNWATCH",), ("EXEC",), ("GET", r)]
    got = same_replies(ferrite, redis_ref, b"".join(encode(*command) for command in commands), len(commands),
                       normalize=normalize_client_id)
    assert got.count(EXECABORT) == 150
    assert got.count(NOT_INTEGER) == 75
    assert got.count(b"-ERR MULTI calls can not be nested\r\n") == 150
    if protocol == 2:
        assert got.count(NULL_EXEC[2]) == 150


def test_quit_inside_multi_closes_and_runs_nothing(ferrite, redis_ref, lockstep):
    got = same_until_close(ferrite, redis_ref, encode("MULTI") + encode("SET", "q", "1") + encode("QUIT"))
    assert got == OK + QUEUED + OK
    for server in (ferrite, redis_ref):  # a connection closed inside MULTI runs nothing either
        with RawConnection(server.port) as conn:
            assert conn.command("MULTI") == OK
            assert conn.command("SET", "r", "1") == QUEUED
    lockstep()("EXISTS", "q", "r", expect=b":0\r\n")


# -- WATCH -------------------------------------------------------------------------------------

SLEEP = ("<sleep>",)  # a pause of EXPIRY_PAUSE instead of a command


@dataclass(frozen=True)
class WatchCase:
    """`setup` runs on the watching connection before WATCH, `actions` on another connection
    (or the watcher itself: `by="self"`) after WATCH, before MULTI or (`when="inside"`) between
    MULTI and EXEC. The transaction is one INCR of a key no action touches."""

    name: str
    setup: tuple
    actions: tuple
    aborts: bool
    by: str = "other"
    when: str = "before"
    watch: tuple = (("k",),)  # the keys of each WATCH command


WATCH_CASES = [
    WatchCase("set-by-another-client", (("SET", "k", "v"),), (("SET", "k", "x"),), True),
    WatchCase("set-of-missing-key", (), (("SET", "k", "x"),), True),
    WatchCase("set-of-another-key", (("SET", "k", "v"),), (("SET", "j", "x"),), False),
    WatchCase("set-same-value", (("SET", "k", "v"),), (("SET", "k", "v"),), True),
    WatchCase("get", (("SET", "k", "v"),), (("GET", "k"),), False),
    WatchCase("touch", (("SET", "k", "v"),), (("TOUCH", "k"),), False),
    WatchCase("del-existing", (("SET", "k", "v"),), (("DEL", "k"),), True),
    WatchCase("del-missing", (), (("DEL", "k"),), False),
    WatchCase("getdel-missing", (), (("GETDEL", "k"),), False),
    WatchCase("incrby-zero", (("SET", "k", "1"),), (("INCRBY", "k", "0"),), True),
    WatchCase("append-empty", (("SET", "k", "v"),), (("APPEND", "k", ""),), True),
    WatchCase("setrange-empty", (("SET", "k", "v"),), (("SETRANGE", "k", "0", ""),), False),
    WatchCase("setnx-failing", (("SET", "k", "v"),), (("SETNX", "k", "x"),), False),
    WatchCase("mset", (("SET", "k", "v"),), (("MSET", "a", "1", "k", "2"),), True),
    WatchCase("msetnx-failing", (("SET", "k", "v"),), (("MSETNX", "a", "1", "k", "2"),), False),
    WatchCase("getex-persist-without-ttl", (("SET", "k", "v"),), (("GETEX", "k", "PERSIST"),), False),
    WatchCase("getex-ex", (("SET", "k", "v"),), (("GETEX", "k", "EX", "100"),), True),
    WatchCase("expire", (("SET", "k", "v"),), (("EXPIRE", "k", "100"),), True),
    WatchCase("expire-negative", (("SET", "k", "v"),), (("EXPIRE", "k", "-1"),), True),
    WatchCase("expire-missing", (), (("EXPIRE", "k", "100"),), False),
    WatchCase("persist-without-ttl", (("SET", "k", "v"),), (("PERSIST", "k"),), False),
    WatchCase("rename-onto", (("SET", "j", "1"), ("SET", "k", "v")), (("RENAME", "j", "k"),), True),
    WatchCase("rename-away", (("SET", "k", "v"),), (("RENAME", "k", "j"),), True),
    WatchCase("renamenx-failing", (("SET", "j", "1"), ("SET", "k", "v")), (("RENAMENX", "j", "k"),), False),
    WatchCase("copy-onto", (("SET", "j", "1"),), (("COPY", "j", "k"),), True),
    WatchCase("copy-onto-existing-without-replace", (("SET", "j", "1"), ("SET", "k", "v")),
              (("COPY", "j", "k"),), False),
    WatchCase("move-to-another-db", (("SET", "k", "v"),), (("MOVE", "k", "1"),), True),
    WatchCase("set-in-another-db", (("SET", "k", "v"),), (("SELECT", "1"), ("SET", "k", "x")), False),
    WatchCase("flushall-key-missing", (("SET", "j", "1"),), (("FLUSHALL",),), False),
    WatchCase("flushall-key-exists", (("SET", "k", "v"),), (("FLUSHALL",),), True),
    WatchCase("flushdb-key-exists", (("SET", "k", "v"),), (("FLUSHDB",),), True),
    WatchCase("flushdb-of-another-db", (("SET", "k", "v"), ("SELECT", "1"), ("SET", "k", "v"), ("SELECT", "0")),
              (("SELECT", "1"), ("FLUSHDB",)), False),
    WatchCase("swapdb-key-only-in-other-db", (("SELECT", "1"), ("SET", "k", "v"), ("SELECT", "0")),
              (("SWAPDB", "0", "1"),), True),
    WatchCase("swapdb-key-only-in-this-db", (("SET", "k", "v"),), (("SWAPDB", "0", "1"),), True),
    WatchCase("swapdb-key-in-neither-db", (("SET", "j", "1"), ("SELECT", "1"), ("SET", "j", "2"), ("SELECT", "0")),
              (("SWAPDB", "0", "1"),), False),
    WatchCase("expires-after-watch", (("SET", "k", "v", "PX", "50"),), (SLEEP,), True),
    WatchCase("expires-after-watch-then-read", (("SET", "k", "v", "PX", "50"),), (SLEEP, ("GET", "k")), True),
    WatchCase("expired-before-watch", (("SET", "k", "v", "PX", "50"), SLEEP), (), False),
    WatchCase("expired-before-watch-then-read", (("SET", "k", "v", "PX", "50"), SLEEP), (("GET", "k"),), False),
    WatchCase("expired-before-watch-then-set", (("SET", "k", "v", "PX", "50"), SLEEP), (("SET", "k", "x"),), True),
    WatchCase("setbit-same-bit", (("SET", "k", "v"),), (("SETBIT", "k", "0", "0"),), False),
    WatchCase("setbit-changing-a-bit", (("SET", "k", "v"),), (("SETBIT", "k", "1", "0"),), True),
    WatchCase("setbit-growing-with-zero", (("SET", "k", "v"),), (("SETBIT", "k", "100", "0"),), True),
    WatchCase("setbit-creating", (), (("SETBIT", "k", "0", "0"),), True),
    WatchCase("bitfield-set-same-value", (("SET", "k", "v"),), (("BITFIELD", "k", "SET", "u8", "0", "118"),), False),
    WatchCase("bitfield-failed-incrby", (("SET", "k", "v"),),
              (("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u8", "0", "300"),), False),
    WatchCase("bitfield-failed-incrby-growing", (("SET", "k", "v"),),
              (("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u8", "8", "300"),), False),
    WatchCase("bitfield-get", (("SET", "k", "v"),), (("BITFIELD", "k", "GET", "u8", "0"),), False),
    WatchCase("bitop-onto", (("SET", "j", "1"),), (("BITOP", "OR", "k", "j"),), True),
    WatchCase("bitop-empty-onto-missing", (), (("BITOP", "OR", "k", "nokey"),), False),
    WatchCase("bitop-empty-deleting", (("SET", "k", "v"),), (("BITOP", "OR", "k", "nokey"),), True),
    WatchCase("own-set", (("SET", "k", "v"),), (("SET", "k", "x"),), True, by="self"),
    WatchCase("own-get", (("SET", "k", "v"),), (("GET", "k"),), False, by="self"),
    WatchCase("set-after-multi", (("SET", "k", "v"),), (("SET", "k", "x"),), True, when="inside"),
    WatchCase("get-after-multi", (("SET", "k", "v"),), (("GET", "k"),), False, when="inside"),
    WatchCase("one-of-several-keys", (), (("SET", "b", "1"),), True, watch=(("a", "k", "b"),)),
    WatchCase("second-watch-adds-keys", (), (("SET", "a", "1"),), True, watch=(("a",), ("k",))),
]


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("case", WATCH_CASES, ids=[case.name for case in WATCH_CASES])
def test_watch_aborts_exec_exactly_when_redis_does(lockstep, protocol, case):
    watcher = lockstep(protocol)
    actor = watcher if case.by == "self" else lockstep()

    def run(connection: Lockstep, commands) -> None:
        for command in commands:
            if command == SLEEP:
                time.sleep(EXPIRY_PAUSE)
            else:
                connection(*command)

    run(watcher, case.setup)
    for keys in case.watch:
        watcher("WATCH", *keys, expect=OK)
    if case.when == "before":
        run(actor, case.actions)
    watcher("MULTI", expect=OK)
    watcher("INCR", "tx:counter", expect=QUEUED)
    if case.when == "inside":
        run(actor, case.actions)
    watcher("EXEC", expect=NULL_EXEC[protocol] if case.aborts else b"*1\r\n:1\r\n")
    check = lockstep()
    check("GET", "tx:counter", expect=b"$-1\r\n" if case.aborts else b"$1\r\n1\r\n")
    # EXEC, run or aborted, ended the WATCH: the same transaction now runs.
    actor("SET", "k", "after")
    watcher("MULTI", expect=OK)
    watcher("INCR", "tx:counter", expect=QUEUED)
    watcher("EXEC", expect=b"*1\r\n:1\r\n" if case.aborts else b"*1\r\n:2\r\n")


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("ender", ["discard", "unwatch", "aborted-exec", "exec"])
def test_watch_ends_with_discard_unwatch_and_exec(lockstep, protocol, ender):
    watcher, other = lockstep(protocol), lockstep()
    watcher("WATCH", "k", "j", expect=OK)
    if ender == "exec":
        watcher("MULTI", expect=OK)
        watcher("EXEC", expect=b"*0\r\n")
    other("SET", "k", "x", expect=OK)
    if ender == "discard":
        watcher("MULTI", expect=OK)
        watcher("DISCARD", expect=OK)
    elif ender == "unwatch":
        watcher("UNWATCH", expect=OK)
    elif ender == "aborted-exec":
        watcher("MULTI", expect=OK)
        watcher("EXEC", expect=NULL_EXEC[protocol])
    other("SET", "j", "x", expect=OK)
    watcher("MULTI", expect=OK)
    watcher("INCR", "n", expect=QUEUED)
    watcher("EXEC", expect=b"*1\r\n:1\r\n")


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_unwatch_inside_multi_is_queued_and_watch_still_applies(lockstep, protocol):
    watcher, other = lockstep(protocol), lockstep()
    watcher("WATCH", "k", expect=OK)
    watcher("MULTI", expect=OK)
    watcher("UNWATCH", expect=QUEUED)
    watcher("SET", "k", "mine", expect=QUEUED)
    other("SET", "k", "theirs", expect=OK)
    watcher("EXEC", expect=NULL_EXEC[protocol])
    other("GET", "k", expect=b"$6\r\ntheirs\r\n")
    watcher("WATCH", "k", expect=OK)
    watcher("MULTI", expect=OK)
    watcher("UNWATCH", expect=QUEUED)
    watcher("SET", "k", "mine", expect=QUEUED)
    watcher("EXEC", expect=b"*2\r\n+OK\r\n+OK\r\n")
    other("GET", "k", expect=b"$4\r\nmine\r\n")
    watcher("UNWATCH", expect=OK)
    watcher("WATCH", expect=b"-ERR wrong number of arguments for 'watch' command\r\n")


# -- CLIENT, INFO ------------------------------------------------------------------------------

def client_line(reply: bytes, protocol: int) -> dict[str, str]:
    kind, text = parsed(reply) if isinstance(reply, bytes) else reply
    assert kind == (b"=" if protocol == 3 else b"$"), reply
    if protocol == 3:
        assert text.startswith(b"txt:")
        text = text[4:]
    assert text.endswith(b"\n") and text.count(b"\n") == 1, text
    return client_fields(text.decode().strip())


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_client_info_and_list_show_the_transaction(ferrite, redis_ref, protocol):
    """The fields test_server_commands compares (CLIENT_FIELDS_COMPARED), the same on both
    servers, before, while queueing (CLIENT LIST from another connection), during EXEC (a queued
    CLIENT INFO) and after. During EXEC the reply being built sits in the output buffer, so obl
    and events are left out there."""
    seen = {}
    for server in (ferrite, redis_ref):
        with RawConnection(server.port) as conn, RawConnection(server.port) as other:
            if protocol == 3:
                conn.command("HELLO", "3")
            own_id = conn.command("CLIENT", "ID")[1:-2].decode()
            before = client_line(conn.command("CLIENT", "INFO"), protocol)
            assert conn.command("MULTI") == OK
            assert conn.command("SET", "k", "v") == QUEUED
            assert conn.command("GET", "k") == QUEUED
            queued = client_line(other.command("CLIENT", "LIST", "ID", own_id), 2)
            assert conn.command("CLIENT", "INFO") == QUEUED
            kind, items = parsed(conn.command("EXEC"))
            assert kind == b"*" and items[:2] == [(b"+", b"OK"), (b"$", b"v")], items
            during = client_line(items[2], protocol)
            after = client_line(conn.command("CLIENT", "INFO"), protocol)
            seen[server.name] = (before, queued, during, after)
    ours, theirs = seen[ferrite.name], seen[redis_ref.name]
    for stage, our_fields, their_fields in zip(("before", "queued", "during", "after"), ours, theirs):
        assert [name for name, _ in our_fields] == [name for name, _ in their_fields], stage
        compared = [f for f in CLIENT_FIELDS_COMPARED if stage != "during" or f not in ("obl", "events")]
        assert [f for f in our_fields if f[0] in compared] == [f for f in their_fields if f[0] in compared], stage
    before, queued, during, after = (dict(fields) for fields in ours)
    assert (before["flags"], before["multi"], before["multi-mem"], before["cmd"]) == ("N", "-1", "0", "client|info")
    # multi-mem: the queued arguments' bytes plus 8 per argument (SET k v: 5 + 24, GET k: 4 + 16).
    assert (queued["flags"], queued["multi"], queued["multi-mem"], queued["cmd"]) == ("x", "2", "49", "get")
    assert (during["flags"], during["multi"], during["multi-mem"], during["cmd"]) == ("x", "3", "75", "exec")
    assert (after["flags"], after["multi"], after["multi-mem"], after["cmd"]) == ("N", "-1", "0", "client|info")


def test_commandstats_and_errorstats_count_transactions_like_redis(ferrite, redis_ref):
    workload = [("MULTI",), ("SET", "k", "v"), ("INCR", "k"), ("GET", "k"), ("EXEC",),
                ("MULTI",), ("DISCARD",),
                ("MULTI",), ("NOSUCH",), ("SET", "a"), ("SHUTDOWN",), ("GET", "k"), ("EXEC",),
                ("MULTI",), ("MULTI",), ("WATCH", "k"), ("EXEC",),
                ("WATCH", "k"), ("UNWATCH",), ("EXEC",), ("DISCARD",),
                ("WATCH", "k"), ("SET", "k", "w"), ("MULTI",), ("GET", "k"), ("EXEC",)]
    results = {}
    for server in (ferrite, redis_ref):
        with RawConnection(server.port) as conn:
            assert conn.command("CONFIG", "RESETSTAT") == OK
            replies = [conn.command(*command) for command in workload]
            assert replies[10] == b"-ERR Command not allowed inside a transaction\r\n"  # inside MULTI
            stats = dict(info_sections(conn.command("INFO", "stats"), 2)[0][1])
            results[server.name] = (
                replies,
                {name: stats[name] for name in ("total_commands_processed", "total_error_replies",
                                                "keyspace_hits", "keyspace_misses")},
                commandstats(conn),
                info_sections(conn.command("INFO", "errorstats"), 2),
            )
    ours, theirs = results[ferrite.name], results[redis_ref.name]
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1] == {"total_commands_processed": "22", "total_error_replies": "9",
                                    "keyspace_hits": "1", "keyspace_misses": "0"}
    assert ours[2] == theirs[2] == [
        ("cmdstat_config|resetstat", "calls=1,rejected_calls=0,failed_calls=0"),
        ("cmdstat_discard", "calls=2,rejected_calls=0,failed_calls=1"),
        ("cmdstat_exec", "calls=5,rejected_calls=0,failed_calls=2"),
        ("cmdstat_get", "calls=1,rejected_calls=0,failed_calls=0"),
        ("cmdstat_incr", "calls=1,rejected_calls=0,failed_calls=1"),
        ("cmdstat_info", "calls=1,rejected_calls=0,failed_calls=0"),
        ("cmdstat_multi", "calls=6,rejected_calls=0,failed_calls=1"),
        ("cmdstat_set", "calls=2,rejected_calls=1,failed_calls=0"),
        ("cmdstat_shutdown", "calls=0,rejected_calls=1,failed_calls=0"),
        ("cmdstat_unwatch", "calls=1,rejected_calls=0,failed_calls=0"),
        ("cmdstat_watch", "calls=3,rejected_calls=0,failed_calls=1"),
    ]
    assert ours[3] == theirs[3] == [("Errorstats", [("errorstat_ERR", "count=8"), ("errorstat_EXECABORT", "count=1")])]


# -- redis-py ----------------------------------------------------------------------------------

def run_on_both(ferrite, redis_ref, protocol, body):
    """`body(client, other)` on each server with redis-py clients; asserts the same result."""
    results = []
    for server in (ferrite, redis_ref):
        client = redis.Redis(port=server.port, protocol=protocol, decode_responses=True, socket_timeout=30)
        other = redis.Redis(port=server.port, decode_responses=True, socket_timeout=30)
        try:
            results.append(body(client, other))
        finally:
            client.close()
            other.close()
    assert results[0] == results[1]
    return results[0]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_redis_py_transactional_pipeline(ferrite, redis_ref, protocol):
    def body(client, other):
        out = []
        with client.pipeline(transaction=True) as pipe:
            out.append(pipe.set("a", 1).incr("a").get("a").get("missing").execute())
            pipe.set("s", "abc").incr("s").set("t", "1")
            out.append([(type(r).__name__, str(r)) if isinstance(r, Exception) else r
                        for r in pipe.execute(raise_on_error=False)])
            pipe.incr("s").incr("t")
            with pytest.raises(redis.ResponseError, match="not an integer"):
                pipe.execute()
            out.append(client.get("t"))  # the INCR after the failing one ran
            pipe.watch("a")
            out.append(pipe.get("a"))  # immediate mode while watching
            other.set("a", "changed")
            pipe.multi()
            pipe.set("a", "mine")
            with pytest.raises(redis.WatchError):
                pipe.execute()
            out.append(client.get("a"))
        return out

    assert run_on_both(ferrite, redis_ref, protocol, body) == [
        [True, 2, "2", None],
        [True, ("ResponseError", "value is not an integer or out of range"), True],
        "2", "2", "changed"]


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_redis_py_transaction_retries_on_watch_error(ferrite, redis_ref, protocol):
    def body(client, other):
        client.set("balance", 100)
        calls = []

        def withdraw(pipe):
            balance = int(pipe.get("balance"))
            calls.append(balance)
            if len(calls) == 1:
                other.incrby("balance", 50)  # someone else got in between: retried
            pipe.multi()
            pipe.set("balance", balance - 30)

        result = client.transaction(withdraw, "balance")
        return calls, result, client.get("balance")

    assert run_on_both(ferrite, redis_ref, protocol, body) == ([100, 150], [True], "120")


def test_redis_py_optimistic_increments_from_several_threads(ferrite, redis_ref):
    def body(client, other):
        attempts, results = [], []

        def increment(pipe) -> None:
            attempts.append(1)
            value = int(pipe.get("counter") or 0)
            pipe.multi()
            pipe.set("counter", value + 1)

        def worker() -> None:
            mine = redis.Redis(port=client.connection_pool.connection_kwargs["port"], socket_timeout=30)
            try:
                for _ in range(40):
                    results.append(mine.transaction(increment, "counter"))
            finally:
                mine.close()

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == [[True]] * 160 and len(attempts) >= 160
        return client.get("counter")

    assert run_on_both(ferrite, redis_ref, 2, body) == "160"
