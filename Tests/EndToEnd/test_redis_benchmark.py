"""redis-benchmark against Ferrite: a pipelined load of SET/GET/INCR must complete without a
single error, and leave exactly the keys and values Redis would."""

from __future__ import annotations

import subprocess

from harness.raw import RawConnection, encode


def run_benchmark(port: int, *extra: str) -> str:
    result = subprocess.run(["redis-benchmark", "-p", str(port), "-t", "set,get,incr", "-P", "16",
                             "-n", "100000", "-q", *extra], capture_output=True, timeout=150)
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert result.returncode == 0, output
    return output


def test_benchmark_set_get_incr_pipelined(ferrite):
    output = run_benchmark(ferrite.port)
    # Progress lines end in \r; the final figure for each test follows the last \r of its line.
    finals = [line.split("\r")[-1] for line in output.splitlines() if line.strip()]
    assert not [line for line in finals if "rror" in line or "WARNING" in line], output
    assert "Error" not in output and "WARNING" not in output, output
    for test in ("SET", "GET", "INCR"):
        assert any(line.startswith(f"{test}: ") and "requests per second" in line for line in finals), output
    with RawConnection(ferrite.port) as conn:
        # Without -r every request uses the literal key names.
        assert conn.command("DBSIZE") == b":2\r\n"
        assert conn.command("GET", "counter:__rand_int__") == b"$6\r\n100000\r\n"
        assert conn.command("STRLEN", "key:__rand_int__") == b":3\r\n"


def test_benchmark_random_keys(ferrite):
    # -r 1000: keys key:000000000000…key:000000000999 and counter:…; 100,000 requests per test
    # touch every one of the 1000 with overwhelming probability, and the INCRs add up.
    output = run_benchmark(ferrite.port, "-r", "1000")
    assert "Error" not in output and "WARNING" not in output, output
    with RawConnection(ferrite.port) as conn:
        assert conn.command("DBSIZE") == b":2000\r\n"
        assert conn.command("STRLEN", "key:000000000042") == b":3\r\n"
        conn.send(b"".join(encode("GET", f"counter:{i:012d}") for i in range(1000)))
        replies = conn.read_replies(1000)
    assert sum(int(reply.split(b"\r\n")[1]) for reply in replies) == 100_000
