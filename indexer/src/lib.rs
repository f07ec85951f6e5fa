#![doc = include_str!("../README.md")]

pub mod amount;
pub mod api;
pub mod decode;
mod error;
pub mod follower;
pub mod metrics;
pub mod project;
pub mod queries;
pub mod sql;
pub mod store;

pub use error::Error;
pub use follower::Follower;
pub use store::Store;

use std::net::SocketAddr;

/// The time now, in ms since the Unix epoch (the chain's clock).
pub fn now_ms() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_millis() as u64)
		.unwrap_or(0)
}

/// How the indexer runs (the binary's options).
#[derive(Clone, Debug)]
pub struct Options {
	/// The node's WebSocket RPC URL; the node must keep old state
	/// (`--state-pruning archive-canonical`).
	pub node: String,
	/// A file path (SQLite) or a `postgres://` URL.
	pub database: String,
	/// Where the read API listens (`None`: no API).
	pub rpc: Option<SocketAddr>,
	/// Where the Prometheus metrics are served (`None`: none).
	pub prometheus: Option<SocketAddr>,
	/// Create a missing PostgreSQL database.
	pub create_database: bool,
	/// Delete everything indexed and start again from genesis.
	pub from_scratch: bool,
	/// Index up to the finalized head as it is at start, then exit.
	pub until_head: bool,
}

/// Runs the indexer until Ctrl-C (or, with `until_head`, until it has
/// caught up).
pub async fn run(options: Options) -> Result<(), Error> {
	let store = Store::open_with(&options.database, options.create_database).await?;
	if options.from_scratch {
		eprintln!("scf-indexer: --from-scratch: deleting everything indexed");
		store.clear().await?;
	}
	let metrics = match options.prometheus {
		Some(addr) => {
			let registry = substrate_prometheus_endpoint::Registry::new();
			let metrics = metrics::Metrics::register(&registry)
				.map_err(|e| Error::BadRequest(format!("metrics: {e}")))?;
			tokio::spawn(async move {
				if let Err(e) = substrate_prometheus_endpoint::init_prometheus(addr, registry).await
				{
					eprintln!("scf-indexer: Prometheus endpoint on {addr} failed: {e}");
				}
			});
			eprintln!("scf-indexer: Prometheus metrics on http://{addr}/metrics");
			Some(metrics)
		},
		None => None,
	};
	let mut follower = Follower::new(&options.node, store.clone(), metrics).await?;
	let _api = match options.rpc {
		Some(addr) => {
			let (local, handle) = api::serve(store.clone(), addr).await?;
			eprintln!("scf-indexer: read API (JSON-RPC) on http://{local} and ws://{local}");
			Some(handle)
		},
		None => None,
	};
	let from = store.cursor().await?.map_or(0, |c| c.number + 1);
	eprintln!(
		"scf-indexer: following {} from block #{from} into {}",
		options.node, options.database
	);
	if options.until_head {
		let start = std::time::Instant::now();
		let done = follower.catch_up().await?;
		let secs = start.elapsed().as_secs_f64().max(1e-3);
		// One line, stable, for scripts (`scripts/bench-indexer.sh`).
		eprintln!(
			"scf-indexer: indexed {} blocks and {} events in {secs:.1} s: {:.1} blocks/s, {:.1} \
			 events/s",
			done.blocks,
			done.events,
			done.blocks as f64 / secs,
			done.events as f64 / secs
		);
		return Ok(());
	}
	follower
		.run(async {
			let _ = tokio::signal::ctrl_c().await;
		})
		.await
}
