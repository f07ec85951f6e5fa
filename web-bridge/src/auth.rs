//! Authentication and scope: every request carries an API key (HTTP header
//! `X-Api-Key: scf_…`, or `Authorization: Bearer scf_…`; for WebSocket, on
//! the upgrade request). An HTTP middleware copies the header into the
//! request's extensions; each method then checks it against the database,
//! so a revoked key stops at once. A key acts and reads only as its
//! participant; the regulator's key reads everything.

use crate::{secrets, store::Store, Error};
use jsonrpsee::server::HttpRequest;
use std::{
	collections::HashMap,
	sync::Mutex,
	time::{Duration, Instant},
};

/// The credential the request came with (set by [`credential_layer`]).
#[derive(Clone, Debug)]
pub struct Credential(pub String);

/// Copies the API key header of an HTTP request (or WebSocket upgrade)
/// into its extensions, where the methods find it.
pub fn copy_credential<B>(mut request: HttpRequest<B>) -> HttpRequest<B> {
	let headers = request.headers();
	let key =
		headers.get("x-api-key").and_then(|v| v.to_str().ok()).map(str::to_owned).or_else(|| {
			headers
				.get("authorization")
				.and_then(|v| v.to_str().ok())
				.and_then(|v| v.strip_prefix("Bearer "))
				.map(str::to_owned)
		});
	if let Some(key) = key {
		request.extensions_mut().insert(Credential(key.trim().to_string()));
	}
	request
}

/// Who is asking.
#[derive(Clone, Debug)]
pub struct Principal {
	/// The API key's id.
	pub key_id: String,
	/// The participant it acts and reads as (`0x` + 64 hex digits).
	pub participant: String,
	/// Whether that participant is a regulator: it reads everything.
	pub regulator: bool,
	/// Whether it came by a wallet session (it signs its own transactions)
	/// rather than an API key.
	pub wallet: bool,
}

impl Principal {
	pub fn account(&self) -> Result<[u8; 32], Error> {
		let bytes = hex::decode(self.participant.trim_start_matches("0x"))
			.map_err(|_| Error::Internal("a stored participant is not hex".into()))?;
		bytes.try_into().map_err(|_| Error::Internal("a stored participant is not 32 bytes".into()))
	}

	/// Whether it may read what concerns `accounts` (any of them).
	pub fn may_read(&self, accounts: &[&str]) -> bool {
		self.regulator || accounts.iter().any(|a| a.eq_ignore_ascii_case(&self.participant))
	}
}

/// Checks `credential` against the database.
pub async fn authenticate(
	store: &Store,
	credential: Option<&Credential>,
) -> Result<(String, String), Error> {
	let Some(Credential(key)) = credential else {
		return Err(Error::Unauthenticated(
			"send your API key in the X-Api-Key header (or Authorization: Bearer)".into(),
		));
	};
	let unknown = || Error::Unauthenticated("unknown API key".into());
	let (id, secret) = secrets::parse_api_key(key).ok_or_else(unknown)?;
	let row = store.key(id).await?.ok_or_else(unknown)?;
	if !secrets::secret_matches(secret, &row.digest) {
		return Err(unknown());
	}
	if row.revoked_ms.is_some() {
		return Err(Error::Unauthenticated(format!("API key {id} was revoked")));
	}
	if row.expires_ms.is_some_and(|at| at <= crate::store::now_ms()) {
		return Err(Error::Unauthenticated(format!("API key {id} has expired")));
	}
	Ok((row.id, row.participant))
}

/// A token bucket per API key: `rate` requests a second, bursts of `burst`.
pub struct RateLimit {
	rate: f64,
	burst: f64,
	buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimit {
	pub fn new(rate: u32, burst: u32) -> RateLimit {
		RateLimit {
			rate: rate.max(1) as f64,
			burst: burst.max(1) as f64,
			buckets: Default::default(),
		}
	}

	/// Takes one request from `key`'s bucket, or says when to come back.
	pub fn take(&self, key: &str) -> Result<(), Error> {
		let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
		let now = Instant::now();
		let (tokens, at) = buckets.entry(key.to_string()).or_insert((self.burst, now));
		*tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.rate).min(self.burst);
		*at = now;
		if *tokens >= 1.0 {
			*tokens -= 1.0;
			Ok(())
		} else {
			let wait = Duration::from_secs_f64((1.0 - *tokens) / self.rate);
			Err(Error::RateLimited { retry_after_ms: wait.as_millis() as u64 + 1 })
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_bucket_refuses_past_its_burst_and_refills() {
		let limit = RateLimit::new(1_000, 3);
		for _ in 0..3 {
			limit.take("k").unwrap();
		}
		assert!(matches!(limit.take("k"), Err(Error::RateLimited { .. })));
		limit.take("other").expect("buckets are per key");
		std::thread::sleep(Duration::from_millis(5));
		limit.take("k").expect("refilled");
	}
}
