//! The chain: signing with the workspace's subxt configuration, nonces per
//! participant, submission, and what became of a transaction.
//!
//! The connection is made on first use and made again after it fails, so
//! the bridge keeps serving reads (from the indexer's database) while its
//! node is down, and answers writes with "chain unavailable" meanwhile.
//!
//! **Nonces** are allocated by the bridge, per signing account, under that
//! account's lock ([`NonceState`]): the lowest nonce from the node's
//! `system_accountNextIndex` (which counts the pool) that the bridge does
//! not hold for a transaction signed or prepared but not yet counted by the
//! node. A nonce is free again when the node's count passes it, when its
//! era ends (an abandoned prepare: the next transaction reuses it, so no
//! gap parks later ones), or when the pool refuses its transaction.
//! **Eras**: every transaction is mortal, [`ERA_BLOCKS`] blocks from the finalized block it was signed
//! at; after that it can never be included, which is how a write whose
//! transaction vanished is known to have failed.

use crate::{calls::Bounds, secrets::SigningKey, store::WriteRow, Error};
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

/// What a node's refusal of `author_submitExtrinsic` means.
#[derive(Debug, PartialEq, Eq)]
enum PoolAnswer {
	/// The pool has the transaction already: handed over.
	AlreadyThere,
	/// The pool refused this transaction (invalid, banned, or beyond the
	/// runtime's nonce window): the write fails, the node is fine.
	Refused,
	/// Anything else: the connection or the node is in trouble.
	NodeTrouble,
}

/// Classifies the error text of a failed `author_submitExtrinsic`. The
/// node's pool errors are JSON-RPC codes 1010 (invalid transaction), 1011
/// (unknown validity: the runtime's nonce window, 256 ahead of the
/// account's nonce, is full), 1012 (temporarily banned), 1013 (already
/// imported) and 1014 (priority too low); the author's 1001 (bytes that
/// are no extrinsic) and 1002 (the runtime could not verify it: a
/// transaction that does not decode in the runtime traps its
/// `validate_transaction`) refuse the bytes too: sending them again never
/// helps.
fn pool_answer(text: &str) -> PoolAnswer {
	if text.contains("already imported") || text.contains("Already Imported") {
		PoolAnswer::AlreadyThere
	} else if [
		"Invalid Transaction",
		"Unknown Transaction",
		"temporarily banned",
		"Verification Error",
		"invalid format",
	]
	.iter()
	.any(|s| text.contains(s))
		|| ["1001", "1002", "1010", "1011", "1012", "1014"].iter().any(|code| has_code(text, code))
	{
		PoolAnswer::Refused
	} else {
		PoolAnswer::NodeTrouble
	}
}

/// The `data` of a node's JSON-RPC error, which says why the pool refused
/// ("Invalid signing address", "Transaction has a bad signature",
/// "Custom(2)"), taken from the error's debug form (jsonrpsee's
/// `ErrorObject { …, data: Some(RawValue("…")) }`): its display, which
/// subxt passes on, leaves the data out.
fn error_data(debug: &str) -> Option<String> {
	const FROM: &str = "data: Some(RawValue(";
	let rest = &debug[debug.find(FROM)? + FROM.len()..];
	let raw = &rest[..rest.find("))")?];
	Some(serde_json::from_str::<String>(raw).unwrap_or_else(|_| raw.to_string()))
}

/// Whether `code` appears in `text` as a number of its own (not inside a
/// hash or a longer number).
fn has_code(text: &str, code: &str) -> bool {
	let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
	text.match_indices(code).any(|(i, _)| {
		!alnum(text[..i].chars().next_back()) && !alnum(text[i + code.len()..].chars().next())
	})
}

/// How long a signed transaction stays valid: 64 blocks (about 2 minutes
/// at 2 s blocks), from the finalized block it names.
pub const ERA_BLOCKS: u64 = 64;
/// How long a write waits in the bridge for room in its account's nonce
/// window (see [`Chain::allocate`]) before it is refused.
pub const QUEUE_WAIT: Duration = Duration::from_secs(60);
/// How often a waiting write looks again.
const QUEUE_POLL: Duration = Duration::from_millis(500);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

type Api = OnlineClient<ScfConfig>;
type Rpc = LegacyRpcMethods<RpcConfigFor<ScfConfig>>;

#[derive(Clone)]
struct Conn {
	api: Api,
	rpc: Rpc,
	/// The window the bridge keeps to ([`bridge_window`]: half the
	/// runtime's `Participants::NonceWindow`, read when connected).
	window: u64,
	/// The runtime's bounds on lists and texts when connected.
	bounds: Bounds,
}

/// The nonces of one account the bridge holds back: signed but not yet
/// seen counted by the node, or prepared for a client to sign. A nonce is
/// free again once the node's count passes it (used), its era ends
/// (abandoned: the next transaction reuses it, so no gap parks later ones),
/// or the pool refused its transaction.
#[derive(Default, Debug)]
pub struct NonceState {
	/// nonce → the last block its transaction can be included in.
	held: std::collections::BTreeMap<u64, u64>,
	/// Whether the prepares stored before a restart were loaded.
	pub loaded: bool,
	/// The account's nonce in the finalized block's state, as last read (it
	/// only grows): a nonce up to this plus the window needs no new read.
	chain_nonce: u64,
}

impl NonceState {
	/// Holds `nonce` until block `valid_until`.
	pub fn hold(&mut self, nonce: u64, valid_until: u64) {
		self.held.insert(nonce, valid_until);
	}

	/// The transaction signed with `nonce` did not reach the pool.
	pub fn give_back(&mut self, nonce: u64) {
		self.held.remove(&nonce);
	}

	/// The lowest nonce from the node's next one that is not held, given
	/// the finalized block number `now`.
	pub fn next(&mut self, node_next: u64, now: u64) -> u64 {
		self.held.retain(|n, valid_until| *n >= node_next && *valid_until >= now);
		let mut n = node_next;
		while self.held.contains_key(&n) {
			n += 1;
		}
		n
	}
}

/// A transaction before it is signed: its call and the values its
/// signature covers besides (nonce, era from a finalized block).
#[derive(Clone, Debug)]
pub struct Unsigned {
	pub pallet: &'static str,
	pub call: &'static str,
	pub account: [u8; 32],
	pub nonce: u64,
	pub birth_number: u64,
	/// `0x` + 64 hex digits.
	pub birth_hash: String,
}

impl Unsigned {
	pub fn valid_until(&self) -> u64 {
		self.birth_number + ERA_BLOCKS
	}
}

/// What a client signs, and what it needs to check it.
#[derive(Clone, Debug)]
pub struct Payload {
	/// The bytes the signature covers: the SCALE payload, or its
	/// blake2-256 when it is over 256 bytes.
	pub signing: Vec<u8>,
	/// Whether `signing` is that hash.
	pub hashed: bool,
	/// The SCALE payload itself, hashed or not: what a wallet decodes and
	/// checks before it signs (see [`signer_payload`]).
	pub unhashed: Vec<u8>,
	/// The call's SCALE bytes.
	pub call_data: Vec<u8>,
	pub spec_version: u32,
	pub transaction_version: u32,
	pub genesis_hash: String,
}

/// How far beyond an account's nonce *at the finalized block* the bridge
/// signs: half the runtime's `NonceWindow` (or `--max-in-flight`, if
/// lower). Not the whole window, nor counted from the best block: the
/// node's pool revalidates a transaction that has waited some blocks
/// against an older state (the finalized block, or a view on a fork), and
/// one beyond the window there is `Unknown` and is dropped with every later
/// nonce of its sender (sc-transaction-pool 48, `tx_mem_pool.rs`,
/// `revalidate_inner`). Under full blocks `node/tests/consortium.rs` lost
/// 1,214 of 45,217 taken transactions keeping to the window from the
/// finalized nonce, and none keeping to half of it.
fn bridge_window(runtime_window: u64, max_in_flight: Option<u64>) -> u64 {
	(runtime_window / 2).max(1).min(max_in_flight.unwrap_or(u64::MAX))
}

/// Whether `nonce` lies in the window the bridge keeps to for an account
/// whose finalized nonce is `chain_nonce`: at most `window` beyond it.
fn fits(nonce: u64, chain_nonce: u64, window: u64) -> bool {
	nonce <= chain_nonce.saturating_add(window)
}

/// The SCALE payload of `u` whose call is `call_data`, as the runtime's
/// `TxExtension` lays it out: the call; then what the transaction carries —
/// the mortal era (`CheckEra`), the compact nonce (`CheckNonce`); then what
/// it only signs — spec version, transaction version, genesis hash and the
/// era's birth block hash. `CheckNonZeroSender`, `CheckParticipant` and
/// `CheckWeight` add no bytes. [`Chain::build`] checks it against subxt's.
pub fn signer_payload(
	call_data: &[u8],
	u: &Unsigned,
	spec_version: u32,
	transaction_version: u32,
	genesis: &[u8],
	birth_hash: &[u8],
) -> Vec<u8> {
	use subxt::ext::codec::{Compact, Encode};
	let mut out = call_data.to_vec();
	subxt::utils::Era::mortal(ERA_BLOCKS, u.birth_number).encode_to(&mut out);
	Compact(u.nonce).encode_to(&mut out);
	spec_version.encode_to(&mut out);
	transaction_version.encode_to(&mut out);
	out.extend_from_slice(genesis);
	out.extend_from_slice(birth_hash);
	out
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
	/// The operator's cap on an account's transactions in the pool, below
	/// the runtime's nonce window.
	max_in_flight: Option<u64>,
	conn: Mutex<Option<Conn>>,
	nonces: std::sync::Mutex<HashMap<[u8; 32], Arc<Mutex<NonceState>>>>,
}

fn unavailable(e: impl std::fmt::Display) -> Error {
	Error::ChainUnavailable(e.to_string())
}

impl Chain {
	/// The chain at the node's WebSocket RPC `url`, keeping at most
	/// `max_in_flight` transactions of an account in the pool (`None`: as
	/// many as the runtime's nonce window admits); nothing is connected yet.
	pub fn new(url: &str, max_in_flight: Option<u64>) -> Chain {
		Chain { url: url.into(), max_in_flight, conn: Mutex::new(None), nonces: Default::default() }
	}

	async fn conn(&self) -> Result<Conn, Error> {
		let mut conn = self.conn.lock().await;
		if let Some(c) = conn.as_ref() {
			return Ok(c.clone());
		}
		let connect = async {
			let rpc = RpcClient::from_insecure_url(&self.url).await.map_err(unavailable)?;
			let api = Api::from_rpc_client(rpc.clone()).await.map_err(unavailable)?;
			let at = api.at_current_block().await.map_err(unavailable)?;
			let addr = subxt::dynamic::constant::<Value>("Participants", "NonceWindow");
			let runtime_window = at
				.constants()
				.entry(addr)
				.ok()
				.and_then(|v| scf_indexer::decode::to_json(&v).as_u64())
				.unwrap_or(u64::MAX);
			let window = bridge_window(runtime_window, self.max_in_flight);
			let constant = |pallet: &str, name: &str| {
				let addr = subxt::dynamic::constant::<Value>(pallet, name);
				at.constants()
					.entry(addr)
					.ok()
					.and_then(|v| scf_indexer::decode::to_json(&v).as_u64())
					.map_or(usize::MAX, |n| n as usize)
			};
			let bounds = Bounds {
				parts: constant("Receivables", "MaxChildren"),
				invoices: constant("Receivables", "MaxInvoices"),
				payment_ref: constant("Receivables", "MaxPaymentRefLen")
					.min(constant("Financing", "MaxPaymentRefLen")),
			};
			Ok::<_, Error>(Conn { api, rpc: Rpc::new(rpc), window, bounds })
		};
		let c = tokio::time::timeout(CONNECT_TIMEOUT, connect)
			.await
			.map_err(|_| unavailable(format!("no answer from {} within 5 s", self.url)))??;
		*conn = Some(c.clone());
		Ok(c)
	}

	/// The runtime's bounds on the calls' lists and texts, read at connect;
	/// [`Bounds::UNKNOWN`] while the node cannot be reached (the write then
	/// fails on the chain being unavailable anyway).
	pub async fn bounds(&self) -> Bounds {
		self.conn().await.map_or(Bounds::UNKNOWN, |c| c.bounds)
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

	/// The node's next nonce for `account` (counting its pool) and the
	/// finalized head (number, hash) that a new transaction's era starts at.
	pub async fn next_and_birth(&self, account: &[u8; 32]) -> Result<(u64, u64, String), Error> {
		let c = self.conn().await?;
		let next = match c.rpc.system_account_next_index(&subxt::utils::AccountId32(*account)).await
		{
			Ok(n) => n,
			Err(e) => return Err(self.failed(e).await),
		};
		let at = match c.api.at_current_block().await {
			Ok(at) => at,
			Err(e) => return Err(self.failed(e).await),
		};
		Ok((next, at.block_number(), format!("{:?}", at.block_hash())))
	}

	/// Allocates the next free nonce of `u.account` into `u` (held until
	/// its era ends), with its era from the finalized head.
	///
	/// **The queue.** The runtime admits at most `NonceWindow` (256)
	/// transactions of one account beyond its nonce into the pool, and the
	/// bridge keeps to half of that beyond the finalized nonce
	/// ([`bridge_window`]); a
	/// block takes only the sender's share of its weight
	/// (`MaxSenderWeight`). An ERP burst larger than that waits here instead of
	/// being refused: the caller holds the account's nonce lock, so the
	/// writes of one account wait in the order they came (tokio's mutex is
	/// fair), each until its nonce fits the window, for at most
	/// [`QUEUE_WAIT`]; only then is it refused (`NotSubmitted`). The era
	/// starts when the nonce is allocated, after the wait.
	pub async fn allocate(
		&self,
		pallet: &'static str,
		call: &'static str,
		account: [u8; 32],
		nonces: &mut NonceState,
	) -> Result<Unsigned, Error> {
		let queued = tokio::time::Instant::now();
		let mut waited = false;
		loop {
			let (next, birth_number, birth_hash) = self.next_and_birth(&account).await?;
			let nonce = nonces.next(next, birth_number);
			let window = self.conn().await?.window;
			if !fits(nonce, nonces.chain_nonce, window) {
				nonces.chain_nonce = nonces.chain_nonce.max(self.finalized_nonce(&account).await?);
			}
			if fits(nonce, nonces.chain_nonce, window) {
				if waited {
					eprintln!(
						"scf-bridge: nonce {nonce} of 0x{} left the queue after {} ms",
						hex::encode(account),
						queued.elapsed().as_millis()
					);
				}
				let u = Unsigned { pallet, call, account, nonce, birth_number, birth_hash };
				nonces.hold(nonce, u.valid_until());
				return Ok(u);
			}
			if queued.elapsed() >= QUEUE_WAIT {
				return Err(Error::NotSubmitted(format!(
					"the account has {window} transactions ahead of its nonce in the pool (the \
					 runtime's nonce window) and this one waited {} s in the bridge's queue: \
					 retry once some are in blocks",
					QUEUE_WAIT.as_secs()
				)));
			}
			if !waited {
				eprintln!(
					"scf-bridge: nonce {nonce} of 0x{} waits for room in the nonce window \
					 (the account's nonce is {}, the window {window})",
					hex::encode(account),
					nonces.chain_nonce
				);
				waited = true;
			}
			tokio::time::sleep(QUEUE_POLL).await;
		}
	}

	/// Builds `u` with `fields` at its era's block (so with that block's
	/// runtime); then, if `sign` gives a signature over the payload, the
	/// signed transaction.
	pub async fn build(
		&self,
		u: &Unsigned,
		fields: Value,
		sign: impl FnOnce(&Payload) -> Result<Option<Signature>, Error>,
	) -> Result<(Payload, Option<Signed>), Error> {
		let c = self.conn().await?;
		let birth: subxt::utils::H256 = u.birth_hash.parse().map_err(|_| {
			Error::Internal(format!("a stored block hash {} is not one", u.birth_hash))
		})?;
		let at = match c.api.at_block(birth).await {
			Ok(at) => at,
			Err(e) => return Err(self.failed(e).await),
		};
		let tx = subxt::dynamic::tx(u.pallet, u.call, fields);
		let params = DefaultExtrinsicParamsBuilder::<ScfConfig>::new()
			.nonce(u.nonce)
			.mortal_from_unchecked(ERA_BLOCKS, u.birth_number, birth)
			.build();
		let tx_client = at.tx();
		let bad = |e: subxt::error::ExtrinsicError| {
			Error::BadParams(format!("{}::{} does not take these values: {e}", u.pallet, u.call))
		};
		let call_data = tx_client.call_data(&tx).map_err(bad)?;
		let mut signable = tx_client.create_signable_offline(&tx, params).map_err(bad)?;
		let signing = signable
			.signer_payload()
			.map_err(|e| Error::Internal(format!("cannot build the payload: {e}")))?;
		let genesis = c.api.genesis_hash();
		let unhashed = signer_payload(
			&call_data,
			u,
			at.spec_version(),
			at.transaction_version(),
			genesis.as_ref(),
			birth.as_ref(),
		);
		// subxt builds the payload from the metadata's extension list; this
		// one is built by hand for the wallet to decode. They must agree, or
		// the runtime's extensions changed and `signer_payload` must follow.
		let hashed = unhashed.len() > 256;
		let expected = if hashed {
			sp_crypto_hashing::blake2_256(&unhashed).to_vec()
		} else {
			unhashed.clone()
		};
		if expected != signing {
			return Err(Error::Internal(
				"the runtime's transaction extensions are not the ones the bridge lays out for \
				 wallets (chain::signer_payload)"
					.into(),
			));
		}
		let payload = Payload {
			hashed,
			signing,
			unhashed,
			call_data,
			spec_version: at.spec_version(),
			transaction_version: at.transaction_version(),
			genesis_hash: format!("{genesis:?}"),
		};
		let Some(signature) = sign(&payload)? else { return Ok((payload, None)) };
		let account = subxt::utils::AccountId32(u.account);
		let submittable = signable
			.sign_with_account_and_signature(&account, &Static(signature))
			.map_err(|e| Error::Internal(format!("cannot assemble the transaction: {e}")))?;
		let signed = Signed {
			hash: format!("{:?}", submittable.hash()),
			bytes: submittable.into_encoded(),
			nonce: u.nonce,
			signed_at: u.birth_number,
			valid_until: u.valid_until(),
		};
		Ok((payload, Some(signed)))
	}

	/// Signs `pallet::call(fields)` with the custodial `key`: the next free
	/// nonce of its account (held in `nonces`) and a mortal era.
	pub async fn sign(
		&self,
		pallet: &'static str,
		call: &'static str,
		fields: Value,
		key: &SigningKey,
		nonces: &mut NonceState,
	) -> Result<Signed, Error> {
		let account = *AsRef::<[u8; 32]>::as_ref(&key.account());
		let u = self.allocate(pallet, call, account, nonces).await?;
		let built = self
			.build(&u, fields, |p| {
				Ok(Some(match key {
					SigningKey::Sm2(pair) => Signature::Sm2(pair.sign(&p.signing)),
					SigningKey::Sr25519(pair) => Signature::Sr25519(pair.sign(&p.signing)),
				}))
			})
			.await;
		match built {
			Ok((_, Some(signed))) => Ok(signed),
			Ok((_, None)) => Err(Error::Internal("signing gave no signature".into())),
			Err(e) => {
				nonces.give_back(u.nonce);
				Err(e)
			},
		}
	}

	/// Hands `bytes` to the node's pool. A transaction the pool already has
	/// counts as handed over.
	pub async fn submit(&self, bytes: &[u8]) -> Result<(), Error> {
		let c = self.conn().await?;
		match c.rpc.author_submit_extrinsic(bytes).await {
			Ok(_) => Ok(()),
			Err(e) => {
				let text = match error_data(&format!("{e:?}")) {
					Some(why) => format!("{e}: {why}"),
					None => e.to_string(),
				};
				match pool_answer(&text) {
					PoolAnswer::AlreadyThere => Ok(()),
					PoolAnswer::Refused => Err(Error::NotSubmitted(text)),
					PoolAnswer::NodeTrouble => Err(self.failed(text).await),
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

	/// The nonce of `account` in the best block's state: above a submitted
	/// transaction's nonce once a block (not final yet) has used it.
	pub async fn best_nonce(&self, account: &[u8; 32]) -> Result<u64, Error> {
		let c = self.conn().await?;
		let best = match c.rpc.chain_get_block_hash(None).await {
			Ok(Some(hash)) => hash,
			Ok(None) => return Err(unavailable("the node has no best block")),
			Err(e) => return Err(self.failed(e).await),
		};
		let at = match c.api.at_block(best).await {
			Ok(at) => at,
			Err(e) => return Err(self.failed(e).await),
		};
		at.tx()
			.account_nonce(&subxt::utils::AccountId32(*account))
			.await
			.map_err(|e| unavailable(format!("the account's nonce: {e}")))
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

#[cfg(test)]
mod tests {
	use super::{bridge_window, error_data, fits, pool_answer, PoolAnswer};

	#[test]
	fn the_bridge_keeps_to_half_the_runtimes_window() {
		assert_eq!(bridge_window(256, None), 128);
		assert_eq!(bridge_window(256, Some(8)), 8);
		assert_eq!(bridge_window(256, Some(1000)), 128);
		assert_eq!(bridge_window(1, None), 1);
		assert_eq!(bridge_window(u64::MAX, None), u64::MAX / 2);
	}

	#[test]
	fn the_pools_reason_is_read_from_the_error_data() {
		let debug = "Client(Call(ErrorObject { code: ServerError(1010), message: \"Invalid \
		             Transaction\", data: Some(RawValue(\"Invalid signing address\")) }))";
		assert_eq!(error_data(debug).as_deref(), Some("Invalid signing address"));
		assert_eq!(error_data("ErrorObject { code: ServerError(1012), data: None }"), None);
	}

	#[test]
	fn the_window_holds_the_nonces_up_to_its_width_beyond_the_accounts() {
		assert!(fits(10, 10, 256));
		assert!(fits(266, 10, 256));
		assert!(!fits(267, 10, 256));
		assert!(fits(u64::MAX, 10, u64::MAX));
	}

	#[test]
	fn a_full_nonce_window_is_a_refusal_not_a_node_failure() {
		// The shape subxt gives a node's JSON-RPC error.
		let window = "RPC error: ErrorObject { code: ServerError(1011), message: \
			\"Unknown Transaction Validity\", data: Some(\"Custom(2)\") }";
		assert_eq!(pool_answer(window), PoolAnswer::Refused);
		let invalid = "RPC error: ErrorObject { code: ServerError(1010), message: \
			\"Invalid Transaction\", data: Some(\"Transaction is outdated\") }";
		assert_eq!(pool_answer(invalid), PoolAnswer::Refused);
		let banned = "ErrorObject { code: ServerError(1012), message: \"Transaction is temporarily banned\" }";
		assert_eq!(pool_answer(banned), PoolAnswer::Refused);
		let known =
			"ErrorObject { code: ServerError(1013), message: \"Transaction Already Imported\" }";
		assert_eq!(pool_answer(known), PoolAnswer::AlreadyThere);
		assert_eq!(pool_answer("connection closed"), PoolAnswer::NodeTrouble);
		// A code's digits inside a hash or a number are not the code.
		assert_eq!(
			pool_answer("connection reset while sending 0xab1010cd (after 310112 ms)"),
			PoolAnswer::NodeTrouble
		);
		assert_eq!(pool_answer("{\"code\":1011,\"message\":\"...\"}"), PoolAnswer::Refused);
		// A transaction the runtime cannot decode (a list above its bound).
		let trap = "User error: Verification Error: Runtime error: Execution failed: Execution \
		            aborted due to trap: wasm trap: wasm `unreachable` instruction executed (1002)";
		assert_eq!(pool_answer(trap), PoolAnswer::Refused);
	}
}
