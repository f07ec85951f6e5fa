#![doc = include_str!("../README.md")]

pub mod auth;
pub mod calls;
pub mod chain;
mod error;
pub mod openrpc;
pub mod rpc;
pub mod secrets;
pub mod store;

pub use error::{codes, Error};

use jsonrpsee::server::{Server, ServerHandle};
use scf_primitives::AccountId;
use std::{net::SocketAddr, sync::Arc};

/// An account id from its `0x` + 64 hex digits form (or SS58).
pub fn account_id(s: &str) -> Result<AccountId, Error> {
	let hex_id = scf_indexer::queries::account(s)
		.map_err(|_| Error::BadParams(format!("`{s}` is not an account (SS58 or 0x + 64 hex)")))?;
	let bytes: [u8; 32] = hex::decode(hex_id.trim_start_matches("0x"))
		.ok()
		.and_then(|b| b.try_into().ok())
		.ok_or_else(|| Error::BadParams(format!("`{s}` is not an account")))?;
	Ok(AccountId::from(bytes))
}

/// How the server runs (the binary's `serve` options).
#[derive(Clone, Debug)]
pub struct Options {
	/// The node's WebSocket RPC URL.
	pub node: String,
	/// The bridge's own database: a file path (SQLite) or a `postgres://` URL.
	pub database: String,
	/// The indexer's database, opened read-only.
	pub indexer_database: String,
	/// Where the API listens (HTTP and WebSocket on one port).
	pub listen: SocketAddr,
	/// The custody master secret (from the environment or a file).
	pub master_key: Option<Vec<u8>>,
	/// Requests a second per API key, and the burst allowed.
	pub rate: u32,
	pub burst: u32,
	/// Largest request body, in bytes.
	pub max_request_bytes: u32,
	/// Most connections at once.
	pub max_connections: u32,
}

/// Opens the databases and serves the API; returns the address it listens
/// on (useful with port 0) and the server's handle.
pub async fn serve(
	options: &Options,
) -> Result<(SocketAddr, ServerHandle, Arc<rpc::Bridge>), Error> {
	let store = store::Store::open(&options.database).await?;
	let index = scf_indexer::Store::open_read_only(&options.indexer_database).await?;
	let master = options.master_key.as_deref().map(secrets::MasterKey::new).transpose()?;
	let bridge = Arc::new(rpc::Bridge::new(
		store,
		index,
		chain::Chain::new(&options.node),
		master,
		auth::RateLimit::new(options.rate, options.burst),
	));
	let http = tower::ServiceBuilder::new().map_request(auth::copy_credential);
	let server = Server::builder()
		.max_request_body_size(options.max_request_bytes)
		.max_connections(options.max_connections)
		.set_http_middleware(http)
		.build(options.listen)
		.await
		.map_err(|e| Error::Internal(format!("cannot listen on {}: {e}", options.listen)))?;
	let local = server.local_addr().map_err(|e| Error::Internal(e.to_string()))?;
	let handle = server.start(rpc::module(bridge.clone()));
	Ok((local, handle, bridge))
}

/// Runs the server until Ctrl-C or SIGTERM.
pub async fn run(options: Options) -> Result<(), Error> {
	let (local, handle, bridge) = serve(&options).await?;
	eprintln!("scf-bridge: JSON-RPC on http://{local} and ws://{local} (node {})", options.node);
	if options.master_key.is_none() {
		eprintln!("scf-bridge: no custody master key given: custodial signing is off");
	}
	let open = bridge.store.open_writes().await?;
	if !open.is_empty() {
		eprintln!(
			"scf-bridge: {} writes were in flight at the last stop; a retry of each key resolves it",
			open.len()
		);
	}
	let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
		.map_err(|e| Error::Internal(e.to_string()))?;
	tokio::select! {
		_ = tokio::signal::ctrl_c() => {},
		_ = term.recv() => {},
	}
	let _ = handle.stop();
	handle.stopped().await;
	Ok(())
}

/// The admin commands (`scf-bridge key …`, `scf-bridge custody …`).
pub mod admin {
	use super::*;
	use crate::store::{KeyRow, Store};

	/// Creates an API key for `participant`; returns (id, the key to hand
	/// over once).
	pub async fn add_key(
		store: &Store,
		participant: &str,
		label: &str,
		valid_days: Option<u64>,
	) -> Result<(String, zeroize::Zeroizing<String>), Error> {
		let participant = scf_indexer::queries::account(participant).map_err(|_| {
			Error::BadParams(format!("`{participant}` is not an account (SS58 or 0x + 64 hex)"))
		})?;
		let (id, key, digest) = secrets::new_api_key()?;
		let now = store::now_ms();
		let row = KeyRow {
			id: id.clone(),
			digest,
			participant,
			label: label.into(),
			created_ms: now,
			expires_ms: valid_days.map(|d| now + (d as i64) * 86_400_000),
			revoked_ms: None,
		};
		store.add_key(&row).await?;
		Ok((id, key))
	}

	/// Seals `secret` (see [`secrets::SigningKey::parse`]) under the master
	/// key and stores it for the account it signs for; returns that account.
	pub async fn add_custody(store: &Store, master: &[u8], secret: &str) -> Result<String, Error> {
		let master = secrets::MasterKey::new(master)?;
		let (account, sealed) = master.seal(secret)?;
		let participant = format!("0x{}", hex::encode(AsRef::<[u8]>::as_ref(&account)));
		store.put_custody(&participant, &sealed).await?;
		Ok(participant)
	}
}
