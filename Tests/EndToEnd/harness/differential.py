"""Differential runs: the same command stream to the server under test and to real Redis, one
command at a time, demanding identical reply bytes for every command.

Each command is written to both servers before either reply is read, so both run it at nearly
the same moment. What remains inherently different between two servers is normalised, and only
that:

* TTL / PTTL / EXPIRETIME / PEXPIRETIME (`Step.check`): the servers received the commands that
  set and read an expiry a few ms apart, so positive results may differ by up to `TOLERANCE`
  (1 for the second-granular replies, which also round). Negative results (-1 no expiry,
  -2 no key) must match exactly.
* Expiry boundaries: a key whose deadline falls between the two servers' clocks would exist on
  one and not the other. The runner remembers every deadline a command may have set (a window
  from just before the send to just after the reply, plus `MARGIN_MS`) and, before sending
  anything, sleeps past any window it is inside. No command therefore runs near an expiry.
* DBSIZE counts keys that are logically expired but not yet reclaimed, and reclaiming is
  lazy/active at each server's discretion (so does SCAN's TYPE none, which lists just those
  keys). Before every DBSIZE and SCAN ... TYPE none the runner "sweeps": it sends
  EXISTS for the whole key space (reply compared as well), which reclaims expired keys on both
  servers — at a moment when no deadline falls within `SWEEP_HORIZON_MS`, so that no key can
  expire between the sweep and the DBSIZE.
* HELLO's connection id (RESP3 runs) is replaced by 0.
* KEYS lists keys in hash-table order, which is the servers' own business: the replies must hold
  the same keys (`Step.check` "unordered"). SCAN's cursors are the servers' own too: a "scan"
  step is a whole iteration on each server, each following its own cursors, and what must match
  is the set of keys returned (and, for a malformed call, the error). RANDOMKEY must agree on
  whether there is a key ("randomkey"), not on which.
"""

from __future__ import annotations

import time
from collections import deque

from .command_stream import KEYS, SCAN_CURSOR, AbsTime, Step
from .compare import normalize_client_id
from .raw import RawConnection, encode

MARGIN_MS = 30
SWEEP_HORIZON_MS = 150
TOLERANCE = {"ttl": 1, "expiretime": 1, "pttl": 150, "pexpiretime": 150}


def now_ms() -> int:
    return int(time.time() * 1000)


def _integer(reply: bytes) -> int | None:
    if reply.startswith(b":") and reply.endswith(b"\r\n"):
        return int(reply[1:-2])
    return None


def parse_reply(reply: bytes):
    """A complete RESP2/RESP3 reply as Python values: arrays, sets and maps as lists, bulk and
    simple strings as bytes, integers as int, nulls as None, errors as `RespError`."""
    value, end = _parse(reply, 0)
    assert end == len(reply), f"trailing bytes after a reply: {reply[:200]!r}"
    return value


class RespError(bytes):
    """An error reply's text."""


def _parse(buf: bytes, pos: int):
    line_end = buf.index(b"\r\n", pos)
    kind, head, pos = buf[pos:pos + 1], buf[pos + 1:line_end], line_end + 2
    if kind == b"-":
        return RespError(head), pos
    if kind in (b"+", b"(", b","):
        return head, pos
    if kind == b":":
        return int(head), pos
    if kind == b"_":
        return None, pos
    if kind in (b"$", b"="):
        length = int(head)
        if length < 0:
            return None, pos
        return buf[pos:pos + length], pos + length + 2
    if kind in (b"*", b"~", b"%"):
        count = int(head) * (2 if kind == b"%" else 1)
        if count < 0:
            return None, pos
        items = []
        for _ in range(count):
            item, pos = _parse(buf, pos)
            items.append(item)
        return items, pos
    raise AssertionError(f"unexpected RESP type {kind!r} in {buf[:200]!r}")


def equivalent(check: str, got: bytes, want: bytes) -> bool:
    """Whether two replies agree, applying the normalisation named by `check`."""
    if got == want:
        return True
    if check in ("unordered", "randomkey"):
        try:
            a, b = parse_reply(got), parse_reply(want)
        except (AssertionError, ValueError):  # no reply at all (a crash), or not RESP
            return False
        if check == "unordered":
            return isinstance(a, list) and isinstance(b, list) and sorted(a) == sorted(b)
        return (a is None) == (b is None) and not any(isinstance(x, (RespError, list, int)) for x in (a, b))
    if check == "scan":  # one call of an iteration: any two non-error replies
        return not got.startswith(b"-") and not want.startswith(b"-")
    if check not in TOLERANCE:
        return False
    a, b = _integer(got), _integer(want)
    if a is None or b is None or a < 0 or b < 0:
        return False
    return abs(a - b) <= TOLERANCE[check]


class DifferentialMismatch(AssertionError):
    pass


class DifferentialRunner:
    """Runs `Step`s against two servers; raises `DifferentialMismatch` at the first difference,
    with the command, both replies and the ten commands before it."""

    def __init__(self, target_port: int, reference_port: int, label: str, protocol: int = 2,
                 target_name: str = "ferrite"):
        self.label = label
        self.protocol = protocol
        self.target_name = target_name
        self.target = RawConnection(target_port, timeout=30)
        self.reference = RawConnection(reference_port, timeout=30)
        self.windows: list[tuple[int, int]] = []  # (earliest, latest) possible expiry deadlines, ms
        self.history: deque = deque(maxlen=10)
        self.index = 0
        self.compared = 0

    def close(self) -> None:
        self.target.close()
        self.reference.close()

    def __enter__(self) -> "DifferentialRunner":
        if self.protocol == 3:
            self._exchange(Step([b"HELLO", b"3"]), "setup")
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def run(self, steps: list[Step]) -> None:
        for self.index, step in enumerate(steps):
            if step.pause:
                time.sleep(step.pause)
            if step.args and (step.args[0].upper() == b"DBSIZE" or _lists_expired_keys(step.args)):
                self._sweep()
            if step.check == "scan" and SCAN_CURSOR in step.args:
                self._scan(step, f"#{self.index}")
            else:
                self._exchange(step, f"#{self.index}")

    # -- internals -----------------------------------------------------------------------------

    def _wait_clear_of_expiries(self, horizon_ms: int = 0) -> None:
        """Sleeps until no remembered expiry deadline is within MARGIN_MS of now, nor due in
        the next `horizon_ms`."""
        while True:
            now = now_ms()
            self.windows = [w for w in self.windows if w[1] + MARGIN_MS >= now]
            inside = [w for w in self.windows if w[0] - MARGIN_MS <= now + horizon_ms]
            if not inside:
                return
            time.sleep((max(w[1] for w in inside) + MARGIN_MS + 1 - now) / 1000)

    def _exchange(self, step: Step, where: str) -> tuple[bytes, bytes]:
        self._wait_clear_of_expiries()
        args, deadlines = [], []
        sent_at = now_ms()
        for arg in step.args:
            if isinstance(arg, AbsTime):
                text, deadline = arg.resolve(sent_at)
                args.append(text)
                deadlines.append(deadline)
            else:
                args.append(arg)
        request = encode(*args)
        self.target.send(request)
        self.reference.send(request)
        try:
            got = self.target.read_reply()
        except AssertionError as error:  # timeout or connection closed
            got = f"<no reply: {error}>".encode()
        want = self.reference.read_reply()
        replied_at = now_ms()
        self.windows += [(sent_at + ttl, replied_at + ttl) for ttl in step.ttls_ms]
        self.windows += [(d, d) for d in deadlines]
        self.compared += 1
        if self.protocol == 3 and args[0].upper() == b"HELLO":
            got, want = normalize_client_id(got), normalize_client_id(want)
        if not equivalent(step.check, got, want):
            raise DifferentialMismatch(self._report(where, args, got, want))
        self.history.append((where, args, got))
        return got, want

    def _sweep(self) -> None:
        """EXISTS over the whole key space, so that both servers reclaim expired keys, at a
        moment no deadline is near; repeated if it took longer than the horizon allows."""
        while True:
            self._wait_clear_of_expiries(SWEEP_HORIZON_MS)
            started = now_ms()
            self._exchange(Step([b"EXISTS", *KEYS]), "sweep")
            if now_ms() - started < SWEEP_HORIZON_MS - MARGIN_MS:
                return

    def _scan(self, step: Step, where: str) -> None:
        """A whole SCAN iteration on each server, at a moment no expiry deadline is near; the
        sets of keys must match (or the first replies, when they are errors)."""
        while True:
            self._wait_clear_of_expiries(SWEEP_HORIZON_MS)
            started = now_ms()
            position = step.args.index(SCAN_CURSOR)
            first = [arg if i != position else b"0" for i, arg in enumerate(step.args)]
            got, want = self._exchange(Step(first, check="scan"), where)
            if got.startswith(b"-") or want.startswith(b"-"):
                return  # the errors were compared byte for byte
            found = []
            for connection, reply in ((self.target, got), (self.reference, want)):
                keys: set[bytes] = set()
                for _ in range(10_000):
                    cursor, batch = parse_reply(reply)
                    keys.update(batch)
                    if cursor == b"0":
                        break
                    args = [arg if i != position else cursor for i, arg in enumerate(step.args)]
                    connection.send(encode(*args))
                    reply = connection.read_reply()
                else:
                    raise DifferentialMismatch(f"SCAN never returned to cursor 0 in {self.label} at {where}")
                found.append(keys)
            if now_ms() - started >= SWEEP_HORIZON_MS - MARGIN_MS:
                continue  # too slow to be sure no key expired meanwhile: iterate again
            if found[0] != found[1]:
                raise DifferentialMismatch(self._report(
                    where, step.args, repr(sorted(found[0])).encode(), repr(sorted(found[1])).encode()))
            return

    def _report(self, where: str, args: list[bytes], got: bytes, want: bytes) -> str:
        lines = [f"differential mismatch in {self.label} at command {where}:",
                 f"  command: {_show(args)}",
                 f"  {self.target_name:>9}: {got[:500]!r}",
                 f"  {'redis':>9}: {want[:500]!r}",
                 "  preceding commands (identical replies):"]
        for index, previous, reply in self.history:
            lines.append(f"    {index:>6} {_show(previous)}  ->  {reply[:120]!r}")
        return "\n".join(lines)


def _lists_expired_keys(args: list) -> bool:
    """SCAN ... TYPE none: the keys it lists are those already expired but not yet reclaimed,
    which is each server's own business, so it needs a sweep first, as DBSIZE does."""
    upper = [a.upper() if isinstance(a, bytes) else a for a in args]
    return upper[:1] == [b"SCAN"] and any(a == b"TYPE" and b == b"NONE" for a, b in zip(upper, upper[1:]))


def _show(args: list[bytes]) -> str:
    return " ".join(repr(a)[2:-1] if a else '""' for a in args)
