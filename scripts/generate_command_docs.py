#!/usr/bin/env python3
"""Writes Sources/Engine/Commands/CommandDocumentation+Redis70.swift: Redis 7.0's documentation
of every command Ferrite has (COMMAND DOCS: summary, since, group, complexity, history, doc
flags, the argument tree) and the COMMAND INFO facts that are documentation rather than
dispatch (ACL categories, tips, key specs).

Redis generates its own command table (commands.c) from src/commands/*.json; this script takes
the same facts from a real redis-server 7.0, so that COMMAND DOCS/INFO and redis-cli's hints are
Redis's to the byte. Which commands to describe comes from a ferrite-server binary (its bare
COMMAND reply, subcommands included), so a new command only needs its CommandSpec and a rerun:

    scripts/generate_command_docs.py .build/release/ferrite-server

Arity, command flags and first/last/step stay hand-written in the CommandSpec tables (dispatch
reads them); Tests/EndToEnd/test_server_commands.py proves they agree with Redis.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "Tests" / "EndToEnd"))
from harness.raw import RawConnection  # noqa: E402
from harness.servers import free_port  # noqa: E402

OUTPUT = Path(__file__).resolve().parents[1] / "Sources" / "Engine" / "Commands" / "CommandDocumentation+Redis70.swift"
KEY_FLAGS = {"RO": "ro", "RW": "rw", "OW": "ow", "RM": "rm", "access": "access", "update": "update",
             "insert": "insert", "delete": "delete", "not_key": "notKey", "incomplete": "incomplete",
             "variable_flags": "variableFlags"}
ARG_FLAGS = {"optional": "optional", "multiple": "multiple", "multiple_token": "multipleToken"}
ARG_KINDS = {"string": "string", "integer": "integer", "double": "double", "key": "key", "pattern": "pattern",
             "unix-time": "unixTime", "pure-token": "pureToken", "oneof": "oneOf", "block": "block"}


def parse(buf: bytes, pos: int = 0):
    """One RESP3 value as (kind, payload), keeping the distinction of sets, maps and arrays."""
    end = buf.index(b"\r\n", pos)
    kind, head, pos = buf[pos:pos + 1], buf[pos + 1:end], end + 2
    if kind == b"+":
        return ("simple", head.decode()), pos
    if kind == b":":
        return ("int", int(head)), pos
    if kind == b"$":
        length = int(head)
        return ("bulk", buf[pos:pos + length].decode()), pos + length + 2
    if kind == b"_":
        return ("null", None), pos
    if kind in (b"*", b"~"):
        items = []
        for _ in range(int(head)):
            item, pos = parse(buf, pos)
            items.append(item)
        return ("set" if kind == b"~" else "array", items), pos
    if kind == b"%":
        pairs = []
        for _ in range(int(head)):
            key, pos = parse(buf, pos)
            value, pos = parse(buf, pos)
            pairs.append((key[1], value))
        return ("map", pairs), pos
    raise ValueError(f"unexpected RESP type {kind!r}")


def plain(value):
    kind, payload = value
    if kind == "map":
        return {key: plain(item) for key, item in payload}
    if kind in ("array", "set"):
        return [plain(item) for item in payload]
    return payload


def swift_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def start(argv: list[str]) -> tuple[subprocess.Popen, RawConnection]:
    port = free_port()
    process = subprocess.Popen([part.replace("{port}", str(port)) for part in argv],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            connection = RawConnection(port)
            connection.command("HELLO", "3")
            return process, connection
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit(f"{argv[0]} did not start")


def ferrite_command_names(binary: str) -> list[str]:
    process, connection = start([binary, "--port", "{port}"])
    try:
        entries = plain(parse(connection.command("COMMAND"))[0])
    finally:
        connection.close()
        process.kill()
        process.wait()
    names = []
    for entry in entries:
        names.append(entry[0])
        names.extend(sub[0] for sub in entry[9])
    return sorted(names)


def argument(doc: dict, indent: str) -> str:
    parts = [swift_string(doc["name"]), "." + ARG_KINDS[doc["type"]]]
    if "key_spec_index" in doc:
        parts.append(f"keySpecIndex: {doc['key_spec_index']}")
    for field, label in (("token", "token"), ("summary", "summary"), ("since", "since"),
                         ("deprecated_since", "deprecatedSince")):
        if field in doc:
            parts.append(f"{label}: {swift_string(doc[field])}")
    if "flags" in doc:
        parts.append("flags: [" + ", ".join("." + ARG_FLAGS[f] for f in doc["flags"]) + "]")
    unknown = set(doc) - {"name", "type", "key_spec_index", "token", "summary", "since", "deprecated_since",
                          "flags", "arguments"}
    assert not unknown, (doc["name"], unknown)
    text = f"{indent}CommandArgumentDoc({', '.join(parts)}"
    if "arguments" in doc:
        text += ", arguments: [\n" + "".join(argument(a, indent + "    ") for a in doc["arguments"]) + f"{indent}]"
    return text + "),\n"


def key_spec(spec: dict) -> str:
    begin, find = spec["begin_search"], spec["find_keys"]
    if begin["type"] != "index" or find["type"] != "range":
        raise SystemExit(f"key spec {spec} needs support in KeySpec (Sources/Engine/Commands/CommandDocumentation.swift)")
    notes = f"notes: {swift_string(spec['notes'])}, " if "notes" in spec else ""
    flags = ", ".join("." + KEY_FLAGS[f] for f in spec["flags"])
    s = find["spec"]
    return (f"KeySpec({notes}flags: [{flags}], beginIndex: {begin['spec']['index']}, "
            f"lastKey: {s['lastkey']}, step: {s['keystep']}, limit: {s['limit']})")


def entry(name: str, docs: dict, info: list) -> str:
    fields = [f"summary: {swift_string(docs['summary'])}", f"since: {swift_string(docs['since'])}",
              f"group: {swift_string(docs['group'])}"]
    if "complexity" in docs:
        fields.append(f"complexity: {swift_string(docs['complexity'])}")
    if "doc_flags" in docs:
        fields.append("docFlags: [" + ", ".join(swift_string(f) for f in docs["doc_flags"]) + "]")
    if "deprecated_since" in docs:
        fields.append(f"deprecatedSince: {swift_string(docs['deprecated_since'])}")
    if "replaced_by" in docs:
        fields.append(f"replacedBy: {swift_string(docs['replaced_by'])}")
    if "history" in docs:
        fields.append("history: [" + ", ".join(f"({swift_string(v)}, {swift_string(t)})" for v, t in docs["history"]) + "]")
    fields.append("aclCategories: [" + ", ".join(swift_string(c.lstrip("@")) for c in info[6]) + "]")
    if info[7]:
        fields.append("tips: [" + ", ".join(swift_string(t) for t in info[7]) + "]")
    if info[8]:
        fields.append("keySpecs: [\n" + "".join(f"                {key_spec(s)},\n" for s in info[8]) + "            ]")
    unknown = set(docs) - {"summary", "since", "group", "complexity", "doc_flags", "deprecated_since",
                           "replaced_by", "history", "arguments", "subcommands"}
    assert not unknown, (name, unknown)
    if "arguments" in docs:
        fields.append("arguments: [\n" + "".join(argument(a, "                ") for a in docs["arguments"]) + "            ]")
    return f"        {swift_string(name)}: CommandDocumentation(\n" + "".join(
        f"            {field},\n" for field in fields[:-1]) + f"            {fields[-1]}),\n"


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit("usage: generate_command_docs.py path/to/ferrite-server")
    names = ferrite_command_names(sys.argv[1])
    process, connection = start(["redis-server", "--port", "{port}", "--save", "", "--appendonly", "no"])
    try:
        version = connection.command("INFO", "server").split(b"redis_version:")[1].split(b"\r\n")[0].decode()
        body = []
        for name in names:
            docs = plain(parse(connection.command("COMMAND", "DOCS", name))[0])
            info = plain(parse(connection.command("COMMAND", "INFO", name))[0])[0]
            if name not in docs or info is None:
                raise SystemExit(f"redis-server {version} has no command {name}")
            body.append(entry(name, docs[name], info))
    finally:
        connection.close()
        process.kill()
        process.wait()
    OUTPUT.write_text(
        f"// Generated by scripts/generate_command_docs.py from redis-server {version}; do not edit.\n\n"
        "extension CommandDocumentation {\n"
        f"    /// Redis {version}'s documentation of every command Ferrite has, by full name (\"config|get\").\n"
        "    static let redis70: [String: CommandDocumentation] = [\n" + "".join(body) + "    ]\n}\n")
    print(f"wrote {len(names)} commands to {OUTPUT}")


if __name__ == "__main__":
    main()
