"""Fixtures for the end-to-end suites.

* `ferrite` — the server under test (session-scoped, one per I/O backend: every test that uses
  it, directly or through the autouse `clean_servers`, runs once with io_uring and once with
  epoll). Binary: `$FERRITE_SERVER`, default `.build/debug/ferrite-server`. Pointing
  `FERRITE_SERVER` at `redis-server` runs every suite against real Redis: the self-check that
  proves the tests themselves encode Redis's behaviour.
* `redis_ref` — a real `redis-server` (no persistence) for differential comparisons.
* `spawn_ferrite` / `spawn_redis` — factories for a private server with extra config, for tests
  that need start-up options (e.g. a small query-buffer limit).
* `socket_dir` — a short private directory for Unix socket paths.
* `clean_servers` (autouse) — restarts a crashed server, FLUSHALLs both before each test, and
  remembers where each log stood so a failing test's report shows what the servers logged.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from harness.raw import RawConnection
from harness.servers import ServerProcess, ferrite_argv, ferrite_binary, redis_argv

BACKENDS = ["io_uring", "epoll"]


@pytest.fixture(scope="session", params=BACKENDS)
def io_backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def ferrite_path():
    binary = ferrite_binary()
    if not binary.is_file():
        pytest.fail(f"ferrite-server not found at {binary}: run `swift build` first or set FERRITE_SERVER",
                    pytrace=False)
    return binary


@pytest.fixture(scope="session")
def ferrite(io_backend, ferrite_path, tmp_path_factory):
    server = ServerProcess(f"ferrite-{io_backend}", ferrite_argv(ferrite_path, io_backend),
                           tmp_path_factory.mktemp(f"ferrite-{io_backend}"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_ref(tmp_path_factory):
    server = ServerProcess("redis-ref", redis_argv(), tmp_path_factory.mktemp("redis-ref"))
    server.start()
    yield server
    server.stop()


def _spawner(request, make):
    started: list[ServerProcess] = []

    def spawn(*extra: str) -> ServerProcess:
        server = make(extra, len(started))
        started.append(server)
        server.start()
        request.node._e2e_logs = getattr(request.node, "_e2e_logs", []) + [(server, 0)]
        return server

    yield spawn
    for server in started:
        server.stop()


@pytest.fixture
def spawn_ferrite(request, io_backend, ferrite_path, tmp_path):
    """Starts a private ferrite-server with extra `--name value` arguments."""
    yield from _spawner(request, lambda extra, index: ServerProcess(
        f"ferrite-{io_backend}-private-{index}", ferrite_argv(ferrite_path, io_backend, extra),
        tmp_path / f"ferrite-{index}"))


@pytest.fixture
def spawn_redis(request, tmp_path):
    """Starts a private redis-server with extra `--name value` arguments."""
    yield from _spawner(request, lambda extra, index: ServerProcess(
        f"redis-private-{index}", redis_argv(extra), tmp_path / f"redis-{index}"))


@pytest.fixture
def socket_dir():
    """A short directory for Unix sockets: pytest's own temporary paths can exceed the 107 bytes
    a socket path may have."""
    directory = Path(tempfile.mkdtemp(prefix="fu-", dir="/tmp"))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def _flushall(server: ServerProcess) -> None:
    # FLUSHALL may not exist yet in a branch without the DB commands; then nothing can have
    # created keys either, so an unknown-command error is accepted.
    with RawConnection(server.port) as conn:
        reply = conn.command("FLUSHALL")
    assert reply == b"+OK\r\n" or reply.startswith(b"-ERR unknown command"), reply


@pytest.fixture(autouse=True)
def clean_servers(request, ferrite, redis_ref):
    """Fresh, empty servers for every test, and log marks for the failure report."""
    for server in (ferrite, redis_ref):
        server.ensure_running()
        _flushall(server)
    request.node._e2e_logs = [(ferrite, ferrite.log_size()), (redis_ref, redis_ref.log_size())]
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.failed:
        return
    for server, offset in getattr(item, "_e2e_logs", []):
        state = "running" if server.alive() else (
            f"EXITED with {server.process.returncode}" if server.process else "stopped")
        report.sections.append((f"{server.name} log (port {server.port}, {state})",
                                server.log_since(offset)))
