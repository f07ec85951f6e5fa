#!/usr/bin/env bash
# Runs every test: the dependency graph's licences, sources and bans
# (scripts/deny.sh), the workspace's unit and property tests, and the
# end-to-end tests that talk to real nodes on loopback (node/tests).
#
# The end-to-end suites share one test consortium: this script starts it
# once with `scripts/start.sh --no-build --chain local-test` (test-speed
# times: acceptance lapses after 20 s, overdue 10 s after the due date),
# hands its endpoints.json to the suites in SCF_CONSORTIUM, and at the end
# stops it with Ctrl-C, checking that start.sh leaves no process behind.
# Tests that kill nodes start a private consortium of their own.
#
# Ends with the time each phase and each test binary took, and one summary
# line: "N passed, N failed".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LOG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/scf-test.XXXXXX")"
passed=0
failed=0
phases=()
phase_t0=$(date +%s)
# Records how long the phase that just ended took.
phase_done() {
	local now
	now=$(date +%s)
	phases+=("$(printf '%6ss  %s' $((now - phase_t0)) "$1")")
	phase_t0=$now
}
pass() { say "$1: passed"; passed=$((passed + 1)); }
fail() { say "$1: FAILED${2:+ ($2)}"; failed=$((failed + 1)); }

ensure_build_tools
# The wallet's browser test: Debian's Chromium and playwright-core (npm ci).
ensure_browser_tools

# --- 0. no RocksDB anywhere in the dependency tree ---
say "checking that no RocksDB is compiled (cargo tree -i librocksdb-sys)"
rocks=$(cd "$SCF_ROOT" && cargo tree --workspace --features "$SCF_FEATURES" -e normal,build \
	-i librocksdb-sys 2>/dev/null || true)
if [ -z "$rocks" ]; then
	pass "no RocksDB"
else
	echo "$rocks" | head -20; fail "no RocksDB"
fi
phase_done "RocksDB check"

# --- 0b. the supply chain: licences, sources, bans, no new duplicates ---
say "checking the dependency graph with cargo-deny, offline (scripts/deny.sh)"
if "$SCF_ROOT/scripts/deny.sh" >"$LOG_DIR/deny.log" 2>&1; then
	tail -1 "$LOG_DIR/deny.log"; pass "cargo-deny: licences, sources, bans"
else
	tail -30 "$LOG_DIR/deny.log"; fail "cargo-deny: licences, sources, bans" "see $LOG_DIR/deny.log"
fi
phase_done "cargo-deny"

# --- 1. build every test binary (and the node the suites run) ---
say "cargo test --no-run: building every test of the workspace (release profile; a fresh build takes ~50 min on 2 cores)"
built=1
if ! (cd "$SCF_ROOT" && cargo test $SCF_PROFILE_FLAG --workspace --features "$SCF_FEATURES" \
	--locked --no-run 2>&1) | tee "$LOG_DIR/build.log"; then
	built=0
fi
# The binaries start.sh runs (the node and the indexer): cargo test builds
# the node for its tests, the indexer binary only a build does.
if [ $built -eq 1 ] && ! (cd "$SCF_ROOT" && cargo build $SCF_PROFILE_FLAG --workspace \
	--features "$SCF_FEATURES" --locked 2>&1) | tee -a "$LOG_DIR/build.log"; then
	built=0
fi
# The wallet page's Wasm module, and the page assembled for the bridge.
if [ $built -eq 1 ] && ! (build_wallet 2>&1) | tee -a "$LOG_DIR/build.log"; then
	built=0
fi
if [ $built -eq 0 ]; then
	fail "build" "see $LOG_DIR/build.log"
fi
phase_done "build"

# --- 2. the shared test consortium, through start.sh ---
CONSORTIUM_DATA="$LOG_DIR/consortium"
CONSORTIUM_LOG="$LOG_DIR/start.log"
consortium_pid=""
stop_consortium_hard() {
	[ -n "$consortium_pid" ] || return 0
	kill -KILL -- -"$consortium_pid" 2>/dev/null || true
	pkill -KILL -f -- "--base-path $CONSORTIUM_DATA" 2>/dev/null || true
	pkill -KILL -f -- "--database $CONSORTIUM_DATA" 2>/dev/null || true
	consortium_pid=""
}
PG_DIR=""
trap 'stop_consortium_hard; [ -z "$PG_DIR" ] || { stop_test_postgres "$PG_DIR"; rm -rf "$PG_DIR"; }' EXIT

start_consortium() {
	[ -x "$SCF_NODE_BIN" ] || { say "no node binary at $SCF_NODE_BIN"; return 1; }
	# Job control on: start.sh gets a process group of its own (as in a
	# terminal) and does not inherit an ignored SIGINT.
	set -m
	SCF_DATA="$CONSORTIUM_DATA" SCF_PORT_OFFSET=1000 \
		"$SCF_ROOT/scripts/start.sh" --no-build --chain local-test >"$CONSORTIUM_LOG" 2>&1 &
	consortium_pid=$!
	set +m
	local deadline=$(($(date +%s) + 180))
	until grep -q "SCF consortium ready" "$CONSORTIUM_LOG"; do
		if ! kill -0 "$consortium_pid" 2>/dev/null || [ "$(date +%s)" -gt $deadline ]; then
			say "start.sh did not become ready:"; tail -20 "$CONSORTIUM_LOG"
			stop_consortium_hard
			return 1
		fi
		sleep 2
	done
	grep "finalized:" "$CONSORTIUM_LOG" | tail -1
	[ -f "$CONSORTIUM_DATA/endpoints.json" ] || { say "start.sh wrote no endpoints.json"; return 1; }
}

consortium_up=0
if [ $built -eq 1 ]; then
	say "starting the shared test consortium (start.sh --no-build --chain local-test)"
	if start_consortium; then
		consortium_up=1
		pass "start.sh brings up the test consortium"
	else
		fail "start.sh brings up the test consortium" "log: $CONSORTIUM_LOG"
	fi
fi
phase_done "start the shared consortium"

# --- 3. every test: unit, property and end-to-end ---
# The indexer's store tests also run on PostgreSQL: a throwaway server.
# Its own folder under /tmp: the postgres user cannot enter LOG_DIR (0700).
PG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/scf-test-pg.XXXXXX")"
if [ $built -eq 1 ]; then
	say "starting a throwaway PostgreSQL server for the indexer's store tests"
	if start_test_postgres "$PG_DIR" $((5432 + 1000 + RANDOM % 1000)); then
		pass "PostgreSQL test server starts"
	else
		fail "PostgreSQL test server starts" "see $PG_DIR"
	fi
fi
if [ $built -eq 1 ]; then
	say "cargo test: every test of the workspace; end-to-end suites on the shared consortium"
	export SCF_CONSORTIUM="$CONSORTIUM_DATA/endpoints.json"
	# The end-to-end tests of a suite mostly wait on the chain: run them
	# side by side (each uses participants of its own).
	export RUST_TEST_THREADS="${RUST_TEST_THREADS:-8}"
	set +e
	(cd "$SCF_ROOT" && cargo test $SCF_PROFILE_FLAG --workspace --features "$SCF_FEATURES" --locked \
		--no-fail-fast 2>&1) | tee "$LOG_DIR/cargo-test.log"
	cargo_status=${PIPESTATUS[0]}
	set -e
	cargo_failed=0
	while read -r p f; do
		passed=$((passed + p)); failed=$((failed + f)); cargo_failed=$((cargo_failed + f))
	done < <(sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' \
		"$LOG_DIR/cargo-test.log")
	if [ "$cargo_status" -ne 0 ] && [ "$cargo_failed" -eq 0 ]; then
		# A crashed test binary: no "failed" count, still a failure.
		fail "cargo test" "exited with $cargo_status"
	fi
fi
phase_done "cargo test (unit, property, end-to-end)"

# --- 3b. a figure, not a test: the indexer's backfill rate on both engines ---
if [ $built -eq 1 ] && [ $consortium_up -eq 1 ]; then
	say "benchmark: the indexer's backfill of the shared chain (scripts/bench-indexer.sh)"
	"$SCF_ROOT/scripts/bench-indexer.sh" "ws://127.0.0.1:$((9948 + 1000))" "${SCF_TEST_POSTGRES:-}" \
		| tee "$LOG_DIR/bench-indexer.log" || say "the indexer benchmark failed (not a test)"
fi
stop_test_postgres "$PG_DIR"
rm -rf "$PG_DIR"
phase_done "indexer backfill benchmark"

# --- 4. Ctrl-C stops the consortium and leaves no process behind ---
ctrl_c_check() {
	# Ctrl-C: a terminal sends SIGINT to the whole foreground process group.
	kill -INT -- -"$consortium_pid"
	local i
	for i in $(seq 1 30); do kill -0 "$consortium_pid" 2>/dev/null || break; sleep 1; done
	if kill -0 "$consortium_pid" 2>/dev/null; then
		say "start.sh still running 30 s after Ctrl-C"; stop_consortium_hard; return 1
	fi
	sleep 1
	if pgrep -f -- "--base-path $CONSORTIUM_DATA|--database $CONSORTIUM_DATA" >/dev/null; then
		say "processes left behind after Ctrl-C:"
		pgrep -af -- "--base-path $CONSORTIUM_DATA|--database $CONSORTIUM_DATA"
		stop_consortium_hard
		return 1
	fi
	consortium_pid=""
}
if [ $consortium_up -eq 1 ]; then
	say "start.sh: Ctrl-C stops every process it started"
	if ctrl_c_check; then
		pass "start.sh stops on Ctrl-C"
	else
		fail "start.sh stops on Ctrl-C" "log: $CONSORTIUM_LOG"
	fi
fi
phase_done "Ctrl-C check"

# --- times ---
echo
echo "Time per phase:"
printf '%s\n' "${phases[@]}"
if [ -f "$LOG_DIR/cargo-test.log" ]; then
	echo "Time per test binary (cargo's own figure), slowest first:"
	awk '
		/^ *Running / {
			if ($2 == "unittests") { name = $NF; gsub(/[()]/, "", name); n = split(name, a, "/"); name = a[n]; sub(/-[0-9a-f]+$/, "", name) }
			else name = $2
		}
		/^ *Doc-tests / { name = "doc-tests " $2 }
		/^test result:/ {
			t = $0; sub(/.*finished in /, "", t); sub(/s$/, "", t)
			if (t + 0 >= 0.5) printf "%8.1fs  %s (%s passed, %s failed)\n", t, name, $4, $6
		}
	' "$LOG_DIR/cargo-test.log" | tr -d ';' | sort -rn
fi
if [ -s "$LOG_DIR/bench-indexer.log" ]; then
	echo "Figures (not tests):"
	grep '^indexer backfill' "$LOG_DIR/bench-indexer.log" || true
fi
say "logs in $LOG_DIR"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
