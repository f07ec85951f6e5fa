//! What can go wrong, each with the JSON-RPC code an ERP integrator can
//! branch on (see the README's error table) and a message a person can act
//! on.

use jsonrpsee::types::ErrorObjectOwned;
use serde_json::{json, Value as Json};
use std::fmt;

/// The documented JSON-RPC error codes.
pub mod codes {
	/// The parameters are not what the method takes (JSON-RPC's own code).
	pub const BAD_PARAMS: i32 = -32602;
	/// No API key or session, or one the bridge does not know, revoked or
	/// expired.
	pub const UNAUTHENTICATED: i32 = -32001;
	/// Authenticated, but the participant may not read or act on this.
	pub const FORBIDDEN: i32 = -32002;
	/// No such certificate, request, participant or write.
	pub const NOT_FOUND: i32 = -32003;
	/// The chain refused the call: `data` names the pallet error and its doc.
	pub const RULE_VIOLATION: i32 = -32010;
	/// This idempotency key was used with other parameters.
	pub const IDEMPOTENCY_CONFLICT: i32 = -32011;
	/// Too many requests for this key: retry after `data.retryAfterMs`.
	pub const RATE_LIMITED: i32 = -32012;
	/// The node did not accept the transaction (pool refusal, expired era).
	pub const NOT_SUBMITTED: i32 = -32013;
	/// The node cannot be reached; nothing was submitted, or the write's
	/// outcome is not known yet (retry with the same key).
	pub const CHAIN_UNAVAILABLE: i32 = -32020;
	/// The bridge's own database or configuration failed.
	pub const INTERNAL: i32 = -32000;
}

#[derive(Debug, Clone)]
pub enum Error {
	/// Malformed or missing parameters.
	BadParams(String),
	Unauthenticated(String),
	Forbidden(String),
	NotFound(String),
	/// The runtime refused the call: `pallet::error` with its doc text.
	Rule {
		pallet: String,
		error: String,
		docs: String,
	},
	/// The same idempotency key with other parameters.
	IdempotencyConflict {
		key: String,
	},
	RateLimited {
		retry_after_ms: u64,
	},
	/// The pool refused the transaction, or its era ended before inclusion.
	NotSubmitted(String),
	ChainUnavailable(String),
	/// The bridge's database.
	Database(String),
	/// Keys, configuration, anything else of the bridge's own.
	Internal(String),
}

impl Error {
	pub fn code(&self) -> i32 {
		match self {
			Error::BadParams(_) => codes::BAD_PARAMS,
			Error::Unauthenticated(_) => codes::UNAUTHENTICATED,
			Error::Forbidden(_) => codes::FORBIDDEN,
			Error::NotFound(_) => codes::NOT_FOUND,
			Error::Rule { .. } => codes::RULE_VIOLATION,
			Error::IdempotencyConflict { .. } => codes::IDEMPOTENCY_CONFLICT,
			Error::RateLimited { .. } => codes::RATE_LIMITED,
			Error::NotSubmitted(_) => codes::NOT_SUBMITTED,
			Error::ChainUnavailable(_) => codes::CHAIN_UNAVAILABLE,
			Error::Database(_) | Error::Internal(_) => codes::INTERNAL,
		}
	}

	/// The machine-readable part of the error, if any.
	pub fn data(&self) -> Option<Json> {
		match self {
			Error::Rule { pallet, error, docs } => {
				Some(json!({ "pallet": pallet, "error": error, "docs": docs }))
			},
			Error::IdempotencyConflict { key } => Some(json!({ "idempotencyKey": key })),
			Error::RateLimited { retry_after_ms } => {
				Some(json!({ "retryAfterMs": retry_after_ms }))
			},
			_ => None,
		}
	}

	/// The error as it is stored with a failed write and returned again on
	/// every retry of its key.
	pub fn to_json(&self) -> Json {
		json!({ "code": self.code(), "message": self.to_string(), "data": self.data() })
	}

	/// The stored form back (see [`Error::to_json`]).
	pub fn from_json(v: &Json) -> Error {
		let message = v["message"].as_str().unwrap_or("failed").to_string();
		match v["code"].as_i64().map(|c| c as i32) {
			Some(codes::RULE_VIOLATION) => Error::Rule {
				pallet: v["data"]["pallet"].as_str().unwrap_or_default().into(),
				error: v["data"]["error"].as_str().unwrap_or_default().into(),
				docs: v["data"]["docs"].as_str().unwrap_or_default().into(),
			},
			Some(codes::NOT_SUBMITTED) => Error::NotSubmitted(message),
			Some(codes::BAD_PARAMS) => Error::BadParams(message),
			_ => Error::Internal(message),
		}
	}
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Error::BadParams(e) => write!(f, "bad parameters: {e}"),
			Error::Unauthenticated(e) => write!(f, "not authenticated: {e}"),
			Error::Forbidden(e) => write!(f, "forbidden: {e}"),
			Error::NotFound(e) => write!(f, "not found: {e}"),
			Error::Rule { pallet, error, docs } => {
				write!(f, "the ledger refused it: {pallet}::{error}")?;
				if !docs.is_empty() {
					write!(f, " ({docs})")?;
				}
				Ok(())
			},
			Error::IdempotencyConflict { key } => write!(
				f,
				"idempotency key {key:?} was already used with other parameters: use a new key \
				 for a new request"
			),
			Error::RateLimited { retry_after_ms } => {
				write!(f, "rate limited: retry in {retry_after_ms} ms")
			},
			Error::NotSubmitted(e) => write!(f, "the node did not take the transaction: {e}"),
			Error::ChainUnavailable(e) => write!(
				f,
				"the chain is unavailable ({e}); retry with the same idempotency key: it is never \
				 submitted twice"
			),
			Error::Database(e) => write!(f, "the bridge's database: {e}"),
			Error::Internal(e) => write!(f, "{e}"),
		}
	}
}

impl std::error::Error for Error {}

impl From<sqlx::Error> for Error {
	fn from(e: sqlx::Error) -> Self {
		Error::Database(e.to_string())
	}
}

impl From<scf_indexer::Error> for Error {
	fn from(e: scf_indexer::Error) -> Self {
		match e {
			scf_indexer::Error::BadRequest(m) => Error::BadParams(m),
			other => Error::Internal(format!("the indexer's database: {other}")),
		}
	}
}

impl From<Error> for ErrorObjectOwned {
	fn from(e: Error) -> Self {
		ErrorObjectOwned::owned(e.code(), e.to_string(), e.data())
	}
}
