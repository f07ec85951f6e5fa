#!/usr/bin/env bash
# Runs every test: the workspace's unit and property tests, the end-to-end
# tests that start real nodes on loopback (node/tests), and a check that
# scripts/start.sh brings the consortium up and leaves no process behind on
# Ctrl-C. Ends with one summary line: "N passed, N failed".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LOG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/scf-test.XXXXXX")"
passed=0
failed=0

ensure_build_tools

# --- 0. no RocksDB anywhere in the dependency tree ---
say "checking that no RocksDB is compiled (cargo tree -i librocksdb-sys)"
rocks=$(cd "$SCF_ROOT" && cargo tree --workspace --features "$SCF_FEATURES" -e normal,build \
	-i librocksdb-sys 2>/dev/null || true)
if [ -z "$rocks" ]; then
	say "no RocksDB: passed"; passed=$((passed + 1))
else
	say "RocksDB is in the tree: FAILED"; echo "$rocks" | head -20; failed=$((failed + 1))
fi

# --- 1. cargo tests (unit, property and end-to-end with the node binary) ---
say "cargo test: building and running every test of the workspace (release profile)"
set +e
(cd "$SCF_ROOT" && cargo test $SCF_PROFILE_FLAG --workspace --features "$SCF_FEATURES" --locked \
	--no-fail-fast 2>&1) | tee "$LOG_DIR/cargo-test.log"
cargo_status=${PIPESTATUS[0]}
set -e
while read -r p f; do
	passed=$((passed + p)); failed=$((failed + f))
done < <(sed -n 's/^test result: [A-Za-z]*\. \([0-9]*\) passed; \([0-9]*\) failed.*/\1 \2/p' "$LOG_DIR/cargo-test.log")
if [ "$cargo_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
	# A build error or a crashed test binary: no "failed" count, still a failure.
	say "cargo test exited with $cargo_status"
	failed=$((failed + 1))
fi

# --- 2. scripts/start.sh: comes up, and Ctrl-C stops everything ---
smoke_start() {
	local data="$LOG_DIR/start-data" out="$LOG_DIR/start.log"
	[ -x "$SCF_NODE_BIN" ] || { say "no node binary for the start.sh check"; return 1; }
	# Job control on: start.sh gets a process group of its own (as in a
	# terminal) and does not inherit an ignored SIGINT.
	set -m
	SCF_DATA="$data" SCF_PORT_OFFSET=1000 "$SCF_ROOT/scripts/start.sh" --no-build >"$out" 2>&1 &
	local pid=$!
	set +m
	local deadline=$(( $(date +%s) + 180 ))
	until grep -q "SCF consortium ready" "$out"; do
		if ! kill -0 $pid 2>/dev/null || [ "$(date +%s)" -gt $deadline ]; then
			say "start.sh did not become ready:"; tail -20 "$out"
			kill -KILL -- -$pid 2>/dev/null || true
			pkill -KILL -f -- "--base-path $data" || true
			return 1
		fi
		sleep 2
	done
	grep "finalized:" "$out" | tail -1
	# Ctrl-C: a terminal sends SIGINT to the whole foreground process group.
	kill -INT -- -$pid
	local i
	for i in $(seq 1 30); do kill -0 $pid 2>/dev/null || break; sleep 1; done
	if kill -0 $pid 2>/dev/null; then
		say "start.sh still running 30 s after Ctrl-C"; kill -KILL -- -$pid 2>/dev/null || true; return 1
	fi
	sleep 1
	if pgrep -f -- "--base-path $data" >/dev/null; then
		say "processes left behind after Ctrl-C:"; pgrep -af -- "--base-path $data"
		pkill -KILL -f -- "--base-path $data" || true
		return 1
	fi
	return 0
}
say "start.sh: consortium comes up, Ctrl-C leaves no process behind"
if smoke_start; then
	say "start.sh check passed"; passed=$((passed + 1))
else
	say "start.sh check FAILED (log: $LOG_DIR/start.log)"; failed=$((failed + 1))
fi

say "logs in $LOG_DIR"
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
