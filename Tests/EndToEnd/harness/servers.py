"""Child server processes for the end-to-end suites.

`ServerProcess` starts `ferrite-server` or a real `redis-server` on a free port, waits until it
answers PING, keeps its log in a file (so a failing test can show what the server said) and
kills and reaps it on `stop()`. It exists so that every suite gets servers the same way and no
test leaves a process behind.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_FERRITE = REPO_ROOT / ".build" / "debug" / "ferrite-server"


class ServerStartError(RuntimeError):
    """The server exited or never answered PING; the message carries its log."""


def free_port() -> int:
    """A TCP port that was free a moment ago (the caller retries if it is taken meanwhile)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def remote_address() -> str | None:
    """This machine's address on its first non-loopback interface, if it has one (tests of what
    a server does for clients that are not local skip without one)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: only picks the outgoing address
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def ferrite_binary() -> Path:
    """`$FERRITE_SERVER`, else `.build/debug/ferrite-server` of this checkout."""
    configured = os.environ.get("FERRITE_SERVER")
    path = Path(configured) if configured else DEFAULT_FERRITE
    if not path.is_absolute() and os.sep not in str(path):
        found = _which(str(path))
        if found:
            return found
    return path.resolve()


def _which(name: str) -> Path | None:
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        candidate = Path(directory) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def is_real_redis(binary: Path) -> bool:
    """True when the "Ferrite" binary is really redis-server: the harness self-check mode,
    where every suite runs Redis against Redis and must pass."""
    return "redis-server" in binary.name


class ServerProcess:
    """One server child process.

    `argv_for(port)` builds the command line for a given port; `start()` retries on a fresh port
    when the chosen one was taken between probing and binding.
    """

    def __init__(self, name: str, argv_for, workdir: Path):
        self.name = name
        self.argv_for = argv_for
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = workdir / f"{name}.log"
        self.port = 0
        self.process: subprocess.Popen | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self, timeout: float = 20.0) -> "ServerProcess":
        last_error: Exception | None = None
        for _ in range(5):
            self.port = free_port()
            argv = [str(a) for a in self.argv_for(self.port)]
            with open(self.log_path, "ab") as log:
                log.write(f"\n===== start: {' '.join(argv)}\n".encode())
                log.flush()
                self.process = subprocess.Popen(
                    argv, cwd=self.workdir, stdin=subprocess.DEVNULL, stdout=log,
                    stderr=subprocess.STDOUT, start_new_session=True)
            try:
                self._wait_ready(timeout)
                return self
            except ServerStartError as error:
                last_error = error
                self.stop()
                if "in use" not in str(error).lower():
                    raise
        raise last_error  # type: ignore[misc]

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                code = None if self.process is None else self.process.returncode
                raise ServerStartError(f"{self.name} exited with {code} during start-up:\n{self.log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1.0) as s:
                    s.sendall(b"*1\r\n$4\r\nPING\r\n")
                    # NOAUTH: up, with a password configured.
                    if s.recv(64) in (b"+PONG\r\n", b"-NOAUTH Authentication required.\r\n"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        raise ServerStartError(f"{self.name} did not answer PING within {timeout}s:\n{self.log_tail()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def ensure_running(self) -> None:
        """Restarts the server if an earlier test crashed it (that test's report already shows
        the exit and the log)."""
        if not self.alive():
            self.stop()
            self.start()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 5 s; always reaps the child."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=5)
        else:
            process.wait()

    # -- log -----------------------------------------------------------------------------------

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def log_since(self, offset: int, max_lines: int = 200) -> str:
        try:
            with open(self.log_path, "rb") as log:
                log.seek(offset)
                text = log.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return "(no log)"
        lines = text.splitlines()
        if not lines:
            return "(nothing logged)"
        if len(lines) > max_lines:
            lines = [f"... ({len(lines) - max_lines} earlier lines omitted)"] + lines[-max_lines:]
        return "\n".join(lines)

    def log_tail(self, max_lines: int = 60) -> str:
        return self.log_since(0, max_lines)


def ferrite_argv(binary: Path, backend: str, extra: tuple[str, ...] = ()):
    """Command line for the server under test. In self-check mode (the binary is redis-server)
    the Ferrite-only `--io-backend` is left out and persistence is switched off instead."""
    if is_real_redis(binary):
        return lambda port: [binary, "--port", port, "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", *extra]
    shards = ("--shards", os.environ["FERRITE_SHARDS"]) if os.environ.get("FERRITE_SHARDS") else ()
    return lambda port: [binary, "--port", port, "--bind", "127.0.0.1", "--io-backend", backend,
                         "--loglevel", "notice", *shards, *extra]


def redis_argv(extra: tuple[str, ...] = ()):
    """Command line for the reference redis-server: no persistence, loopback only."""
    return lambda port: ["redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "",
                         "--appendonly", "no", *extra]
