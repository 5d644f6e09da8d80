"""Raw RESP over a plain TCP socket: bytes in, exact bytes out.

Client libraries parse and normalise replies; protocol and differential tests need the very
bytes the server wrote. `RawConnection` sends arbitrary bytes (whole, or dribbled a few at a
time) and reads back exactly one complete RESP2/RESP3 reply at a time — the reader knows the
framing of every reply type, so it never waits for a timeout to decide a reply is finished.
"""

from __future__ import annotations

import socket
import time

TIMEOUT = 10.0


class ReplyTimeout(AssertionError):
    """No complete reply arrived in time; carries the bytes received so far."""


class ConnectionClosed(AssertionError):
    """The server closed the connection before a complete reply arrived."""


def encode(*args) -> bytes:
    """A RESP multibulk request; str and int arguments are sent as their UTF-8 text."""
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, str):
            arg = arg.encode()
        elif isinstance(arg, int):
            arg = str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(arg), arg))
    return b"".join(parts)


def reply_end(buf: bytes | bytearray, start: int = 0) -> int | None:
    """Offset just past the complete reply that begins at `start`, or None if more bytes are
    needed. Understands RESP2 and RESP3 (maps, sets, pushes, attributes, verbatim strings…)."""
    pos = start
    remaining = [1]  # replies still expected at each nesting level
    while remaining:
        if remaining[-1] == 0:
            remaining.pop()
            continue
        remaining[-1] -= 1
        line_end = buf.find(b"\r\n", pos)
        if line_end < 0:
            return None
        kind = buf[pos:pos + 1]
        head = bytes(buf[pos + 1:line_end])
        pos = line_end + 2
        if kind in (b"+", b"-", b":", b"_", b",", b"#", b"("):
            continue
        if kind in (b"$", b"!", b"="):
            length = int(head)
            if length >= 0:
                if len(buf) < pos + length + 2:
                    return None
                pos += length + 2
            continue
        if kind in (b"*", b"~", b">"):
            count = int(head)
            if count > 0:
                remaining.append(count)
            continue
        if kind == b"%":
            remaining.append(2 * int(head))
            continue
        if kind == b"|":  # attribute map, then the reply it decorates
            remaining[-1] += 1
            remaining.append(2 * int(head))
            continue
        raise AssertionError(f"not a RESP reply at offset {pos}: {bytes(buf[start:start + 80])!r}")
    return pos


class RawConnection:
    """One TCP connection speaking raw bytes. Use as a context manager."""

    def __init__(self, port: int, timeout: float = TIMEOUT, host: str = "127.0.0.1"):
        self.port = port
        self.timeout = timeout
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = bytearray()

    def __enter__(self) -> "RawConnection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.sock.close()

    # -- sending -------------------------------------------------------------------------------

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def send_slowly(self, data: bytes, chunk: int = 1, pause: float = 0.001) -> None:
        """Dribbles `data` `chunk` bytes at a time, pausing between writes, so the server sees
        frames cut at every position."""
        for i in range(0, len(data), chunk):
            self.sock.sendall(data[i:i + chunk])
            time.sleep(pause)

    # -- receiving -----------------------------------------------------------------------------

    def _fill(self, deadline: float) -> None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise ReplyTimeout(f"timed out on port {self.port}; received so far: {bytes(self.buffer[:300])!r}")
        self.sock.settimeout(left)
        try:
            data = self.sock.recv(1 << 20)
        except socket.timeout:
            raise ReplyTimeout(f"timed out on port {self.port}; received so far: {bytes(self.buffer[:300])!r}") from None
        except ConnectionResetError:
            data = b""
        if not data:
            raise ConnectionClosed(f"connection closed by port {self.port}; unparsed bytes: {bytes(self.buffer[:300])!r}")
        self.buffer += data

    def read_reply(self, timeout: float | None = None) -> bytes:
        """Exactly one complete reply, as the server wrote it."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            end = reply_end(self.buffer) if self.buffer else None
            if end is not None:
                reply = bytes(self.buffer[:end])
                del self.buffer[:end]
                return reply
            self._fill(deadline)

    def read_replies(self, count: int, timeout: float | None = None) -> list[bytes]:
        deadline = time.monotonic() + (timeout or self.timeout)
        return [self.read_reply(max(0.001, deadline - time.monotonic())) for _ in range(count)]

    def read_until_close(self, timeout: float | None = None) -> bytes:
        """Everything the server sends until it closes the connection (a reset counts as a
        close). Fails if the connection is still open after `timeout`."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            try:
                self._fill(deadline)
            except ConnectionClosed:
                data = bytes(self.buffer)
                self.buffer.clear()
                return data

    def assert_open(self) -> None:
        """The connection still works: a PING gets its PONG."""
        self.send(b"*1\r\n$4\r\nPING\r\n")
        assert self.read_reply() == b"+PONG\r\n"

    # -- conveniences --------------------------------------------------------------------------

    def command(self, *args) -> bytes:
        """Sends one command as a multibulk and returns its reply bytes."""
        self.send(encode(*args))
        return self.read_reply()

    def exchange(self, data: bytes, replies: int) -> bytes:
        """Sends `data` in one write and returns the concatenated bytes of `replies` replies."""
        self.send(data)
        return b"".join(self.read_replies(replies))


def raw(port: int, data: bytes, replies: int = 1, timeout: float = TIMEOUT) -> bytes:
    """One-shot: connect, send `data`, return the bytes of `replies` complete replies."""
    with RawConnection(port, timeout) as conn:
        return conn.exchange(data, replies)


def raw_until_close(port: int, data: bytes, timeout: float = TIMEOUT) -> bytes:
    """One-shot: connect, send `data`, return everything until the server closes."""
    with RawConnection(port, timeout) as conn:
        try:
            conn.send(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        return conn.read_until_close()
