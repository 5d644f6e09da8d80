"""CLUSTER KEYSLOT over a real socket, compared with a redis-server started in cluster mode
(where Redis answers it): random binary keys, hash tags in every shape, and the errors."""

from __future__ import annotations

import random

import pytest

from harness.raw import RawConnection
from harness.servers import free_port, is_real_redis


def _keys(seed: int, count: int) -> list[bytes]:
    rng = random.Random(seed)
    alphabet = b"ab{}{}xyz\x00\xff"
    keys = [bytes(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(count)]
    return keys + [b"foo", b"{user1000}.following", b"{}", b"}{", b"{{}}", b"{a}{b}", b"x" * 1000]


def test_keyslot_matches_cluster_mode_redis(ferrite, spawn_redis, ferrite_path):
    if is_real_redis(ferrite_path):
        pytest.skip("Redis answers CLUSTER KEYSLOT only in cluster mode; Ferrite always does")
    # The bus port is given: by default it is the port + 10000, past 65535 for a high free port.
    reference = spawn_redis("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                            "--cluster-port", str(free_port()))
    commands = [[b"CLUSTER", b"KEYSLOT", key] for key in _keys(7, 300)]
    commands += [[b"CLUSTER", b"KEYSLOT"], [b"CLUSTER", b"KEYSLOT", b"a", b"b"], [b"cluster", b"keyslot", b"A"],
                 [b"CLUSTER"], [b"CLUSTER", b"NOSUCH"]]
    with RawConnection(ferrite.port) as ours, RawConnection(reference.port) as theirs:
        for command in commands:
            assert ours.command(*command) == theirs.command(*command), command
