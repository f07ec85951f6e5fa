//! The chain as the generator signs for it: its genesis and spec version,
//! the keys of the cast, and signed extrinsics built with the runtime's own
//! types (`scf_runtime::signing`), immortal, with nonces the generator
//! counts itself.

use crate::{
	error::{Error, Result},
	rpc::Endpoint,
};
use codec::Encode;
use scf_primitives::{sm2::Sm2Pair, Signature};
use scf_runtime::{AccountId, Hash, RuntimeCall};
use sp_core::{sr25519, Pair as _};
use std::time::Duration;

/// What every signature covers besides the call.
#[derive(Clone, Copy, Debug)]
pub struct Chain {
	pub genesis: Hash,
	pub spec_version: u32,
}

impl Chain {
	pub async fn of(node: &Endpoint) -> Result<Chain> {
		let genesis =
			crate::rpc::bytes_of(&node.call("chain_getBlockHash", vec![0.into()]).await?)?;
		let version = node.call("state_getRuntimeVersion", vec![]).await?;
		let spec_version = version["specVersion"]
			.as_u64()
			.ok_or_else(|| Error::Decode(format!("runtime version {version}")))?
			as u32;
		let genesis: [u8; 32] =
			genesis.try_into().map_err(|_| Error::Decode("a genesis hash of 32 bytes".into()))?;
		Ok(Chain { genesis: genesis.into(), spec_version })
	}
}

/// A signing key of the cast.
#[derive(Clone)]
pub enum Key {
	Sm2(Box<Sm2Pair>),
	/// Boxed like the SM2 pair: an sr25519 pair is 256 bytes.
	Sr25519(Box<sr25519::Pair>),
}

impl Key {
	pub fn account(&self) -> AccountId {
		match self {
			Key::Sm2(p) => p.account_id(),
			Key::Sr25519(p) => p.public().into(),
		}
	}

	fn sign(&self, msg: &[u8]) -> Signature {
		match self {
			Key::Sm2(p) => Signature::Sm2(p.sign(msg)),
			Key::Sr25519(p) => p.sign(msg).into(),
		}
	}
}

/// A signed transaction: its bytes, and its hash as blocks list it.
#[derive(Clone, Debug)]
pub struct Tx {
	pub bytes: Vec<u8>,
	pub hash: [u8; 32],
	/// Which endpoint it goes to (all of one sender's to the same node).
	pub lane: usize,
}

impl Chain {
	/// `call` signed by `key` with `nonce`.
	pub fn sign(&self, key: &Key, nonce: u32, call: RuntimeCall, lane: usize) -> Tx {
		let xt = scf_runtime::signing::signed_extrinsic_for(
			self.spec_version,
			call,
			key.account(),
			nonce,
			self.genesis,
			|payload| key.sign(payload),
		);
		let bytes = xt.encode();
		Tx { hash: sp_crypto_hashing::blake2_256(&bytes), bytes, lane }
	}
}

/// The nonce `who` has used in the best block's state.
pub async fn nonce(node: &Endpoint, who: &AccountId) -> Result<u32> {
	node.runtime_call("AccountNonceApi_account_nonce", who, None).await
}

/// Waits until each `(account, nonce)` has been used in the best block's
/// state, i.e. all the account's transactions below it are in blocks.
pub async fn wait_for_nonces(
	node: &Endpoint,
	wanted: &[(AccountId, u32)],
	limit: Duration,
	what: &str,
) -> Result<()> {
	let start = std::time::Instant::now();
	let mut left: Vec<&(AccountId, u32)> = wanted.iter().collect();
	while !left.is_empty() {
		let mut still = Vec::new();
		for w in left {
			if nonce(node, &w.0).await? < w.1 {
				still.push(w);
			}
		}
		left = still;
		if left.is_empty() {
			break;
		}
		if start.elapsed() > limit {
			return Err(Error::Setup(format!(
				"{what}: {} signers' transactions not in a block after {limit:?}",
				left.len()
			)));
		}
		tokio::time::sleep(Duration::from_millis(400)).await;
	}
	Ok(())
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
	std::time::SystemTime::now()
		.duration_since(std::time::UNIX_EPOCH)
		.map(|d| d.as_millis() as u64)
		.unwrap_or(0)
}
