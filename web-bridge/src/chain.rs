//! The chain: signing with the workspace's subxt configuration, nonces per
//! participant, submission, and what became of a transaction.
//!
//! The connection is made on first use and made again after it fails, so
//! the bridge keeps serving reads (from the indexer's database) while its
//! node is down, and answers writes with "chain unavailable" meanwhile.
//!
//! **Nonces** are allocated by the bridge, per signing account, under that
//! account's lock: the larger of the node's `system_accountNextIndex`
//! (which counts the pool) and the last one allocated + 1; a transaction
//! the pool refuses gives its nonce back. **Eras**: every transaction is
//! mortal, [`ERA_BLOCKS`] blocks from the finalized block it was signed
//! at; after that it can never be included, which is how a write whose
//! transaction vanished is known to have failed.

use crate::{secrets::SigningKey, store::WriteRow, Error};
use scf_client::{ScfConfig, Static};
use scf_primitives::Signature;
use serde_json::{json, Value as Json};
use sp_core::Pair as _;
use std::{collections::HashMap, sync::Arc, time::Duration};
use subxt::{
	config::{DefaultExtrinsicParamsBuilder, Hasher as _, RpcConfigFor},
	dynamic::Value,
	events::Phase,
	rpcs::{methods::LegacyRpcMethods, RpcClient},
	OnlineClient,
};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// How long a signed transaction stays valid: 64 blocks (about 2 minutes
/// at 2 s blocks), from the finalized block it names.
pub const ERA_BLOCKS: u64 = 64;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

type Api = OnlineClient<ScfConfig>;
type Rpc = LegacyRpcMethods<RpcConfigFor<ScfConfig>>;

#[derive(Clone)]
struct Conn {
	api: Api,
	rpc: Rpc,
}

/// The last nonce allocated for one account, if it is still good.
#[derive(Default, Debug)]
pub struct NonceState {
	last: Option<u64>,
}

impl NonceState {
	/// The transaction signed with `nonce` did not reach the pool: the next
	/// one asks the node again.
	pub fn give_back(&mut self, nonce: u64) {
		if self.last == Some(nonce) {
			self.last = None;
		}
	}
}

/// A signed transaction, ready to store and submit.
#[derive(Clone, Debug)]
pub struct Signed {
	pub bytes: Vec<u8>,
	pub hash: String,
	pub nonce: u64,
	pub signed_at: u64,
	pub valid_until: u64,
}

/// What became of a transaction.
#[derive(Clone, Debug)]
pub enum Outcome {
	/// In a finalized block, successful: the answer.
	Done(Json),
	/// Refused by the ledger, or never included.
	Failed(Error),
}

pub struct Chain {
	url: String,
	conn: Mutex<Option<Conn>>,
	nonces: std::sync::Mutex<HashMap<[u8; 32], Arc<Mutex<NonceState>>>>,
}

fn unavailable(e: impl std::fmt::Display) -> Error {
	Error::ChainUnavailable(e.to_string())
}

impl Chain {
	/// The chain at the node's WebSocket RPC `url`; nothing is connected yet.
	pub fn new(url: &str) -> Chain {
		Chain { url: url.into(), conn: Mutex::new(None), nonces: Default::default() }
	}

	async fn conn(&self) -> Result<Conn, Error> {
		let mut conn = self.conn.lock().await;
		if let Some(c) = conn.as_ref() {
			return Ok(c.clone());
		}
		let connect = async {
			let rpc = RpcClient::from_insecure_url(&self.url).await.map_err(unavailable)?;
			let api = Api::from_rpc_client(rpc.clone()).await.map_err(unavailable)?;
			Ok::<_, Error>(Conn { api, rpc: Rpc::new(rpc) })
		};
		let c = tokio::time::timeout(CONNECT_TIMEOUT, connect)
			.await
			.map_err(|_| unavailable(format!("no answer from {} within 5 s", self.url)))??;
		*conn = Some(c.clone());
		Ok(c)
	}

	/// Forgets the connection after a transport failure.
	async fn reset(&self) {
		*self.conn.lock().await = None;
	}

	/// `e` as an error, dropping the connection if it looks like one.
	async fn failed(&self, e: impl std::fmt::Display) -> Error {
		self.reset().await;
		unavailable(e)
	}

	/// The nonce lock of `account`: hold it from signing until the pool has
	/// the transaction.
	pub async fn nonce_lock(&self, account: &[u8; 32]) -> OwnedMutexGuard<NonceState> {
		let lock = {
			let mut map = self.nonces.lock().unwrap_or_else(|e| e.into_inner());
			map.entry(*account).or_default().clone()
		};
		lock.lock_owned().await
	}

	/// Signs `pallet::call(fields)` with `key`, with the next nonce of its
	/// account (recorded in `nonces`) and a mortal era.
	pub async fn sign(
		&self,
		pallet: &str,
		call: &str,
		fields: Value,
		key: &SigningKey,
		nonces: &mut NonceState,
	) -> Result<Signed, Error> {
		let c = self.conn().await?;
		let account = subxt::utils::AccountId32(*AsRef::<[u8; 32]>::as_ref(&key.account()));
		let next = match c.rpc.system_account_next_index(&account).await {
			Ok(n) => n,
			Err(e) => return Err(self.failed(e).await),
		};
		let nonce = nonces.last.map_or(next, |last| next.max(last + 1));
		let at = match c.api.at_current_block().await {
			Ok(at) => at,
			Err(e) => return Err(self.failed(e).await),
		};
		let tx = subxt::dynamic::tx(pallet, call, fields);
		let params = DefaultExtrinsicParamsBuilder::<ScfConfig>::new()
			.nonce(nonce)
			.mortal(ERA_BLOCKS)
			.build();
		let tx_client = at.tx();
		let mut signable = tx_client.create_signable(&tx, &account, params).await.map_err(|e| {
			Error::BadParams(format!("{pallet}::{call} does not take these values: {e}"))
		})?;
		let payload = signable
			.signer_payload()
			.map_err(|e| Error::Internal(format!("cannot build the payload: {e}")))?;
		let signature = match key {
			SigningKey::Sm2(pair) => Signature::Sm2(pair.sign(&payload)),
			SigningKey::Sr25519(pair) => Signature::Sr25519(pair.sign(&payload)),
		};
		let submittable = signable
			.sign_with_account_and_signature(&account, &Static(signature))
			.map_err(|e| Error::Internal(format!("cannot assemble the transaction: {e}")))?;
		nonces.last = Some(nonce);
		let signed_at = at.block_number();
		Ok(Signed {
			hash: format!("{:?}", submittable.hash()),
			bytes: submittable.into_encoded(),
			nonce,
			signed_at,
			valid_until: signed_at + ERA_BLOCKS,
		})
	}

	/// Hands `bytes` to the node's pool. A transaction the pool already has
	/// counts as handed over.
	pub async fn submit(&self, bytes: &[u8]) -> Result<(), Error> {
		let c = self.conn().await?;
		match c.rpc.author_submit_extrinsic(bytes).await {
			Ok(_) => Ok(()),
			Err(e) => {
				let text = e.to_string();
				if text.contains("already imported") || text.contains("Already Imported") {
					Ok(())
				} else if text.contains("Invalid Transaction")
					|| text.contains("1010")
					|| text.contains("1012")
					|| text.contains("1014")
				{
					Err(Error::NotSubmitted(text))
				} else {
					Err(self.failed(text).await)
				}
			},
		}
	}

	/// The finalized head's number.
	pub async fn finalized_number(&self) -> Result<u64, Error> {
		let c = self.conn().await?;
		match c.api.at_current_block().await {
			Ok(at) => Ok(at.block_number()),
			Err(e) => Err(self.failed(e).await),
		}
	}

	/// The nonce of `account` in the finalized state.
	pub async fn finalized_nonce(&self, account: &[u8; 32]) -> Result<u64, Error> {
		let c = self.conn().await?;
		let at = match c.api.at_current_block().await {
			Ok(at) => at,
			Err(e) => return Err(self.failed(e).await),
		};
		let nonce = at
			.tx()
			.account_nonce(&subxt::utils::AccountId32(*account))
			.await
			.map_err(|e| unavailable(format!("the account's nonce: {e}")))?;
		Ok(nonce)
	}

	/// Looks for the transaction `hash` in finalized blocks `from ..=
	/// finalized head`; returns its outcome, or the first block not looked
	/// at yet.
	pub async fn find(&self, hash: &str, from: u64) -> Result<Result<Outcome, u64>, Error> {
		let c = self.conn().await?;
		let head = self.finalized_number().await?;
		for n in from..=head {
			let at = match c.api.at_block(n).await {
				Ok(at) => at,
				Err(e) => return Err(self.failed(e).await),
			};
			let block_hash = at.block_hash();
			let block = match c.rpc.chain_get_block(Some(block_hash)).await {
				Ok(Some(b)) => b,
				Ok(None) => continue,
				Err(e) => return Err(self.failed(e).await),
			};
			let index = block
				.block
				.extrinsics
				.iter()
				.position(|xt| format!("{:?}", at.hasher().hash(&xt.0)) == hash);
			let Some(index) = index else { continue };
			let events = at.events().fetch().await.map_err(unavailable)?;
			let mine = events.iter().filter(|e| {
				e.as_ref().map_or(true, |e| e.phase() == Phase::ApplyExtrinsic(index as u32))
			});
			return Ok(Ok(outcome(mine, at.metadata(), hash, n, &format!("{block_hash:?}"))?));
		}
		Ok(Err(head + 1))
	}

	/// Waits until the write's transaction is in a finalized block (its
	/// outcome), or can no longer be: its era ended, or its nonce was used
	/// by another transaction. Submits it again when the node lost it.
	pub async fn resolve(&self, w: &WriteRow, signer: &[u8; 32]) -> Result<Outcome, Error> {
		let mut from = w.signed_at;
		let mut resubmitted = false;
		loop {
			match self.find(&w.hash, from).await? {
				Ok(outcome) => return Ok(outcome),
				Err(next) => from = next,
			}
			let finalized_nonce = self.finalized_nonce(signer).await?;
			if finalized_nonce > w.nonce {
				// Its nonce is used: by it (in a block finalized since the
				// search) or by another transaction.
				if let Ok(outcome) = self.find(&w.hash, from).await? {
					return Ok(outcome);
				}
				return Ok(Outcome::Failed(Error::NotSubmitted(format!(
					"nonce {} of the signer was used by another transaction",
					w.nonce
				))));
			}
			if from > w.valid_until {
				return Ok(Outcome::Failed(Error::NotSubmitted(
					"its era ended before it was included".into(),
				)));
			}
			if !resubmitted {
				// The node may have lost it (a restart, a full pool).
				match self.submit(&w.extrinsic).await {
					Ok(()) | Err(Error::NotSubmitted(_)) => resubmitted = true,
					Err(e) => return Err(e),
				}
			}
			tokio::time::sleep(Duration::from_millis(300)).await;
		}
	}

	/// The ledger's limits, from the runtime's metadata constants.
	pub async fn limits(&self) -> Result<Json, Error> {
		let c = self.conn().await?;
		let at = match c.api.at_current_block().await {
			Ok(at) => at,
			Err(e) => return Err(self.failed(e).await),
		};
		let constant = |pallet: &str, name: &str| -> Result<Json, Error> {
			let addr = subxt::dynamic::constant::<Value>(pallet, name);
			let v = at
				.constants()
				.entry(addr)
				.map_err(|e| Error::Internal(format!("constant {pallet}::{name}: {e}")))?;
			Ok(scf_indexer::decode::to_json(&v))
		};
		let text = |v: Json| match v {
			Json::Number(n) => Json::String(n.to_string()),
			other => other,
		};
		Ok(json!({
			"minimumAmount": text(constant("Receivables", "MinAmount")?),
			"maximumParts": constant("Receivables", "MaxChildren")?,
			"maximumTier": constant("Receivables", "MaxTier")?,
			"maximumTenorMs": constant("Receivables", "MaxTenor")?,
			"acceptanceTimeoutMs": constant("Receivables", "AcceptanceTimeout")?,
			"overdueGraceMs": constant("Receivables", "OverdueGrace")?,
			"maximumInvoices": constant("Receivables", "MaxInvoices")?,
			"maximumPaymentRefBytes": constant("Receivables", "MaxPaymentRefLen")?,
			"maximumDiscountBps": constant("Financing", "MaxDiscountBps")?,
			"specVersion": at.spec_version(),
		}))
	}
}

/// The outcome of a transaction from its events: the answer, or the
/// ledger's error decoded into the pallet error's name and doc.
fn outcome<'a, T>(
	events: impl Iterator<Item = Result<subxt::events::Event<'a, ScfConfig>, T>>,
	metadata: subxt::ArcMetadata,
	hash: &str,
	block: u64,
	block_hash: &str,
) -> Result<Outcome, Error>
where
	T: std::fmt::Display,
{
	let mut list = Vec::new();
	let mut certificates = Vec::new();
	let mut requests = Vec::new();
	for e in events {
		let e = e.map_err(|e| Error::Internal(format!("an event of {hash}: {e}")))?;
		if e.pallet_name() == "System" && e.event_name() == "ExtrinsicFailed" {
			let error = subxt::error::DispatchError::decode_from(e.field_bytes(), metadata.clone())
				.map_err(|e| Error::Internal(format!("an undecodable dispatch error: {e}")))?;
			return Ok(Outcome::Failed(rule(error)));
		}
		let fields = e
			.decode_fields_unchecked_as::<Value>()
			.map(|v| scf_indexer::decode::to_json(&v))
			.unwrap_or(Json::Null);
		match (e.pallet_name(), e.event_name()) {
			("Receivables", "Issued" | "ChildCreated") => {
				certificates.extend(fields["id"].as_u64());
			},
			("Financing", "Requested") => requests.extend(fields["request"].as_u64()),
			_ => {},
		}
		list.push(json!({ "pallet": e.pallet_name(), "event": e.event_name(), "fields": fields }));
	}
	Ok(Outcome::Done(json!({
		"status": "finalized",
		"hash": hash,
		"block": block,
		"blockHash": block_hash,
		"certificates": certificates,
		"requests": requests,
		"events": list,
	})))
}

/// A dispatch error as the bridge's rule-violation error.
fn rule(error: subxt::error::DispatchError) -> Error {
	use subxt::error::DispatchError as D;
	match error {
		D::Module(m) => match m.details() {
			Ok(d) => Error::Rule {
				pallet: d.pallet.name().to_string(),
				error: d.variant.name.clone(),
				docs: d.variant.docs.join(" ").trim().to_string(),
			},
			Err(_) => Error::Rule {
				pallet: format!("pallet #{}", m.pallet_index()),
				error: format!("error #{}", m.error_index()),
				docs: String::new(),
			},
		},
		other => Error::Rule {
			pallet: "System".into(),
			error: format!("{other:?}").split(['(', ' ']).next().unwrap_or("Dispatch").to_string(),
			docs: other.to_string(),
		},
	}
}
