"""RESET (a connection back to its first state) and ROLE, exchange by exchange against a real
redis-server: RESET ends a transaction and the WATCHes (also when sent inside MULTI), returns
to database 0 and RESP2, drops the client name and CLIENT REPLY OFF but keeps CLIENT NO-EVICT
(as 7.0 does), and the reply it gives after CLIENT REPLY SKIP is skipped as Redis skips it."""

from __future__ import annotations

import re

import pytest

from harness.compare import normalize_client_id, same_exchange
from harness.raw import RawConnection, encode


def _normalize(reply: bytes) -> bytes:
    # CLIENT INFO's id, address, port, fd, ages and buffer sizes differ between two servers
    # (Redis's cron also shrinks an idle client's read buffer, so `rbs`/`rbp` depend on timing).
    reply = normalize_client_id(reply)
    reply = re.sub(rb"^\$\d+\r\nid=", b"$N\r\nid=", reply)
    return re.sub(rb"(id|addr|laddr|fd|age|idle|qbuf|qbuf-free|argv-mem|rbs|rbp|obl|oll|omem|tot-mem)=\S+", rb"\1=X", reply)


def _steps(*commands) -> list:
    return [(encode(*command), 1) for command in commands]


def test_reset_restores_a_new_connection_state(ferrite, redis_ref):
    same_exchange(ferrite, redis_ref, _steps(
        ["SELECT", "3"], ["SET", "k", "in db 3"], ["CLIENT", "SETNAME", "before"], ["HELLO", "3"],
        ["CLIENT", "NO-EVICT", "on"], ["RESET"], ["GET", "k"], ["CLIENT", "GETNAME"], ["HELLO"],
        ["CLIENT", "INFO"],
    ), normalize=_normalize)


def test_reset_inside_multi_discards_the_transaction_and_the_watches(ferrite, redis_ref):
    same_exchange(ferrite, redis_ref, _steps(
        ["WATCH", "{a}watched", "{b}watched"], ["MULTI"], ["SET", "{a}queued", "1"], ["RESET"], ["EXEC"],
        ["GET", "{a}queued"], ["MULTI"], ["GET", "{b}watched"], ["EXEC"],
    ))
    # The watch is gone: another client's write no longer breaks a later transaction.
    with RawConnection(ferrite.port) as watcher, RawConnection(ferrite.port) as writer:
        assert watcher.command("WATCH", "{c}key") == b"+OK\r\n"
        assert watcher.command("RESET") == b"+RESET\r\n"
        assert writer.command("SET", "{c}key", "changed") == b"+OK\r\n"
        assert watcher.command("MULTI") == b"+OK\r\n"
        assert watcher.command("GET", "{c}key") == b"+QUEUED\r\n"
        assert watcher.command("EXEC") == b"*1\r\n$7\r\nchanged\r\n"


@pytest.mark.parametrize("mode", ["OFF", "SKIP"])
def test_reset_after_client_reply(ferrite, redis_ref, mode):
    # OFF: RESET turns replies back on and answers; SKIP: its own reply is the skipped one.
    same_exchange(ferrite, redis_ref, [
        (encode("CLIENT", "REPLY", mode) + encode("RESET") + encode("PING", "after"), 1 if mode == "SKIP" else 2),
    ])


def test_role_and_arity_errors_match_redis(ferrite, redis_ref):
    same_exchange(ferrite, redis_ref, _steps(["ROLE"], ["ROLE", "x"], ["RESET", "x"], ["COMMAND", "INFO", "ROLE", "RESET"]))
