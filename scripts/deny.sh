#!/usr/bin/env bash
# The supply chain of the code: checks the workspace's dependency graph
# with cargo-deny, offline, against deny.toml —
#   licences: only those deny.toml allows (and its per-crate exceptions);
#   sources:  crates.io only, no git dependencies;
#   bans:     no RocksDB; and no crate in a second version that
#             deny-duplicates.txt (the baseline polkadot-sdk 2609.2.0
#             brings) does not list. cargo-deny itself only warns on
#             duplicates (the inherited tree has ~90 names in several
#             versions); this script denies the new ones.
# The advisory check needs the RustSec database, which this machine cannot
# fetch; where it can: `cargo deny fetch && cargo deny check advisories`.
#
#   scripts/deny.sh                     the check (scripts/test.sh runs it)
#   scripts/deny.sh --update-baseline   rewrite deny-duplicates.txt, after
#                                       a polkadot-sdk upgrade, say; review
#                                       its diff like any other change
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_cargo_deny
cd "$SCF_ROOT"
BASELINE="$SCF_ROOT/deny-duplicates.txt"
deny() { cargo deny --offline --locked --workspace "$@"; }

say "cargo deny check licenses bans sources (offline)"
status=0
deny check licenses bans sources -A duplicate || status=1

# Every crate version that is one of two or more versions of its name.
json="$(mktemp)"
trap 'rm -f "$json"' EXIT
deny --format json check bans 2>"$json" || true
current="$(python3 - "$json" <<'PY'
import json, sys
seen = set()
for line in open(sys.argv[1]):
    try:
        d = json.loads(line)
    except ValueError:
        continue
    f = d.get("fields", {})
    if d.get("type") == "diagnostic" and f.get("code") == "duplicate":
        for g in f.get("graphs", []):
            k = g.get("Krate", {})
            seen.add(f"{k.get('name')} {k.get('version')}")
print("\n".join(sorted(seen)))
PY
)"
[ -n "$current" ] || { say "cargo-deny reported no duplicates: its output changed?"; exit 1; }

if [ "${1:-}" = "--update-baseline" ]; then
	{
		echo "# Crate versions that are one of several versions of their name in the"
		echo "# dependency graph (cargo-deny's duplicates), as polkadot-sdk 2609.2.0"
		echo "# brings them. scripts/deny.sh fails on any duplicate not listed here;"
		echo "# rewrite with scripts/deny.sh --update-baseline."
		echo "$current"
	} >"$BASELINE"
	say "wrote $(grep -vc '^#' "$BASELINE") entries to $BASELINE"
	exit $status
fi

new="$(comm -13 <(grep -v '^#' "$BASELINE" | sort) <(echo "$current"))"
gone="$(comm -23 <(grep -v '^#' "$BASELINE" | sort) <(echo "$current"))"
if [ -n "$new" ]; then
	say "duplicates not in deny-duplicates.txt (a dependency added a second version):"
	echo "$new" | sed 's/^/    /'
	say "reuse the version the tree has (see cargo tree -d), or justify it and run scripts/deny.sh --update-baseline"
	status=1
else
	say "duplicates: $(echo "$current" | wc -l) crate versions, all in the baseline"
fi
if [ -n "$gone" ]; then
	say "baseline entries no longer duplicated (run scripts/deny.sh --update-baseline):"
	echo "$gone" | sed 's/^/    /'
fi
exit $status
