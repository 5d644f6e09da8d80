"""The wire protocol, bytes in and exact bytes out, each case checked against real Redis:
pipelines, frames cut at every byte, inline commands, protocol errors, big values, the query
buffer limit, QUIT, HELLO and RESP2/RESP3 nulls."""

from __future__ import annotations

import threading
import time

import pytest

from harness.compare import (normalize_client_id, same_exchange, same_replies,
                             same_until_close)
from harness.raw import RawConnection, encode, raw, raw_until_close

QUIT = encode("QUIT")


# -- pipelines --------------------------------------------------------------------------------

def test_pipeline_of_connection_commands_in_one_write(ferrite, redis_ref):
    every_byte = bytes(range(256))
    commands, expected = [], []
    for i in range(3000):
        if i % 3 == 0:
            commands.append(encode("PING"))
            expected.append(b"+PONG\r\n")
        elif i % 3 == 1:
            payload = every_byte[: i % 257] + str(i).encode()
            commands.append(encode("ECHO", payload))
            expected.append(b"$%d\r\n%s\r\n" % (len(payload), payload))
        else:
            commands.append(b"PING inline-%d\r\n" % i)
            expected.append(b"$%d\r\ninline-%d\r\n" % (len(b"inline-%d" % i), i))
    got = same_replies(ferrite, redis_ref, b"".join(commands), len(commands))
    assert got == b"".join(expected)


def test_pipeline_of_data_commands_in_one_write(ferrite, redis_ref):
    commands = []
    for i in range(2000):
        key = f"key:{i % 37}"
        commands += [encode("SET", key, f"value-{i}"), encode("GET", key), encode("INCR", f"n:{i % 11}"),
                     encode("APPEND", key, "+"), encode("DEL", f"key:{(i * 7) % 37}")]
    same_replies(ferrite, redis_ref, b"".join(commands), len(commands))


def test_many_connections_interleaved(ferrite, redis_ref):
    conns = [RawConnection(ferrite.port) for _ in range(64)]
    try:
        for round_ in range(5):
            for index, conn in enumerate(conns):
                conn.send(encode("ECHO", f"{index}:{round_}") + encode("PING"))
            for index, conn in enumerate(conns):
                text = f"{index}:{round_}".encode()
                assert conn.read_replies(2) == [b"$%d\r\n%s\r\n" % (len(text), text), b"+PONG\r\n"]
    finally:
        for conn in conns:
            conn.close()


def test_slow_reader_gets_every_byte_of_a_large_pipelined_reply(ferrite, redis_ref):
    payload = bytes(range(256)) * 400  # 100 KiB
    request = encode("ECHO", payload) * 200  # 20 MiB of replies; written while nobody reads
    with RawConnection(ferrite.port, timeout=60) as conn:
        sender = threading.Thread(target=conn.send, args=(request,))
        sender.start()
        time.sleep(0.5)
        expected = b"$%d\r\n%s\r\n" % (len(payload), payload)
        for _ in range(200):
            assert conn.read_reply(timeout=60) == expected
        sender.join()
        conn.assert_open()


# -- frames cut anywhere ----------------------------------------------------------------------

CONNECTION_FRAMES = [
    encode("PING"),
    encode("ECHO", b"bin\x00ary\r\nsafe"),
    b"ECHO inline-dribbled\r\n",
    encode("PING", "x" * 300),
    encode("HELLO", "3"),
    encode("ECHO", ""),
    encode("HELLO", "2"),
]

STRING_FRAMES = [
    encode("SET", "dribble", "hello world"),
    encode("GET", "dribble"),
    b"SET dribble2 \"quoted value\"\r\n",
    encode("MGET", "dribble", "dribble2", "missing"),
    encode("INCRBY", "counter", "-12345"),
    encode("GET", "missing"),
]


@pytest.mark.parametrize("frames", [CONNECTION_FRAMES, STRING_FRAMES], ids=["connection", "strings"])
def test_frames_sent_one_byte_at_a_time(ferrite, redis_ref, frames):
    with RawConnection(ferrite.port) as t, RawConnection(redis_ref.port) as r:
        for frame in frames:
            t.send_slowly(frame, chunk=1, pause=0.0005)
            r.send(frame)
            got, want = normalize_client_id(t.read_reply()), normalize_client_id(r.read_reply())
            assert got == want, f"frame {frame!r}\n ferrite: {got!r}\n   redis: {want!r}"


@pytest.mark.parametrize("frame", [encode("ECHO", "split\r\nme"), encode("SET", "cut", "value\r\n"),
                                   b"ECHO \"in line\" 'x'\r\n"], ids=["echo", "set", "inline"])
def test_frame_split_at_every_position(ferrite, redis_ref, frame):
    want = raw(redis_ref.port, frame)
    with RawConnection(ferrite.port) as conn:
        for cut in range(1, len(frame)):
            conn.send(frame[:cut])
            time.sleep(0.002)
            conn.send(frame[cut:])
            got = conn.read_reply()
            assert got == want, f"cut at {cut}: {frame[:cut]!r} | {frame[cut:]!r}\n ferrite: {got!r}\n   redis: {want!r}"


def test_pipeline_dribbled_in_odd_chunks(ferrite, redis_ref):
    frames = b"".join(CONNECTION_FRAMES[:4]) * 20 + b"".join(encode("ECHO", "y" * n) for n in range(0, 200, 7))
    count = 4 * 20 + len(range(0, 200, 7))
    want = raw(redis_ref.port, frames, count)
    with RawConnection(ferrite.port) as conn:
        conn.send_slowly(frames, chunk=13, pause=0.0002)
        assert b"".join(conn.read_replies(count)) == want


# -- inline commands --------------------------------------------------------------------------

INLINE_CASES = {
    "ping-crlf": b"PING\r\n",
    "ping-lf-only": b"PING\n",
    "lowercase": b"ping\r\necho hi\r\n",
    "extra-spaces": b"   ECHO    spaced    \r\n",
    "empty-lines-ignored": b"\r\n\n  \r\nPING\r\n",
    "double-quotes": b'ECHO "hello world"\r\n',
    "single-quotes": b"ECHO 'a b c'\r\n",
    "hex-and-escapes": b'ECHO "\\x41\\x00b\\n\\r\\t\\b\\a\\\\"\r\n',
    "bad-hex-kept-literal": b'ECHO "\\xZZ"\r\n',
    "escaped-double-quote": b'ECHO "say \\"hi\\""\r\n',
    "escaped-single-quote": b"ECHO 'it\\'s'\r\n",
    "empty-quoted": b'ECHO ""\r\n',
    "too-many-args": b"ECHO a b\r\n",
    "unknown-command": b"NOSUCHCOMMAND 'x y' z\r\n",
    "mixed-with-multibulk": b"PING\r\n" + encode("ECHO", "bulk") + b"ECHO inline\r\n",
    "set-get-quoted": b'SET "k y" "v a l"\r\nGET "k y"\r\n',
}


@pytest.mark.parametrize("data", INLINE_CASES.values(), ids=INLINE_CASES.keys())
def test_inline_commands(ferrite, redis_ref, data):
    same_until_close(ferrite, redis_ref, data + QUIT)


# -- protocol errors: exact text, then the connection is closed ------------------------------

PROTOCOL_ERRORS = {
    "multibulk-length-not-a-number": (b"*abc\r\n", b"invalid multibulk length"),
    "multibulk-length-too-big": (b"*2147483648\r\n", b"invalid multibulk length"),
    "multibulk-length-plus-sign": (b"*+1\r\n$4\r\nPING\r\n", b"invalid multibulk length"),
    "expected-dollar": (b"*1\r\nfoo\r\n", b"expected '$', got 'f'"),
    "nested-array": (b"*1\r\n*1\r\n", b"expected '$', got '*'"),
    "bulk-length-not-a-number": (b"*1\r\n$abc\r\n", b"invalid bulk length"),
    "bulk-length-negative": (b"*1\r\n$-1\r\n", b"invalid bulk length"),
    "bulk-length-with-space": (b"*1\r\n$ 4\r\nPING\r\n", b"invalid bulk length"),
    "bulk-over-proto-max-bulk-len": (b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$600000000\r\n", b"invalid bulk length"),
    "unbalanced-double-quote": (b'ECHO "abc\r\n', b"unbalanced quotes in request"),
    "quote-not-followed-by-space": (b'ECHO "a"b\r\n', b"unbalanced quotes in request"),
    "unbalanced-single-quote": (b"ECHO 'abc\r\n", b"unbalanced quotes in request"),
    "too-big-inline": (b"PING " + b"x" * 70000, b"too big inline request"),
    "too-big-mbulk-count": (b"*" + b"1" * 70000, b"too big mbulk count string"),
    "too-big-bulk-count": (b"*1\r\n$" + b"1" * 70000, b"too big bulk count string"),
}


@pytest.mark.parametrize("data,message", PROTOCOL_ERRORS.values(), ids=PROTOCOL_ERRORS.keys())
def test_protocol_error_replies_then_closes(ferrite, redis_ref, data, message):
    got = same_until_close(ferrite, redis_ref, data)
    assert got == b"-ERR Protocol error: " + message + b"\r\n"


def test_replies_before_a_protocol_error_are_delivered(ferrite, redis_ref):
    data = encode("PING") + b"ECHO before\r\n" + b"*1\r\nfoo" + QUIT
    got = same_until_close(ferrite, redis_ref, data)
    assert got == b"+PONG\r\n$6\r\nbefore\r\n-ERR Protocol error: expected '$', got 'f'\r\n"


def test_lenient_framing_matches_redis(ferrite, redis_ref):
    # Redis skips the two bytes after a bulk without checking them, and treats *0 / *-1 as
    # empty requests; the following bytes are then parsed as usual.
    for data in (b"*1\r\n$4\r\nPINGxx\r\n", b"*0\r\nPING\r\n", b"*-1\r\nPING\r\n"):
        same_until_close(ferrite, redis_ref, data + QUIT)


# -- big values -------------------------------------------------------------------------------

TEN_MB = 10 * 1024 * 1024


def _big_value() -> bytes:
    return (bytes(range(256)) * (TEN_MB // 256 + 1))[:TEN_MB]


def test_echo_ten_megabytes(ferrite, redis_ref):
    value = _big_value()
    got = same_replies(ferrite, redis_ref, encode("ECHO", value))
    assert got == b"$%d\r\n%s\r\n" % (len(value), value)


def test_set_get_ten_megabytes(ferrite, redis_ref):
    value = _big_value()
    request = encode("SET", "big", value) + encode("GET", "big") + encode("STRLEN", "big") + encode("GET", "big")
    got = same_replies(ferrite, redis_ref, request, 4)
    bulk = b"$%d\r\n%s\r\n" % (len(value), value)
    assert got == b"+OK\r\n" + bulk + b":%d\r\n" % len(value) + bulk


def test_ten_megabytes_dribbled_in_uneven_chunks(ferrite, redis_ref):
    value = _big_value()
    with RawConnection(ferrite.port, timeout=60) as conn:
        conn.send_slowly(encode("ECHO", value), chunk=997_331, pause=0.001)
        assert conn.read_reply(timeout=60) == b"$%d\r\n%s\r\n" % (len(value), value)


# -- query buffer limit -----------------------------------------------------------------------

LIMIT = ("--client-query-buffer-limit", "1mb")


def test_query_buffer_limit(spawn_ferrite, spawn_redis):
    target, reference = spawn_ferrite(*LIMIT), spawn_redis(*LIMIT)
    big = b"a" * (2 * 1024 * 1024)
    # An argument larger than the limit: the client is closed without a reply.
    for data in (encode("ECHO", big), b"*2\r\n$4\r\nECHO\r\n$%d\r\n" % len(big) + big[:1_500_000]):
        assert raw_until_close(target.port, data) == raw_until_close(reference.port, data) == b""
    # Just under the limit: served, and the connection stays usable.
    small = b"b" * (900 * 1024)
    steps = [(encode("ECHO", small), 1), (encode("PING"), 1)]
    same_exchange(target, reference, steps)
    # The server is still healthy for other clients.
    assert raw(target.port, encode("PING")) == b"+PONG\r\n"


def test_query_buffer_limit_counts_unparsed_bytes_not_whole_commands(spawn_ferrite, spawn_redis):
    # Redis moves each complete argument out of the query buffer as it parses it, so a command
    # whose arguments add up to more than the limit — or a pipeline much larger than the limit
    # sent in one write — is still served.
    target, reference = spawn_ferrite(*LIMIT), spawn_redis(*LIMIT)
    many_args = encode("PING", *([b"x" * (100 * 1024)] * 15))
    same_exchange(target, reference, [(many_args, 1), (encode("PING"), 1)])
    pipeline = encode("ECHO", b"p" * 1024) * 2500
    same_exchange(target, reference, [(pipeline, 2500)])


# -- QUIT -------------------------------------------------------------------------------------

@pytest.mark.parametrize("data", [QUIT, b"QUIT\r\n", b"quit extra args\r\n", QUIT + encode("PING"),
                                  encode("PING") + QUIT + encode("ECHO", "never")],
                         ids=["multibulk", "inline", "with-args", "then-ping", "after-ping"])
def test_quit_replies_ok_and_closes(ferrite, redis_ref, data):
    got = same_until_close(ferrite, redis_ref, data)
    assert got.endswith(b"+OK\r\n")


# -- HELLO and RESP3 --------------------------------------------------------------------------

HELLO3 = (b"%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n"
          b"$2\r\nid\r\n:0\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n"
          b"$7\r\nmodules\r\n*0\r\n")


def test_hello_3_map(ferrite, redis_ref):
    got = same_replies(ferrite, redis_ref, encode("HELLO", "3"), normalize=normalize_client_id)
    assert got == HELLO3


def test_hello_variants(ferrite, redis_ref):
    data = b"".join(encode(*c) for c in [
        ("HELLO",), ("HELLO", "3", "SETNAME", "conn-a"), ("HELLO", "2"), ("HELLO", "4"), ("HELLO", "x"),
        ("HELLO", "3", "FOO"), ("HELLO", "3", "AUTH", "default", "any"), ("HELLO", "2", "SETNAME", "bad name"),
        ("PING",), ("ECHO", "e")])
    same_replies(ferrite, redis_ref, data, 10, normalize=normalize_client_id)


def test_resp3_null_vs_resp2_null(ferrite, redis_ref):
    probe = encode("GET", "missing") + encode("MGET", "missing", "also-missing")
    steps = [(probe, 2), (encode("HELLO", "3"), 1), (probe, 2), (encode("HELLO", "2"), 1), (probe, 2)]
    got = same_exchange(ferrite, redis_ref, steps, normalize=normalize_client_id)
    assert got[0:2] == [b"$-1\r\n", b"*2\r\n$-1\r\n$-1\r\n"]
    assert got[3:5] == [b"_\r\n", b"*2\r\n_\r\n_\r\n"]
    assert got[6:8] == got[0:2]


def test_requests_before_a_half_close_are_all_answered(ferrite):
    # Large replies keep a send in flight while more requests arrive, then the client shuts
    # down its sending side: every request received before the EOF is still answered.
    # (Not compared with Redis: it frees a client as soon as it reads the EOF, so how much of
    # this it answers depends on timing — here it drops most of the replies.)
    import socket

    data = encode("ECHO", b"x" * (1 << 20)) * 8 + encode("PING") * 1000
    expected = (b"$1048576\r\n" + b"x" * (1 << 20) + b"\r\n") * 8 + b"+PONG\r\n" * 1000
    with socket.create_connection(("127.0.0.1", ferrite.port), timeout=10) as conn:
        conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)
        received = bytearray()
        while chunk := conn.recv(1 << 20):
            received += chunk
    assert bytes(received) == expected
