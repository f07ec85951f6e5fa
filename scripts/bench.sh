#!/usr/bin/env bash
# Throughput and latency of a fresh local consortium: builds (incremental),
# starts one with scripts/start.sh in a data folder of its own (four bank
# validators and the supplier node, the indexer and the bridge beside them;
# ports shifted by 2000 so it can run beside a development consortium),
# runs the load generator (scf-loadgen: setup, then the split-transfer and
# remark workloads) against the four validators, prints the figures, writes
# them with the machine, the commit and the command to bench-results/, and
# stops everything.
#
#   scripts/bench.sh                     defaults: 100 suppliers x 50 splits, 30 s
#   scripts/bench.sh --duration 60 ...   any further options go to scf-loadgen
#
# Environment: SCF_BENCH_CHAIN (local, the default, or local-test);
# SCF_BENCH_KEEP=1 keeps the consortium's data folder and logs (its path is
# printed) instead of deleting it; SCF_NODE_LOG (see start.sh) adds node
# log targets, e.g. SCF_NODE_LOG=txpool=debug,basic-authorship=debug.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OFFSET=2000
DATA="$(mktemp -d "${TMPDIR:-/tmp}/scf-bench.XXXXXX")"
CHAIN="${SCF_BENCH_CHAIN:-local}"
RESULTS="$SCF_ROOT/bench-results"
LOADGEN_BIN="$CARGO_TARGET_DIR/release/scf-loadgen"

ensure_build_tools
build_workspace
build_wallet

pid=""
stop() {
	[ -n "$pid" ] || return 0
	kill -INT -- -"$pid" 2>/dev/null || true
	local i
	for i in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
	kill -KILL -- -"$pid" 2>/dev/null || true
	pid=""
	if [ "${SCF_BENCH_KEEP:-0}" = 1 ]; then
		say "kept the consortium's data and logs in $DATA (start log $DATA.log)"
	else
		rm -rf "$DATA"
	fi
}
trap stop EXIT

say "starting a fresh consortium ($CHAIN) in $DATA"
set -m
SCF_DATA="$DATA" SCF_PORT_OFFSET=$OFFSET "$SCF_ROOT/scripts/start.sh" --no-build --chain "$CHAIN" \
	>"$DATA.log" 2>&1 &
pid=$!
set +m
deadline=$(($(date +%s) + 180))
until grep -q "SCF consortium ready" "$DATA.log"; do
	kill -0 "$pid" 2>/dev/null || { tail -20 "$DATA.log"; die "start.sh exited"; }
	[ "$(date +%s)" -le $deadline ] || { tail -20 "$DATA.log"; die "the consortium did not start in 180 s"; }
	sleep 2
done

nodes=()
for i in 0 1 2 3; do nodes+=(--node "ws://127.0.0.1:$((9944 + OFFSET + i))"); done
mkdir -p "$RESULTS"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
commit="$(cd "$SCF_ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
out="$RESULTS/$stamp-$commit.json"
say "running scf-loadgen ${nodes[*]} $*"
"$LOADGEN_BIN" "${nodes[@]}" "$@" --output "$DATA/figures.json" | tee "$DATA/loadgen.log"
# The figures, with what they were measured on.
{
	printf '{\n  "commit": "%s",\n  "date": "%s",\n  "chain": "%s",\n' "$commit" "$stamp" "$CHAIN"
	printf '  "machine": {"cpus": %s, "model": "%s", "memoryKiB": %s},\n' "$(nproc)" \
		"$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//; s/"//g')" \
		"$(awk '/MemTotal/ {print $2}' /proc/meminfo)"
	printf '  "command": "scripts/bench.sh %s",\n' "$*"
	printf '  "figures": '
	cat "$DATA/figures.json"
	printf '}\n'
} > "$out"
say "figures written to $out"
