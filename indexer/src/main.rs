//! `scf-indexer`: follows the chain's finalized blocks into SQL. See the
//! crate's README.

use clap::Parser;
use std::net::SocketAddr;

/// Follows the SCF chain's finalized blocks into SQLite or PostgreSQL and
/// serves lineage, holdings and exposure queries.
#[derive(Parser, Debug)]
#[command(version)]
struct Cli {
	/// The node's WebSocket RPC (a node started with `--state-pruning
	/// archive-canonical`).
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	node: String,
	/// A file path (SQLite, created if missing) or a `postgres://` URL.
	#[arg(long, default_value = "scf-indexer.sqlite")]
	database: String,
	/// Create the PostgreSQL database named in `--database` if it does not
	/// exist (SQLite files are always created).
	#[arg(long)]
	create_database: bool,
	/// Where the read API (JSON-RPC over HTTP and WebSocket) listens.
	#[arg(long, default_value = "127.0.0.1:9955")]
	rpc_addr: SocketAddr,
	/// Serve no read API.
	#[arg(long)]
	no_rpc: bool,
	/// Where the Prometheus metrics are served (the nodes use 9615 and up).
	#[arg(long, default_value = "127.0.0.1:9625")]
	prometheus_addr: SocketAddr,
	/// Serve no Prometheus metrics.
	#[arg(long)]
	no_prometheus: bool,
	/// Delete everything indexed and index again from genesis.
	#[arg(long)]
	from_scratch: bool,
	/// Index up to the current finalized head, print the rate, and exit.
	#[arg(long)]
	until_head: bool,
}

#[tokio::main]
async fn main() {
	let cli = Cli::parse();
	let options = scf_indexer::Options {
		node: cli.node,
		database: cli.database,
		rpc: (!cli.no_rpc).then_some(cli.rpc_addr),
		prometheus: (!cli.no_prometheus).then_some(cli.prometheus_addr),
		create_database: cli.create_database,
		from_scratch: cli.from_scratch,
		until_head: cli.until_head,
	};
	if let Err(e) = scf_indexer::run(options).await {
		eprintln!("scf-indexer: {e}");
		std::process::exit(1);
	}
}
