# Ferrite: `make run` builds and starts the server; `make test` runs every test.
# Both install what is missing on a Debian machine (run as root, or with sudo available).

SWIFT ?= swift
CLANG ?= clang
APT_PACKAGES_RUN  = liburing-dev libjemalloc-dev libmimalloc-dev libnuma-dev libbpf-dev libssl-dev
APT_PACKAGES_TEST = liburing-dev libjemalloc-dev libmimalloc-dev libnuma-dev libbpf-dev libssl-dev redis-server redis-tools tmux netcat-openbsd python3-pip chromium
PYTHON ?= python3
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run build build-bench probes build-debug test unit-test e2e-test lab-test bench dashboard deps-run deps-test deps-bench fuzz fuzz-long bench-redis bench-shards bench-colocated bench-allocators bench-accept bench-loadgen deps-valgrind callgrind callgrind-loadgen clean

run: deps-run build
	.build/release/ferrite-server ferrite.conf

build:
	$(SWIFT) build -c release --product ferrite-server

build-bench: probes
	$(SWIFT) build -c release --product ferrite-bench

# The eBPF thread probes experiments load (`probes: true`), compiled with the toolchain's clang
# for the BPF target; CO-RE relocations fit them to the running kernel when they load.
PROBES_SOURCE = Sources/CFerriteSys/bpf/thread_probes.bpf.c
PROBES_OBJECT = .build/bpf/thread_probes.bpf.o
probes: $(PROBES_OBJECT)
$(PROBES_OBJECT): $(PROBES_SOURCE) Sources/CFerriteSys/include/ferrite_probes.h
	@mkdir -p $(dir $@)
	$(CLANG) -O2 -g -target bpf -I/usr/include/$$(uname -m)-linux-gnu -c $(PROBES_SOURCE) -o $@

build-debug:
	$(SWIFT) build

test: deps-test unit-test e2e-test lab-test fuzz

unit-test:
	$(SWIFT) test

# The whole end-to-end suite on one shard, then the server's suites again on 2 and on 4 shards
# (4 shards on a 2-core machine too): no client may tell the data is sharded.
E2E_ENV = FERRITE_SERVER=$(CURDIR)/.build/release/ferrite-server FERRITE_BENCH=$(CURDIR)/.build/release/ferrite-bench
e2e-test: build build-bench
	FERRITE_SHARDS=1 $(E2E_ENV) $(PYTHON) -m pytest Tests/EndToEnd -q
	for shards in 2 4; do \
		FERRITE_SHARDS=$$shards $(E2E_ENV) $(PYTHON) -m pytest Tests/EndToEnd -q \
			--ignore=Tests/EndToEnd/test_loadgen_e2e.py --ignore=Tests/EndToEnd/test_loadgen_open_loop.py || exit 1; \
	done

# The lab end to end: a short experiment against ferrite-server and redis-server, and the
# dashboard in headless Chromium (release server and load generator; the dashboard's debug
# build shares the unit tests' build products).
lab-test: build build-bench
	$(SWIFT) build --product ferrite-dashboard
	FERRITE_SERVER=$(CURDIR)/.build/release/ferrite-server FERRITE_BENCH=$(CURDIR)/.build/release/ferrite-bench \
		FERRITE_DASHBOARD=$(CURDIR)/.build/debug/ferrite-dashboard $(PYTHON) -m pytest Tests/LabEndToEnd -q

# Records the current commit's run of Experiments/core.yaml under Results/core/.
bench: deps-test build build-bench
	.build/release/ferrite-bench experiment Experiments/$${EXPERIMENT:-core}.yaml

# Serves the dashboard of everything under Results/ on http://127.0.0.1:8080/.
dashboard: deps-run
	$(SWIFT) build -c release --product ferrite-dashboard
	.build/release/ferrite-dashboard serve --results Results --port $${PORT:-8080}

# Installs the Debian packages (and the PyPI packages) that are not there yet.
deps-run:
	@missing=$$(for p in $(APT_PACKAGES_RUN); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

deps-test:
	@missing=$$(for p in $(APT_PACKAGES_TEST); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
	@$(PYTHON) -c 'import redis, pytest, sys; sys.exit(int(redis.__version__.split(".")[0]) < 5)' 2>/dev/null || \
		$(PYTHON) -m pip install -q 'redis>=5' pytest 2>/dev/null || \
		$(PYTHON) -m pip install -q --break-system-packages 'redis>=5' pytest

# The reference load generator from PyPI that bench-loadgen compares with.
deps-bench: deps-test
	@$(PYTHON) -c 'import resp_benchmark' 2>/dev/null || \
		$(PYTHON) -m pip install -q resp-benchmark 2>/dev/null || \
		$(PYTHON) -m pip install -q --break-system-packages resp-benchmark

# Runs the RESP parser fuzzer briefly (CI) or for FUZZ_RUNS inputs.
fuzz:
	scripts/fuzz-resp.sh -max_total_time=30

fuzz-long:
	scripts/fuzz-resp.sh -runs=$${FUZZ_RUNS:-10000000}

bench-redis: deps-test build
	$(PYTHON) scripts/bench_redis.py

bench-shards: deps-test build
	$(PYTHON) scripts/bench_shards.py

# The default configuration with the load on the same CPUs, as a first try runs it.
bench-colocated: deps-test build build-bench
	$(PYTHON) scripts/bench_colocated.py

deps-valgrind:
	@dpkg -s valgrind >/dev/null 2>&1 || ($(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq valgrind)

# Instructions per request under callgrind (noise-free before/after numbers for hot-path work).
callgrind: deps-test deps-valgrind build
	$(PYTHON) scripts/callgrind_requests.py

# The same for the load generator: ferrite-bench's instructions per request against redis-server.
callgrind-loadgen: deps-test deps-valgrind build-bench
	$(PYTHON) scripts/callgrind_loadgen.py

bench-accept: deps-test build
	$(PYTHON) scripts/bench_accept.py

bench-allocators: deps-test build
	$(PYTHON) scripts/bench_allocators.py

bench-loadgen: deps-bench build-bench
	$(PYTHON) scripts/bench_loadgen.py

clean:
	rm -rf .build
