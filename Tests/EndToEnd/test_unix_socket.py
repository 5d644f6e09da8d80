"""`unixsocket` / `unixsocketperm`: the server listens on a Unix domain socket as redis-server
does — file mode, clients (redis-cli -s, redis-py, redis-benchmark -s, ferrite-bench -S), CLIENT
LIST's `addr`/`laddr`/`U` flag, CONFIG, a stale file at the path, removal at shutdown, a server
with no TCP port, and start-up failures — each checked against a real redis-server."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest
import redis

from harness.loadgen import bench_binary


@pytest.fixture
def unix_servers(spawn_ferrite, spawn_redis, socket_dir):
    """Ferrite and Redis, each on TCP and on its own Unix socket with permissions 700."""
    paths = {"ferrite": socket_dir / "ferrite.sock", "redis": socket_dir / "redis.sock"}
    spawn_ferrite("--unixsocket", str(paths["ferrite"]), "--unixsocketperm", "700")
    spawn_redis("--unixsocket", str(paths["redis"]), "--unixsocketperm", "700")
    return paths


def _client_line_fields(line: str, path: Path) -> dict[str, str]:
    fields = dict(field.split("=", 1) for field in line.split())
    return {name: fields[name].replace(str(path), "PATH") for name in ("addr", "laddr", "flags")}


def test_socket_file_has_the_configured_permissions_and_serves_clients(unix_servers):
    for name, path in unix_servers.items():
        assert stat.S_ISSOCK(path.stat().st_mode), name
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, name
        cli = ["redis-cli", "-s", str(path)]
        assert subprocess.run([*cli, "SET", "greeting", "hello"], capture_output=True, text=True).stdout == "OK\n"
        assert subprocess.run([*cli, "GET", "greeting"], capture_output=True, text=True).stdout == "hello\n"
        for protocol in (2, 3):
            client = redis.Redis(unix_socket_path=str(path), protocol=protocol, decode_responses=True)
            pairs = {f"k{i}": str(i) for i in range(200)}  # keys on every shard
            assert client.mset(pairs) is True
            assert client.mget(list(pairs)) == list(pairs.values())
            assert client.delete(*pairs) == 200
            client.close()


def test_client_list_shows_the_socket_path_and_the_u_flag_like_redis(unix_servers):
    seen = {}
    for name, path in unix_servers.items():
        in_multi = redis.Redis(unix_socket_path=str(path), decode_responses=True)
        in_multi.client_setname("waiting")
        in_multi.execute_command("MULTI")
        observer = redis.Redis(unix_socket_path=str(path), decode_responses=True)
        lines = observer.execute_command("CLIENT", "LIST").splitlines()
        by_name = {dict(f.split("=", 1) for f in line.split())["name"]: line for line in lines}
        seen[name] = {
            "observer": _client_line_fields(observer.execute_command("CLIENT", "INFO"), path),
            "in multi": _client_line_fields(by_name["waiting"], path),
        }
        in_multi.close()
        observer.close()
    assert seen["ferrite"] == seen["redis"]
    assert seen["ferrite"]["observer"] == {"addr": "PATH:0", "laddr": "PATH:0", "flags": "U"}
    assert seen["ferrite"]["in multi"]["flags"] == "xU"


def test_config_get_and_set_of_the_socket_match_redis(unix_servers):
    replies = {}
    for name, path in unix_servers.items():
        client = redis.Redis(unix_socket_path=str(path), decode_responses=True)
        got = client.config_get("unixsocket*")
        errors = []
        for parameter, value in (("unixsocket", "/tmp/elsewhere.sock"), ("unixsocketperm", "777")):
            with pytest.raises(redis.ResponseError) as error:
                client.config_set(parameter, value)
            errors.append(str(error.value))
        replies[name] = ({key: value.replace(str(path), "PATH") for key, value in got.items()}, errors)
        client.close()
    assert replies["ferrite"] == replies["redis"]
    assert replies["ferrite"][0] == {"unixsocket": "PATH", "unixsocketperm": "700"}


def test_benchmarks_run_over_the_socket(unix_servers):
    """redis-benchmark -s and ferrite-bench -S: every request answered, none an error."""
    for name, path in unix_servers.items():
        done = subprocess.run(["redis-benchmark", "-s", str(path), "-c", "8", "-n", "4000", "-t", "set,get", "-q"],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "GET:" in done.stdout, (name, done.stdout, done.stderr)
        done = subprocess.run([str(bench_binary()), "-S", str(path), "-t", "1", "-c", "4", "-n", "500",
                               "--ratio=1:1", "--hide-histogram"], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, (name, done.stderr)
        totals = next(line.split() for line in done.stdout.splitlines() if line.startswith("Totals"))
        assert float(totals[4]) == 0.0, (name, done.stdout)  # Errors/sec
        calls = redis.Redis(unix_socket_path=str(path)).info("commandstats")
        assert calls["cmdstat_set"]["calls"] >= 4000 + 1000 and calls["cmdstat_get"]["calls"] >= 4000 + 1000, name


def _start_socket_only(binary: str, path: Path, log: Path, *extra: str) -> subprocess.Popen:
    """A server with `port 0` and only the Unix socket; returns once it answers PING there."""
    with open(log, "wb") as output:
        process = subprocess.Popen([binary, "--port", "0", "--unixsocket", str(path), "--save", "", *extra],
                                   stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with redis.Redis(unix_socket_path=str(path)) as client:
                if client.ping():
                    return process
        except (redis.ConnectionError, FileNotFoundError):
            time.sleep(0.05)
    process.kill()
    pytest.fail(f"{binary} did not answer on {path}:\n{log.read_text()}")


def test_stale_file_is_replaced_and_the_socket_removed_at_shutdown(ferrite_path, socket_dir):
    """No TCP at all; a file left at the path (by a server that died) is replaced; SIGTERM
    removes the socket, as Redis logs it."""
    for binary in (str(ferrite_path), "redis-server"):
        path, log = socket_dir / "only.sock", socket_dir / "only.log"
        path.write_text("left behind")
        extra = ("--io-backend", "epoll") if "ferrite" in binary else ()
        process = _start_socket_only(binary, path, log, *extra)
        client = redis.Redis(unix_socket_path=str(path))
        assert client.set("k", "v") and client.get("k") == b"v"
        assert client.config_get("port") == {"port": "0"}
        client.close()
        os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert not path.exists(), binary
        assert "Removing the unix socket file." in log.read_text(), binary


@pytest.mark.parametrize("arguments, message", [
    (("--port", "0"), "Configured to not listen anywhere, exiting."),
    (("--port", "0", "--unixsocket", "/nonexistent/dir/x.sock"),
     "Failed opening Unix socket: bind: No such file or directory"),
    (("--port", "0", "--unixsocket", "/tmp/" + "s" * 120),
     "Failed opening Unix socket: unix socket path too long (125), must be under 108"),
], ids=["nowhere", "no-directory", "path-too-long"])
def test_start_up_failures_match_redis(ferrite_path, arguments, message):
    for binary in (str(ferrite_path), "redis-server"):
        done = subprocess.run([binary, *arguments, "--save", ""], capture_output=True, text=True, timeout=10)
        assert done.returncode == 1, (binary, done.stdout)
        assert message in done.stdout + done.stderr, (binary, done.stdout)
