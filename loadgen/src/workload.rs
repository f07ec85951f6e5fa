//! The workloads, pre-signed before the window opens, and their
//! submission: `author_submitExtrinsic` spread over the validators' RPC,
//! every transaction of one sender through the same node, flat out or at a
//! target rate, for a set time.

use crate::{
	cast::Cast,
	chain::{Chain, Tx},
	rpc::Endpoint,
};
use pallet_receivables::CertificateId;
use scf_runtime::{Amount, RuntimeCall};
use std::{
	collections::{BTreeMap, HashMap},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};

/// When each transaction was handed to a node, by hash.
pub type Sent = Arc<Mutex<HashMap<[u8; 32], Instant>>>;

/// Up to `each` of a supplier's opening certificates, taken from it.
pub fn take(certificates: &mut Vec<CertificateId>, each: usize) -> Vec<CertificateId> {
	let n = each.min(certificates.len());
	certificates.drain(..n).collect()
}

/// SM2-signed one-part split-transfers, one per opening certificate (up to
/// `each` per supplier): each supplier passes `part` to the next supplier;
/// the order interleaves the senders so every node sees every sender's
/// nonces in order.
pub fn splits(chain: &Chain, cast: &mut Cast, part: Amount, lanes: usize, each: usize) -> Vec<Tx> {
	let n = cast.suppliers.len();
	let receivers: Vec<_> = cast.suppliers.iter().map(|s| s.account.clone()).collect();
	let mut per_sender: Vec<Vec<Tx>> = Vec::new();
	for (i, s) in cast.suppliers.iter_mut().enumerate() {
		let to = receivers[(i + 1) % n].clone();
		let mut mine = Vec::new();
		for id in take(&mut s.certificates, each) {
			let call = RuntimeCall::Receivables(pallet_receivables::Call::split_transfer {
				id,
				parts: vec![(to.clone(), part)].try_into().expect("one part is within MaxChildren"),
				documents: Default::default(),
			});
			mine.push(chain.sign(&s.key, s.nonce, call, i % lanes));
			s.nonce += 1;
		}
		per_sender.push(mine);
	}
	interleave(per_sender)
}

/// The baseline: sr25519-signed `system.remark`s of 32 bytes, `each` per
/// remarker.
pub fn remarks(chain: &Chain, cast: &mut Cast, each: usize, lanes: usize) -> Vec<Tx> {
	let mut per_sender = Vec::new();
	for (i, r) in cast.remarkers.iter_mut().enumerate() {
		let mut mine = Vec::new();
		for _ in 0..each {
			let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![0x5c; 32] });
			mine.push(chain.sign(&r.key, r.nonce, call, i % lanes));
			r.nonce += 1;
		}
		per_sender.push(mine);
	}
	interleave(per_sender)
}

fn interleave(mut per_sender: Vec<Vec<Tx>>) -> Vec<Tx> {
	let longest = per_sender.iter().map(Vec::len).max().unwrap_or(0);
	for list in per_sender.iter_mut() {
		list.reverse();
	}
	let mut out = Vec::new();
	for _ in 0..longest {
		for list in per_sender.iter_mut() {
			if let Some(tx) = list.pop() {
				out.push(tx);
			}
		}
	}
	out
}

/// What the submission did.
#[derive(Debug)]
pub struct Submitted {
	/// When the first transaction was handed over.
	pub started: Instant,
	pub count: usize,
	pub elapsed: Duration,
	/// Pool refusals by reason.
	pub refused: BTreeMap<String, usize>,
}

/// A refusal's reason without what varies (hashes, numbers).
fn reason(text: &str) -> String {
	let t = text.split("data:").next().unwrap_or(text);
	t.chars().filter(|c| !c.is_ascii_digit()).collect::<String>().trim().to_string()
}

/// Submits `txs` (rate 0: flat out; else per second overall) until all are
/// sent or `duration` is over; records each accepted one in `sent`.
pub async fn submit(
	nodes: Arc<Vec<Endpoint>>,
	txs: Vec<Tx>,
	rate: f64,
	duration: Duration,
	sent: Sent,
) -> Submitted {
	let lanes = nodes.len();
	let mut by_lane: Vec<Vec<Tx>> = vec![Vec::new(); lanes];
	for tx in txs {
		by_lane[tx.lane % lanes].push(tx);
	}
	let start = Instant::now();
	let deadline = start + duration;
	let per_lane_rate = rate / lanes as f64;
	let mut tasks = Vec::new();
	for (lane, list) in by_lane.into_iter().enumerate() {
		let (nodes, sent) = (nodes.clone(), sent.clone());
		tasks.push(tokio::spawn(async move {
			use futures::StreamExt;
			let node = &nodes[lane];
			let mut refused: BTreeMap<String, usize> = BTreeMap::new();
			let mut count = 0;
			let mut results = futures::stream::iter(list.into_iter().enumerate())
				.map(|(i, tx)| {
					let sent = sent.clone();
					async move {
						if per_lane_rate > 0.0 {
							let at = start + Duration::from_secs_f64(i as f64 / per_lane_rate);
							tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await;
						}
						if Instant::now() > deadline {
							return None;
						}
						let t = Instant::now();
						let r = node.submit(&tx.bytes).await;
						if r.is_ok() {
							sent.lock().unwrap_or_else(|e| e.into_inner()).insert(tx.hash, t);
						}
						Some(r)
					}
				})
				.buffered(32);
			while let Some(r) = results.next().await {
				match r {
					None => break,
					Some(Ok(())) => count += 1,
					Some(Err(e)) => *refused.entry(reason(&e)).or_default() += 1,
				}
			}
			(count, refused)
		}));
	}
	let mut out =
		Submitted { started: start, count: 0, elapsed: Duration::ZERO, refused: BTreeMap::new() };
	for t in tasks {
		if let Ok((count, refused)) = t.await {
			out.count += count;
			for (k, v) in refused {
				*out.refused.entry(k).or_default() += v;
			}
		}
	}
	out.elapsed = start.elapsed().min(duration);
	out
}
