"""Send the same bytes to the server under test and to real Redis and demand the same bytes back.

Protocol tests use these so that the expected output is whatever redis-server answers, not what
the test author believed it would answer."""

from __future__ import annotations

import re

from .raw import RawConnection, raw, raw_until_close

HELLO_ID = re.compile(rb"(\$2\r\nid\r\n:)\d+(\r\n)")


def normalize_client_id(reply: bytes) -> bytes:
    """HELLO reports the connection's id, which counts connections since start-up and so
    differs between two servers; it is replaced by 0."""
    return HELLO_ID.sub(rb"\g<1>0\g<2>", reply)


def same_replies(target, reference, data: bytes, replies: int = 1, normalize=lambda b: b) -> bytes:
    """`replies` complete replies to `data` from both servers; asserts they are identical and
    returns the target's bytes."""
    got = normalize(raw(target.port, data, replies))
    want = normalize(raw(reference.port, data, replies))
    assert got == want, f"request {data[:200]!r}\n ferrite: {got[:400]!r}\n   redis: {want[:400]!r}"
    return got


def same_until_close(target, reference, data: bytes) -> bytes:
    """Everything both servers send until they close the connection; asserts identity."""
    got = raw_until_close(target.port, data)
    want = raw_until_close(reference.port, data)
    assert got == want, f"request {data[:200]!r}\n ferrite: {got[:400]!r}\n   redis: {want[:400]!r}"
    return got


def same_exchange(target, reference, steps, normalize=lambda b: b) -> list[bytes]:
    """Runs `steps` — (bytes to send, replies to read) pairs — on one connection per server and
    asserts every reply matches. Returns the target's replies."""
    out = []
    with RawConnection(target.port) as t, RawConnection(reference.port) as r:
        for data, count in steps:
            t.send(data)
            r.send(data)
            for index in range(count):
                got, want = normalize(t.read_reply()), normalize(r.read_reply())
                assert got == want, (f"request {data[:200]!r} reply #{index}\n ferrite: {got[:400]!r}\n"
                                     f"   redis: {want[:400]!r}")
                out.append(got)
    return out
