"""Redis 7.0's latency features, each scenario run against Ferrite and a real redis-server.

Per-command histograms (`latency-tracking`): LATENCY HISTOGRAM by full name (`config|get`), a
container name listing its subcommands, unknown names skipped, a name asked twice answered
twice; what is recorded (EXEC and each command inside it, runtime errors; not arity errors,
unknown commands or anything while tracking is off, including the CONFIG SET that turns it
off); CONFIG RESETSTAT; RESP2 and RESP3 map shapes. INFO latencystats and its percentiles
(`latency-tracking-info-percentiles`: how a value is taken, shown and refused). The latency
monitor (`latency-monitor-threshold`): a slow KEYS as a "command" event in LATEST, HISTORY,
GRAPH and DOCTOR, RESET, the DOCTOR texts without events, and the errors and HELP.

Durations differ between two servers, so what depends on them is checked rather than compared:
every bucket key is one of Redis's (`BUCKETS`), cumulative counts rise to `calls`, percentiles
have three decimals and fall in the command's highest bucket, a latency event's time is now
and its latency at least the threshold. Everything else (names, calls, labels, errors, texts
with their numbers masked) must be identical. The servers are shared: the fixture restores the
three directives and clears histograms and events before and after each test."""

from __future__ import annotations

import functools
import re
import time

import pytest

from harness.differential import RespError, parse_reply
from harness.raw import RawConnection, encode

PROTOCOLS = [2, 3]
DEFAULTS = ["latency-tracking", "yes", "latency-tracking-info-percentiles", "50 99 99.9",
            "latency-monitor-threshold", "0"]

# hdr_histogram's log iteration (first level 1024 ns, factor 2, two significant digits):
# each level's highest equivalent value, 2^k + 2^(k-7) - 1 ns, in whole µs; 1 s is the most
# Redis records. 1, 2, 4, 8, 16, 33, 66, 132, 264, 528, 1056, 2113, ...
BUCKETS = sorted({(2 ** k + 2 ** (k - 7) - 1) // 1000 for k in range(10, 31)})

HISTOGRAM_USEC = re.compile(rb"(\$14\r\nhistogram_usec\r\n[*%])\d+\r\n(?::\d+\r\n)*")
INFO_LINE = re.compile(r"latency_percentiles_usec_([a-z|_-]+):(.*)")
PERCENTILE = re.compile(r"p([0-9.]+)=(\d+\.\d{3})")


@pytest.fixture
def latency_servers(ferrite, redis_ref):
    """Both servers with the default latency directives, no histograms and no events; the
    same again afterwards, since the servers are shared."""
    def reset(server) -> None:
        with RawConnection(server.port) as conn:
            assert conn.command("CONFIG", "SET", *DEFAULTS) == b"+OK\r\n"
            assert conn.command("LATENCY", "RESET").startswith(b":")
            assert conn.command("CONFIG", "RESETSTAT") == b"+OK\r\n"

    for server in (ferrite, redis_ref):
        reset(server)
    yield {"ferrite": ferrite, "redis": redis_ref}
    for server in (ferrite, redis_ref):
        reset(server)


def _connect(port: int, protocol: int) -> RawConnection:
    conn = RawConnection(port)
    if protocol == 3:
        assert conn.command("HELLO", "3").startswith(b"%")
    return conn


def _masked(reply: bytes) -> bytes:
    """LATENCY HISTOGRAM's bytes with each histogram_usec map's length and contents masked:
    what two servers share is everything else."""
    return HISTOGRAM_USEC.sub(rb"\1N\r\n", reply)


def _digits_masked(reply: bytes) -> bytes:
    return re.sub(rb"\d+", b"N", reply)


def _histograms(reply: bytes) -> list[tuple[bytes, int, list[int]]]:
    """LATENCY HISTOGRAM's reply (either protocol) as (command, calls, bucket keys) in reply
    order, each histogram checked: keys are Redis's and ascending, cumulative counts rise
    strictly and end at calls."""
    flat = parse_reply(reply)
    entries = []
    for name, entry in zip(flat[::2], flat[1::2]):
        assert entry[0] == b"calls" and entry[2] == b"histogram_usec" and len(entry) == 4, entry
        calls, buckets = entry[1], entry[3]
        keys, counts = buckets[::2], buckets[1::2]
        assert keys and all(key in BUCKETS for key in keys), (name, buckets)
        assert keys == sorted(set(keys)) and counts == sorted(set(counts)), (name, buckets)
        assert counts[0] > 0 and counts[-1] == calls, (name, calls, buckets)
        entries.append((name, calls, keys))
    return entries


def _calls(reply: bytes) -> list[tuple[bytes, int]]:
    """The (command, calls) pairs of a LATENCY HISTOGRAM reply, sorted: a server lists its
    commands in its own table order."""
    return sorted((name, calls) for name, calls, _ in _histograms(reply))


def _info_section(text: str) -> list[str]:
    """The lines of INFO's Latencystats section (checked to be there), without the header."""
    lines = text.split("\r\n")
    start = lines.index("# Latencystats") + 1
    end = lines.index("", start)
    return lines[start:end]


def _info_lines(reply: bytes) -> dict[str, list[tuple[str, float]]]:
    """INFO latencystats as command -> [(label, µs)], each value checked to have 3 decimals."""
    text = parse_reply(reply).decode()
    if text.startswith("txt:"):
        text = text[4:]
    stats = {}
    for line in _info_section(text):
        name, rest = INFO_LINE.fullmatch(line).groups()
        pairs = [PERCENTILE.fullmatch(item) for item in rest.split(",")] if rest else []
        assert all(pairs), line
        stats[name] = [(match[1], float(match[2])) for match in pairs]
    return stats


def _labels(stats: dict) -> list:
    return sorted((name, [label for label, _ in values]) for name, values in stats.items())


# -- LATENCY HISTOGRAM ----------------------------------------------------------------------------


def _histogram_scenario(port: int, protocol: int) -> dict:
    results = {}
    with _connect(port, protocol) as conn:
        conn.command("CONFIG", "RESETSTAT")
        results["first"] = _masked(conn.command("LATENCY", "HISTOGRAM"))
        for args in (["SET", "a", "1"], ["GET", "a"], ["get", "a"], ["INCR", "a"], ["SET", "s", "x"],
                     ["INCR", "s"], ["CONFIG", "GET", "maxmemory"],
                     # Rejected before they run: not recorded.
                     ["GET"], ["GET", "a", "b"], ["NOSUCH", "x"], ["CONFIG", "NOSUCH"], ["CONFIG", "GET"]):
            conn.command(*args)
        results["all"] = _calls(conn.command("LATENCY", "HISTOGRAM"))
        # Asked by name: in the order asked, twice if asked twice, unknown names and commands
        # without data skipped, any case, subcommands by full name.
        named = conn.command("LATENCY", "HISTOGRAM", "set", "nosuch", "SET", "get|x", "Config|Get", "del", "incr")
        results["named"] = _masked(named)
        results["named calls"] = [(name, calls) for name, calls, _ in _histograms(named)]
        # A container lists its subcommands that have data.
        results["container"] = _calls(conn.command("LATENCY", "HISTOGRAM", "config"))
        results["latency"] = _calls(conn.command("LATENCY", "HISTOGRAM", "LATENCY"))
        results["none"] = conn.command("LATENCY", "HISTOGRAM", "nosuch", "del", "")
        conn.command("CONFIG", "RESETSTAT")
        results["after reset"] = _masked(conn.command("LATENCY", "HISTOGRAM"))
    return results


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_histogram_counts_each_command_under_its_full_name(latency_servers, protocol):
    got = _histogram_scenario(latency_servers["ferrite"].port, protocol)
    want = _histogram_scenario(latency_servers["redis"].port, protocol)
    assert got == want
    # What the comparison proves, spelled out.
    kind = b"*" if protocol == 2 else b"%"
    inner = b"*4" if protocol == 2 else b"%2"
    assert want["first"] == (kind + b"%d\r\n$16\r\nconfig|resetstat\r\n%s\r\n$5\r\ncalls\r\n:1\r\n"
                             b"$14\r\nhistogram_usec\r\n%sN\r\n" % (2 if protocol == 2 else 1, inner, kind))
    assert want["after reset"] == want["first"]
    assert want["all"] == [(b"config|get", 1), (b"config|resetstat", 1), (b"get", 2), (b"incr", 2),
                           (b"latency|histogram", 1), (b"set", 2)]
    assert want["named calls"] == [(b"set", 2), (b"set", 2), (b"config|get", 1), (b"incr", 2)]
    assert want["container"] == [(b"config|get", 1), (b"config|resetstat", 1)]
    assert want["latency"] == [(b"latency|histogram", 4)]
    assert want["none"] == kind + b"0\r\n"


def _transaction_scenario(port: int) -> list:
    with RawConnection(port) as conn:
        conn.command("CONFIG", "RESETSTAT")
        replies = [conn.command(*args) for args in (
            ["MULTI"], ["SET", "a", "1"], ["INCR", "a"], ["GET", "a"], ["EXEC"],
            ["MULTI"], ["GET"], ["EXEC"],  # refused while queued: EXECABORT, which still counts
            ["MULTI"], ["DISCARD"])]
        return [replies, _calls(conn.command("LATENCY", "HISTOGRAM"))]


def test_transactions_record_each_command_and_exec(latency_servers):
    got = _transaction_scenario(latency_servers["ferrite"].port)
    want = _transaction_scenario(latency_servers["redis"].port)
    assert got == want
    assert want[1] == [(b"config|resetstat", 1), (b"discard", 1), (b"exec", 2), (b"get", 1), (b"incr", 1),
                       (b"multi", 3), (b"set", 1)]


def _tracking_off_scenario(port: int, protocol: int) -> list:
    results = []
    with _connect(port, protocol) as conn:
        conn.command("CONFIG", "RESETSTAT")
        conn.command("SET", "a", "1")
        # Not recorded: tracking is already off when the command ends.
        results.append(conn.command("CONFIG", "SET", "latency-tracking", "no"))
        conn.command("GET", "a")
        results.append(conn.command("CONFIG", "GET", "latency-tracking"))
        results.append(conn.command("INFO", "latencystats"))
        results.append(conn.command("INFO", "LatencyStats"))
        # The histograms so far are kept, and still listed.
        results.append(_calls(conn.command("LATENCY", "HISTOGRAM")))
        # Recorded: tracking is on when it ends.
        results.append(conn.command("CONFIG", "SET", "latency-tracking", "yes"))
        conn.command("GET", "a")
        results.append(_calls(conn.command("LATENCY", "HISTOGRAM")))
        results.append(sorted(_info_lines(conn.command("INFO", "latencystats"))))
    return results


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_tracking_off_records_nothing_and_empties_the_info_section(latency_servers, protocol):
    got = _tracking_off_scenario(latency_servers["ferrite"].port, protocol)
    want = _tracking_off_scenario(latency_servers["redis"].port, protocol)
    assert got == want
    empty = b"$16\r\n# Latencystats\r\n\r\n" if protocol == 2 else b"=20\r\ntxt:# Latencystats\r\n\r\n"
    assert want[2] == want[3] == empty
    assert want[4] == [(b"config|resetstat", 1), (b"set", 1)]
    # The first LATENCY HISTOGRAM ran while tracking was off; the second is recorded after it replies.
    assert want[6] == [(b"config|resetstat", 1), (b"config|set", 1), (b"get", 1), (b"set", 1)]
    assert want[7] == ["config|resetstat", "config|set", "get", "latency|histogram", "set"]


# -- INFO latencystats ----------------------------------------------------------------------------


def _info_scenario(port: int) -> list:
    results = []
    with RawConnection(port) as conn:
        conn.command("CONFIG", "RESETSTAT")
        for index in range(40):
            conn.command("SET", f"k{index}", "v" * (index * 1000))
        for args in (["GET", "k1"], ["INCR", "n"], ["INCR", "n"], ["KEYS", "*"], ["CONFIG", "GET", "maxmemory"],
                     ["LATENCY", "HISTOGRAM", "nosuch"]):
            conn.command(*args)
        info = conn.command("INFO", "latencystats")
        histograms = {name.decode(): (calls, keys) for name, calls, keys
                      in _histograms(conn.command("LATENCY", "HISTOGRAM"))}
        stats = _info_lines(info)
        # Each command's percentiles rise and fall in its buckets: the highest (every sample,
        # for fewer than 500 calls) below the last key + 1 and at least the key before it, the
        # median at least the key before the first.
        for name, values in stats.items():
            assert [label for label, _ in values] == ["50", "99", "99.9"], (name, values)
            p50, p99, p999 = (value for _, value in values)
            calls, keys = histograms[name]
            assert p50 <= p99 <= p999, (name, values)
            below_last = BUCKETS[BUCKETS.index(keys[-1]) - 1] if keys[-1] != BUCKETS[0] else 0
            below_first = BUCKETS[BUCKETS.index(keys[0]) - 1] if keys[0] != BUCKETS[0] else 0
            assert below_last <= p999 < keys[-1] + 1, (name, values, keys)
            assert p50 >= below_first, (name, values, keys)
            if calls == 1:
                assert p50 == p99 == p999, (name, values)
        results.append(sorted((name, histograms[name][0]) for name in stats))
        results.append(_labels(stats))
        # The section is part of INFO all and everything (and of a list naming it), not of
        # the default INFO.
        for args in (["INFO"], ["INFO", "default"], ["INFO", "all"], ["INFO", "everything"],
                     ["INFO", "server", "latencystats"]):
            text = parse_reply(conn.command(*args)).decode()
            results.append(sorted(INFO_LINE.fullmatch(line)[1] for line in _info_section(text))
                           if "# Latencystats" in text.split("\r\n") else None)
        # Other percentiles, in the order given; none at all leaves each line empty.
        for value in ("99.99 0 100", ""):
            results.append(conn.command("CONFIG", "SET", "latency-tracking-info-percentiles", value))
            results.append(_labels(_info_lines(conn.command("INFO", "latencystats"))))
            results.append(conn.command("CONFIG", "GET", "latency-tracking-info-percentiles"))
    return results


def test_info_latencystats_lines_agree_with_the_histograms(latency_servers):
    got = _info_scenario(latency_servers["ferrite"].port)
    want = _info_scenario(latency_servers["redis"].port)
    assert got == want
    assert want[0] == [("config|get", 1), ("config|resetstat", 1), ("get", 1), ("incr", 2), ("keys", 1),
                       ("latency|histogram", 1), ("set", 40)]
    assert want[2] is None and want[3] is None
    assert want[4] == want[5] == want[6] == sorted([name for name, _ in want[0]] + ["info"])
    assert ("set", ["99.99", "0", "100"]) in want[8]
    assert ("set", []) in want[11]
    assert want[9] == b"*2\r\n$33\r\nlatency-tracking-info-percentiles\r\n$11\r\n99.99 0 100\r\n"
    assert want[12] == b"*2\r\n$33\r\nlatency-tracking-info-percentiles\r\n$0\r\n\r\n"


# -- CONFIG ---------------------------------------------------------------------------------------

# Parsed as strtod parses, shown as "%f" without its trailing zeros.
PERCENTILE_SETTINGS = ["99.99 0 100", "", "33.3333333", "1e1 100.0 0.5", "50 50", "0.0000001", "0x10", "99.9"]


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("value", PERCENTILE_SETTINGS)
def test_percentile_settings_are_taken_and_shown_as_redis_shows_them(latency_servers, value, protocol):
    replies = {}
    for label, server in latency_servers.items():
        with _connect(server.port, protocol) as conn:
            replies[label] = [conn.command("CONFIG", "SET", "latency-tracking-info-percentiles", value),
                              conn.command("CONFIG", "GET", "latency-tracking-info-percentiles"),
                              _labels(_info_lines(conn.command("INFO", "latencystats")))]
    assert replies["ferrite"] == replies["redis"]
    assert replies["redis"][0] == b"+OK\r\n"


BAD_SETTINGS = [
    ["latency-tracking-info-percentiles", "abc"], ["latency-tracking-info-percentiles", "101"],
    ["latency-tracking-info-percentiles", "100.001"], ["latency-tracking-info-percentiles", "-1"],
    ["latency-tracking-info-percentiles", "50 x"], ["latency-tracking-info-percentiles", "50  99"],
    ["latency-tracking-info-percentiles", " 50"], ["latency-tracking-info-percentiles", "50 "],
    ["latency-tracking-info-percentiles", "nan"], ["latency-tracking-info-percentiles", "inf"],
    ["latency-tracking-info-percentiles", "5,6"], ["latency-tracking", "maybe"], ["latency-tracking", ""],
    ["latency-monitor-threshold", "-1"], ["latency-monitor-threshold", "abc"],
    ["latency-monitor-threshold", "9223372036854775808"],
]


@pytest.mark.parametrize("args", BAD_SETTINGS, ids=" ".join)
def test_bad_settings_are_refused_as_redis_refuses_them(latency_servers, args):
    replies = {}
    for label, server in latency_servers.items():
        with RawConnection(server.port) as conn:
            replies[label] = [conn.command("CONFIG", "SET", *args), conn.command("CONFIG", "GET", args[0])]
    assert replies["ferrite"] == replies["redis"]
    assert isinstance(parse_reply(replies["redis"][0]), RespError)
    assert parse_reply(replies["redis"][1])[1] == dict(zip(DEFAULTS[::2], DEFAULTS[1::2]))[args[0]].encode()


def test_config_get_shows_the_defaults_and_new_values(latency_servers):
    replies = {}
    for label, server in latency_servers.items():
        with RawConnection(server.port) as conn:
            replies[label] = [
                conn.command("CONFIG", "GET", "latency-tracking"),
                conn.command("CONFIG", "GET", "latency-tracking-info-percentiles"),
                conn.command("CONFIG", "GET", "latency-monitor-threshold"),
                sorted(zip(*[iter(parse_reply(conn.command("CONFIG", "GET", "latency*")))] * 2)),
                conn.command("CONFIG", "SET", "latency-tracking", "NO", "latency-monitor-threshold", "250",
                             "latency-tracking-info-percentiles", "99.99 0 100"),
                sorted(zip(*[iter(parse_reply(conn.command("CONFIG", "GET", "latency*")))] * 2)),
            ]
    assert replies["ferrite"] == replies["redis"]
    want = replies["redis"]
    assert want[:3] == [b"*2\r\n$16\r\nlatency-tracking\r\n$3\r\nyes\r\n",
                        b"*2\r\n$33\r\nlatency-tracking-info-percentiles\r\n$10\r\n50 99 99.9\r\n",
                        b"*2\r\n$25\r\nlatency-monitor-threshold\r\n$1\r\n0\r\n"]
    assert want[5] == [(b"latency-monitor-threshold", b"250"), (b"latency-tracking", b"no"),
                       (b"latency-tracking-info-percentiles", b"99.99 0 100")]


# -- LATENCY subcommands --------------------------------------------------------------------------

LATENCY_CASES = [
    ["LATENCY"], ["LATENCY", "foo"], ["LATENCY", "foo", "bar"], ["LATENCY", "HISTORY"],
    ["LATENCY", "HISTORY", "command", "x"], ["LATENCY", "GRAPH"], ["LATENCY", "GRAPH", "a", "b"],
    ["LATENCY", "GRAPH", "command"], ["LATENCY", "GRAPH", "fast-command"], ["LATENCY", "LATEST", "x"],
    ["LATENCY", "DOCTOR", "x"], ["LATENCY", "HELP", "x"], ["LATENCY", "HELP"], ["latency", "help"],
    ["LATENCY", "LATEST"], ["LATENCY", "HISTORY", "command"], ["LATENCY", "history", "fast-command"],
    ["LATENCY", "RESET"], ["LATENCY", "RESET", "command", "fast-command"], ["LATENCY", "DOCTOR"],
    ["LATENCY", "HISTOGRAM", "nosuch", "get|x"],
]


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("args", LATENCY_CASES, ids=" ".join)
def test_errors_help_and_empty_replies_match_redis(latency_servers, args, protocol):
    replies = {}
    for label, server in latency_servers.items():
        with _connect(server.port, protocol) as conn:
            replies[label] = conn.command(*args)
    assert replies["ferrite"] == replies["redis"]
    want = replies["redis"]
    if args[1:2] in ([], ["foo"]) or len(args) == 2 and args[1] == "GRAPH":
        assert isinstance(parse_reply(want), RespError)
    if args == ["LATENCY", "foo"]:
        assert want == b"-ERR unknown subcommand 'foo'. Try LATENCY HELP.\r\n"
    if args == ["LATENCY", "HISTORY"]:
        assert want == b"-ERR wrong number of arguments for 'latency|history' command\r\n"
    if args == ["LATENCY", "GRAPH", "command"]:
        assert want == b"-ERR No samples available for event 'command'\r\n"
    if args == ["LATENCY", "HELP"]:
        assert want.startswith(b"*17\r\n+LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n")
        assert b"+HISTOGRAM [COMMAND ...]\r\n" in want


DOCTOR_DISABLED = ("I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. "
                   "You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. "
                   "If we weren't in a deep space mission I'd suggest to take a look at "
                   "https://redis.io/topics/latency-monitor.\n")
DOCTOR_QUIET = ("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the "
                "slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think "
                "things over.\n")


def _doctor_scenario(port: int) -> list:
    replies = []
    for protocol in PROTOCOLS:
        with _connect(port, protocol) as conn:
            conn.command("CONFIG", "SET", "latency-monitor-threshold", "0")
            conn.command("LATENCY", "RESET")
            replies.append(conn.command("LATENCY", "DOCTOR"))
            # Once only: on Redis, DOCTOR itself can take a millisecond and become an event.
            conn.command("CONFIG", "SET", "latency-monitor-threshold", "1")
            conn.command("LATENCY", "RESET")
            replies.append(conn.command("LATENCY", "DOCTOR"))
    return replies


def test_doctor_texts_without_events(latency_servers):
    got = _doctor_scenario(latency_servers["ferrite"].port)
    want = _doctor_scenario(latency_servers["redis"].port)
    assert got == want
    disabled, quiet = DOCTOR_DISABLED.encode(), DOCTOR_QUIET.encode()
    assert want == [b"$%d\r\n%s\r\n" % (len(disabled), disabled), b"$%d\r\n%s\r\n" % (len(quiet), quiet),
                    b"=%d\r\ntxt:%s\r\n" % (len(disabled) + 4, disabled), b"=%d\r\ntxt:%s\r\n" % (len(quiet) + 4, quiet)]


# -- a latency event ------------------------------------------------------------------------------

FILL_KEYS = 300_000
FILL_BATCH = 1000


@functools.cache
def _fill_requests() -> tuple[bytes, int]:
    """Pipelined MSETs of FILL_BATCH keys each (no DEBUG POPULATE on Ferrite)."""
    requests = [encode("MSET", *[arg for index in range(start, start + FILL_BATCH) for arg in (f"key:{index}", "v")])
                for start in range(0, FILL_KEYS, FILL_BATCH)]
    return b"".join(requests), len(requests)


def _fill(port: int) -> bytes:
    data, count = _fill_requests()
    with RawConnection(port, timeout=60) as conn:
        conn.send(data)
        assert set(conn.read_replies(count)) == {b"+OK\r\n"}
        return conn.command("DBSIZE")


DOCTOR_SPIKE = ("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, "
                "do you Dave?\n\n"
                "1. command: 1 latency spikes (average {latency}ms, mean deviation 0ms, period {period} sec). "
                "Worst all time event {max}ms.\n\n"
                "I have a few advices for you:\n\n"
                "- Your current Slow Log configuration only logs events that are slower than your configured "
                "latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than 1000'.\n"
                "- Check your Slow Log to understand what are the commands you are running which are too slow "
                "to execute. Please check https://redis.io/commands/slowlog for more information.\n"
                "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking "
                "operation. If you have very large objects that are often deleted, expired, or evicted, try to "
                "fragment those objects into multiple smaller objects.\n")


def _event_scenario(port: int, protocol: int) -> dict:
    """One KEYS over FILL_KEYS keys with a 1 ms threshold: one "command" event, read every
    way, then reset. Times and latencies are checked here and masked in what is returned."""
    results = {}
    with _connect(port, protocol) as conn:
        results["threshold"] = conn.command("CONFIG", "SET", "latency-monitor-threshold", "1")
        results["reset before"] = conn.command("LATENCY", "RESET")
        results["keys"] = conn.command("KEYS", "*nomatch*")
        now = time.time()
        latest = parse_reply(conn.command("LATENCY", "LATEST"))
        assert len(latest) == 1 and len(latest[0]) == 4, latest
        event, logged_at, latency, worst = latest[0]
        assert abs(logged_at - now) < 10 and latency >= 1 and worst == latency, latest
        results["latest"] = event
        history = parse_reply(conn.command("LATENCY", "HISTORY", "command"))
        assert history == [[logged_at, latency]], (history, latest)
        # Events are named exactly: HISTORY and GRAPH do not fold case (RESET does).
        results["history other case"] = conn.command("LATENCY", "HISTORY", "COMMAND")
        results["graph other case"] = conn.command("LATENCY", "GRAPH", "COMMAND")
        results["fast-command"] = conn.command("LATENCY", "HISTORY", "fast-command")
        graph = conn.command("LATENCY", "GRAPH", "command")
        lines = parse_reply(graph).decode().removeprefix("txt:").split("\n")
        assert lines[0] == f"command - high {latency} ms, low {latency} ms (all time high {worst} ms)", lines
        assert lines[1] == "-" * 80, lines
        results["graph"] = _digits_masked(graph)
        doctor = conn.command("LATENCY", "DOCTOR")
        text = parse_reply(doctor).decode().removeprefix("txt:")
        prefix, _, rest = DOCTOR_SPIKE.format(latency=latency, max=worst, period="\0").partition("\0")
        assert text.startswith(prefix) and re.match(r"\d+\.\d\d", text[len(prefix):]), text
        assert rest in text, text
        results["doctor"] = _digits_masked(doctor)
        # Case-insensitive, each event once however often named.
        results["reset"] = conn.command("LATENCY", "RESET", "nosuch", "COMMAND", "command")
        results["after reset"] = [conn.command("LATENCY", "LATEST"), conn.command("LATENCY", "HISTORY", "command"),
                                  conn.command("LATENCY", "GRAPH", "command")]
        # Monitoring off: the same slow command is no event.
        conn.command("CONFIG", "SET", "latency-monitor-threshold", "0")
        conn.command("KEYS", "*nomatch*")
        results["off"] = [conn.command("LATENCY", "LATEST"), conn.command("LATENCY", "DOCTOR")]
    return results


def test_a_slow_command_is_a_latency_event(latency_servers):
    fills = [_fill(server.port) for server in latency_servers.values()]
    assert fills == [b":%d\r\n" % FILL_KEYS] * 2
    for protocol in PROTOCOLS:
        got = _event_scenario(latency_servers["ferrite"].port, protocol)
        want = _event_scenario(latency_servers["redis"].port, protocol)
        assert got == want, f"RESP{protocol}"
        verbatim = protocol == 3
        assert want["keys"] == b"*0\r\n" and want["latest"] == b"command"
        assert want["history other case"] == b"*0\r\n" and want["fast-command"] == b"*0\r\n"
        assert want["graph other case"] == b"-ERR No samples available for event 'COMMAND'\r\n"
        assert want["graph"].startswith(b"=N\r\ntxt:" if verbatim else b"$N\r\n")
        assert want["doctor"].startswith(b"=N\r\ntxt:" if verbatim else b"$N\r\n")
        assert want["reset"] == b":1\r\n"
        assert want["after reset"] == [b"*0\r\n", b"*0\r\n", b"-ERR No samples available for event 'command'\r\n"]
        disabled = DOCTOR_DISABLED.encode()
        assert want["off"] == [b"*0\r\n", b"=%d\r\ntxt:%s\r\n" % (len(disabled) + 4, disabled) if verbatim
                               else b"$%d\r\n%s\r\n" % (len(disabled), disabled)]
