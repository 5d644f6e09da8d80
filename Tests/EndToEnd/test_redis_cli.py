"""redis-cli against Ferrite: one-shot commands (output compared with real Redis), `--pipe`
mass insertion, and the interactive prompt's argument hints (driven through tmux)."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import time
import uuid

import pytest

from harness.raw import RawConnection, encode

CLI_ENV = {**os.environ, "REDISCLI_HISTFILE": "/dev/null", "REDISCLI_RCFILE": "/dev/null"}


def cli(port: int, *args: str, stdin: bytes | None = None, timeout: float = 60) -> str:
    result = subprocess.run(["redis-cli", "-p", str(port), *args], input=stdin, capture_output=True,
                            timeout=timeout, env=CLI_ENV)
    return (result.stdout + result.stderr).decode("utf-8", "replace")


SESSION = [
    ("PING",), ("ECHO", "hello world"), ("SET", "greeting", "hi there"), ("GET", "greeting"),
    ("GET", "missing"), ("INCR", "n"), ("INCRBY", "n", "41"), ("MSET", "a", "1", "b", "2"),
    ("MGET", "a", "b", "missing"), ("EXISTS", "a", "b", "c"), ("TYPE", "a"), ("DEL", "a"),
    ("EXPIRE", "b", "100"), ("TTL", "b"), ("APPEND", "greeting", "!"), ("STRLEN", "greeting"),
    ("INCR", "greeting"), ("DBSIZE",), ("SELECT", "3"), ("NOSUCH", "x"),
]


@pytest.mark.parametrize("mode", [(), ("--raw",), ("--no-raw",)], ids=["default", "raw", "no-raw"])
def test_one_shot_commands_print_what_redis_prints(ferrite, redis_ref, mode):
    for command in SESSION:
        got = cli(ferrite.port, *mode, *command)
        want = cli(redis_ref.port, *mode, *command)
        assert got == want, f"redis-cli {' '.join(mode + command)}\n ferrite: {got!r}\n   redis: {want!r}"


def test_basic_commands_exact_output(ferrite):
    assert cli(ferrite.port, "PING") == "PONG\n"
    assert cli(ferrite.port, "SET", "k", "v") == "OK\n"
    assert cli(ferrite.port, "GET", "k") == "v\n"
    assert cli(ferrite.port, "--no-raw", "GET", "nope") == "(nil)\n"
    assert cli(ferrite.port, "--no-raw", "INCR", "c") == "(integer) 1\n"


def test_commands_from_stdin(ferrite, redis_ref):
    script = b"SET s1 one\nGET s1\nECHO 'quoted words'\nDEL s1\nGET s1\n"
    assert cli(ferrite.port, stdin=script) == cli(redis_ref.port, stdin=script)


def test_pipe_mass_insert_of_100000_keys(ferrite, tmp_path):
    count = 100_000
    path = tmp_path / "mass-insert.resp"
    with open(path, "wb") as f:
        f.write(b"".join(encode("SET", f"key:{i}", f"value:{i}") for i in range(count)))
    with open(path, "rb") as f:
        result = subprocess.run(["redis-cli", "-p", str(ferrite.port), "--pipe"], stdin=f,
                                capture_output=True, timeout=120, env=CLI_ENV)
    output = result.stdout.decode("utf-8", "replace")
    lines = (output + result.stderr.decode("utf-8", "replace")).splitlines()
    summary = "\n".join(lines[:5] + ["..."] + lines[-3:]) if len(lines) > 10 else "\n".join(lines)
    assert result.returncode == 0, summary
    assert f"errors: 0, replies: {count}" in output, summary
    with RawConnection(ferrite.port) as conn:
        assert conn.command("DBSIZE") == b":%d\r\n" % count
        for i in random.Random(7).sample(range(count), 25) + [0, count - 1]:
            value = f"value:{i}".encode()
            assert conn.command("GET", f"key:{i}") == b"$%d\r\n%s\r\n" % (len(value), value)


# -- interactive hints ------------------------------------------------------------------------

def _hint_line(port: int, typed: str) -> str:
    """Types `typed` at an interactive redis-cli prompt in a detached tmux pane and returns the
    prompt line as displayed (typed text followed by the grey hint).

    Each call runs its own tmux server (`-L`): with one shared server, a new session could connect
    while the server was exiting after the previous call's last session closed ("server exited
    unexpectedly")."""
    session = f"e2e-{uuid.uuid4().hex[:10]}"
    subprocess.run(_tmux(session, "new-session", "-d", "-s", session, "-x", "250", "-y", "10",
                    f"env REDISCLI_HISTFILE=/dev/null REDISCLI_RCFILE=/dev/null redis-cli -p {port}"),
                   check=True, timeout=10)
    try:
        prompt = f"127.0.0.1:{port}>"
        screen = ""
        deadline = time.monotonic() + 10
        while prompt not in screen and time.monotonic() < deadline:
            time.sleep(0.05)
            screen = _capture(session)
        assert prompt in screen, f"no redis-cli prompt appeared:\n{screen}"
        subprocess.run(_tmux(session, "send-keys", "-t", session, "-l", typed), check=True, timeout=10)
        line = ""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            time.sleep(0.1)
            lines = [l for l in _capture(session).splitlines() if l.startswith(prompt)]
            if lines and len(lines[-1]) > len(prompt) + len(typed):
                line = lines[-1]
                break
        return line[len(prompt):].strip()
    finally:
        subprocess.run(_tmux(session, "kill-server"), timeout=10)


def _tmux(server: str, *args: str) -> list[str]:
    """A tmux command line addressed to the private server named `server`, without user config."""
    return ["tmux", "-L", server, "-f", "/dev/null", *args]


def _capture(session: str) -> str:
    return subprocess.run(_tmux(session, "capture-pane", "-p", "-t", session), capture_output=True,
                          timeout=10).stdout.decode("utf-8", "replace")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("typed", ["SET k v ", "GETEX k ", "EXPIRE k 10 ", "LCS a b ", "COPY a b "])
def test_interactive_hints_match_redis(ferrite, redis_ref, typed):
    want = _hint_line(redis_ref.port, typed)
    assert want.startswith(typed.strip()) and len(want) > len(typed), f"redis-cli gave no hint: {want!r}"
    assert _hint_line(ferrite.port, typed) == want


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_interactive_set_hint_text(ferrite):
    line = _hint_line(ferrite.port, "SET k v ")
    assert line == ("SET k v [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|"
                    "PXAT unix-time-milliseconds|KEEPTTL]")
