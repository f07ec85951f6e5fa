//! Following the chain: finalized blocks only, each exactly once, in order.
//!
//! The finalized-block stream only wakes the follower; it then indexes every
//! block from its cursor + 1 to the finalized head by number
//! (`api.at_block(n)`), so a dropped subscription (a lagging follower is
//! dropped by the node: "Missed at least one block") or a restart just
//! resumes. Each block is decoded with its own metadata, with two
//! exceptions around a runtime upgrade applied in block U:
//!
//! - U's events were written by the old runtime, but `at_block(U)` reads
//!   the spec version from U's post-state, which is already the new one: U's
//!   events are decoded with the metadata of U − 1;
//! - U + 1 is the first block the new runtime executes, and its migrations
//!   may rewrite records without an event: at U + 1 every mirrored record is
//!   read back again, as at genesis.

use crate::{
	decode::to_json,
	metrics::Metrics,
	project::{
		BlockRows, CertificateRow, EventRow, LineRow, ParticipantRow, RequestRow, Touched,
		LEDGER_PALLETS,
	},
	store::Store,
	Error,
};
use futures::StreamExt;
use scf_client::{OnlineClient, ScfConfig};
use serde_json::Value as Json;
use std::time::{Duration, Instant};
use subxt::{dynamic::Value, events::Phase};

type Api = OnlineClient<ScfConfig>;
type AtBlock =
	subxt::client::ClientAtBlock<ScfConfig, subxt::client::OnlineClientAtBlockImpl<ScfConfig>>;

/// How many blocks the follower fetches ahead while backfilling.
const PREFETCH: usize = 16;

/// What the node says of one block, before anything of it is indexed.
struct Fetched {
	at: AtBlock,
	events: subxt::events::Events<ScfConfig>,
	timestamp_ms: u64,
}

/// Reads block `n`: the client at it, its events and its timestamp.
async fn fetch_block(api: Api, n: u64) -> Result<Fetched, Error> {
	let at = api.at_block(n).await.map_err(|e| chain_error(n)(e.to_string()))?;
	let events = at.events().fetch().await.map_err(|e| chain_error(n)(e.to_string()))?;
	let timestamp_ms = timestamp(&at).await?;
	Ok(Fetched { at, events, timestamp_ms })
}

/// Failures in a row, without a block indexed between them, after which
/// [`Follower::run`] gives up on the node (about an hour at the longest
/// pause).
pub const RECONNECT_ATTEMPTS: u32 = 720;
/// The longest pause between two attempts to reach the node again.
pub const RECONNECT_MAX_WAIT: Duration = Duration::from_secs(5);

/// Connects to the node's WebSocket RPC.
pub async fn connect(url: &str) -> Result<Api, Error> {
	OnlineClient::<ScfConfig>::from_insecure_url(url)
		.await
		.map_err(|e| Error::NodeUnreachable { url: url.into(), reason: e.to_string() })
}

/// What one [`Follower::catch_up`] indexed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CaughtUp {
	/// Blocks indexed.
	pub blocks: u64,
	/// Events in them.
	pub events: u64,
}

/// The follower: a node, a store, and where it stands.
pub struct Follower {
	api: Api,
	url: String,
	store: Store,
	metrics: Option<Metrics>,
	/// Spec versions of the last two indexed blocks (n − 1, n − 2).
	last_specs: (Option<u32>, Option<u32>),
}

fn chain_error(block: u64) -> impl Fn(String) -> Error {
	move |reason: String| {
		if reason.contains("State already discarded") || reason.contains("UnknownBlock") {
			Error::StatePruned { block, reason }
		} else {
			Error::Chain { block, reason }
		}
	}
}

impl Follower {
	/// A follower of the node at `url` into `store`. Refuses a store that
	/// indexes another chain.
	pub async fn new(url: &str, store: Store, metrics: Option<Metrics>) -> Result<Follower, Error> {
		let api = connect(url).await?;
		let genesis = format!("{:?}", api.genesis_hash());
		if let Some(indexed) = store.genesis_hash().await? {
			if indexed != genesis {
				return Err(Error::OtherChain { indexed, node: genesis });
			}
		}
		let last_specs = store.last_specs().await?;
		Ok(Follower { api, url: url.into(), store, metrics, last_specs })
	}

	/// The finalized head's number.
	pub async fn finalized_head(&self) -> Result<u64, Error> {
		let at = self
			.api
			.at_current_block()
			.await
			.map_err(|e| Error::NodeUnreachable { url: self.url.clone(), reason: e.to_string() })?;
		Ok(at.block_number())
	}

	/// Indexes every finalized block after the cursor, up to the head as it
	/// is now; returns how many.
	pub async fn catch_up(&mut self) -> Result<CaughtUp, Error> {
		let head = self.finalized_head().await?;
		let mut next = self.store.cursor().await?.map_or(0, |c| c.number + 1);
		let (start, first) = (Instant::now(), next);
		let mut events = 0u64;
		let mut last_report = Instant::now();
		// The node's answers for the next blocks are fetched ahead, several
		// at once (each takes a few round trips); what follows from them is
		// done in order, one block at a time.
		let api = self.api.clone();
		let mut ahead = futures::stream::iter(next..=head)
			.map(move |n| fetch_block(api.clone(), n))
			.buffered(PREFETCH);
		while next <= head {
			let fetched = ahead.next().await.ok_or_else(|| Error::Chain {
				block: next,
				reason: "the block stream ended early".into(),
			})??;
			let rows = self.index_fetched(next, fetched).await?;
			self.store.write_block(&rows).await?;
			events += rows.events.len() as u64;
			self.last_specs = (Some(rows.spec_version), self.last_specs.0);
			if let Some(m) = &self.metrics {
				m.indexed(next, head, rows.timestamp_ms, rows.events.len());
			}
			if last_report.elapsed() > Duration::from_secs(10) {
				let done = next + 1 - first;
				let rate = done as f64 / start.elapsed().as_secs_f64();
				let eta = (head - next) as f64 / rate.max(0.001);
				eprintln!(
					"scf-indexer: #{next} of #{head}: {rate:.1} blocks/s, about {eta:.0} s to go"
				);
				last_report = Instant::now();
			}
			next += 1;
		}
		Ok(CaughtUp { blocks: next - first, events })
	}

	/// Follows the chain until `stop` resolves: catches up, then waits for
	/// the next finalized block (or 6 s, whichever comes first) and catches
	/// up again. A dropped subscription is made again. When the node goes
	/// away (killed, restarted, a cut link) the follower waits and connects
	/// again, with a growing pause (1 s up to [`RECONNECT_MAX_WAIT`]), and
	/// goes on from its cursor: the store's transactions make that neither
	/// a gap nor a duplicate. It gives up after [`RECONNECT_ATTEMPTS`]
	/// failures in a row without a block indexed, and at once on anything
	/// but the node (the database, another chain behind the URL).
	pub async fn run(&mut self, stop: impl std::future::Future<Output = ()>) -> Result<(), Error> {
		tokio::pin!(stop);
		let mut failures = 0u32;
		loop {
			let error = match self.follow(stop.as_mut(), &mut failures).await {
				Ok(()) => return Ok(()),
				Err(e @ (Error::NodeUnreachable { .. } | Error::Chain { .. })) => e,
				Err(e) => return Err(e),
			};
			failures += 1;
			if failures > RECONNECT_ATTEMPTS {
				return Err(error);
			}
			let wait = Duration::from_secs(u64::from(failures).min(RECONNECT_MAX_WAIT.as_secs()));
			eprintln!(
				"scf-indexer: {error}; connecting to {} again in {} s (attempt {failures} of \
				 {RECONNECT_ATTEMPTS})",
				self.url,
				wait.as_secs()
			);
			tokio::select! {
				_ = stop.as_mut() => return Ok(()),
				_ = tokio::time::sleep(wait) => {},
			}
			match self.reconnect().await {
				Ok(()) => eprintln!("scf-indexer: connected to {} again", self.url),
				Err(e @ Error::NodeUnreachable { .. }) => eprintln!("scf-indexer: {e}"),
				Err(e) => return Err(e),
			}
		}
	}

	/// [`Follower::run`]'s loop on one connection; `failures` is set to 0
	/// whenever a catch-up succeeds.
	async fn follow(
		&mut self,
		mut stop: std::pin::Pin<&mut impl std::future::Future<Output = ()>>,
		failures: &mut u32,
	) -> Result<(), Error> {
		loop {
			let mut stream = self.api.stream_blocks().await.ok();
			loop {
				self.catch_up().await?;
				*failures = 0;
				let wake = async {
					match stream.as_mut() {
						Some(s) => matches!(s.next().await, Some(Ok(_))),
						None => false,
					}
				};
				tokio::select! {
					_ = stop.as_mut() => return Ok(()),
					alive = tokio::time::timeout(Duration::from_secs(6), wake) => {
						if matches!(alive, Ok(false)) {
							break; // the subscription ended or failed: make it again
						}
					}
				}
			}
		}
	}

	/// A new connection to the node at the same URL, refused if it now
	/// serves another chain.
	async fn reconnect(&mut self) -> Result<(), Error> {
		let api = connect(&self.url).await?;
		let genesis = format!("{:?}", api.genesis_hash());
		if let Some(indexed) = self.store.genesis_hash().await? {
			if indexed != genesis {
				return Err(Error::OtherChain { indexed, node: genesis });
			}
		}
		self.api = api;
		Ok(())
	}

	async fn at(&self, n: u64) -> Result<AtBlock, Error> {
		self.api.at_block(n).await.map_err(|e| chain_error(n)(e.to_string()))
	}

	/// Reads block `n` and what its events touched into rows.
	pub async fn index_block(&mut self, n: u64) -> Result<BlockRows, Error> {
		let fetched = fetch_block(self.api.clone(), n).await?;
		self.index_fetched(n, fetched).await
	}

	/// Block `n`'s rows from what [`fetch_block`] read of it.
	async fn index_fetched(&mut self, n: u64, fetched: Fetched) -> Result<BlockRows, Error> {
		let err = chain_error(n);
		let Fetched { at, events: raw, timestamp_ms } = fetched;
		let spec_version = at.spec_version();
		// The upgrade block: its events are the old runtime's.
		let upgrade_block = n > 0 && self.last_specs.0.is_some_and(|prev| prev != spec_version);
		let previous = if upgrade_block { Some(self.at(n - 1).await?) } else { None };
		let events = match &previous {
			Some(prev) => prev.events().from_bytes(raw.bytes().to_vec()),
			None => raw,
		};
		let mut rows = BlockRows {
			number: n,
			hash: format!("{:?}", at.block_hash()),
			spec_version,
			timestamp_ms,
			..Default::default()
		};
		let mut touched = Touched::default();
		for (idx, event) in events.iter().enumerate() {
			let event = event.map_err(|e| err(format!("event {idx}: {e}")))?;
			let fields = event
				.decode_fields_unchecked_as::<Value>()
				.map_err(|e| err(format!("event {idx}: {e}")))?;
			let extrinsic = match event.phase() {
				Phase::ApplyExtrinsic(i) => Some(i),
				_ => None,
			};
			let row = EventRow::new(
				idx as u32,
				extrinsic,
				event.pallet_name(),
				event.event_name(),
				event.bytes().to_vec(),
				to_json(&fields),
			);
			if LEDGER_PALLETS.contains(&row.pallet.as_str()) {
				touched.add(&row);
			}
			rows.events.push(row);
		}
		// Genesis, and the first block the new runtime executed: everything.
		let first_of_new_runtime = matches!(self.last_specs, (Some(a), Some(b)) if a != b);
		if n == 0 || first_of_new_runtime {
			self.snapshot(&at, &mut rows).await?;
		} else {
			self.read_touched(&at, touched, &mut rows).await?;
		}
		Ok(rows)
	}

	/// Every mirrored record at `at`.
	async fn snapshot(&self, at: &AtBlock, rows: &mut BlockRows) -> Result<(), Error> {
		let n = at.block_number();
		for (key, record) in iterate(at, "Participants", "Participants").await? {
			let account = key.as_str().map(str::to_owned).unwrap_or_default();
			rows.participants.push(ParticipantRow::from_record(account, record));
		}
		for (key, record) in iterate(at, "Participants", "Lines").await? {
			let core = key.as_str().map(str::to_owned).unwrap_or_default();
			rows.lines.push((core, LineRow::from_record(&record)));
		}
		for (_, record) in iterate(at, "Receivables", "Certificates").await? {
			rows.certificates.push(CertificateRow::from_record(record).ok_or_else(|| {
				Error::Chain { block: n, reason: "a certificate record without its fields".into() }
			})?);
		}
		for (key, record) in iterate(at, "Financing", "Requests").await? {
			let id = crate::decode::as_u128(&key).unwrap_or(0) as u64;
			rows.requests.extend(RequestRow::from_record(id, record));
		}
		Ok(())
	}

	/// The records `touched` names, as they are at `at`.
	async fn read_touched(
		&self,
		at: &AtBlock,
		mut touched: Touched,
		rows: &mut BlockRows,
	) -> Result<(), Error> {
		let n = at.block_number();
		for root in &touched.roots {
			touched.certificates.extend(self.store.certificates_of_root(*root).await?);
		}
		for who in &touched.participants {
			if let Some(record) =
				fetch(at, "Participants", "Participants", account_key(who)?).await?
			{
				rows.participants.push(ParticipantRow::from_record(who.clone(), record));
			}
		}
		for core in &touched.lines {
			let record = fetch(at, "Participants", "Lines", account_key(core)?).await?;
			rows.lines
				.push((core.clone(), record.map(|r| LineRow::from_record(&r)).unwrap_or_default()));
		}
		for id in &touched.certificates {
			if let Some(record) =
				fetch(at, "Receivables", "Certificates", Value::u128(*id as u128)).await?
			{
				rows.certificates.push(CertificateRow::from_record(record).ok_or_else(|| {
					Error::Chain { block: n, reason: format!("certificate #{id} lacks its fields") }
				})?);
			}
		}
		for id in &touched.requests {
			if let Some(record) =
				fetch(at, "Financing", "Requests", Value::u128(*id as u128)).await?
			{
				rows.requests.extend(RequestRow::from_record(*id, record));
			}
		}
		Ok(())
	}
}

/// An account id (`0x` + 64 hex digits) as a storage key value.
fn account_key(hex_id: &str) -> Result<Value, Error> {
	let bytes = hex::decode(hex_id.trim_start_matches("0x"))
		.ok()
		.filter(|b| b.len() == 32)
		.ok_or_else(|| Error::Corrupt(format!("not an account id: {hex_id}")))?;
	Ok(Value::from_bytes(bytes))
}

/// The block's timestamp (`Timestamp::Now`; 0 at genesis).
async fn timestamp(at: &AtBlock) -> Result<u64, Error> {
	let addr = subxt::dynamic::storage::<(), Value>("Timestamp", "Now");
	let value = at
		.storage()
		.try_fetch(addr, ())
		.await
		.map_err(|e| chain_error(at.block_number())(e.to_string()))?;
	Ok(match value {
		Some(v) => {
			let v = v.decode_as::<Value>().map_err(|e| Error::Corrupt(e.to_string()))?;
			crate::decode::as_u128(&to_json(&v)).unwrap_or(0) as u64
		},
		None => 0,
	})
}

/// One map entry, decoded; `None` if absent.
async fn fetch(at: &AtBlock, pallet: &str, entry: &str, key: Value) -> Result<Option<Json>, Error> {
	let n = at.block_number();
	let addr = subxt::dynamic::storage::<(Value,), Value>(pallet, entry);
	let value =
		at.storage().try_fetch(addr, (key,)).await.map_err(|e| chain_error(n)(e.to_string()))?;
	value
		.map(|v| v.decode_as::<Value>().map(|v| to_json(&v)))
		.transpose()
		.map_err(|e| Error::Chain { block: n, reason: format!("{pallet}::{entry}: {e}") })
}

/// Every entry of a one-key map: (key, value), decoded.
async fn iterate(at: &AtBlock, pallet: &str, entry: &str) -> Result<Vec<(Json, Json)>, Error> {
	let n = at.block_number();
	let err = |e: String| Error::Chain { block: n, reason: format!("{pallet}::{entry}: {e}") };
	let addr = subxt::dynamic::storage::<(Value,), Value>(pallet, entry);
	let mut entries =
		at.storage().iter(addr, ()).await.map_err(|e| chain_error(n)(e.to_string()))?;
	let mut out = Vec::new();
	while let Some(kv) = entries.next().await {
		let kv = kv.map_err(|e| err(e.to_string()))?;
		let key = kv.key().map_err(|e| err(e.to_string()))?;
		let key = key
			.part(0)
			.and_then(|p| p.decode_as::<Value>().ok().flatten())
			.map(|v| to_json(&v))
			.unwrap_or(Json::Null);
		let value = kv.value().decode_as::<Value>().map_err(|e| err(e.to_string()))?;
		out.push((key, to_json(&value)));
	}
	Ok(out)
}
