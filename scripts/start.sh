#!/usr/bin/env bash
# Builds and starts the local consortium on loopback: four bank validators
# (bank-a..bank-d), a supplier's non-validating node (kept with archive
# state: the indexer reads old blocks from it), the indexer (scf-indexer,
# SQLite under the data folder) and the ERP bridge (scf-bridge, with
# custodial keys and API keys for the development cast, which it prints).
# Waits until finalized blocks
# advance on every node, prints the endpoints, and stops every process it
# started on Ctrl-C.
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
# --chain), SCF_NODE_LOG (extra log targets for every node, as the node's
# -l option, e.g. txpool=debug), CARGO_TARGET_DIR (default
# ~/.cache/scf-target).
# Ports (plus the offset): node RPC 9944-9948, p2p 30333-30337, node metrics
# 9615-9619, indexer read API 9955, indexer metrics 9625, bridge 9960.
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
		-h|--help) sed -n '2,24p' "$0"; exit 0 ;;
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
	build_wallet
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

# The supplier node keeps archive state for the indexer. The pruning mode is
# fixed when a node's database is created, so an older data folder whose
# supplier database was made without it is refused.
ARCHIVE_MARK="$DATA/supplier/archive-canonical"
if [ -d "$DATA/supplier/chains" ] && [ ! -f "$ARCHIVE_MARK" ]; then
	die "$DATA/supplier was created without archive state, which the indexer needs (rerun with --purge)"
fi
[ -x "$SCF_INDEXER_BIN" ] || die "no indexer binary at $SCF_INDEXER_BIN (run without --no-build)"
[ -x "$SCF_BRIDGE_BIN" ] || die "no bridge binary at $SCF_BRIDGE_BIN (run without --no-build)"
[ $build -eq 1 ] || assemble_wallet

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
	[ -n "${SCF_NODE_LOG:-}" ] && args+=(-l "$SCF_NODE_LOG")
	[ -n "${VALIDATOR_KEYS[$i]}" ] && args+=(--validator "--${VALIDATOR_KEYS[$i]}")
	if [ "$name" = supplier ]; then
		args+=(--state-pruning archive-canonical)
		mkdir -p "$DATA/supplier" && touch "$ARCHIVE_MARK"
	fi
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

# The indexer, on the supplier node.
INDEXER_RPC=$((9955 + OFFSET))
INDEXER_METRICS=$((9625 + OFFSET))
mkdir -p "$DATA/indexer"
"$SCF_INDEXER_BIN" --node "ws://127.0.0.1:$((9948 + OFFSET))" --database "$DATA/indexer/index.sqlite" \
	--rpc-addr "127.0.0.1:$INDEXER_RPC" --prometheus-addr "127.0.0.1:$INDEXER_METRICS" \
	>"$DATA/indexer/indexer.log" 2>&1 &
pids+=($!)
indexer_pid=$!
say "started the indexer (pid $indexer_pid, log $DATA/indexer/indexer.log)"
deadline=$(( $(date +%s) + 60 ))
until rpc $INDEXER_RPC indexer_status '{}' | grep -q '"indexed":[0-9]'; do
	kill -0 "$indexer_pid" 2>/dev/null || die "the indexer exited; see $DATA/indexer/indexer.log"
	[ "$(date +%s)" -gt $deadline ] && die "the indexer indexed nothing within 60 s; see $DATA/indexer/indexer.log"
	sleep 1
done

# The ERP bridge, on bank A's node, reading the indexer's database. On a
# new data folder it gets a random master secret (a 0600 file) and seals
# the development cast's keys (well known: a local consortium only), each
# with an API key; the keys are kept in bridge/cast-keys.txt (0600).
BRIDGE_RPC=$((9960 + OFFSET))
BRIDGE_DIR="$DATA/bridge"
bridge() { "$SCF_BRIDGE_BIN" --database "$BRIDGE_DIR/bridge.sqlite" "$@"; }
mkdir -p "$BRIDGE_DIR" && chmod 700 "$BRIDGE_DIR"
if [ ! -f "$BRIDGE_DIR/master.key" ]; then
	(umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$BRIDGE_DIR/master.key")
fi
if [ ! -s "$BRIDGE_DIR/cast-keys.txt" ]; then
	say "sealing the development cast's keys into the bridge"
	cast=("bank-a sr25519://Alice" "core-eve sr25519://Eve" "supplier-ferdie sr25519://Ferdie"
		"supplier-grace sm2:28f373b9dff4bd7c5a12a70b13277e0144a41c62d554eb4f8c957a36bc04cce7"
		"factor sr25519://Alice//stash" "regulator sr25519://Bob//stash")
	(umask 077; : > "$BRIDGE_DIR/cast-keys.txt.tmp")
	for entry in "${cast[@]}"; do
		name=${entry%% *}
		(umask 077; printf '%s' "${entry#* }" > "$BRIDGE_DIR/secret.tmp")
		account=$(bridge custody add --key-file "$BRIDGE_DIR/secret.tmp" \
			--master-key-file "$BRIDGE_DIR/master.key" 2>>"$BRIDGE_DIR/admin.log") \
			|| { rm -f "$BRIDGE_DIR/secret.tmp"; die "could not seal the key of $name (see $BRIDGE_DIR/admin.log)"; }
		rm -f "$BRIDGE_DIR/secret.tmp"
		key=$(bridge key add --participant "$account" --label "$name" 2>>"$BRIDGE_DIR/admin.log") \
			|| die "could not make an API key for $name (see $BRIDGE_DIR/admin.log)"
		printf '%s %s %s\n' "$name" "$account" "$key" >> "$BRIDGE_DIR/cast-keys.txt.tmp"
	done
	mv "$BRIDGE_DIR/cast-keys.txt.tmp" "$BRIDGE_DIR/cast-keys.txt"
fi
# Not through the `bridge` function: a backgrounded function is a subshell,
# and stopping it would leave scf-bridge running.
"$SCF_BRIDGE_BIN" --database "$BRIDGE_DIR/bridge.sqlite" serve --node "ws://127.0.0.1:$((9944 + OFFSET))" \
	--indexer-database "$DATA/indexer/index.sqlite" --listen "127.0.0.1:$BRIDGE_RPC" \
	--master-key-file "$BRIDGE_DIR/master.key" --wallet-dir "$SCF_WALLET_DIR" \
	>"$BRIDGE_DIR/bridge.log" 2>&1 &
pids+=($!)
bridge_pid=$!
say "started the bridge (pid $bridge_pid, log $BRIDGE_DIR/bridge.log)"
deadline=$(( $(date +%s) + 30 ))
until rpc $BRIDGE_RPC rpc.discover '[]' | grep -q '"openrpc"'; do
	kill -0 "$bridge_pid" 2>/dev/null || die "the bridge exited; see $BRIDGE_DIR/bridge.log"
	[ "$(date +%s)" -gt $deadline ] && die "the bridge did not answer within 30 s; see $BRIDGE_DIR/bridge.log"
	sleep 1
done

# The endpoints, for tools and tests (scripts/test.sh hands this file to
# the end-to-end suites as SCF_CONSORTIUM).
{
	printf '{\n  "chain": "%s",\n  "chain_spec": "%s",\n' "$CHAIN" "$SPEC"
	printf '  "indexer": {"rpc_port": %d, "prometheus_port": %d, "database": "%s"},\n' \
		$INDEXER_RPC $INDEXER_METRICS "$DATA/indexer/index.sqlite"
	printf '  "bridge": {"rpc_port": %d, "database": "%s", "cast_keys": "%s"},\n' \
		$BRIDGE_RPC "$BRIDGE_DIR/bridge.sqlite" "$BRIDGE_DIR/cast-keys.txt"
	printf '  "nodes": [\n'
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
printf '  %-9s rpc http+ws://127.0.0.1:%d  metrics http://127.0.0.1:%d/metrics  (SQLite %s)\n' \
	indexer $INDEXER_RPC $INDEXER_METRICS "$DATA/indexer/index.sqlite"
printf '  %-9s JSON-RPC http+ws://127.0.0.1:%d  (OpenRPC: rpc.discover; API keys below, header X-Api-Key)\n' \
	bridge $BRIDGE_RPC
printf '  %-9s http://127.0.0.1:%d/wallet/  (supplier wallet: SM2 keys stay in the browser)\n' \
	wallet $BRIDGE_RPC
while read -r name account key; do
	printf '      %-16s %s  %s\n' "$name" "$account" "$key"
done < "$BRIDGE_DIR/cast-keys.txt"
echo "Endpoints: $DATA/endpoints.json"
echo "SCF consortium ready. Press Ctrl-C to stop every process."

# Report progress every 30 s until stopped. Liveness is checked every
# second: if every process this script started has gone (killed from
# outside, or by a Ctrl-C whose trap bash dropped because it arrived while a
# status probe ran in a command substitution, as a test run once saw), the
# script stops too instead of reporting DOWN forever. The short sleep also
# bounds how long stop_all's `wait` waits for it (a background sleep ignores
# SIGINT).
ticks=0
while :; do
	sleep 1 &
	wait $! || true
	alive=0
	for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
	if [ $alive -eq 0 ]; then
		say "every process has stopped"
		exit 1
	fi
	ticks=$((ticks + 1))
	[ $((ticks % 30)) -eq 0 ] || continue
	status=""
	for i in "${!NAMES[@]}"; do
		kill -0 "${pids[$i]}" 2>/dev/null || { status+=" ${NAMES[$i]}=DOWN"; continue; }
		status+=" ${NAMES[$i]}=#$(best_number $((9944 + OFFSET + i)) || true)/#$(finalized_number $((9944 + OFFSET + i)) || true)"
	done
	if kill -0 "$indexer_pid" 2>/dev/null; then
		status+=" indexer=#$(rpc $INDEXER_RPC indexer_status '{}' | sed -n 's/.*"indexed":\([0-9]*\).*/\1/p')"
	else
		status+=" indexer=DOWN"
	fi
	kill -0 "$bridge_pid" 2>/dev/null || status+=" bridge=DOWN"
	say "best/finalized:$status"
done
