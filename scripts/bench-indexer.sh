#!/usr/bin/env bash
# The indexer's backfill benchmark: indexes a running node's chain from
# genesis to its finalized head into a fresh SQLite file and, given a
# PostgreSQL server, into a fresh database there, one after the other in
# one run, and prints blocks/s and events/s for each.
#
#   scripts/bench-indexer.sh [NODE_WS_URL] [POSTGRES_SERVER_URL]
#
# NODE_WS_URL defaults to the local consortium's supplier node
# (ws://127.0.0.1:9948, an archive node: see start.sh); a server URL such
# as postgres://postgres@127.0.0.1:5433 (the user needs CREATEDB; the
# database scf_bench_PID is created and dropped). scripts/test.sh runs it
# on the shared test consortium after the tests. A figure, not a test.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NODE="${1:-ws://127.0.0.1:9948}"
PG_SERVER="${2:-}"
[ -x "$SCF_INDEXER_BIN" ] || die "no indexer at $SCF_INDEXER_BIN: build it (cargo build --release --workspace --features $SCF_FEATURES)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/scf-bench-indexer.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# Indexes into $2 (labelled $1) and prints the indexer's closing figure.
backfill() {
	local label=$1 database=$2 line
	say "backfill into $label from genesis to the finalized head of $NODE"
	if ! "$SCF_INDEXER_BIN" --node "$NODE" --database "$database" --create-database \
		--until-head --no-rpc --no-prometheus >"$WORK/$label.log" 2>&1; then
		tail -5 "$WORK/$label.log"; die "the $label backfill failed"
	fi
	line=$(grep "indexed .* blocks/s" "$WORK/$label.log" | tail -1)
	echo "indexer backfill, $label: ${line#scf-indexer: }"
}

backfill SQLite "$WORK/bench.sqlite"
if [ -n "$PG_SERVER" ]; then
	db="scf_bench_$$"
	backfill PostgreSQL "$PG_SERVER/$db"
	if psql=$(pg_bin psql); then
		"$psql" "$PG_SERVER/postgres" -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
	fi
fi
