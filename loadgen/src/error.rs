//! What can stop a run, with what to do about it.

use std::fmt;

#[derive(Debug)]
pub enum Error {
	/// No WebSocket connection to a node's RPC.
	Connect { url: String, reason: String },
	/// A node refused or failed an RPC call.
	Rpc { method: String, reason: String },
	/// A node's answer was not what the runtime should give.
	Decode(String),
	/// The cast could not be set up in time.
	Setup(String),
	/// Options that cannot work together.
	Options(String),
	/// Writing the results.
	Io(std::io::Error),
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Error::Connect { url, reason } => write!(
				f,
				"cannot reach the node at {url}: {reason} (is the consortium running? scripts/start.sh)"
			),
			Error::Rpc { method, reason } => write!(f, "{method} failed: {reason}"),
			Error::Decode(what) => write!(f, "unexpected answer from the node: {what}"),
			Error::Setup(what) => write!(f, "setting up the cast failed: {what}"),
			Error::Options(what) => write!(f, "bad options: {what}"),
			Error::Io(e) => write!(f, "cannot write the results: {e}"),
		}
	}
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
	fn from(e: std::io::Error) -> Self {
		Error::Io(e)
	}
}

pub type Result<T> = std::result::Result<T, Error>;
