//! The indexer's own read API: JSON-RPC 2.0 over HTTP and WebSocket on one
//! port (loopback by default). Each method takes named parameters (an
//! object) or the same in order (an array); lists take `offset` and `limit`
//! (default 0 and 100, at most 500).
//!
//! | method | params | answer |
//! |---|---|---|
//! | `indexer_status` | | the cursor: `indexed`, `hash`, `specVersion`, `timestamp` |
//! | `indexer_health` | | `"ok"`, or an error when the last indexed block is over 60 s old |
//! | `indexer_certificate` | `id` | a certificate with its `history`, or `null` |
//! | `indexer_lineage` | `root` | the certificates under a root |
//! | `indexer_holdings` | `account`, `filter?` (`live`, `pending`, `financed`, `settled`) | an account's certificates by due date |
//! | `indexer_financing` | `certificate?` or `account?` | financing requests with their events |
//! | `indexer_coreExposure` | `core` | outstanding, financed, overdue, by tier and status; credit lines |
//! | `indexer_financierExposure` | `financier` | what is factored or pledged to it, by status and core |
//! | `indexer_overdue` | | overdue certificates |
//! | `indexer_participants` | | the participant directory |
//! | `indexer_activity` | `account` | the events naming an account, newest first |
//! | `indexer_block` | `number` | an indexed block: `hash`, `specVersion`, `timestamp`, `events` (count) |
//! | `indexer_events` | `number` | an indexed block's events: `event` (`Pallet.Name`), `fields` |
//! | `indexer_counts` | | the number of rows of each table |
//!
//! Accounts are SS58 addresses or `0x` + 64 hex digits; amounts are decimal
//! strings.

use crate::{
	queries::{FinancingOf, Holding, Page},
	store::Store,
	Error,
};
use jsonrpsee::{
	server::{Server, ServerHandle},
	types::{ErrorObjectOwned, Params},
	RpcModule,
};
use serde::Deserialize;
use serde_json::Value as Json;
use std::net::SocketAddr;

/// JSON-RPC error codes of this API.
pub mod codes {
	/// Bad parameters (an unknown filter, a malformed account, a page too large).
	pub const BAD_REQUEST: i32 = -32602;
	/// The store failed.
	pub const STORE: i32 = -32001;
	/// The indexer is not keeping up (health).
	pub const STALE: i32 = -32002;
}

fn to_rpc(e: Error) -> ErrorObjectOwned {
	let code = match e {
		Error::BadRequest(_) => codes::BAD_REQUEST,
		Error::Stale { .. } => codes::STALE,
		_ => codes::STORE,
	};
	ErrorObjectOwned::owned(code, e.to_string(), None::<()>)
}

fn parse<T: for<'de> Deserialize<'de>>(params: Params<'_>) -> Result<T, ErrorObjectOwned> {
	let params = if params.as_str().is_none() { Params::new(Some("{}")) } else { params };
	params.parse::<T>().map_err(|e| {
		ErrorObjectOwned::owned(codes::BAD_REQUEST, format!("bad parameters: {e}"), None::<()>)
	})
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Paged {
	#[serde(default)]
	offset: u64,
	#[serde(default = "default_limit")]
	limit: u64,
}

fn default_limit() -> u64 {
	Page::default().limit
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Number {
	number: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Id {
	id: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Root {
	root: u64,
	#[serde(default)]
	offset: u64,
	#[serde(default = "default_limit")]
	limit: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Holdings {
	account: String,
	filter: Option<String>,
	#[serde(default)]
	offset: u64,
	#[serde(default = "default_limit")]
	limit: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Financing {
	certificate: Option<u64>,
	account: Option<String>,
	#[serde(default)]
	offset: u64,
	#[serde(default = "default_limit")]
	limit: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Core {
	core: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Financier {
	financier: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Account {
	account: String,
	#[serde(default)]
	offset: u64,
	#[serde(default = "default_limit")]
	limit: u64,
}

/// The API's methods over `store`.
pub fn module(store: Store) -> RpcModule<Store> {
	let mut m = RpcModule::new(store);
	macro_rules! method {
		($name:literal, $args:ty, |$a:ident, $s:ident| $body:expr) => {
			m.register_async_method($name, |params, store, _| async move {
				let $a: $args = parse(params)?;
				let $s = &*store;
				let answer: Result<Json, Error> = async { $body }.await;
				answer.map_err(to_rpc)
			})
			.expect("method names are unique");
		};
	}
	method!("indexer_status", Paged, |_a, s| s.status().await);
	method!("indexer_health", Paged, |_a, s| {
		let status = s.status().await?;
		let ts = status["timestamp"].as_i64().unwrap_or(0) as u64;
		let age = crate::now_ms().saturating_sub(ts);
		if age > 60_000 {
			return Err(Error::Stale { age_ms: age });
		}
		Ok(Json::String("ok".into()))
	});
	method!("indexer_certificate", Id, |a, s| Ok(s.certificate(a.id).await?.unwrap_or(Json::Null)));
	method!("indexer_lineage", Root, |a, s| {
		Ok(s.lineage(a.root, Page::new(a.offset, a.limit)?).await?.into())
	});
	method!("indexer_holdings", Holdings, |a, s| {
		let filter = a.filter.as_deref().map(Holding::parse).transpose()?;
		Ok(s.holdings(&a.account, filter, Page::new(a.offset, a.limit)?).await?.into())
	});
	method!("indexer_financing", Financing, |a, s| {
		let of = match (a.certificate, a.account.as_deref()) {
			(Some(id), None) => FinancingOf::Certificate(id),
			(None, Some(who)) => FinancingOf::Account(who),
			_ => return Err(Error::BadRequest("give one of `certificate` or `account`".into())),
		};
		Ok(s.financing(of, Page::new(a.offset, a.limit)?).await?.into())
	});
	method!("indexer_coreExposure", Core, |a, s| s.core_exposure(&a.core).await);
	method!("indexer_financierExposure", Financier, |a, s| {
		s.financier_exposure(&a.financier).await
	});
	method!("indexer_overdue", Paged, |a, s| {
		Ok(s.overdue(Page::new(a.offset, a.limit)?).await?.into())
	});
	method!("indexer_participants", Paged, |a, s| {
		Ok(s.participants(Page::new(a.offset, a.limit)?).await?.into())
	});
	method!("indexer_activity", Account, |a, s| {
		Ok(s.activity(&a.account, Page::new(a.offset, a.limit)?).await?.into())
	});
	method!("indexer_block", Number, |a, s| Ok(s.block(a.number).await?.unwrap_or(Json::Null)));
	method!("indexer_events", Number, |a, s| Ok(s.events_of(a.number).await?.into()));
	method!("indexer_counts", Paged, |_a, s| s.counts().await);
	m
}

/// Serves the API on `addr` until the handle is stopped; returns the
/// address it listens on (useful with port 0).
pub async fn serve(store: Store, addr: SocketAddr) -> Result<(SocketAddr, ServerHandle), Error> {
	let server = Server::builder()
		.build(addr)
		.await
		.map_err(|e| Error::BadRequest(format!("cannot listen on {addr}: {e}")))?;
	let local = server.local_addr().map_err(|e| Error::BadRequest(e.to_string()))?;
	Ok((local, server.start(module(store))))
}
