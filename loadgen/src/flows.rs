//! The financing-flow workload: a supplier asks a bank to factor an opening
//! certificate (pre-signed, submitted like the other workloads); each later
//! step is signed when the previous one is seen in a best block — the bank
//! offers, the supplier accepts the exact terms, the bank confirms the
//! payout — spread over the four banks. A flow is complete when its
//! `PayoutConfirmed` is in a finalized block; its latency runs from the
//! request's submission.

use crate::{
	cast::{Cast, Signer, ROOT_AMOUNT},
	chain::{now_ms, Chain, Tx},
	error::Result,
	follow::{events, Seen},
	rpc::Endpoint,
	workload::{self, Sent, Submitted},
};
use pallet_financing::{Event as Financing, FinancingKind, RequestId, Terms};
use pallet_receivables::CertificateId;
use scf_runtime::{AccountId, RuntimeCall, RuntimeEvent};
use std::{
	collections::{BTreeMap, HashMap},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

/// What the flows did.
pub struct Flows {
	pub requests: Submitted,
	/// Complete flows, seen finalized.
	pub completed: Vec<Seen>,
	/// Follow-up transactions signed and handed over, by step, and refused.
	pub steps: BTreeMap<&'static str, usize>,
	pub refused: BTreeMap<String, usize>,
}

fn terms(now: u64) -> Terms {
	Terms {
		advance: ROOT_AMOUNT / 2,
		discount_bps: 450,
		recourse: false,
		expires: now + 24 * 3_600_000,
		payout_by: now + 48 * 3_600_000,
	}
}

/// Runs up to `each` flows per supplier.
pub async fn run(
	nodes: Arc<Vec<Endpoint>>,
	chain: Chain,
	cast: Cast,
	each: usize,
	rate: f64,
	duration: Duration,
	settle: Duration,
) -> Result<Flows> {
	let lanes = nodes.len();
	let Cast { mut suppliers, mut banks, .. } = cast;
	let bank_accounts: Vec<AccountId> = banks.iter().map(|b| b.key.account()).collect();
	// The requests, pre-signed: supplier i asks bank i mod 4.
	let mut by_hash: HashMap<CertificateId, [u8; 32]> = HashMap::new();
	let mut per_sender = Vec::new();
	for (i, s) in suppliers.iter_mut().enumerate() {
		let mut mine = Vec::new();
		for certificate in workload::take(&mut s.certificates, each) {
			let call = RuntimeCall::Financing(pallet_financing::Call::request {
				certificate,
				financier: bank_accounts[i % bank_accounts.len()].clone(),
				wanted_advance: ROOT_AMOUNT / 2,
				kind: FinancingKind::Factoring,
			});
			let tx = chain.sign(&s.key, s.nonce, call, i % lanes);
			s.nonce += 1;
			by_hash.insert(certificate, tx.hash);
			mine.push(tx);
		}
		per_sender.push(mine);
	}
	let requests: Vec<Tx> = per_sender.into_iter().flatten().collect();
	let holders: HashMap<AccountId, usize> =
		suppliers.iter().enumerate().map(|(i, s)| (s.account.clone(), i)).collect();
	let mut signers: Vec<Signer> =
		suppliers.into_iter().map(|s| Signer { key: s.key, nonce: s.nonce }).collect();
	let sent: Sent = Default::default();
	let stop = Arc::new(AtomicBool::new(false));
	let terms = terms(now_ms());

	// The reactor, on best blocks: each seen step is answered by the next.
	let reactor = {
		let (nodes, stop) = (nodes.clone(), stop.clone());
		tokio::spawn(async move {
			let node = &nodes[0];
			let mut steps: BTreeMap<&'static str, usize> = BTreeMap::new();
			let mut refused: BTreeMap<String, usize> = BTreeMap::new();
			let mut ours: HashMap<RequestId, CertificateId> = HashMap::new();
			let mut last = node.best_number().await?;
			while !stop.load(Ordering::Relaxed) {
				let best = node.best_number().await?;
				for n in last + 1..=best {
					let Some(hash) = node.block_hash(n).await? else { continue };
					for record in events(node, &hash).await? {
						let RuntimeEvent::Financing(e) = record.event else { continue };
						let (step, tx) = match e {
							Financing::Requested {
								request,
								certificate,
								holder,
								financier,
								..
							} if holders.contains_key(&holder) => {
								ours.insert(request, certificate);
								let b =
									bank_accounts.iter().position(|a| *a == financier).unwrap_or(0);
								let call = RuntimeCall::Financing(pallet_financing::Call::offer {
									request,
									terms,
								});
								("offer", banks[b].next(&chain, call, b))
							},
							Financing::Offered { request, holder, .. }
								if ours.contains_key(&request) =>
							{
								let s = holders[&holder];
								let call =
									RuntimeCall::Financing(pallet_financing::Call::accept_offer {
										request,
										terms,
									});
								("accept", signers[s].next(&chain, call, s))
							},
							Financing::OfferAccepted { request, financier, .. }
								if ours.contains_key(&request) =>
							{
								let b =
									bank_accounts.iter().position(|a| *a == financier).unwrap_or(0);
								let call = RuntimeCall::Financing(
									pallet_financing::Call::confirm_payout {
										request,
										payment_ref: format!("LOAD-{request}")
											.into_bytes()
											.try_into()
											.expect("a short payment reference"),
									},
								);
								("payout", banks[b].next(&chain, call, b))
							},
							_ => continue,
						};
						match nodes[tx.lane % nodes.len()].submit(&tx.bytes).await {
							Ok(()) => *steps.entry(step).or_default() += 1,
							Err(e) => {
								*refused.entry(format!("{step}: {}", short(&e))).or_default() += 1
							},
						}
					}
					last = n;
				}
				tokio::time::sleep(Duration::from_millis(250)).await;
			}
			Ok::<_, crate::error::Error>((steps, refused, ours))
		})
	};

	// The requests, and the finalized blocks for complete flows.
	let head = nodes[0].finalized_head().await?;
	let from = nodes[0].header_number(&head).await?;
	let submitted = workload::submit(nodes.clone(), requests, rate, duration, sent.clone()).await;
	let times: HashMap<CertificateId, Instant> = {
		let sent = sent.lock().unwrap_or_else(|e| e.into_inner());
		by_hash.iter().filter_map(|(c, h)| Some((*c, *sent.get(h)?))).collect()
	};
	let node = &nodes[0];
	let mut completed = Vec::new();
	let (mut at, mut news) = (from, Instant::now());
	while completed.len() < submitted.count && news.elapsed() < settle {
		let head = node.finalized_head().await?;
		let head = node.header_number(&head).await?;
		for n in at + 1..=head {
			let Some(hash) = node.block_hash(n).await? else { continue };
			let now = Instant::now();
			for record in events(node, &hash).await? {
				if let RuntimeEvent::Financing(Financing::PayoutConfirmed { certificate, .. }) =
					record.event
				{
					if let Some(t) = times.get(&certificate) {
						completed.push(Seen { latency: now.duration_since(*t), at: now, ok: true });
						news = now;
					}
				}
			}
			at = n;
		}
		tokio::time::sleep(Duration::from_millis(500)).await;
	}
	stop.store(true, Ordering::Relaxed);
	let (steps, refused, _) = reactor
		.await
		.map_err(|e| crate::error::Error::Setup(format!("the flow reactor stopped: {e}")))??;
	Ok(Flows { requests: submitted, completed, steps, refused })
}

fn short(text: &str) -> String {
	text.chars().filter(|c| !c.is_ascii_digit()).take(120).collect()
}
