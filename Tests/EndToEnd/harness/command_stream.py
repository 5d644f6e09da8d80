"""Seeded random command streams over the string and generic-key commands, for differential runs.

A stream is a list of `Step`s drawn from a small key space (so commands collide on the same
keys), over valid and invalid forms alike: wrong arity, non-integer and overflowing numbers, bad
and conflicting options, and short TTLs (1-50 ms) so keys really expire mid-run. Every string
and generic-key command the server has is drawn, with the edge values that trip
implementations up: empty and binary keys and values, keys made of glob metacharacters, values
either side of the 44-byte embstr limit, 64-bit limits, floats with exponents, inf, nan and hex,
offsets past the 512 MB string limit, bit offsets either side of it (4294967295 only where the
command fails before growing a string to 512 MB), BITFIELD types and overflow modes. A `timeless` stream draws no short TTLs and no pauses, so
it runs without ever waiting for a key to expire. The same seed always yields the same steps. Absolute times (EXPIREAT, EXAT…) are kept symbolic (`AbsTime`)
and resolved against the clock only when sent, so that a stream means the same thing whenever
it runs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

KEYS = [b"k0", b"k1", b"k2", b"k3", b"num", b"flt", b"{tag}s", b"long", b"", b"a*[b]\\", b"\xff\x00bin"]

# Glob patterns for KEYS and SCAN MATCH: classes, negation, ranges (reversed too), escapes,
# unterminated brackets, NUL bytes, and the keys above that are made of metacharacters.
PATTERNS = [b"*", b"k?", b"k[0-2]", b"k[^0]", b"k[!1]", b"{tag}*", b"\\{tag\\}*", b"*um", b"[a-z]*",
            b"k[1-]", b"[", b"\\", b"a\\*\\[b\\]\\\\", b"*\x00*", b"?", b"??", b"???*", b"", b"*[",
            b"k[3-1]", b"[]", b"[\\]]*", b"*o*g*", b"a*", b"\xff*", b"K*", b"*[bB]*", b"[k]?", b"**"]

SHORT_VALUES = [b"", b"v", b"hello", b"world", b"x" * 44, b"y" * 45, b"z" * 100,
                b"bin\x00\xff\r\nary", b"caf\xc3\xa9", b" spaced out ", b"w" * 43, b"\x00", b"a" * 20]
INTEGER_VALUES = [b"0", b"1", b"-1", b"42", b"007", b"-0", b"+1", b" 1", b"1 ", b"10000", b"9999",
                  b"9223372036854775807", b"-9223372036854775808", b"9223372036854775808",
                  b"18446744073709551616", b"12345678901234567890123"]
FLOAT_VALUES = [b"1.5", b"-0.25", b"1e3", b"3.0", b"0.1", b"1e308", b"inf", b"nan", b"0x1f",
                b"5.0e-3", b"100000000000000000000", b"-1.7976931348623157e308", b"1E5", b"-inf",
                b"+inf", b"infinity", b"NaN", b"1.0e+2", b" 1.5", b"1.5 ", b"1,5", b".5", b"5.",
                b"-.5", b"1e", b"0x1p3", b"1e4932", b"1e-4950", b"9223372036854775808"]

INTEGER_ARGS = [b"0", b"1", b"-1", b"3", b"10", b"-5", b"100", b"2147483647", b"-2147483648",
                b"9223372036854775807", b"-9223372036854775808", b"9223372036854775808",
                b"abc", b"1.5", b"", b"+5", b" 5", b"0x10", b"-0", b"007"]
FLOAT_ARGS = [b"1.5", b"-2.25", b"0", b"1e3", b"1e308", b"-1e308", b"inf", b"-inf", b"nan",
              b"abc", b"0.1", b"3", b"1e-5", b"5.0e3", b" 1", b"1.7976931348623157e309", b"",
              b"-0.0", b"123456789.123456789", b"0x10", b"0x1p-2", b"1e4932", b"1e-4950", b"+1",
              b"9223372036854775807", b"-9223372036854775808", b"1.", b".1", b"1e+3", b"INF"]


# Stands for the cursor in a SCAN step: the runner starts at 0 and follows each server's own.
SCAN_CURSOR = b"<cursor>"


@dataclass(frozen=True)
class AbsTime:
    """A Unix time `offset_ms` from the moment the command is sent, in seconds or milliseconds."""

    offset_ms: int
    unit: str  # "s" or "ms"

    def resolve(self, now_ms: int) -> tuple[bytes, int]:
        """The argument text and the expiry deadline (Unix ms) it stands for."""
        when = now_ms + self.offset_ms
        if self.unit == "s":
            seconds = when // 1000
            return str(seconds).encode(), seconds * 1000
        return str(when).encode(), when


@dataclass
class Step:
    """One command of a stream.

    `check` names the comparison: "exact"; a tolerance for values that depend on when each
    server ran the command ("ttl", "pttl", "expiretime", "pexpiretime"); "unordered" for arrays
    in hash order (KEYS); "randomkey" (a key or null, whichever both have); or "scan": the
    runner iterates SCAN to the end on each server and compares the sets of keys. `ttls_ms` lists the
    relative expiry times the command may set, so the runner can keep clear of the moments keys
    expire. `pause` is slept before sending (to let short TTLs run out)."""

    args: list
    check: str = "exact"
    ttls_ms: list[int] = field(default_factory=list)
    pause: float = 0.0


class CommandStream:
    """Generates `Step`s from a seed. `wrong_types` mixes in list/set/hash keys; `timeless`
    leaves out every TTL short enough to run out during the stream, and the pauses."""

    def __init__(self, seed: int, wrong_types: bool = False, timeless: bool = False):
        self.rng = random.Random(seed)
        self.wrong_types = wrong_types
        self.timeless = timeless
        self.generators = [
            (6, self.get), (8, self.set), (1, self.setnx), (2, self.setex), (2, self.psetex),
            (2, self.mget), (2, self.mset), (1, self.msetnx), (1, self.getset), (1, self.getdel),
            (3, self.getex), (3, self.append), (2, self.strlen), (3, self.incr_decr),
            (3, self.incrby_decrby), (3, self.incrbyfloat), (2, self.getrange), (2, self.setrange),
            (1, self.lcs), (2, self.delete), (2, self.exists), (2, self.type_), (6, self.expire),
            (3, self.ttl), (2, self.expiretime), (1, self.persist), (2, self.rename), (2, self.copy),
            (1, self.move), (1, self.touch), (3, self.object_), (1, self.dbsize), (1, self.select),
            (1, self.keys_), (1, self.scan), (1, self.randomkey), (1, self.swapdb), (0.3, self.flush),
            (1, self.encoding_edit), (2, self.setbit), (1.5, self.getbit), (2, self.bitcount),
            (2, self.bitpos), (2, self.bitop), (2, self.bitfield), (1, self.bitfield_ro),
        ]
        if wrong_types:
            self.generators.append((4, self.other_type))
        self.total_weight = sum(w for w, _ in self.generators)

    def steps(self, count: int) -> list[Step]:
        return [self.next_step() for _ in range(count)]

    def next_step(self) -> Step:
        r = self.rng
        pick = r.uniform(0, self.total_weight)
        for weight, generator in self.generators:
            pick -= weight
            if pick <= 0:
                break
        step = generator()
        roll = r.random()
        if roll < 0.03 and len(step.args) > 1:
            step.args = step.args[:-1]  # wrong arity, or an option missing its value
        elif roll < 0.05:
            step.args = step.args + [r.choice([b"extra", b"EX", b"1", b"NX"])]
        if r.random() < 0.15:
            name = step.args[0].decode()
            step.args[0] = "".join(c.lower() if r.random() < 0.5 else c for c in name).encode()
        if r.random() < 0.03 and not self.timeless:
            step.pause = r.uniform(0.005, 0.06)
        return step

    # -- argument pickers ----------------------------------------------------------------------

    def key(self) -> bytes:
        return self.rng.choice(KEYS)

    def keys(self, low: int = 1, high: int = 4) -> list[bytes]:
        return [self.key() for _ in range(self.rng.randint(low, high))]

    def value(self) -> bytes:
        r = self.rng.random()
        if r < 0.45:
            return self.rng.choice(SHORT_VALUES)
        if r < 0.8:
            return self.rng.choice(INTEGER_VALUES)
        if r < 0.95:
            return self.rng.choice(FLOAT_VALUES)
        if r < 0.96:
            return b"L" * self.rng.choice([4090, 5000])  # records either side of the 4 KiB slab limit
        return bytes(self.rng.randrange(256) for _ in range(self.rng.randint(1, 60)))

    def value_for(self, key: bytes) -> bytes:
        """A value, biased to what the counter keys are used for so INCR* often succeed."""
        if key == b"num" and self.rng.random() < 0.7:
            return str(self.rng.randint(-1000, 1000)).encode()
        if key == b"flt" and self.rng.random() < 0.7:
            return self.float_()
        return self.value()

    def integer(self) -> bytes:
        if self.rng.random() < 0.6:
            return str(self.rng.randint(-50, 120)).encode()
        return self.rng.choice(INTEGER_ARGS)

    def float_(self) -> bytes:
        if self.rng.random() < 0.5:
            return repr(round(self.rng.uniform(-1000, 1000), self.rng.randint(0, 6))).encode()
        return self.rng.choice(FLOAT_ARGS)

    def seconds(self) -> tuple[bytes, list[int]]:
        """A relative TTL in seconds: mostly valid, sometimes short enough to expire mid-run,
        sometimes invalid (zero, negative, not a number, overflowing)."""
        r = self.rng.random()
        if r < 0.15 and not self.timeless:
            value = self.rng.randint(1, 2)
        elif r < 0.7:
            value = self.rng.choice([10, 100, 1000, 86400, 31536000])
        else:
            text = self.rng.choice([b"0", b"-1", b"-100", b"abc", b"1.5", b"", b"9223372036854775807",
                                    b"9223372036854775", b"4611686018427387", b"-9223372036854775808"])
            return text, []
        return str(value).encode(), [value * 1000]

    def milliseconds(self) -> tuple[bytes, list[int]]:
        """A relative TTL in milliseconds; a third of them 1-50 ms."""
        r = self.rng.random()
        if r < 0.35 and not self.timeless:
            value = self.rng.randint(1, 50)
        elif r < 0.5 and not self.timeless:
            value = self.rng.randint(100, 1500)
        elif r < 0.8:
            value = self.rng.choice([100000, 5000000, 86400000])
        else:
            text = self.rng.choice([b"0", b"-1", b"-5000", b"abc", b"2.5", b"9223372036854775807",
                                    b"9223372036854775806", b"-9223372036854775808"])
            return text, []
        return str(value).encode(), [value]

    def absolute(self, unit: str) -> AbsTime | bytes:
        """A Unix time near now: in the past (expires at once), a few ms to seconds ahead, or far
        ahead; sometimes not a valid time at all."""
        r = self.rng.random()
        if r < 0.08:
            return self.rng.choice([b"0", b"-1", b"abc", b"9223372036854775807", b"1.5",
                                    b"-9223372036854775808", b"9223372036854776"])
        if r < 0.2:
            offset = -self.rng.choice([100000] if self.timeless else [5, 1000, 100000])
        elif r < 0.5 and not self.timeless:
            offset = self.rng.randint(1, 50) if unit == "ms" else self.rng.randint(1000, 2000)
        else:
            offset = self.rng.choice([100000, 3600000, 86400000 * 365])
        return AbsTime(offset, unit)

    def expiry_option(self, allow_keepttl: bool = True) -> tuple[list, list[int]]:
        """SET/GETEX expiry options, occasionally two at once (a syntax error)."""
        options, ttls = [], []
        for _ in range(1 if self.rng.random() < 0.93 else 2):
            kind = self.rng.choice(["EX", "PX", "EXAT", "PXAT"] + (["KEEPTTL"] if allow_keepttl else ["PERSIST"]))
            if kind == "EX":
                text, t = self.seconds()
            elif kind == "PX":
                text, t = self.milliseconds()
            elif kind in ("EXAT", "PXAT"):
                text, t = self.absolute("s" if kind == "EXAT" else "ms"), []
            else:
                options.append(kind.encode())
                continue
            options += [kind.encode(), text]
            ttls += t
        return options, ttls

    # -- strings -------------------------------------------------------------------------------

    def get(self) -> Step:
        return Step([b"GET", self.key()])

    def set(self) -> Step:
        """SET with its options in random order, sometimes conflicting or malformed."""
        groups, ttls = [], []
        r = self.rng
        if r.random() < 0.3:
            groups.append([r.choice([b"NX", b"XX"])])
            if r.random() < 0.05:
                groups.append([r.choice([b"NX", b"XX"])])
        if r.random() < 0.15:
            groups.append([b"GET"])
        if r.random() < 0.45:
            options, ttls = self.expiry_option()
            groups.append(options)
        if r.random() < 0.03:
            groups.append([r.choice([b"FOO", b"EX", b"PX", b"KEEPTTL"])])
        r.shuffle(groups)
        key = self.key()
        return Step([b"SET", key, self.value_for(key), *[a for g in groups for a in g]], ttls_ms=ttls)

    def setnx(self) -> Step:
        return Step([b"SETNX", self.key(), self.value()])

    def setex(self) -> Step:
        text, ttls = self.seconds()
        return Step([b"SETEX", self.key(), text, self.value()], ttls_ms=ttls)

    def psetex(self) -> Step:
        text, ttls = self.milliseconds()
        return Step([b"PSETEX", self.key(), text, self.value()], ttls_ms=ttls)

    def mget(self) -> Step:
        return Step([b"MGET", *self.keys(1, 5)])

    def mset(self) -> Step:
        pairs = [part for _ in range(self.rng.randint(1, 4)) for part in (self.key(), self.value())]
        if self.rng.random() < 0.08:
            pairs.append(self.key())  # odd number of arguments
        return Step([self.rng.choice([b"MSET", b"MSET", b"MSETNX"]), *pairs])

    def msetnx(self) -> Step:
        pairs = [part for _ in range(self.rng.randint(1, 3)) for part in (self.key(), self.value())]
        return Step([b"MSETNX", *pairs])

    def getset(self) -> Step:
        return Step([b"GETSET", self.key(), self.value()])

    def getdel(self) -> Step:
        return Step([b"GETDEL", self.key()])

    def getex(self) -> Step:
        args, ttls = [b"GETEX", self.key()], []
        if self.rng.random() < 0.8:
            options, ttls = self.expiry_option(allow_keepttl=False)
            args += options
        return Step(args, ttls_ms=ttls)

    def append(self) -> Step:
        suffixes = SHORT_VALUES[:4] + INTEGER_VALUES[:6] + [b"x" * 20, b"\x00\xff"]
        return Step([b"APPEND", self.key(), self.rng.choice(suffixes)])

    def strlen(self) -> Step:
        return Step([b"STRLEN", self.key()])

    def incr_decr(self) -> Step:
        return Step([self.rng.choice([b"INCR", b"DECR"]), self.rng.choice([b"num", b"num", self.key()])])

    def incrby_decrby(self) -> Step:
        return Step([self.rng.choice([b"INCRBY", b"DECRBY"]), self.rng.choice([b"num", self.key()]), self.integer()])

    def incrbyfloat(self) -> Step:
        return Step([b"INCRBYFLOAT", self.rng.choice([b"flt", b"flt", b"num", self.key()]), self.float_()])

    def getrange(self) -> Step:
        return Step([self.rng.choice([b"GETRANGE", b"GETRANGE", b"SUBSTR"]), self.key(), self.integer(), self.integer()])

    def setrange(self) -> Step:
        # Offsets past the 512 MB limit only with patches that cannot fit (offset 536870911
        # with a one-byte patch would really allocate 512 MB on both servers).
        offset = self.rng.choice([str(self.rng.randint(0, 80)).encode()] * 8 + [
            b"-1", b"abc", b"536870912", b"536870911", b"9223372036854775807", b"-9223372036854775808",
            b"1.5", b" 3", b"-0", b"4096"])
        patch = self.rng.choice(SHORT_VALUES[:6] + [b"\x00"])
        if offset == b"536870911" and len(patch) < 2:
            patch = b"hello"
        return Step([b"SETRANGE", self.key(), offset, patch])

    def lcs(self) -> Step:
        args = [b"LCS", self.key(), self.key()]
        for option in (b"LEN", b"IDX", b"WITHMATCHLEN"):
            if self.rng.random() < 0.3:
                args.append(option)
        if self.rng.random() < 0.3:
            args += [b"MINMATCHLEN", self.rng.choice([b"0", b"1", b"2", b"4", b"-1", b"abc", b"100",
                                                      b"9223372036854775807", b"-9223372036854775808"])]
        if self.rng.random() < 0.1:
            args.insert(self.rng.randint(3, len(args)), self.rng.choice([b"idx", b"len", b"WithMatchLen"]))
        if self.rng.random() < 0.03:
            args.append(b"BOGUS")
        return Step(args)

    # -- bitmaps -------------------------------------------------------------------------------

    def bit_offset(self, growing: bool) -> bytes:
        """A bit offset: mostly small (either side of byte boundaries), or an edge. Offsets that
        would grow a string to 512 MB (4294967295) only when the command does not write."""
        r = self.rng.random()
        if r < 0.85:
            return self.rng.choice([b"0", b"7", b"8", b"15", b"16", str(self.rng.randint(0, 400)).encode()])
        edges = [b"-1", b"4294967296", b"9223372036854775807", b"abc", b"", b"1.5", b" 1", b"-0", b"+3"]
        if not growing:
            edges += [b"4294967295", b"4294967288", b"100000"]
        return self.rng.choice(edges)

    def setbit(self) -> Step:
        bit = self.rng.choice([b"0", b"1"]) if self.rng.random() < 0.8 else self.rng.choice([b"2", b"-1", b"abc", b"", b"01"])
        offset = self.bit_offset(growing=bit in (b"0", b"1"))
        if bit not in (b"0", b"1") and self.rng.random() < 0.2:
            offset = b"4294967295"  # refused for the bit value before anything grows
        return Step([b"SETBIT", self.key(), offset, bit])

    def getbit(self) -> Step:
        return Step([b"GETBIT", self.key(), self.bit_offset(growing=False)])

    def bit_range(self) -> list[bytes]:
        """BITCOUNT's and BITPOS's start/end: small indexes of either sign, or 64-bit edges."""
        pick = lambda: (str(self.rng.randint(-20, 60)).encode() if self.rng.random() < 0.8 else
                        self.rng.choice([b"9223372036854775807", b"-9223372036854775808", b"abc",
                                         b"9223372036854775808", b"", b"0", b"-1"]))
        return [pick(), pick()]

    def bit_unit(self) -> list[bytes]:
        return [self.rng.choice([b"BYTE", b"BIT", b"byte", b"bit", b"Bit", b"BITS", b"bit\x00x"])]

    def bitcount(self) -> Step:
        args = [b"BITCOUNT", self.key()]
        r = self.rng.random()
        if r < 0.7:
            args += self.bit_range()
            if self.rng.random() < 0.5:
                args += self.bit_unit()
        elif r < 0.75:
            args.append(self.integer())  # a start without an end
        return Step(args)

    def bitpos(self) -> Step:
        bit = self.rng.choice([b"0", b"1"]) if self.rng.random() < 0.85 else self.rng.choice([b"2", b"-1", b"abc"])
        args = [b"BITPOS", self.key(), bit]
        r = self.rng.random()
        if r < 0.3:
            args += self.bit_range()[:1]
        elif r < 0.8:
            args += self.bit_range()
            if self.rng.random() < 0.5:
                args += self.bit_unit()
        return Step(args)

    def bitop(self) -> Step:
        op = self.rng.choice([b"AND", b"OR", b"XOR", b"NOT", b"and", b"Or", b"xor", b"not", b"NAND", b"AND\x00"])
        count = 1 if op.upper() == b"NOT" and self.rng.random() < 0.85 else self.rng.randint(1, 3)
        return Step([b"BITOP", op, self.key(), *self.keys(count, count)])

    def bitfield_type(self) -> bytes:
        if self.rng.random() < 0.93:
            sign = self.rng.choice([b"i", b"u"])
            bits = self.rng.choice([1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64 if sign == b"i" else 63])
            return sign + str(bits).encode()
        return self.rng.choice([b"u64", b"i65", b"i0", b"I8", b"x8", b"i", b"", b"i08", b"u-1", b"i8\x00x"])

    def bitfield_value(self) -> bytes:
        if self.rng.random() < 0.75:
            return str(self.rng.randint(-300, 300)).encode()
        return self.rng.choice([b"9223372036854775807", b"-9223372036854775808", b"127", b"128", b"-129",
                                b"255", b"256", b"4294967296", b"-1", b"abc", b"1.5", b"9223372036854775808"])

    def bitfield_ops(self, writes: bool) -> list[bytes]:
        ops: list[bytes] = []
        for _ in range(self.rng.randint(1, 4)):
            r = self.rng.random()
            if r < 0.2:
                modes = [b"WRAP", b"SAT", b"FAIL", b"sat", b"fail", b"wrap"]
                ops += [b"OVERFLOW", self.rng.choice(modes) if self.rng.random() < 0.93 else b"BOGUS"]
                continue
            kind = b"GET" if not writes or r < 0.45 else self.rng.choice([b"SET", b"INCRBY", b"incrby", b"set"])
            if self.rng.random() < 0.02:
                kind = b"BOGUS"
            grows = kind.upper() in (b"SET", b"INCRBY")
            if self.rng.random() < 0.2:
                offset = b"#" + str(self.rng.randint(0, 12)).encode()
                if not grows and self.rng.random() < 0.2:
                    offset = self.rng.choice([b"#67108863", b"#67108864", b"#-1", b"#", b"#x"])
            elif self.rng.random() < 0.5:
                offset = str(self.rng.randint(0, 100)).encode()
            else:
                offset = self.bit_offset(growing=grows)
            ops += [kind, self.bitfield_type(), offset]
            if grows:
                ops.append(self.bitfield_value())
        return ops

    def bitfield(self) -> Step:
        return Step([b"BITFIELD", self.key(), *self.bitfield_ops(writes=True)])

    def bitfield_ro(self) -> Step:
        return Step([b"BITFIELD_RO", self.key(), *self.bitfield_ops(writes=self.rng.random() < 0.15)])

    # -- keys ----------------------------------------------------------------------------------

    def delete(self) -> Step:
        return Step([self.rng.choice([b"DEL", b"UNLINK"]), *self.keys(1, 3)])

    def exists(self) -> Step:
        return Step([b"EXISTS", *self.keys(1, 4)])

    def type_(self) -> Step:
        return Step([b"TYPE", self.key()])

    def expire(self) -> Step:
        name = self.rng.choice([b"EXPIRE", b"PEXPIRE", b"EXPIREAT", b"PEXPIREAT"])
        ttls: list[int] = []
        if name == b"EXPIRE":
            when, ttls = self.seconds()
        elif name == b"PEXPIRE":
            when, ttls = self.milliseconds()
        else:
            when = self.absolute("s" if name == b"EXPIREAT" else "ms")
        args = [name, self.key(), when]
        if self.rng.random() < 0.4:
            args.append(self.rng.choice([b"NX", b"XX", b"GT", b"LT", b"nx", b"gt"]))
            if self.rng.random() < 0.15:
                args.append(self.rng.choice([b"NX", b"XX", b"GT", b"LT", b"FOO"]))
        pause = 0.0
        if name in (b"EXPIRE", b"PEXPIRE") and any(a.upper() in (b"GT", b"LT") for a in args[3:]) and ttls:
            # GT/LT compare "now + ttl" with an expiry that may itself be "then + ttl": taken a
            # moment apart, equal TTLs differ by the milliseconds between the two commands, which
            # differ between servers. A TTL far from every short one, and 2 ms since the previous
            # command, make the comparison come out the same on both.
            value = self.rng.choice([100, 1000, 86400]) if name == b"EXPIRE" else self.rng.choice([100000, 5000000])
            args[2], ttls, pause = str(value).encode(), [value * (1000 if name == b"EXPIRE" else 1)], 0.002
        return Step(args, ttls_ms=ttls, pause=pause)

    def ttl(self) -> Step:
        name = self.rng.choice([b"TTL", b"PTTL"])
        return Step([name, self.key()], check=name.decode().lower())

    def expiretime(self) -> Step:
        name = self.rng.choice([b"EXPIRETIME", b"PEXPIRETIME"])
        return Step([name, self.key()], check=name.decode().lower())

    def persist(self) -> Step:
        return Step([b"PERSIST", self.key()])

    def rename(self) -> Step:
        return Step([self.rng.choice([b"RENAME", b"RENAMENX"]), self.key(), self.key()])

    def copy(self) -> Step:
        args = [b"COPY", self.key(), self.key()]
        if self.rng.random() < 0.4:
            args += [b"DB", self.rng.choice([b"0", b"1", b"2", b"2", b"16", b"-1", b"abc"])]
        if self.rng.random() < 0.4:
            args.append(b"REPLACE")
        if self.rng.random() < 0.03:
            args.append(b"BOGUS")
        return Step(args)

    def move(self) -> Step:
        return Step([b"MOVE", self.key(), self.rng.choice([b"0", b"1", b"2", b"16", b"-1", b"abc"])])

    def touch(self) -> Step:
        return Step([b"TOUCH", *self.keys(1, 3)])

    def object_(self) -> Step:
        """OBJECT ENCODING, REFCOUNT (shared integers), FREQ (an error without an LFU policy)
        and HELP. IDLETIME is left to test_differential's access-time test: it counts seconds,
        and Redis's shared integers share one access time between keys."""
        r = self.rng.random()
        if r < 0.55:
            return Step([b"OBJECT", self.rng.choice([b"ENCODING", b"encoding"]), self.key()])
        if r < 0.85:
            return Step([b"OBJECT", b"REFCOUNT", self.key()])
        if r < 0.92:
            return Step([b"OBJECT", b"FREQ", self.key()])
        if r < 0.95:
            return Step([b"OBJECT", self.rng.choice([b"HELP", b"help"])])
        return Step([b"OBJECT", self.rng.choice([b"NOSUCH", b"ENCODING", b"HELP"]), self.key(), b"extra"])

    def encoding_edit(self) -> Step:
        """A value built up in ways that move it between int, embstr and raw, then COPY'd,
        RENAME'd or MOVE'd onto a key whose encoding the stream inspects later."""
        key = self.key()
        r = self.rng.random()
        if r < 0.3:
            return Step([b"SET", key, self.rng.choice([b"x" * 44, b"x" * 45, b"12345", b"9999", b"10000", b"-1"])])
        if r < 0.6:
            return Step([b"COPY", key, self.key(), b"REPLACE"])
        if r < 0.8:
            return Step([b"SETRANGE", key, self.rng.choice([b"0", b"43", b"44"]), b"1"])
        return Step([b"INCRBY", key, self.rng.choice([b"0", b"1", b"-10000", b"9999"])])

    def dbsize(self) -> Step:
        return Step([b"DBSIZE"])

    def select(self) -> Step:
        index = self.rng.choice([b"0", b"0", b"0", b"1", b"2", b"3", b"16", b"-1", b"abc", b"1.0"])
        return Step([b"SELECT", index])

    def keys_(self) -> Step:
        return Step([b"KEYS", self.rng.choice(PATTERNS)], check="unordered")

    def scan(self) -> Step:
        """A whole SCAN iteration (the runner drives the cursor) with MATCH, COUNT and TYPE in
        any order, or one call with a malformed cursor or option."""
        r = self.rng
        options: list[list[bytes]] = []
        if r.random() < 0.5:
            options.append([b"MATCH", r.choice(PATTERNS)])
        if r.random() < 0.5:
            options.append([b"COUNT", r.choice([b"1", b"2", b"3", b"10", b"1000", b"0", b"-1", b"abc",
                                                b"9223372036854775807", b"2147483648"])])
        if r.random() < 0.3:
            options.append([b"TYPE", r.choice([b"string", b"STRING", b"list", b"none", b"bogus"])])
        r.shuffle(options)
        args = [b"SCAN", SCAN_CURSOR, *[a for o in options for a in o]]
        if r.random() < 0.08:
            args.append(r.choice([b"MATCH", b"COUNT", b"BOGUS"]))  # an option missing its value
        if r.random() < 0.05:
            args[1] = r.choice([b"abc", b" 1", b"18446744073709551616", b"1x", b"+"])
            return Step(args)
        return Step(args, check="scan")

    def randomkey(self) -> Step:
        return Step([b"RANDOMKEY"], check="randomkey")

    def swapdb(self) -> Step:
        pick = lambda: self.rng.choice([b"0", b"0", b"1", b"2", b"3", b"16", b"-1", b"abc"])
        return Step([b"SWAPDB", pick(), pick()])

    def flush(self) -> Step:
        if self.rng.random() < 0.8:
            return Step([b"FLUSHDB", *self.rng.choice([[], [b"ASYNC"], [b"sync"], [b"BOGUS"], [b"SYNC", b"ASYNC"]])])
        return Step([b"FLUSHALL", *self.rng.choice([[], [b"SYNC"], [b"bogus"]])])

    # -- other types (only in wrong-type streams) ----------------------------------------------

    def other_type(self) -> Step:
        kind = self.rng.choice([b"RPUSH", b"SADD", b"HSET"])
        if kind == b"HSET":
            return Step([kind, self.key(), b"field", self.value()])
        return Step([kind, self.key(), self.value()])
