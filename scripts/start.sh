#!/usr/bin/env bash
# Builds and starts the local consortium on loopback: four bank validators
# (bank-a..bank-d) and a supplier's non-validating node. Waits until
# finalized blocks advance on every node, prints the endpoints, and stops
# every process it started on Ctrl-C.
#
#   scripts/start.sh            build (incremental), then start
#   scripts/start.sh --purge    wipe the consortium's data first
#   scripts/start.sh --no-build use the binary already built
#   scripts/start.sh --chain ID chain spec: local (default) or local-test
#                               (test-speed times, as scripts/test.sh runs)
#
# When ready it writes DATA/endpoints.json (every node's name, ports and
# data folder, and the chain spec file) for tools and tests to find it.
# Environment: SCF_DATA (data folder, default .data/local-consortium in the
# clone), SCF_PORT_OFFSET (added to every port, default 0), SCF_CHAIN (as
# --chain), CARGO_TARGET_DIR (default ~/.cache/scf-target).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

build=1
purge=0
CHAIN="${SCF_CHAIN:-local}"
while [ $# -gt 0 ]; do
	case "$1" in
		--no-build) build=0 ;;
		--purge) purge=1 ;;
		--chain) [ $# -ge 2 ] || die "--chain needs a value (local or local-test)"; CHAIN=$2; shift ;;
		-h|--help) sed -n '2,20p' "$0"; exit 0 ;;
		*) die "unknown option $1 (see --help)" ;;
	esac
	shift
done
case "$CHAIN" in
	local|local-test) ;;
	*) die "unknown chain $CHAIN: local or local-test" ;;
esac

DATA="${SCF_DATA:-$SCF_ROOT/.data/local-consortium}"
OFFSET="${SCF_PORT_OFFSET:-0}"
NAMES=(bank-a bank-b bank-c bank-d supplier)
VALIDATOR_KEYS=(alice bob charlie dave "")
# Node i (from 1) uses the development node key i: the peer ids these give
# are authorised in the runtime's `local_testnet` genesis preset
# (runtime/src/genesis.rs, checked by a node test).
BOOT_PEER_ID="12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp"

ensure_build_tools
if [ $build -eq 1 ]; then
	build_workspace
fi
[ -x "$SCF_NODE_BIN" ] || die "no node binary at $SCF_NODE_BIN (run without --no-build)"

[ $purge -eq 1 ] && { say "purging $DATA"; rm -rf "$DATA"; }
mkdir -p "$DATA"
rm -f "$DATA/endpoints.json"

pids=()
stop_all() {
	trap - INT TERM EXIT
	rm -f "$DATA/endpoints.json"
	if [ ${#pids[@]} -gt 0 ]; then
		say "stopping ${#pids[@]} processes"
		kill -TERM "${pids[@]}" 2>/dev/null || true
		local i
		for i in $(seq 1 20); do
			local alive=0 pid
			for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
			[ $alive -eq 0 ] && break
			sleep 0.5
		done
		kill -KILL "${pids[@]}" 2>/dev/null || true
		wait 2>/dev/null || true
	fi
	say "stopped"
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

for port in $((30333 + OFFSET)) $((9944 + OFFSET)); do
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		die "port $port is in use: is a consortium already running? (set SCF_PORT_OFFSET)"
	fi
done

# One chain spec file for every node, as a real consortium shares one.
# A data folder keeps the chain it was started with.
if [ -f "$DATA/chain" ] && [ "$(cat "$DATA/chain")" != "$CHAIN" ]; then
	die "$DATA holds the $(cat "$DATA/chain") chain, not $CHAIN (use --purge or another SCF_DATA)"
fi
echo "$CHAIN" > "$DATA/chain"
SPEC="$DATA/$CHAIN-raw.json"
"$SCF_NODE_BIN" export-chain-spec --chain "$CHAIN" --raw > "$SPEC" 2>"$DATA/export-chain-spec.log" \
	|| die "could not export the chain spec (see $DATA/export-chain-spec.log)"

BOOTNODE="/ip4/127.0.0.1/tcp/$((30333 + OFFSET))/p2p/$BOOT_PEER_ID"
for i in "${!NAMES[@]}"; do
	name=${NAMES[$i]}
	args=(--chain "$SPEC" --base-path "$DATA/$name" --name "$name"
		--node-key "$(printf '%064x' $((i + 1)))"
		--listen-addr "/ip4/127.0.0.1/tcp/$((30333 + OFFSET + i))"
		--rpc-port $((9944 + OFFSET + i)) --rpc-cors all
		--prometheus-port $((9615 + OFFSET + i))
		--no-telemetry --no-mdns)
	[ $i -gt 0 ] && args+=(--bootnodes "$BOOTNODE")
	[ -n "${VALIDATOR_KEYS[$i]}" ] && args+=(--validator "--${VALIDATOR_KEYS[$i]}")
	mkdir -p "$DATA/$name"
	"$SCF_NODE_BIN" "${args[@]}" >"$DATA/$name/node.log" 2>&1 &
	pids+=($!)
	say "started $name (pid $!, log $DATA/$name/node.log)"
done

# Ready when every node's finalized head has advanced past where it began.
say "waiting for finalized blocks to advance on all ${#NAMES[@]} nodes"
declare -A first=()
deadline=$(( $(date +%s) + 120 ))
while :; do
	ready=0
	status=""
	for i in "${!NAMES[@]}"; do
		kill -0 "${pids[$i]}" 2>/dev/null || die "${NAMES[$i]} exited; see $DATA/${NAMES[$i]}/node.log"
		f=$(finalized_number $((9944 + OFFSET + i)) || true)
		status+=" ${NAMES[$i]}=#${f:-?}"
		[ -z "$f" ] && continue
		[ -z "${first[$i]:-}" ] && first[$i]=$f
		[ "$f" -gt "${first[$i]}" ] && [ "$f" -ge 2 ] && ready=$((ready + 1))
	done
	say "finalized:$status"
	[ $ready -eq ${#NAMES[@]} ] && break
	[ "$(date +%s)" -gt $deadline ] && die "finality did not advance on every node within 120 s"
	sleep 3
done

# The endpoints, for tools and tests (scripts/test.sh hands this file to
# the end-to-end suites as SCF_CONSORTIUM).
{
	printf '{\n  "chain": "%s",\n  "chain_spec": "%s",\n  "nodes": [\n' "$CHAIN" "$SPEC"
	for i in "${!NAMES[@]}"; do
		printf '    {"name": "%s", "rpc_port": %d, "p2p_port": %d, "prometheus_port": %d, "validator": %s, "base_path": "%s"}%s\n' \
			"${NAMES[$i]}" $((9944 + OFFSET + i)) $((30333 + OFFSET + i)) $((9615 + OFFSET + i)) \
			"$([ -n "${VALIDATOR_KEYS[$i]}" ] && echo true || echo false)" "$DATA/${NAMES[$i]}" \
			"$([ $i -lt $((${#NAMES[@]} - 1)) ] && echo , || true)"
	done
	printf '  ]\n}\n'
} > "$DATA/endpoints.json.tmp"
mv "$DATA/endpoints.json.tmp" "$DATA/endpoints.json"

echo
echo "The local consortium ($CHAIN) is running (data in $DATA):"
for i in "${!NAMES[@]}"; do
	printf '  %-9s rpc http+ws://127.0.0.1:%d  p2p %d  metrics http://127.0.0.1:%d/metrics%s\n' \
		"${NAMES[$i]}" $((9944 + OFFSET + i)) $((30333 + OFFSET + i)) $((9615 + OFFSET + i)) \
		"$([ -n "${VALIDATOR_KEYS[$i]}" ] && echo "  (validator)" || echo "")"
done
echo "Endpoints: $DATA/endpoints.json"
echo "SCF consortium ready. Press Ctrl-C to stop every process."

# Report progress every 30 s until stopped.
while :; do
	sleep 30 &
	wait $! || true
	status=""
	for i in "${!NAMES[@]}"; do
		kill -0 "${pids[$i]}" 2>/dev/null || { status+=" ${NAMES[$i]}=DOWN"; continue; }
		status+=" ${NAMES[$i]}=#$(best_number $((9944 + OFFSET + i)) || true)/#$(finalized_number $((9944 + OFFSET + i)) || true)"
	done
	say "best/finalized:$status"
done
