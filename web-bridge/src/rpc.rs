//! The `scf` JSON-RPC API: the write methods of [`crate::calls::WRITES`],
//! the reads (served from the indexer's database), and `rpc.discover`.

use crate::{
	auth::{self, Credential, Principal, RateLimit},
	calls::{self, Write, IDEMPOTENCY_KEY, WAIT},
	chain::{Chain, NonceState, Outcome, Signed, Unsigned, ERA_BLOCKS},
	openrpc,
	secrets::{self, MasterKey, SigningKey},
	store::{state, PrepareRow, Store, WriteRow},
	Error,
};
use jsonrpsee::{types::Params, Extensions, RpcModule};
use scf_indexer::queries::{FinancingOf, Holding, Page};
use serde_json::{json, Map, Value as Json};
use std::{collections::HashMap, sync::Arc};
use tokio::sync::Mutex;

/// Everything a method needs.
pub struct Bridge {
	pub store: Store,
	/// The indexer's database, read-only.
	pub index: scf_indexer::Store,
	pub chain: Chain,
	/// Opens the custodial keys; without it the bridge signs for nobody.
	pub master: Option<MasterKey>,
	pub limit: RateLimit,
	/// Wallet logins and sessions.
	pub wallet: Arc<crate::wallet::Wallet>,
	opened: std::sync::Mutex<HashMap<String, Arc<SigningKey>>>,
	in_flight: std::sync::Mutex<KeyLocks>,
}

/// One lock per (participant, idempotency key) being written.
type KeyLocks = HashMap<(String, String), Arc<Mutex<()>>>;

/// A read method: its name, its parameters (name, kind of schema,
/// required) and its summary.
pub type Read = (&'static str, &'static [(&'static str, &'static str, bool)], &'static str);

/// The read methods.
pub const READS: &[Read] = &[
	("scf_whoami", &[], "The participant this API key acts as, and whether it reads everything."),
	("scf_getCertificate", &[("id", "integer", true)], "A certificate with its history."),
	("scf_getLineage", &[("root", "integer", true)], "The certificates under a root (穿透): all of them for its issuer and the regulator, else your own, the parts you split off them, and the path from them to the root."),
	("scf_getHoldings", &[("account", "account", false), ("filter", "filter", false), ("offset", "integer", false), ("limit", "integer", false)], "An account's certificates by due date (your own; any for the regulator). Filter: live, pending, financed, settled."),
	("scf_getFinancing", &[("certificate", "integer", false), ("account", "account", false), ("offset", "integer", false), ("limit", "integer", false)], "Financing requests of a certificate or an account, with their events."),
	("scf_getCoreExposure", &[("core", "account", false)], "A core enterprise's outstanding, financed and overdue amounts, by tier and status, and its credit lines."),
	("scf_getFinancierExposure", &[("financier", "account", false)], "What is factored or pledged to a financier, by status and core enterprise."),
	("scf_getOverdue", &[("offset", "integer", false), ("limit", "integer", false)], "Overdue certificates you hold, issued or financed (all for the regulator)."),
	("scf_listParticipants", &[("offset", "integer", false), ("limit", "integer", false)], "The participant directory: account, name, roles."),
	("scf_getLimits", &[], "The ledger's limits: minimum amount, maximum parts, maximum tier, tenor cap, and more."),
	("scf_getWrite", &[("idempotencyKey", "string", true)], "A write by its idempotency key: its state and, when final, its outcome."),
];

fn object(params: &Params<'_>) -> Result<Map<String, Json>, Error> {
	match params.as_str() {
		None => Ok(Map::new()),
		Some(text) => match serde_json::from_str::<Json>(text) {
			Ok(Json::Object(o)) => Ok(o),
			Ok(Json::Array(a)) if a.is_empty() => Ok(Map::new()),
			Ok(_) => Err(Error::BadParams("give the parameters by name, as an object".into())),
			Err(e) => Err(Error::BadParams(e.to_string())),
		},
	}
}

fn allow_only(o: &Map<String, Json>, allowed: &[&str], method: &str) -> Result<(), Error> {
	match o.keys().find(|k| !allowed.contains(&k.as_str())) {
		Some(k) => Err(Error::BadParams(format!("{method}: unknown parameter `{k}`"))),
		None => Ok(()),
	}
}

fn uint(o: &Map<String, Json>, name: &str) -> Result<Option<u64>, Error> {
	match o.get(name) {
		None | Some(Json::Null) => Ok(None),
		Some(v) => v
			.as_u64()
			.map(Some)
			.ok_or_else(|| Error::BadParams(format!("`{name}`: a non-negative integer"))),
	}
}

fn text<'a>(o: &'a Map<String, Json>, name: &str) -> Result<Option<&'a str>, Error> {
	match o.get(name) {
		None | Some(Json::Null) => Ok(None),
		Some(Json::String(s)) => Ok(Some(s)),
		Some(_) => Err(Error::BadParams(format!("`{name}`: a string"))),
	}
}

fn page(o: &Map<String, Json>) -> Result<Page, Error> {
	Ok(Page::new(
		uint(o, "offset")?.unwrap_or(0),
		uint(o, "limit")?.unwrap_or(Page::default().limit),
	)?)
}

/// `who` as the indexer's account form, or the principal's own.
fn account_or_own(o: &Map<String, Json>, name: &str, me: &Principal) -> Result<String, Error> {
	match text(o, name)? {
		Some(s) => scf_indexer::queries::account(s).map_err(|_| {
			Error::BadParams(format!("`{name}`: `{s}` is not an account (SS58 or 0x + 64 hex)"))
		}),
		None => Ok(me.participant.clone()),
	}
}

fn str_of<'a>(v: &'a Json, field: &str) -> &'a str {
	v[field].as_str().unwrap_or("")
}

impl Bridge {
	pub fn new(
		store: Store,
		index: scf_indexer::Store,
		chain: Chain,
		master: Option<MasterKey>,
		limit: RateLimit,
		wallet: Arc<crate::wallet::Wallet>,
	) -> Bridge {
		Bridge {
			store,
			index,
			chain,
			master,
			limit,
			wallet,
			opened: Default::default(),
			in_flight: Default::default(),
		}
	}

	/// Who sent the request (an API key, else a wallet session), rate-limited
	/// per key or session.
	async fn principal(&self, ext: &Extensions) -> Result<Principal, Error> {
		let credential = ext.get::<Credential>();
		let session = ext.get::<crate::wallet::Session>().filter(|_| credential.is_none());
		let (key_id, participant) = match session {
			Some(session) => self.wallet.authenticate(session).await?,
			None => auth::authenticate(&self.store, credential).await?,
		};
		let wallet = session.is_some();
		self.limit.take(&key_id)?;
		let regulator = match self.index.participant(&participant).await? {
			Some(p) => p["roles"].to_string().contains("Regulator") && p["suspended"] != true,
			None => false,
		};
		Ok(Principal { key_id, participant, regulator, wallet })
	}

	/// The custodial key of `participant`, opened once per process.
	async fn signing_key(&self, participant: &str) -> Result<Arc<SigningKey>, Error> {
		if let Some(k) = self.opened.lock().unwrap_or_else(|e| e.into_inner()).get(participant) {
			return Ok(k.clone());
		}
		let sealed = self.store.custody(participant).await?.ok_or_else(|| {
			Error::Forbidden(format!(
				"the bridge holds no signing key for {participant} (add one with `scf-bridge \
				 custody add`)"
			))
		})?;
		let master = self.master.as_ref().ok_or_else(|| {
			Error::Internal(
				"the bridge was started without its custody master key (SCF_BRIDGE_MASTER_KEY \
				 or --master-key-file), so it signs for nobody"
					.into(),
			)
		})?;
		let account = crate::account_id(participant)?;
		let key = Arc::new(master.open(&account, &sealed)?);
		self.opened
			.lock()
			.unwrap_or_else(|e| e.into_inner())
			.insert(participant.to_string(), key.clone());
		Ok(key)
	}

	fn key_lock(&self, participant: &str, key: &str) -> Arc<Mutex<()>> {
		let mut map = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
		map.entry((participant.to_string(), key.to_string())).or_default().clone()
	}

	/// A write method: idempotent under its key, signed by the custodial
	/// key of the caller's participant.
	pub async fn write(
		&self,
		w: &Write,
		params: Params<'_>,
		ext: &Extensions,
	) -> Result<Json, Error> {
		let me = self.principal(ext).await?;
		if me.wallet {
			return Err(Error::Forbidden(format!(
				"a wallet session signs in the browser: send {} through scf_prepare and scf_submit",
				w.method
			)));
		}
		let params = object(&params)?;
		let (key, wait_final) = key_and_wait(w, &params)?;
		let fields = w.fields(&params, &self.chain.bounds().await)?;
		let digest = request_digest(w.method, &params);

		// One request per key at a time in this process; the database's
		// primary key settles it between processes.
		let lock = self.key_lock(&me.participant, &key);
		let _one = lock.lock().await;
		if let Some(row) = self.store.write(&me.participant, &key).await? {
			return self.existing(row, &digest, wait_final).await;
		}
		let signer = self.signing_key(&me.participant).await?;
		let account = me.account()?;
		let mut nonces = self.nonces(&me.participant, &account).await?;
		let signed = self.chain.sign(w.pallet, w.call, fields, &signer, &mut nonces).await?;
		let row = signed_row(&me.participant, &key, &digest, w.method, signed);
		self.record_and_submit(row, Some(nonces), None, wait_final).await
	}

	/// The nonce lock of `account`, with the nonces of the prepares stored
	/// before a restart held again.
	async fn nonces(
		&self,
		participant: &str,
		account: &[u8; 32],
	) -> Result<tokio::sync::OwnedMutexGuard<NonceState>, Error> {
		let mut nonces = self.chain.nonce_lock(account).await;
		if !nonces.loaded {
			for p in self.store.open_prepares(participant).await? {
				nonces.hold(p.nonce, p.birth_number + ERA_BLOCKS);
			}
			nonces.loaded = true;
		}
		Ok(nonces)
	}

	/// `scf_subscribeEvents`: the caller's participant's events as the
	/// indexer sees them finalized, oldest first, from the indexer's head
	/// (or after `fromBlock`, to catch up after a disconnect). Each
	/// notification is one event: `block`, `index`, `event`, `fields`,
	/// `timestamp`.
	async fn follow(
		&self,
		params: Params<'static>,
		pending: jsonrpsee::PendingSubscriptionSink,
		ext: &Extensions,
	) {
		let start = async {
			let me = self.principal(ext).await?;
			let o = object(&params)?;
			allow_only(&o, &["fromBlock"], "scf_subscribeEvents")?;
			let from = match uint(&o, "fromBlock")? {
				Some(b) => b,
				None => self.index.status().await?["indexed"].as_u64().unwrap_or(0) + 1,
			};
			Ok::<_, Error>((me, from))
		};
		let (me, from) = match start.await {
			Ok(v) => v,
			Err(e) => return pending.reject(jsonrpsee::types::ErrorObjectOwned::from(e)).await,
		};
		let Ok(sink) = pending.accept().await else { return };
		// The end of the block before `from` (genesis has no events).
		let mut at = (from.saturating_sub(1), i64::MAX as u64);
		loop {
			// A failed read is tried again on the next round.
			let events: Vec<Json> = self
				.index
				.activity_after(&me.participant, at.0, at.1, 100)
				.await
				.unwrap_or_default();
			for e in &events {
				let Ok(message) = jsonrpsee::SubscriptionMessage::from_json(e) else { continue };
				if sink.send(message).await.is_err() {
					return;
				}
				at = (e["block"].as_u64().unwrap_or(at.0), e["index"].as_u64().unwrap_or(0));
			}
			if events.len() < 100 {
				tokio::select! {
					_ = sink.closed() => return,
					_ = tokio::time::sleep(std::time::Duration::from_millis(500)) => {},
				}
			}
		}
	}

	/// `scf_prepare`: the payload a client signs itself for one write, kept
	/// under a prepare id. Its nonce is held until its era ends.
	pub async fn prepare(&self, params: Params<'_>, ext: &Extensions) -> Result<Json, Error> {
		let me = self.principal(ext).await?;
		let o = object(&params)?;
		allow_only(&o, &["method", "params"], "scf_prepare")?;
		let method = text(&o, "method")?.ok_or_else(|| {
			Error::BadParams("`method`: the write to prepare, e.g. scf_issue".into())
		})?;
		let w = calls::write(method)
			.ok_or_else(|| Error::BadParams(format!("`method`: {method} is not a write method")))?;
		let params = match o.get("params") {
			Some(Json::Object(p)) => p.clone(),
			_ => {
				return Err(Error::BadParams("`params`: the write's parameters, an object".into()))
			},
		};
		let (key, _) = key_and_wait(w, &params)?;
		let fields = w.fields(&params, &self.chain.bounds().await)?;
		let digest = request_digest(w.method, &params);
		let lock = self.key_lock(&me.participant, &key);
		let _one = lock.lock().await;
		if let Some(row) = self.store.write(&me.participant, &key).await? {
			if row.digest != digest {
				return Err(Error::IdempotencyConflict { key });
			}
			let mut answer = progress(&row);
			answer["alreadySubmitted"] = true.into();
			return Ok(answer);
		}
		let account = me.account()?;
		let mut nonces = self.nonces(&me.participant, &account).await?;
		let u = self.chain.allocate(w.pallet, w.call, account, &mut nonces).await?;
		let payload = match self.chain.build(&u, fields, |_| Ok(None)).await {
			Ok((payload, _)) => payload,
			Err(e) => {
				nonces.give_back(u.nonce);
				return Err(e);
			},
		};
		let id = hex::encode(secrets::random::<16>()?);
		self.store
			.insert_prepare(&PrepareRow {
				id: id.clone(),
				participant: me.participant.clone(),
				key: key.clone(),
				digest,
				method: w.method.into(),
				params: Json::Object(params.clone()).to_string(),
				nonce: u.nonce,
				birth_number: u.birth_number,
				birth_hash: u.birth_hash.clone(),
				submitted: false,
			})
			.await?;
		drop(nonces);
		Ok(json!({
			"prepareId": id,
			"method": w.method,
			"idempotencyKey": key,
			"signingPayload": format!("0x{}", hex::encode(&payload.signing)),
			"payloadHashed": payload.hashed,
			"payload": format!("0x{}", hex::encode(&payload.unhashed)),
			"call": format!("0x{}", hex::encode(&payload.call_data)),
			"extra": {
				"signer": me.participant,
				"nonce": u.nonce,
				"era": { "period": ERA_BLOCKS, "birthBlock": u.birth_number,
					"birthBlockHash": u.birth_hash, "validUntilBlock": u.valid_until() },
				"specVersion": payload.spec_version,
				"transactionVersion": payload.transaction_version,
				"genesisHash": payload.genesis_hash,
			},
			"statement": statement(w, &params, &me.participant, &u),
			"signWith": "SM2 with SM3 and the user id 1234567812345678 over the signingPayload \
				bytes (OpenSSL 3: openssl dgst -sm3 -sign KEY -sigopt distid:1234567812345678); \
				submit the signature (64 bytes r‖s, or DER) and the 33-byte compressed public key",
		}))
	}

	/// `scf_submit`: a prepared write with the client's SM2 signature. The
	/// bridge rebuilds the same payload, checks that the key is the
	/// participant's and that the signature verifies, then submits.
	pub async fn submit(&self, params: Params<'_>, ext: &Extensions) -> Result<Json, Error> {
		use scf_primitives::sm2::{Sm2Public, Sm2Signature};
		let me = self.principal(ext).await?;
		let o = object(&params)?;
		allow_only(&o, &["prepareId", "signature", "publicKey", WAIT], "scf_submit")?;
		let id = text(&o, "prepareId")?
			.ok_or_else(|| Error::BadParams("`prepareId` is required".into()))?;
		let p = match self.store.prepare(id).await? {
			Some(p) if p.participant == me.participant => p,
			_ => return Err(Error::NotFound(format!("prepared transaction {id}"))),
		};
		let wait_final = text(&o, WAIT)? != Some("submitted");
		let hex_param = |name: &str| -> Result<Vec<u8>, Error> {
			let v =
				text(&o, name)?.ok_or_else(|| Error::BadParams(format!("`{name}` is required")))?;
			hex::decode(v.trim_start_matches("0x"))
				.map_err(|_| Error::BadParams(format!("`{name}`: hex")))
		};
		let public = Sm2Public::from_sec1(&hex_param("publicKey")?)
			.map_err(|e| Error::BadParams(format!("`publicKey`: {e}")))?;
		if AsRef::<[u8; 32]>::as_ref(&public.account_id()) != &me.account()? {
			return Err(Error::Forbidden(
				"that public key is not the participant's (its SM3 hash is another account)".into(),
			));
		}
		let raw = hex_param("signature")?;
		let signature = match <[u8; 64]>::try_from(raw.as_slice()) {
			Ok(rs) => Sm2Signature::new(rs, public),
			Err(_) => Sm2Signature::from_der(&raw, public)
				.map_err(|e| Error::BadParams(format!("`signature`: not r‖s nor DER: {e}")))?,
		};
		let lock = self.key_lock(&me.participant, &p.key);
		let _one = lock.lock().await;
		if let Some(row) = self.store.write(&me.participant, &p.key).await? {
			return self.existing(row, &p.digest, wait_final).await;
		}
		let w = calls::write(&p.method)
			.ok_or_else(|| Error::Internal(format!("a stored prepare names {}", p.method)))?;
		let params: Map<String, Json> = serde_json::from_str(&p.params)
			.map_err(|e| Error::Internal(format!("a stored prepare's parameters: {e}")))?;
		let fields = w.fields(&params, &self.chain.bounds().await)?;
		let u = Unsigned {
			pallet: w.pallet,
			call: w.call,
			account: me.account()?,
			nonce: p.nonce,
			birth_number: p.birth_number,
			birth_hash: p.birth_hash.clone(),
		};
		if self.chain.finalized_number().await? > u.valid_until() {
			return Err(Error::NotSubmitted(format!(
				"the era of prepared transaction {id} ended at block #{}: prepare it again",
				u.valid_until()
			)));
		}
		let (_, signed) = self
			.chain
			.build(&u, fields, |payload| {
				if signature.verify_native(&payload.signing) {
					Ok(Some(scf_primitives::Signature::Sm2(signature)))
				} else {
					Err(Error::BadParams(
						"`signature` does not verify over the prepared signingPayload (SM2 with \
						 SM3 and the user id 1234567812345678)"
							.into(),
					))
				}
			})
			.await?;
		let signed = signed.ok_or_else(|| Error::Internal("no transaction was built".into()))?;
		let row = signed_row(&me.participant, &p.key, &p.digest, &p.method, signed);
		self.record_and_submit(row, None, Some(id), wait_final).await
	}

	/// Records a signed write under its key, before anything else, then
	/// hands it to the node and follows it (see [`Bridge::finish`]). If the
	/// key was taken meanwhile, that write's outcome is the answer.
	/// `nonces` (the custodial path's nonce lock) gets the nonce back if the
	/// key was taken or the pool refused the transaction; `prepare` (the
	/// prepare it came from) is marked submitted once it is recorded.
	async fn record_and_submit(
		&self,
		row: WriteRow,
		mut nonces: Option<tokio::sync::OwnedMutexGuard<NonceState>>,
		prepare: Option<&str>,
		wait_final: bool,
	) -> Result<Json, Error> {
		let (who, key) = (row.participant.clone(), row.key.clone());
		if !self.store.insert_write(&row).await? {
			if let Some(n) = nonces.as_mut() {
				n.give_back(row.nonce);
			}
			drop(nonces);
			let first = self
				.store
				.write(&who, &key)
				.await?
				.ok_or_else(|| Error::Internal("an idempotency record vanished".into()))?;
			return self.existing(first, &row.digest, wait_final).await;
		}
		if let Some(id) = prepare {
			self.store.mark_prepare_submitted(id).await?;
		}
		match self.chain.submit(&row.extrinsic).await {
			Ok(()) => self.store.set_write_state(&who, &key, state::SUBMITTED, None).await?,
			Err(Error::NotSubmitted(reason)) => {
				if let Some(n) = nonces.as_mut() {
					n.give_back(row.nonce);
				}
				let e = Error::NotSubmitted(reason);
				let stored = e.to_json().to_string();
				self.store.set_write_state(&who, &key, state::FAILED, Some(&stored)).await?;
				return Err(e);
			},
			// Not known whether the node has it: its nonce stays held until
			// its era ends. A retry of this key resolves it.
			Err(e) => return Err(e),
		}
		drop(nonces);
		self.finish(WriteRow { state: state::SUBMITTED.into(), ..row }, wait_final).await
	}

	/// A retry (or a concurrent duplicate) of a recorded write.
	async fn existing(&self, row: WriteRow, digest: &str, wait_final: bool) -> Result<Json, Error> {
		if row.digest != digest {
			return Err(Error::IdempotencyConflict { key: row.key });
		}
		self.finish(row, wait_final).await
	}

	/// The outcome of a recorded write: stored if final, else followed on
	/// chain (or its progress, if the caller does not wait).
	async fn finish(&self, row: WriteRow, wait_final: bool) -> Result<Json, Error> {
		if row.is_final() {
			let outcome: Json = serde_json::from_str(row.outcome.as_deref().unwrap_or("null"))
				.unwrap_or(Json::Null);
			return if row.state == state::FINALIZED {
				Ok(outcome)
			} else {
				Err(Error::from_json(&outcome))
			};
		}
		if !wait_final {
			return Ok(progress(&row));
		}
		let signer = crate::account_id(&row.participant)?;
		match self.chain.resolve(&row, AsRef::<[u8; 32]>::as_ref(&signer)).await? {
			Outcome::Done(mut answer) => {
				answer["idempotencyKey"] = row.key.clone().into();
				answer["method"] = row.method.clone().into();
				self.store
					.set_write_state(
						&row.participant,
						&row.key,
						state::FINALIZED,
						Some(&answer.to_string()),
					)
					.await?;
				Ok(answer)
			},
			Outcome::Failed(e) => {
				self.store
					.set_write_state(
						&row.participant,
						&row.key,
						state::FAILED,
						Some(&e.to_json().to_string()),
					)
					.await?;
				Err(e)
			},
		}
	}

	/// A read method.
	pub async fn read(
		&self,
		method: &str,
		params: Params<'_>,
		ext: &Extensions,
	) -> Result<Json, Error> {
		let me = self.principal(ext).await?;
		let o = object(&params)?;
		let allowed: Vec<&str> = READS
			.iter()
			.find(|(name, _, _)| *name == method)
			.map(|(_, params, _)| params.iter().map(|(n, _, _)| *n).collect())
			.unwrap_or_default();
		allow_only(&o, &allowed, method)?;
		let forbidden =
			|what: &str| Error::Forbidden(format!("{} may not read {what}", me.participant));
		match method {
			"scf_whoami" => Ok(json!({
				"participant": me.participant,
				"keyId": me.key_id,
				"readsEverything": me.regulator,
				"custodial": self.store.custody(&me.participant).await?.is_some(),
			})),
			"scf_getCertificate" => {
				let id =
					uint(&o, "id")?.ok_or_else(|| Error::BadParams("`id` is required".into()))?;
				let c = self
					.index
					.certificate(id)
					.await?
					.ok_or_else(|| Error::NotFound(format!("certificate #{id}")))?;
				if !me.may_read(&[
					str_of(&c, "holder"),
					str_of(&c, "issuer"),
					str_of(&c, "financier"),
				]) {
					return Err(forbidden(&format!("certificate #{id}")));
				}
				Ok(c)
			},
			"scf_getLineage" => {
				let root = uint(&o, "root")?
					.ok_or_else(|| Error::BadParams("`root` is required".into()))?;
				let all = self.index.lineage(root, Page::new(0, Page::MAX)?).await?;
				let Some(first) = all.iter().find(|c| c["id"] == root) else {
					return Err(Error::NotFound(format!("root #{root}")));
				};
				if me.may_read(&[str_of(first, "issuer")]) {
					return Ok(all.into());
				}
				let visible = lineage_view(&all, &me.participant);
				if visible.is_empty() {
					return Err(forbidden(&format!("root #{root}")));
				}
				Ok(visible.into())
			},
			"scf_getHoldings" => {
				let who = account_or_own(&o, "account", &me)?;
				if !me.may_read(&[&who]) {
					return Err(forbidden("another participant's holdings"));
				}
				let filter = text(&o, "filter")?.map(Holding::parse).transpose()?;
				Ok(self.index.holdings(&who, filter, page(&o)?).await?.into())
			},
			"scf_getFinancing" => {
				let of = match (uint(&o, "certificate")?, text(&o, "account")?) {
					(Some(id), None) => {
						let c = self
							.index
							.certificate(id)
							.await?
							.ok_or_else(|| Error::NotFound(format!("certificate #{id}")))?;
						if !me.may_read(&[
							str_of(&c, "holder"),
							str_of(&c, "issuer"),
							str_of(&c, "financier"),
						]) {
							return Err(forbidden(&format!("certificate #{id}")));
						}
						FinancingOf::Certificate(id)
					},
					(None, _) => {
						let who = account_or_own(&o, "account", &me)?;
						if !me.may_read(&[&who]) {
							return Err(forbidden("another participant's financing"));
						}
						return Ok(self
							.index
							.financing(FinancingOf::Account(&who), page(&o)?)
							.await?
							.into());
					},
					(Some(_), Some(_)) => {
						return Err(Error::BadParams(
							"give one of `certificate` or `account`".into(),
						))
					},
				};
				Ok(self.index.financing(of, page(&o)?).await?.into())
			},
			"scf_getCoreExposure" => {
				let who = account_or_own(&o, "core", &me)?;
				if !me.may_read(&[&who]) {
					return Err(forbidden("another core enterprise's exposure"));
				}
				Ok(self.index.core_exposure(&who).await?)
			},
			"scf_getFinancierExposure" => {
				let who = account_or_own(&o, "financier", &me)?;
				if !me.may_read(&[&who]) {
					return Err(forbidden("another financier's exposure"));
				}
				Ok(self.index.financier_exposure(&who).await?)
			},
			"scf_getOverdue" => {
				let page = page(&o)?;
				let list = if me.regulator {
					self.index.overdue(page).await?
				} else {
					self.index.overdue_of(&me.participant, page).await?
				};
				Ok(list.into())
			},
			"scf_listParticipants" => {
				let list = self.index.participants(page(&o)?).await?;
				Ok(list
					.into_iter()
					.map(|p| {
						json!({ "account": p["account"], "name": p["name"], "roles": p["roles"],
						"suspended": p["suspended"] })
					})
					.collect::<Vec<_>>()
					.into())
			},
			"scf_getLimits" => self.chain.limits().await,
			"scf_getWrite" => {
				let key = text(&o, IDEMPOTENCY_KEY)?
					.ok_or_else(|| Error::BadParams(format!("`{IDEMPOTENCY_KEY}` is required")))?;
				let row = self
					.store
					.write(&me.participant, key)
					.await?
					.ok_or_else(|| Error::NotFound(format!("no write under key {key:?}")))?;
				let mut answer = progress(&row);
				// In a block not final yet: the best state has used its
				// nonce (by it, or by another transaction of the signer,
				// which the follower then reports as failed).
				if row.state == state::SUBMITTED {
					let signer = crate::account_id(&row.participant)?;
					let best = self.chain.best_nonce(AsRef::<[u8; 32]>::as_ref(&signer)).await?;
					if best > row.nonce {
						answer["status"] = state::IN_BLOCK.into();
					}
				}
				if let Some(outcome) = row.outcome.as_deref() {
					answer["outcome"] = serde_json::from_str(outcome).unwrap_or(Json::Null);
				}
				Ok(answer)
			},
			other => Err(Error::NotFound(format!("method {other}"))),
		}
	}
}

/// The idempotency key of a write's parameters, and whether to wait for
/// finality.
fn key_and_wait(w: &Write, params: &Map<String, Json>) -> Result<(String, bool), Error> {
	let key = match text(params, IDEMPOTENCY_KEY)? {
		Some(k) if !k.is_empty() && k.len() <= 128 => k.to_string(),
		_ => {
			return Err(Error::BadParams(format!(
				"{}: `{IDEMPOTENCY_KEY}` (1 to 128 characters) is required: the same key always \
				 gets the same result",
				w.method
			)))
		},
	};
	let wait_final = match text(params, WAIT)? {
		None | Some("finalized") => true,
		Some("submitted") => false,
		Some(other) => {
			return Err(Error::BadParams(format!(
				"`wait`: \"finalized\" (the default) or \"submitted\", not {other:?}"
			)))
		},
	};
	Ok((key, wait_final))
}

/// What a prepared transaction does, in words, for the signer to read.
fn statement(w: &Write, params: &Map<String, Json>, signer: &str, u: &Unsigned) -> String {
	let fields: Vec<String> = w
		.params
		.iter()
		.filter_map(|p| params.get(p.name).map(|v| format!("{} = {v}", p.name)))
		.collect();
	format!(
		"{signer} signs {} ({}::{}): {}. {} Nonce {}, valid until block #{}.",
		w.method,
		w.pallet,
		w.call,
		fields.join(", "),
		w.summary,
		u.nonce,
		u.valid_until()
	)
}

/// The digest an idempotency record keeps of a request: SM3 of the method
/// and its canonical parameters, without the key and `wait`.
pub fn request_digest(method: &str, params: &Map<String, Json>) -> String {
	let mut canon = params.clone();
	canon.remove(IDEMPOTENCY_KEY);
	canon.remove(WAIT);
	secrets::sm3_hex(format!("{method}\n{}", calls::canonical(&Json::Object(canon))).as_bytes())
}

/// The idempotency record of a freshly signed write, before submission.
fn signed_row(
	participant: &str,
	key: &str,
	digest: &str,
	method: &str,
	signed: Signed,
) -> WriteRow {
	WriteRow {
		participant: participant.into(),
		key: key.into(),
		digest: digest.into(),
		method: method.into(),
		nonce: signed.nonce,
		extrinsic: signed.bytes,
		hash: signed.hash,
		signed_at: signed.signed_at,
		valid_until: signed.valid_until,
		state: state::SIGNED.into(),
		outcome: None,
	}
}

/// The progress of a write that is not final (or is).
fn progress(row: &WriteRow) -> Json {
	json!({
		"status": row.state,
		"hash": row.hash,
		"idempotencyKey": row.key,
		"method": row.method,
		"nonce": row.nonce,
	})
}

/// What of a lineage `me` may see: the certificates it holds, held or
/// finances, every certificate on the path from them to the root, and the
/// parts it split off them (it chose their receivers; their own splits stay
/// hidden).
fn lineage_view(all: &[Json], me: &str) -> Vec<Json> {
	let by_id: HashMap<u64, &Json> =
		all.iter().filter_map(|c| c["id"].as_u64().map(|id| (id, c))).collect();
	let mut keep = std::collections::BTreeSet::new();
	for c in all {
		let mine = [str_of(c, "holder"), str_of(c, "financier")]
			.iter()
			.any(|a| a.eq_ignore_ascii_case(me));
		if !mine {
			continue;
		}
		let id = c["id"].as_u64();
		keep.extend(
			all.iter().filter(|k| k["parent"].as_u64() == id).filter_map(|k| k["id"].as_u64()),
		);
		let mut at = id;
		while let Some(id) = at {
			if !keep.insert(id) {
				break;
			}
			at = by_id.get(&id).and_then(|c| c["parent"].as_u64());
		}
	}
	all.iter().filter(|c| c["id"].as_u64().is_some_and(|id| keep.contains(&id))).cloned().collect()
}

/// The whole API over `bridge`.
pub fn module(bridge: Arc<Bridge>) -> RpcModule<Arc<Bridge>> {
	let mut m = RpcModule::new(bridge);
	for w in calls::WRITES {
		m.register_async_method(w.method, move |params, bridge, ext| async move {
			bridge.write(w, params, &ext).await.map_err(jsonrpsee::types::ErrorObjectOwned::from)
		})
		.expect("write method names are unique");
	}
	for (name, _, _) in READS {
		let name: &'static str = name;
		m.register_async_method(name, move |params, bridge, ext| async move {
			bridge.read(name, params, &ext).await.map_err(jsonrpsee::types::ErrorObjectOwned::from)
		})
		.expect("read method names are unique");
	}
	m.register_subscription(
		"scf_subscribeEvents",
		"scf_event",
		"scf_unsubscribeEvents",
		|params, pending, bridge, ext| async move { bridge.follow(params, pending, &ext).await },
	)
	.expect("scf_subscribeEvents is registered once");
	m.register_async_method("scf_prepare", |params, bridge, ext| async move {
		bridge.prepare(params, &ext).await.map_err(jsonrpsee::types::ErrorObjectOwned::from)
	})
	.expect("scf_prepare is registered once");
	m.register_async_method("scf_submit", |params, bridge, ext| async move {
		bridge.submit(params, &ext).await.map_err(jsonrpsee::types::ErrorObjectOwned::from)
	})
	.expect("scf_submit is registered once");
	let document = openrpc::document();
	m.register_method("rpc.discover", move |_, _, _| {
		Ok::<Json, jsonrpsee::types::ErrorObjectOwned>(document.clone())
	})
	.expect("rpc.discover is registered once");
	m
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_lineage_shows_a_supplier_its_own_its_splits_and_the_path_to_the_root() {
		let c = |id: u64, parent: Option<u64>, holder: &str| json!({ "id": id, "parent": parent, "holder": holder, "financier": null });
		// 1 → (2 → (4, 5), 3): "b" holds 4; "c" holds 3.
		let all = vec![
			c(1, None, "a"),
			c(2, Some(1), "a"),
			c(3, Some(1), "c"),
			c(4, Some(2), "b"),
			c(5, Some(2), "d"),
		];
		let ids = |v: Vec<Json>| v.iter().map(|c| c["id"].as_u64().unwrap()).collect::<Vec<_>>();
		assert_eq!(ids(lineage_view(&all, "b")), [1, 2, 4]);
		assert_eq!(ids(lineage_view(&all, "c")), [1, 3]);
		// "a" held 1 and 2, so sees the parts it split off them.
		assert_eq!(ids(lineage_view(&all, "a")), [1, 2, 3, 4, 5]);
		assert!(lineage_view(&all, "z").is_empty());
	}
}
