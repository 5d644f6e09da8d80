#!/usr/bin/env bash
# Builds the RESP request-parser fuzzer (libFuzzer + AddressSanitizer) and runs it.
#
#   scripts/fuzz-resp.sh [libFuzzer flags such as -runs=N or -max_total_time=S] [corpus dir]
#
# The corpus dir defaults to .build/fuzz/corpus (new inputs go there); the committed seeds in
# Fuzz/RESPParser/corpus are always read too, never written. Crashes land in .build/fuzz/.
set -euo pipefail
export SWIFT_BACKTRACE=enable=no  # let libFuzzer report crashes and save the input
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/.build/fuzz"
seeds="$root/Fuzz/RESPParser/corpus"
mkdir -p "$out"

flags=()
corpus="$out/corpus"
for arg in "$@"; do
    case "$arg" in
        -*) flags+=("$arg") ;;
        *) corpus="$arg" ;;
    esac
done
mkdir -p "$corpus"

swiftc -sanitize=fuzzer,address -parse-as-library -O -use-ld=lld -module-name RESPFuzz \
    "$root"/Sources/RESP/*.swift "$root"/Fuzz/RESPParser/*.swift \
    -o "$out/resp-parser-fuzzer"

exec "$out/resp-parser-fuzzer" -artifact_prefix="$out/" -dict="$root/Fuzz/RESPParser/resp.dict" ${flags[@]+"${flags[@]}"} "$corpus" "$seeds"
