//! One node's JSON-RPC over WebSocket: submitting, reading blocks and
//! state, and runtime API calls decoded with the runtime's own types.

use crate::error::{Error, Result};
use codec::{Decode, Encode};
use jsonrpsee::{
	core::{
		client::{ClientT, Subscription, SubscriptionClientT},
		params::ArrayParams,
	},
	ws_client::{WsClient, WsClientBuilder},
};
use serde_json::Value as Json;
use std::time::Duration;

/// A node's RPC endpoint.
pub struct Endpoint {
	pub url: String,
	client: WsClient,
}

fn hex_of(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// The bytes of a `0x…` hex string.
pub fn bytes_of(v: &Json) -> Result<Vec<u8>> {
	v.as_str()
		.and_then(|s| hex::decode(s.trim_start_matches("0x")).ok())
		.ok_or_else(|| Error::Decode(format!("hex bytes expected, got {v}")))
}

impl Endpoint {
	pub async fn connect(url: &str) -> Result<Endpoint> {
		let client = WsClientBuilder::default()
			.max_concurrent_requests(65_536)
			.max_request_size(16 * 1024 * 1024)
			.max_response_size(256 * 1024 * 1024)
			.request_timeout(Duration::from_secs(60))
			.build(url)
			.await
			.map_err(|e| Error::Connect { url: url.into(), reason: e.to_string() })?;
		Ok(Endpoint { url: url.into(), client })
	}

	/// `method(params…)`, its JSON result.
	pub async fn call(&self, method: &str, params: Vec<Json>) -> Result<Json> {
		let mut p = ArrayParams::new();
		for v in params {
			p.insert(v).map_err(|e| Error::Rpc { method: method.into(), reason: e.to_string() })?;
		}
		self.client.request(method, p).await.map_err(|e| Error::Rpc {
			method: format!("{method} on {}", self.url),
			reason: e.to_string(),
		})
	}

	/// Hands an encoded extrinsic to the node's pool: its hash, or the
	/// pool's refusal as text.
	pub async fn submit(&self, xt: &[u8]) -> std::result::Result<(), String> {
		let mut p = ArrayParams::new();
		p.insert(hex_of(xt)).map_err(|e| e.to_string())?;
		self.client
			.request::<Json, _>("author_submitExtrinsic", p)
			.await
			.map(|_| ())
			.map_err(|e| e.to_string())
	}

	/// A runtime API function at the best block (or `at`), decoded.
	pub async fn runtime_call<R: Decode>(
		&self,
		function: &str,
		args: impl Encode,
		at: Option<&str>,
	) -> Result<R> {
		let mut params = vec![Json::from(function), Json::from(hex_of(&args.encode()))];
		if let Some(at) = at {
			params.push(at.into());
		}
		let raw = bytes_of(&self.call("state_call", params).await?)?;
		R::decode(&mut &raw[..]).map_err(|e| Error::Decode(format!("{function}: {e}")))
	}

	/// The raw value at a storage key in block `at`.
	pub async fn storage(&self, key: &[u8], at: &str) -> Result<Option<Vec<u8>>> {
		let v = self.call("state_getStorage", vec![hex_of(key).into(), at.into()]).await?;
		if v.is_null() {
			return Ok(None);
		}
		bytes_of(&v).map(Some)
	}

	pub async fn block_hash(&self, number: u64) -> Result<Option<String>> {
		let v = self.call("chain_getBlockHash", vec![number.into()]).await?;
		Ok(v.as_str().map(str::to_owned))
	}

	pub async fn header_number(&self, hash: &str) -> Result<u64> {
		let h = self.call("chain_getHeader", vec![hash.into()]).await?;
		h["number"]
			.as_str()
			.and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
			.ok_or_else(|| Error::Decode(format!("a header without a number: {h}")))
	}

	/// The best block's number.
	pub async fn best_number(&self) -> Result<u64> {
		let best = self.call("chain_getBlockHash", vec![]).await?;
		let best = best.as_str().ok_or_else(|| Error::Decode(format!("best block {best}")))?;
		self.header_number(best).await
	}

	/// The encoded extrinsics of block `hash`.
	pub async fn extrinsics(&self, hash: &str) -> Result<Vec<Vec<u8>>> {
		let b = self.call("chain_getBlock", vec![hash.into()]).await?;
		b["block"]["extrinsics"]
			.as_array()
			.ok_or_else(|| Error::Decode(format!("block {hash} has no extrinsics list")))?
			.iter()
			.map(bytes_of)
			.collect()
	}

	pub async fn finalized_head(&self) -> Result<String> {
		let v = self.call("chain_getFinalizedHead", vec![]).await?;
		v.as_str().map(str::to_owned).ok_or_else(|| Error::Decode(format!("finalized head {v}")))
	}

	/// New finalized heads, as they come.
	pub async fn finalized_heads(&self) -> Result<Subscription<Json>> {
		self.client
			.subscribe(
				"chain_subscribeFinalizedHeads",
				ArrayParams::new(),
				"chain_unsubscribeFinalizedHeads",
			)
			.await
			.map_err(|e| Error::Rpc {
				method: "chain_subscribeFinalizedHeads".into(),
				reason: e.to_string(),
			})
	}
}
