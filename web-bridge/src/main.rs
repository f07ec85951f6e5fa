//! `scf-bridge`: the ERP bridge. See the crate's README.

use clap::{Parser, Subcommand};
use scf_bridge::{admin, store::Store, Error, Options};
use std::{net::SocketAddr, path::PathBuf};

/// The ERP's JSON-RPC bridge to the SCF chain.
#[derive(Parser, Debug)]
#[command(version)]
struct Cli {
	/// The bridge's own database: a file path (SQLite) or a `postgres://` URL.
	#[arg(long, global = true, default_value = "scf-bridge.sqlite")]
	database: String,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
	/// Serve the API.
	Serve {
		/// The node's WebSocket RPC.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		node: String,
		/// The indexer's database (opened read-only).
		#[arg(long)]
		indexer_database: String,
		/// Where the API listens (HTTP and WebSocket).
		#[arg(long, default_value = "127.0.0.1:9960")]
		listen: SocketAddr,
		/// A file holding the custody master secret (else the environment
		/// variable SCF_BRIDGE_MASTER_KEY).
		#[arg(long)]
		master_key_file: Option<PathBuf>,
		/// Requests a second per API key.
		#[arg(long, default_value_t = 50)]
		rate: u32,
		/// Burst of requests per API key.
		#[arg(long, default_value_t = 200)]
		burst: u32,
		/// Largest request body, in bytes.
		#[arg(long, default_value_t = 1 << 20)]
		max_request_bytes: u32,
		/// Most connections at once.
		#[arg(long, default_value_t = 256)]
		max_connections: u32,
		/// Serve TLS 1.3 with this certificate chain (PEM); needs --tls-key.
		#[arg(long, requires = "tls_key")]
		tls_cert: Option<PathBuf>,
		/// The certificate's private key (PEM).
		#[arg(long, requires = "tls_cert")]
		tls_key: Option<PathBuf>,
		/// Serve the supplier wallet's files from this folder under /wallet/.
		#[arg(long)]
		wallet_dir: Option<PathBuf>,
		/// The origin browsers use to reach the bridge (e.g.
		/// https://bridge.bank-a.example): login challenges name it and
		/// wallet requests must come from it. Default: http(s):// + --listen.
		#[arg(long)]
		public_origin: Option<String>,
		/// Most transactions of one account the bridge keeps in the pool
		/// ahead of its nonce; more wait in the bridge's queue. Default and
		/// ceiling: the runtime's nonce window (256).
		#[arg(long)]
		max_in_flight: Option<u64>,
	},
	/// API keys of ERP clients.
	Key {
		#[command(subcommand)]
		command: KeyCommand,
	},
	/// Custodial signing keys.
	Custody {
		#[command(subcommand)]
		command: CustodyCommand,
	},
}

#[derive(Subcommand, Debug)]
enum KeyCommand {
	/// Create a key for a participant; prints it once.
	Add {
		/// The participant it acts and reads as (SS58 or 0x + hex).
		#[arg(long)]
		participant: String,
		/// What it is for (shown by `list`).
		#[arg(long, default_value = "")]
		label: String,
		/// Days until it expires (default: never).
		#[arg(long)]
		valid_days: Option<u64>,
	},
	/// Revoke a key by its id: refused from the next request on.
	Revoke { id: String },
	/// List the keys (never their secrets).
	List,
}

#[derive(Subcommand, Debug)]
enum CustodyCommand {
	/// Seal a participant's signing key into the database. The key is read
	/// from a file (never from the command line): `sm2:HEX`, an SM2 PKCS#8
	/// PEM, or `sr25519:URI`.
	Add {
		#[arg(long)]
		key_file: PathBuf,
		/// The master secret's file (else SCF_BRIDGE_MASTER_KEY).
		#[arg(long)]
		master_key_file: Option<PathBuf>,
	},
	/// The participants whose keys the bridge holds.
	List,
}

fn master_key(file: Option<&PathBuf>) -> Result<Option<Vec<u8>>, Error> {
	match file {
		Some(path) => std::fs::read(path)
			.map(Some)
			.map_err(|e| Error::Internal(format!("cannot read {}: {e}", path.display()))),
		None => Ok(std::env::var("SCF_BRIDGE_MASTER_KEY").ok().map(String::into_bytes)),
	}
}

async fn main_result(cli: Cli) -> Result<(), Error> {
	match cli.command {
		Command::Serve {
			node,
			indexer_database,
			listen,
			master_key_file,
			rate,
			burst,
			max_request_bytes,
			max_connections,
			tls_cert,
			tls_key,
			wallet_dir,
			public_origin,
			max_in_flight,
		} => {
			let options = Options {
				node,
				database: cli.database,
				indexer_database,
				listen,
				master_key: master_key(master_key_file.as_ref())?,
				rate,
				burst,
				max_request_bytes,
				max_connections,
				tls: tls_cert.zip(tls_key),
				wallet_dir,
				public_origin,
				max_in_flight,
			};
			scf_bridge::run(options).await
		},
		Command::Key { command } => {
			let store = Store::open(&cli.database).await?;
			match command {
				KeyCommand::Add { participant, label, valid_days } => {
					let (id, key) =
						admin::add_key(&store, &participant, &label, valid_days).await?;
					eprintln!("created API key {id} for {participant}; it is shown only now:");
					println!("{}", key.as_str());
				},
				KeyCommand::Revoke { id } => {
					if !store.revoke_key(&id).await? {
						return Err(Error::NotFound(format!("API key {id}")));
					}
					eprintln!("revoked API key {id}");
				},
				KeyCommand::List => {
					for k in store.keys().await? {
						let state = match (k.revoked_ms, k.expires_ms) {
							(Some(_), _) => "revoked".to_string(),
							(None, Some(at)) if at <= scf_bridge::store::now_ms() => {
								"expired".into()
							},
							(None, Some(at)) => format!("expires at {at} ms"),
							(None, None) => "active".into(),
						};
						println!("{}\t{}\t{}\t{}", k.id, k.participant, state, k.label);
					}
				},
			}
			Ok(())
		},
		Command::Custody { command } => {
			let store = Store::open(&cli.database).await?;
			match command {
				CustodyCommand::Add { key_file, master_key_file } => {
					let master = master_key(master_key_file.as_ref())?.ok_or_else(|| {
						Error::Internal(
							"no master key: give --master-key-file or set SCF_BRIDGE_MASTER_KEY"
								.into(),
						)
					})?;
					let secret =
						zeroize::Zeroizing::new(std::fs::read_to_string(&key_file).map_err(
							|e| Error::Internal(format!("cannot read {}: {e}", key_file.display())),
						)?);
					let participant = admin::add_custody(&store, &master, &secret).await?;
					eprintln!("sealed the signing key of {participant}");
					println!("{participant}");
				},
				CustodyCommand::List => {
					for p in store.custodied().await? {
						println!("{p}");
					}
				},
			}
			Ok(())
		},
	}
}

#[tokio::main]
async fn main() {
	if let Err(e) = main_result(Cli::parse()).await {
		eprintln!("scf-bridge: {e}");
		std::process::exit(1);
	}
}
