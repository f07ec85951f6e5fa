# Shared by start.sh and test.sh: progress messages, tool installation and the
# one cargo configuration both use. Source it; do not run it.

SCF_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# One persistent target folder outside the clone, so a second run (or CI on
# the same machine) is incremental.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/scf-target}"
# One profile and one feature set for building and testing, so the large
# dependency tree compiles once. `runtime-benchmarks` lets the node generate
# weights; a production node is built without it (see README.md).
# Not `try-runtime`: in 2609 it breaks the node's tree (pallet-grandpa turns on
# pallet-session/try-runtime, while pallet-staking, which frame-benchmarking-cli
# pulls in natively, stays without it and fails to compile). The pallets' tests
# call their `do_try_state()` invariants directly instead.
# The Wasm builder looks for Cargo.lock above the target folder; ours is
# outside the clone, so tell it where the workspace is.
export WASM_BUILD_WORKSPACE_HINT="$SCF_ROOT"
SCF_PROFILE_FLAG="--release"
SCF_FEATURES="runtime-benchmarks"
SCF_NODE_BIN="$CARGO_TARGET_DIR/release/scf-node"
SCF_INDEXER_BIN="$CARGO_TARGET_DIR/release/scf-indexer"
SCF_BRIDGE_BIN="$CARGO_TARGET_DIR/release/scf-bridge"
# The supplier wallet: its Wasm module (wallet/crypto) and the folder the
# bridge serves at /wallet/ (wallet/www plus the module; assembled, never
# committed).
SCF_WALLET_WASM="$CARGO_TARGET_DIR/wasm32-unknown-unknown/wallet-wasm/scf_wallet_crypto.wasm"
SCF_WALLET_DIR="$CARGO_TARGET_DIR/wallet-www"

scf_t0=$(date +%s)
say() { printf '[%4ss] %s\n' "$(( $(date +%s) - scf_t0 ))" "$*"; }
die() { say "ERROR: $*" >&2; exit 1; }

apt_updated=0
apt_install() {
	local missing=()
	local pkg
	for pkg in "$@"; do
		dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing ${missing[*]} (apt)"
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	if [ $apt_updated -eq 0 ]; then
		$sudo apt-get update -qq || die "apt-get update failed"
		apt_updated=1
	fi
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
		|| die "could not install ${missing[*]}"
}

# Everything the build needs that a fresh machine may lack.
ensure_build_tools() {
	command -v cargo >/dev/null || die "cargo is not installed (install Rust with rustup)"
	# protoc: the networking crates compile protobuf definitions.
	# clang/libclang: bindgen-based -sys crates of the dependency tree.
	command -v protoc >/dev/null || apt_install protobuf-compiler
	command -v clang >/dev/null || apt_install clang libclang-dev
	command -v curl >/dev/null || apt_install curl
	# OpenSSL 3: the SM2 interoperability tests sign and verify with it.
	command -v openssl >/dev/null || apt_install openssl
	# iproute2: the hybrid-deployment test's network namespaces and veths.
	command -v ip >/dev/null || apt_install iproute2
	# The runtime compiles to Wasm: wasm32v1-none where the toolchain has it
	# (Rust >= 1.84), wasm32-unknown-unknown for older builders.
	local installed
	installed="$(rustup target list --installed 2>/dev/null || true)"
	local target
	for target in wasm32v1-none wasm32-unknown-unknown; do
		if ! grep -qx "$target" <<<"$installed"; then
			say "adding rustup target $target"
			rustup target add "$target" >/dev/null || die "rustup target add $target failed"
		fi
	done
}

# cargo-deny, the supply-chain check (scripts/deny.sh): this version, built
# from crates.io when missing (about 2-3 minutes on 2 cores), in a build
# folder of its own so the workspace's target folder is not touched.
SCF_CARGO_DENY_VERSION="0.20.2"
ensure_cargo_deny() {
	if cargo deny --version 2>/dev/null | grep -qx "cargo-deny $SCF_CARGO_DENY_VERSION"; then
		return 0
	fi
	say "installing cargo-deny $SCF_CARGO_DENY_VERSION (cargo install --locked; a few minutes)"
	local build_dir
	build_dir="$(mktemp -d "${TMPDIR:-/tmp}/cargo-deny-build.XXXXXX")"
	CARGO_TARGET_DIR="$build_dir" cargo install --locked "cargo-deny@$SCF_CARGO_DENY_VERSION" \
		>"$build_dir.log" 2>&1 || { tail -20 "$build_dir.log"; die "cargo install cargo-deny failed"; }
	rm -rf "$build_dir" "$build_dir.log"
}

# Builds every binary of the workspace in the shared profile. Cargo prints a
# line per crate it compiles; that is the progress.
build_workspace() {
	say "building the workspace (release; a fresh build takes ~40 min on 2 cores, then minutes)"
	(cd "$SCF_ROOT" && cargo build $SCF_PROFILE_FLAG --workspace --features "$SCF_FEATURES" --locked) \
		|| die "build failed"
	say "build done: $SCF_NODE_BIN"
}

# Builds the wallet page's Wasm module (about 30 small crates for that
# target, its own profile: see Cargo.toml) and assembles the page.
build_wallet() {
	say "building the wallet's Wasm module (scf-wallet-crypto for wasm32-unknown-unknown)"
	(cd "$SCF_ROOT" && cargo build -p scf-wallet-crypto --lib --target wasm32-unknown-unknown \
		--profile wallet-wasm --locked) || die "the wallet's Wasm build failed"
	assemble_wallet
}

# Copies wallet/www and the built module into $SCF_WALLET_DIR.
assemble_wallet() {
	[ -f "$SCF_WALLET_WASM" ] || die "no wallet Wasm module at $SCF_WALLET_WASM (run without --no-build)"
	rm -rf "$SCF_WALLET_DIR.tmp"
	mkdir -p "$SCF_WALLET_DIR.tmp"
	cp "$SCF_ROOT"/wallet/www/* "$SCF_WALLET_WASM" "$SCF_WALLET_DIR.tmp/"
	rm -rf "$SCF_WALLET_DIR"
	mv "$SCF_WALLET_DIR.tmp" "$SCF_WALLET_DIR"
}

# The browser tests' tools: Debian's Chromium (Playwright drives it; no
# browser download) and the npm packages pinned in wallet/package-lock.json.
ensure_browser_tools() {
	command -v chromium >/dev/null || apt_install chromium
	# A CJK font, or the labels' Chinese shows as boxes in the screenshots.
	apt_install fonts-wqy-microhei
	command -v npm >/dev/null || apt_install nodejs npm
	if [ ! -d "$SCF_ROOT/wallet/node_modules/playwright-core" ]; then
		say "installing the wallet tests' npm packages (npm ci in wallet/)"
		(cd "$SCF_ROOT/wallet" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
	fi
}

# JSON-RPC over HTTP to a loopback port; prints the `result`.
rpc() {
	local port=$1 method=$2 params=${3:-[]}
	curl -s --max-time 5 -H 'Content-Type: application/json' \
		-d "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"$method\",\"params\":$params}" \
		"http://127.0.0.1:$port" 2>/dev/null
}

# Number of the finalized head of the node on `port`, or empty.
finalized_number() {
	local port=$1 hash header
	hash=$(rpc "$port" chain_getFinalizedHead | sed -n 's/.*"result":"\(0x[0-9a-f]*\)".*/\1/p')
	[ -n "$hash" ] || return 0
	header=$(rpc "$port" chain_getHeader "[\"$hash\"]")
	local hex
	hex=$(sed -n 's/.*"number":"0x\([0-9a-f]*\)".*/\1/p' <<<"$header")
	[ -n "$hex" ] && echo $((16#$hex))
}

# Number of the best block of the node on `port`, or empty.
best_number() {
	local hex
	hex=$(rpc "$1" chain_getHeader | sed -n 's/.*"number":"0x\([0-9a-f]*\)".*/\1/p')
	[ -n "$hex" ] && echo $((16#$hex))
}

# A throwaway PostgreSQL server on loopback for the indexer's tests:
# `start_test_postgres DIR PORT` installs Debian's postgresql when missing,
# creates a cluster under DIR (initdb refuses root, so as the `postgres`
# user when run as root: DIR's parents must let that user in), starts it
# on 127.0.0.1:PORT with its socket in DIR, and sets SCF_TEST_POSTGRES to
# its URL. `stop_test_postgres DIR`
# stops it; the caller removes DIR.
pg_bin() {
	local bin
	bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	[ -n "$bin" ] && [ -x "$bin/$1" ] || return 1
	echo "$bin/$1"
}
as_pg_owner() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
start_test_postgres() {
	local dir=$1 port=$2
	pg_bin initdb >/dev/null || apt_install postgresql
	local initdb pg_ctl
	initdb=$(pg_bin initdb) || { say "no initdb under /usr/lib/postgresql"; return 1; }
	pg_ctl=$(pg_bin pg_ctl)
	mkdir -p "$dir"
	chmod 755 "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
	as_pg_owner "$initdb" -A trust -U postgres -D "$dir/data" >"$dir/initdb.log" 2>&1 \
		|| { say "initdb failed: $dir/initdb.log"; return 1; }
	as_pg_owner "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null \
		|| { say "PostgreSQL did not start: $dir/server.log"; return 1; }
	export SCF_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port"
}
stop_test_postgres() {
	local dir=$1 pg_ctl
	pg_ctl=$(pg_bin pg_ctl) || return 0
	[ -d "$dir/data" ] && as_pg_owner "$pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}
