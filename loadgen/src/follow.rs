//! Following finalized blocks: every extrinsic's hash is matched against
//! what was submitted, for submit → finalized latency, and the block's
//! events tell which of them the ledger refused.

use crate::{error::Result, rpc::Endpoint, workload::Sent};
use codec::Decode;
use scf_runtime::{Hash, RuntimeEvent};
use std::time::{Duration, Instant};

pub type EventRecord = frame_system::EventRecord<RuntimeEvent, Hash>;

/// One of the generator's transactions, seen in a finalized block.
#[derive(Clone, Copy, Debug)]
pub struct Seen {
	pub latency: Duration,
	pub at: Instant,
	pub ok: bool,
}

fn events_key() -> Vec<u8> {
	let mut k = sp_crypto_hashing::twox_128(b"System").to_vec();
	k.extend(sp_crypto_hashing::twox_128(b"Events"));
	k
}

/// The events of block `hash`, decoded with the runtime's own types.
pub async fn events(node: &Endpoint, hash: &str) -> Result<Vec<EventRecord>> {
	let Some(raw) = node.storage(&events_key(), hash).await? else { return Ok(Vec::new()) };
	Vec::<EventRecord>::decode(&mut &raw[..])
		.map_err(|e| crate::error::Error::Decode(format!("the events of {hash}: {e}")))
}

/// Which extrinsic indices of block `hash` failed (`System.ExtrinsicFailed`).
async fn failed(node: &Endpoint, hash: &str) -> Result<Vec<u32>> {
	Ok(events(node, hash)
		.await?
		.iter()
		.filter_map(|r| match (&r.phase, &r.event) {
			(
				frame_system::Phase::ApplyExtrinsic(i),
				RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { .. }),
			) => Some(*i),
			_ => None,
		})
		.collect())
}

/// Follows finalized blocks after `from` until `expected` of the
/// generator's transactions are seen or `until` returns true with nothing
/// new for `quiet`; returns what was seen and the last block looked at.
pub async fn follow(
	node: &Endpoint,
	sent: Sent,
	mut from: u64,
	expected: impl Fn() -> Option<usize>,
	quiet: Duration,
) -> Result<(Vec<Seen>, u64)> {
	let mut seen = Vec::new();
	let mut heads = node.finalized_heads().await?;
	let mut last_news = Instant::now();
	loop {
		let head = node.finalized_head().await?;
		let head = node.header_number(&head).await?;
		for n in from + 1..=head {
			let Some(hash) = node.block_hash(n).await? else { continue };
			let xts = node.extrinsics(&hash).await?;
			let now = Instant::now();
			let mut mine = Vec::new();
			{
				let mut sent = sent.lock().unwrap_or_else(|e| e.into_inner());
				for (i, xt) in xts.iter().enumerate() {
					if let Some(t) = sent.remove(&sp_crypto_hashing::blake2_256(xt)) {
						mine.push((i as u32, now.duration_since(t)));
					}
				}
			}
			if !mine.is_empty() {
				let bad = failed(node, &hash).await?;
				for (i, latency) in mine {
					seen.push(Seen { latency, at: now, ok: !bad.contains(&i) });
				}
				last_news = now;
			}
			from = n;
		}
		if expected().is_some_and(|e| seen.len() >= e) || last_news.elapsed() > quiet {
			return Ok((seen, from));
		}
		let _ = tokio::time::timeout(Duration::from_secs(3), heads.next()).await;
	}
}
