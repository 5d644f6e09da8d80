"""Bitmap commands (SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO) in the cases the
random differential stream cannot reach, each run in lockstep against real Redis 7.0 with the
reply bytes compared:

* the 512 MB limit: SETBIT at bit 4294967295 really grows a string to 512 MB on both servers
  (and BITFIELD a few bytes past it, as Redis allows), while bit 4294967296 and APPEND or
  SETRANGE past the limit are refused; a lower proto-max-bulk-len lowers the bit limit with it;
* BITOP over source and destination keys spread over every shard (the server under test may
  run with FERRITE_SHARDS shards), inside MULTI too;
* BITFIELD's key flags as COMMAND GETKEYSANDFLAGS reports them (read-only only with GETs);
* long bitmaps, so the word-at-a-time loops meet set and clear bits far from the start.
"""

from __future__ import annotations

import pytest

from harness.raw import RawConnection

# Sources (the first four) and destinations (the last four), one in each quarter of the slot
# space, so that with 2 or 4 shards they sit on different shards (a shard owns a contiguous
# range of slots: slot * shards // 16384).
SPREAD_KEYS = [b"bm:0", b"bm:1", b"bm:2", b"bm:3", b"bm:4", b"bm:5", b"bm:6", b"bm:7"]


def crc16(data: bytes) -> int:
    """CRC16/XMODEM, Redis Cluster's key hash."""
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def quarter(key: bytes) -> int:
    return (crc16(key) % 16384) * 4 // 16384


class Lockstep:
    """One connection to each server; every command goes to both and the replies must match."""

    def __init__(self, ferrite_port: int, redis_port: int):
        self.target = RawConnection(ferrite_port, timeout=60)
        self.reference = RawConnection(redis_port, timeout=60)

    def __call__(self, *args) -> bytes:
        got = self.target.command(*args)
        want = self.reference.command(*args)
        assert got == want, f"{args}: ferrite {got!r}, redis {want!r}"
        return got

    def close(self) -> None:
        self.target.close()
        self.reference.close()


@pytest.fixture
def both(ferrite, redis_ref):
    lockstep = Lockstep(ferrite.port, redis_ref.port)
    yield lockstep
    lockstep("FLUSHALL")
    lockstep.close()


def test_setbit_at_the_last_bit_grows_a_512_mb_string(both):
    assert both("SETBIT", "big", "4294967295", "1") == b":0\r\n"
    assert both("STRLEN", "big") == b":536870912\r\n"
    both("GETBIT", "big", "4294967295")
    both("GETBIT", "big", "4294967294")
    both("BITCOUNT", "big")
    both("BITCOUNT", "big", "-1", "-1")
    both("BITCOUNT", "big", "4294967288", "-1", "BIT")
    both("BITPOS", "big", "1")
    both("BITPOS", "big", "0", "-1")
    both("BITPOS", "big", "1", "-8", "-2", "BIT")
    both("OBJECT", "ENCODING", "big")
    # The string is at the limit: nothing may grow it, the bit past it is refused.
    both("SETBIT", "big", "4294967296", "1")
    both("APPEND", "big", "x")
    both("SETRANGE", "big", "536870911", "xy")
    both("SETRANGE", "big", "536870911", "x")
    # BITFIELD checks a field's first bit only: a 64-bit field there reaches 7 bytes past.
    both("BITFIELD", "big", "SET", "i64", "4294967295", "-1", "GET", "u63", "4294967296")
    both("STRLEN", "big")
    both("BITFIELD", "big", "GET", "i64", "#67108863", "GET", "u8", "4294967295")
    both("DEL", "big")


def test_bitfield_on_a_missing_key_at_the_last_offset(both):
    both("BITFIELD", "k", "GET", "u8", "4294967295", "GET", "i64", "#67108863")
    both("EXISTS", "k")
    both("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u1", "4294967295", "2")
    both("STRLEN", "k")
    both("DEL", "k")


def test_lower_proto_max_bulk_len_lowers_the_bit_limit(both):
    both("CONFIG", "SET", "proto-max-bulk-len", "1mb")
    try:
        both("SETBIT", "k", "8388608", "1")
        both("GETBIT", "k", "8388608")
        both("BITFIELD", "k", "GET", "u8", "8388608")
        both("BITFIELD", "k", "SET", "u8", "#1048576", "1")
        both("SETBIT", "k", "8388607", "1")
        both("STRLEN", "k")
        both("BITFIELD", "k", "SET", "i64", "8388607", "-1")
        both("STRLEN", "k")
    finally:
        both("CONFIG", "SET", "proto-max-bulk-len", "512mb")


def test_bitop_across_shards(both):
    for keys in (SPREAD_KEYS[:4], SPREAD_KEYS[4:]):
        assert sorted(quarter(key) for key in keys) == [0, 1, 2, 3], keys
    values = [b"foobar", b"abcdefghijklmnopqrstuvwxyz0123456789", b"\x00\xff\x0f", b"12345"]
    for key, value in zip(SPREAD_KEYS[:4], values):
        both("SET", key, value)
    for op in ("AND", "OR", "XOR"):
        for destination in SPREAD_KEYS[4:]:
            both("BITOP", op, destination, *SPREAD_KEYS[:4])
            both("GET", destination)
            both("BITOP", op, destination, SPREAD_KEYS[3], b"bm:missing", SPREAD_KEYS[0])
            both("GET", destination)
    both("BITOP", "NOT", SPREAD_KEYS[5], SPREAD_KEYS[1])
    both("GET", SPREAD_KEYS[5])
    both("OBJECT", "ENCODING", SPREAD_KEYS[5])
    # A source as destination, and an empty result deleting a key on another shard.
    both("BITOP", "XOR", SPREAD_KEYS[0], SPREAD_KEYS[0], SPREAD_KEYS[1])
    both("GET", SPREAD_KEYS[0])
    both("BITOP", "OR", SPREAD_KEYS[6], b"bm:missing", b"bm:missing2")
    both("EXISTS", SPREAD_KEYS[6])
    # Inside a transaction, with the sources written in it first.
    both("MULTI")
    both("SETBIT", SPREAD_KEYS[2], "100", "1")
    both("SET", SPREAD_KEYS[3], "zz")
    both("BITOP", "OR", SPREAD_KEYS[7], SPREAD_KEYS[2], SPREAD_KEYS[3], SPREAD_KEYS[4])
    both("BITCOUNT", SPREAD_KEYS[7])
    both("EXEC")
    both("GET", SPREAD_KEYS[7])


def test_bitfield_key_flags(both):
    for args in (["BITFIELD", "k", "GET", "u8", "0"],
                 ["BITFIELD", "k", "GET", "u8", "0", "OVERFLOW", "SAT", "GET", "i4", "#1"],
                 ["BITFIELD", "k", "GET", "u8", "0", "SET", "u8", "0", "1"],
                 ["BITFIELD", "k", "INCRBY", "u8", "0", "1"],
                 ["BITFIELD", "k", "BOGUS"],
                 ["BITFIELD", "k"],
                 ["BITFIELD_RO", "k", "GET", "u8", "0"],
                 ["BITOP", "AND", "d", "a", "b"],
                 ["SETBIT", "k", "0", "1"]):
        both("COMMAND", "GETKEYSANDFLAGS", *args)


def test_long_bitmaps(both):
    both("SETBIT", "sparse", "80000", "1")
    both("SETBIT", "sparse", "3", "1")
    for args in (["BITPOS", "sparse", "1", "1"], ["BITPOS", "sparse", "1", "9", "-1", "BIT"],
                 ["BITPOS", "sparse", "0"], ["BITCOUNT", "sparse"], ["BITCOUNT", "sparse", "1", "-2"],
                 ["BITCOUNT", "sparse", "7", "80000", "BIT"], ["BITPOS", "sparse", "1", "-1"]):
        both(*args)
    both("BITOP", "NOT", "dense", "sparse")
    for args in (["BITPOS", "dense", "0"], ["BITPOS", "dense", "0", "1"], ["BITPOS", "dense", "0", "1", "-1"],
                 ["BITPOS", "dense", "1", "10000"], ["BITCOUNT", "dense"], ["BITCOUNT", "dense", "5", "79999", "BIT"]):
        both(*args)
    both("SET", "ones", b"\xff" * 5000)
    both("BITPOS", "ones", "0")
    both("BITPOS", "ones", "0", "0", "-1")
    both("BITOP", "AND", "both", "ones", "dense")
    both("BITCOUNT", "both")
