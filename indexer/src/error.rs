//! What can go wrong, each with a message an operator can act on.

use std::fmt;

#[derive(Debug)]
pub enum Error {
	/// The node does not answer at the URL (or stopped answering).
	NodeUnreachable { url: String, reason: String },
	/// The node answered, but not with what the indexer needs at a block.
	Chain { block: u64, reason: String },
	/// The node prunes state: old blocks cannot be read.
	StatePruned { block: u64, reason: String },
	/// The database cannot be opened or written.
	Database(String),
	/// Another process holds the database.
	DatabaseLocked(String),
	/// The PostgreSQL database named in the URL does not exist.
	NoDatabase { url: String },
	/// The database was made by a newer indexer.
	SchemaTooNew { found: i64, supported: i64 },
	/// The database holds another chain.
	OtherChain { indexed: String, node: String },
	/// Stored data that cannot be what this indexer wrote.
	Corrupt(String),
	/// A query's argument is not valid (for example a malformed account).
	BadRequest(String),
	/// The indexer has not indexed a recent block (health check).
	Stale { age_ms: u64 },
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Error::NodeUnreachable { url, reason } => write!(
				f,
				"cannot reach the node at {url}: {reason}. Is it running, and is this its \
				 WebSocket RPC address (--rpc-port)?"
			),
			Error::Chain { block, reason } => write!(f, "block #{block}: {reason}"),
			Error::StatePruned { block, reason } => write!(
				f,
				"the node has no state for block #{block} ({reason}). The indexer needs a node \
				 that keeps old state: start it with `--state-pruning archive-canonical` on a \
				 fresh database"
			),
			Error::Database(e) => write!(f, "database: {e}"),
			Error::DatabaseLocked(e) => write!(
				f,
				"the database is locked by another process ({e}): is another indexer running on it?"
			),
			Error::NoDatabase { url } => write!(
				f,
				"the database {url} does not exist: create it (`createdb`), or start the \
				 indexer once with --create-database"
			),
			Error::SchemaTooNew { found, supported } => write!(
				f,
				"the database's schema is version {found}, newer than this indexer's {supported}: \
				 run a newer scf-indexer, or re-index into a new database"
			),
			Error::OtherChain { indexed, node } => write!(
				f,
				"the database indexes the chain with genesis {indexed}, the node runs {node}: use \
				 another database or --from-scratch"
			),
			Error::Corrupt(e) => write!(f, "unexpected data: {e}"),
			Error::BadRequest(e) => write!(f, "{e}"),
			Error::Stale { age_ms } => write!(
				f,
				"stale: the last indexed block is {} s old (is the node finalizing, and the \
				 indexer running?)",
				age_ms / 1000
			),
		}
	}
}

impl std::error::Error for Error {}

impl From<sqlx::Error> for Error {
	fn from(e: sqlx::Error) -> Self {
		let text = e.to_string();
		if text.contains("database is locked") || text.contains("database is busy") {
			Error::DatabaseLocked(text)
		} else {
			Error::Database(text)
		}
	}
}
