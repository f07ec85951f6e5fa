#![doc = include_str!("../README.md")]

pub mod auth;
pub mod calls;
pub mod chain;
mod error;
pub mod openrpc;
pub mod rpc;
pub mod secrets;
pub mod store;
pub mod wallet;

pub use error::{codes, Error};

use jsonrpsee::server::{Server, ServerHandle};
use scf_primitives::AccountId;
use std::{net::SocketAddr, path::PathBuf, sync::Arc};

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
	/// Serve TLS 1.3 with this certificate chain and private key (PEM
	/// files); plain HTTP without (loopback only).
	pub tls: Option<(PathBuf, PathBuf)>,
	/// The supplier wallet's files, served under `/wallet/`.
	pub wallet_dir: Option<PathBuf>,
	/// The origin browsers reach the bridge at (`https://bridge.example:443`),
	/// which login challenges name and wallet requests must come from;
	/// default `http(s)://` + the address it listens on.
	pub public_origin: Option<String>,
	/// At most this many transactions of one account in the pool ahead of
	/// its nonce (`None`: the runtime's nonce window); see
	/// [`chain::Chain::allocate`].
	pub max_in_flight: Option<u64>,
}

/// Opens the databases and serves the API; returns the address it listens
/// on (useful with port 0) and the server's handle.
pub async fn serve(
	options: &Options,
) -> Result<(SocketAddr, ServerHandle, Arc<rpc::Bridge>), Error> {
	let store = store::Store::open(&options.database).await?;
	let index = scf_indexer::Store::open_read_only(&options.indexer_database).await?;
	let master = options.master_key.as_deref().map(secrets::MasterKey::new).transpose()?;
	let wallet = Arc::new(wallet::Wallet::new(
		store.clone(),
		index.clone(),
		options.wallet_dir.clone(),
		options.tls.is_some(),
	));
	let bridge = Arc::new(rpc::Bridge::new(
		store,
		index,
		chain::Chain::new(&options.node, options.max_in_flight),
		master,
		auth::RateLimit::new(options.rate, options.burst),
		wallet.clone(),
	));
	let scheme = if options.tls.is_some() { "https" } else { "http" };
	let origin = |local: SocketAddr| {
		options.public_origin.clone().unwrap_or_else(|| format!("{scheme}://{local}"))
	};
	// Serves `/wallet…`, and hands every other request on with its API key
	// or session cookie in the extensions.
	let middleware = || tower::ServiceBuilder::new().layer(wallet::WalletLayer(wallet.clone()));
	let builder = Server::builder()
		.max_request_body_size(options.max_request_bytes)
		.max_connections(options.max_connections);
	let listen_error =
		|e: std::io::Error| Error::Internal(format!("cannot listen on {}: {e}", options.listen));
	let Some((cert, key)) = &options.tls else {
		let server = builder
			.set_http_middleware(middleware())
			.build(options.listen)
			.await
			.map_err(listen_error)?;
		let local = server.local_addr().map_err(listen_error)?;
		wallet.set_origin(&origin(local));
		let handle = server.start(rpc::module(bridge.clone()));
		return Ok((local, handle, bridge));
	};
	// TLS: accept here, hand each TLS stream to jsonrpsee's service.
	let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls::server_config(cert, key)?));
	let listener = tokio::net::TcpListener::bind(options.listen).await.map_err(listen_error)?;
	let local = listener.local_addr().map_err(listen_error)?;
	wallet.set_origin(&origin(local));
	let methods: jsonrpsee::Methods = rpc::module(bridge.clone()).into();
	let (stop, handle) = jsonrpsee::server::stop_channel();
	// The same middleware, over hyper's own request body.
	let services = builder.to_service_builder().set_http_middleware(middleware());
	tokio::spawn(async move {
		loop {
			let accepted = tokio::select! {
				accepted = listener.accept() => accepted,
				_ = stop.clone().shutdown() => break,
			};
			let Ok((socket, _)) = accepted else { continue };
			let (acceptor, stop) = (acceptor.clone(), stop.clone());
			let service = services.clone().build(methods.clone(), stop.clone());
			tokio::spawn(async move {
				let handshake = acceptor.accept(socket);
				let Ok(Ok(stream)) =
					tokio::time::timeout(std::time::Duration::from_secs(10), handshake).await
				else {
					return; // not TLS, not 1.3, or too slow: dropped
				};
				let _ = jsonrpsee::server::serve_with_graceful_shutdown(
					stream,
					service,
					stop.shutdown(),
				)
				.await;
			});
		}
	});
	Ok((local, handle, bridge))
}

/// TLS 1.3 only, from PEM files.
pub mod tls {
	use crate::Error;
	use std::path::Path;
	use tokio_rustls::rustls;

	/// A server configuration: TLS 1.3 only, no client certificates, the
	/// chain in `cert` (PEM, leaf first) and the PKCS#8, SEC1 or PKCS#1 key
	/// in `key` (PEM).
	pub fn server_config(cert: &Path, key: &Path) -> Result<rustls::ServerConfig, Error> {
		let read = |path: &Path| {
			std::fs::read(path)
				.map_err(|e| Error::Internal(format!("cannot read {}: {e}", path.display())))
		};
		let certs = rustls_pemfile::certs(&mut read(cert)?.as_slice())
			.collect::<Result<Vec<_>, _>>()
			.map_err(|e| {
				Error::Internal(format!("{}: not a PEM certificate: {e}", cert.display()))
			})?;
		if certs.is_empty() {
			return Err(Error::Internal(format!("{}: no certificate in it", cert.display())));
		}
		let key_der = rustls_pemfile::private_key(&mut read(key)?.as_slice())
			.map_err(|e| Error::Internal(format!("{}: {e}", key.display())))?
			.ok_or_else(|| Error::Internal(format!("{}: no private key in it", key.display())))?;
		let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
		rustls::ServerConfig::builder_with_provider(provider)
			.with_protocol_versions(&[&rustls::version::TLS13])
			.map_err(|e| Error::Internal(format!("TLS: {e}")))?
			.with_no_client_auth()
			.with_single_cert(certs, key_der)
			.map_err(|e| Error::Internal(format!("TLS certificate and key: {e}")))
	}
}

/// Runs the server until Ctrl-C or SIGTERM.
pub async fn run(options: Options) -> Result<(), Error> {
	let (local, handle, bridge) = serve(&options).await?;
	let (http, ws) = if options.tls.is_some() { ("https", "wss") } else { ("http", "ws") };
	eprintln!(
		"scf-bridge: JSON-RPC on {http}://{local} and {ws}://{local} (node {})",
		options.node
	);
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
