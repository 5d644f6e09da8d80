"""Process lifecycle as an operator sees it: signals stop the server promptly and cleanly, and
bad start-up arguments are refused the way redis-server refuses them."""

from __future__ import annotations

import re
import signal
import subprocess
import time

import pytest


@pytest.mark.parametrize("signum,name", [(signal.SIGTERM, "SIGTERM"), (signal.SIGINT, "SIGINT")])
def test_signal_stops_the_server_promptly(spawn_ferrite, spawn_redis, signum, name):
    for server in (spawn_ferrite(), spawn_redis()):
        server.process.send_signal(signum)
        started = time.monotonic()
        try:
            code = server.process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{server.name} still running 3 s after {name}")
        assert code == 0, f"{server.name} exited with {code} after {name}"
        assert time.monotonic() - started < 3
        assert f"Received {name} scheduling shutdown..." in server.log_tail()
        assert "ready to exit, bye bye..." in server.log_tail()


PRODUCT = re.compile(r"\((Redis|Ferrite) [0-9.]+\)")
LOG_PREFIX = re.compile(r"^\d+:[CMSX] \d+ \w+ \d+ [\d:.]+ [#*.-] ", re.MULTILINE)


def _normalize(output: str) -> str:
    """The product name and version in the banner, and the pid/time prefix of log lines,
    legitimately differ; the rest must not."""
    return LOG_PREFIX.sub("", PRODUCT.sub("(server)", output))


@pytest.mark.parametrize("arguments", [("--port", "abc"), ("--nosuch", "1"), ("--databases", "0"),
                                       ("--loglevel", "loud"), ("/nonexistent/ferrite.conf",),
                                       ("--unixsocketperm", "800"), ("--unixsocketperm", "1777")],
                         ids=["not-an-integer", "unknown-directive", "out-of-range", "bad-enum", "missing-file",
                              "not-octal", "octal-out-of-range"])
def test_bad_arguments_are_refused_like_redis(ferrite_path, arguments):
    def start(binary):
        result = subprocess.run([str(binary), *arguments], capture_output=True, timeout=10)
        return result.returncode, _normalize((result.stdout + result.stderr).decode())

    got, want = start(ferrite_path), start("redis-server")
    assert got == want
