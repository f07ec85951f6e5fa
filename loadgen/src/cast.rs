//! Setting up the cast the workloads spend: the four bank operators admit
//! fresh SM2 core enterprises and suppliers (and sr25519 accounts for the
//! remark baseline), each with a nonce run of its own; the banks grant the
//! core enterprises lines; the cores issue roots to the suppliers, who
//! accept them, in rounds small enough that every root is accepted before
//! the offer lapses (20 s on the `local-test` chain). Every supplier ends
//! with `certificates` opening certificates of known id, so every split of
//! the measured window spends a different one.

use crate::{
	chain::{now_ms, wait_for_nonces, Chain, Key},
	error::{Error, Result},
	rpc::Endpoint,
};
use pallet_receivables::{CertificateId, Standing, Status};
use scf_primitives::{sm2::Sm2Pair, Role};
use scf_runtime::{AccountId, Amount, RuntimeCall};
use sp_core::{sr25519, Pair as _};
use sp_keyring::Sr25519Keyring;
use std::{collections::HashSet, time::Duration};

type Certificate = pallet_receivables::CertificateOf<scf_runtime::Runtime>;

/// Most transactions one signer sends in one setup round before waiting for
/// them to be included: well within the chain's nonce window (256), and
/// small enough that a round's offers are all accepted before they lapse
/// (20 s on `local-test`). The chain spreads a round over blocks by itself
/// (one account may use 1/8 of a block).
const PER_ROUND: usize = 100;

/// The chain's nonce window (`pallet_participants::Config::NonceWindow`):
/// the pool admits at most this many of one account's transactions beyond
/// its next nonce, so a signer's pre-signed run must not be longer.
pub fn nonce_window() -> usize {
	<<scf_runtime::Runtime as pallet_participants::Config>::NonceWindow as sp_core::Get<u32>>::get()
		as usize
}
/// The amount of each root (¥1,000,000.00 in 分).
pub const ROOT_AMOUNT: Amount = 100_000_000;
const INCLUSION_LIMIT: Duration = Duration::from_secs(120);

/// How big a cast to make.
#[derive(Clone, Debug)]
pub struct Size {
	pub cores: usize,
	pub suppliers: usize,
	pub certificates: usize,
	pub remarkers: usize,
}

/// A supplier and the opening certificates it holds.
pub struct Supplier {
	pub key: Key,
	pub account: AccountId,
	pub certificates: Vec<CertificateId>,
	/// Its next unused nonce.
	pub nonce: u32,
}

pub struct Cast {
	pub suppliers: Vec<Supplier>,
	/// sr25519 participants for the remark baseline.
	pub remarkers: Vec<Signer>,
	/// The four bank operators and financiers, Alice … Dave.
	pub banks: Vec<Signer>,
}

/// One signer's run of transactions, with the nonces it counts.
pub struct Signer {
	pub key: Key,
	/// Its next unused nonce.
	pub nonce: u32,
}

impl Signer {
	pub async fn new(node: &Endpoint, key: Key) -> Result<Signer> {
		let nonce = crate::chain::nonce(node, &key.account()).await?;
		Ok(Signer { key, nonce })
	}

	/// `call` signed with the next nonce.
	pub fn next(&mut self, chain: &Chain, call: RuntimeCall, lane: usize) -> crate::chain::Tx {
		let tx = chain.sign(&self.key, self.nonce, call, lane);
		self.nonce += 1;
		tx
	}
}

/// Signs `calls` over `signers` in turn and sends them in rounds of at most
/// [`PER_ROUND`] per signer, each round included before the next is sent.
async fn in_rounds(
	nodes: &[Endpoint],
	chain: &Chain,
	signers: &mut [Signer],
	calls: Vec<RuntimeCall>,
	what: &str,
) -> Result<()> {
	let per_round = (signers.len() * PER_ROUND).max(1);
	let mut calls = calls.into_iter().peekable();
	while calls.peek().is_some() {
		let mut txs = Vec::new();
		for (i, call) in calls.by_ref().take(per_round).enumerate() {
			let s = i % signers.len();
			txs.push(signers[s].next(chain, call, s));
		}
		submit_all(nodes, &txs).await?;
		let wanted: Vec<_> = signers.iter().map(|b| (b.key.account(), b.nonce)).collect();
		wait_for_nonces(&nodes[0], &wanted, INCLUSION_LIMIT, what).await?;
	}
	Ok(())
}

async fn submit_all(nodes: &[Endpoint], txs: &[crate::chain::Tx]) -> Result<()> {
	for tx in txs {
		nodes[tx.lane % nodes.len()].submit(&tx.bytes).await.map_err(|reason| {
			Error::Setup(format!("the pool refused a setup transaction: {reason}"))
		})?;
	}
	Ok(())
}

/// A synthetic USCC no other run is likely to have taken: `base + i`.
fn uscc(base: u32, i: usize) -> [u8; 18] {
	pallet_participants::uscc::synthetic((base + i as u32) % 1_000_000_000)
}

fn admit_call(who: &AccountId, name: String, code: [u8; 18], role: Role) -> Result<RuntimeCall> {
	Ok(RuntimeCall::Participants(pallet_participants::Call::admit {
		who: who.clone(),
		name: name.into_bytes().try_into().map_err(|_| Error::Setup("a name too long".into()))?,
		uscc: code,
		roles: vec![role].try_into().map_err(|_| Error::Setup("a role set".into()))?,
	}))
}

/// Builds the cast; `say` reports progress.
pub async fn build(
	nodes: &[Endpoint],
	chain: &Chain,
	size: &Size,
	say: impl Fn(String),
) -> Result<Cast> {
	let node = &nodes[0];
	let started = std::time::Instant::now();
	let cores: Vec<Key> =
		(0..size.cores).map(|_| Key::Sm2(Box::new(Sm2Pair::generate()))).collect();
	let suppliers: Vec<Key> =
		(0..size.suppliers).map(|_| Key::Sm2(Box::new(Sm2Pair::generate()))).collect();
	let remarkers: Vec<Key> =
		(0..size.remarkers).map(|_| Key::Sr25519(Box::new(sr25519::Pair::generate().0))).collect();

	// 1. Admission, spread over the four bank operators.
	let mut banks = Vec::new();
	for k in
		[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave]
	{
		banks.push(Signer::new(node, Key::Sr25519(Box::new(k.pair()))).await?);
	}
	let base = (now_ms() % 900_000_000) as u32;
	let members: Vec<(AccountId, Role, &str)> = cores
		.iter()
		.map(|k| (k.account(), Role::CoreEnterprise, "load core"))
		.chain(suppliers.iter().map(|k| (k.account(), Role::Supplier, "load supplier")))
		.chain(remarkers.iter().map(|k| (k.account(), Role::Supplier, "load remarker")))
		.collect();
	let mut calls = Vec::new();
	for (i, (who, role, label)) in members.iter().enumerate() {
		calls.push(admit_call(who, format!("{label} {i}"), uscc(base, i), *role)?);
	}
	in_rounds(nodes, chain, &mut banks, calls, "admission").await?;
	say(format!(
		"admitted {} participants in {:.1}s",
		members.len(),
		started.elapsed().as_secs_f64()
	));

	// 2. A line for every core enterprise, from the banks in turn.
	let calls = cores
		.iter()
		.map(|core| {
			RuntimeCall::Participants(pallet_participants::Call::grant_credit_line {
				core: core.account(),
				limit: ROOT_AMOUNT * (size.suppliers * size.certificates + 1) as Amount,
				expires_at: now_ms() + 300 * 24 * 3_600_000,
			})
		})
		.collect();
	in_rounds(nodes, chain, &mut banks, calls, "credit lines").await?;

	// 3. Roots, issued and accepted round by round.
	let mut cores: Vec<Signer> = {
		let mut v = Vec::new();
		for k in cores {
			v.push(Signer::new(node, k).await?);
		}
		v
	};
	let mut holders: Vec<Signer> = {
		let mut v = Vec::new();
		for k in suppliers {
			v.push(Signer::new(node, k).await?);
		}
		v
	};
	let mut held: Vec<Vec<CertificateId>> = vec![Vec::new(); holders.len()];
	let total = holders.len() * size.certificates;
	let per_round = (cores.len() * PER_ROUND).min(holders.len() * PER_ROUND).max(1);
	let due = now_ms() + 200 * 24 * 3_600_000;
	let mut seen: HashSet<CertificateId> = HashSet::new();
	let mut issued = 0;
	while issued < total {
		let round = per_round.min(total - issued);
		let mut txs = Vec::new();
		for i in issued..issued + round {
			let (s, c) = (i % holders.len(), i % cores.len());
			let call = RuntimeCall::Receivables(pallet_receivables::Call::issue {
				receiver: holders[s].key.account(),
				amount: ROOT_AMOUNT,
				due,
				documents: Default::default(),
			});
			txs.push(cores[c].next(chain, call, c));
		}
		submit_all(nodes, &txs).await?;
		let wanted: Vec<_> = cores.iter().map(|c| (c.key.account(), c.nonce)).collect();
		wait_for_nonces(node, &wanted, INCLUSION_LIMIT, "issuing roots").await?;
		// Accept what each supplier was offered.
		let mut txs = Vec::new();
		for (s, holder) in holders.iter_mut().enumerate() {
			let offered: Vec<Certificate> =
				node.runtime_call("ReceivablesApi_holdings", holder.key.account(), None).await?;
			for c in offered {
				let pending = matches!(c.status, Status::Live(Standing::PendingAcceptance { .. }));
				if pending && c.amount == ROOT_AMOUNT && seen.insert(c.id) {
					let call =
						RuntimeCall::Receivables(pallet_receivables::Call::accept { id: c.id });
					txs.push(holder.next(chain, call, s));
					held[s].push(c.id);
				}
			}
		}
		submit_all(nodes, &txs).await?;
		let wanted: Vec<_> = holders.iter().map(|h| (h.key.account(), h.nonce)).collect();
		wait_for_nonces(node, &wanted, INCLUSION_LIMIT, "accepting roots").await?;
		issued += round;
		say(format!(
			"{issued}/{total} opening certificates issued and accepted ({:.1}s)",
			started.elapsed().as_secs_f64()
		));
	}
	// Only what is really active now counts (an offer may have lapsed).
	let mut out = Vec::new();
	for (s, holder) in holders.into_iter().enumerate() {
		let now: Vec<Certificate> =
			node.runtime_call("ReceivablesApi_holdings", holder.key.account(), None).await?;
		let active: HashSet<CertificateId> = now
			.iter()
			.filter(|c| matches!(c.status, Status::Live(Standing::Active)))
			.map(|c| c.id)
			.collect();
		let certificates: Vec<CertificateId> =
			held[s].iter().copied().filter(|id| active.contains(id)).collect();
		out.push(Supplier {
			account: holder.key.account(),
			key: holder.key,
			certificates,
			nonce: holder.nonce,
		});
	}
	let mut remarkers_out = Vec::new();
	for k in remarkers {
		remarkers_out.push(Signer::new(node, k).await?);
	}
	let ready: usize = out.iter().map(|s| s.certificates.len()).sum();
	if ready == 0 {
		return Err(Error::Setup("no opening certificate is active".into()));
	}
	say(format!(
		"cast ready in {:.1}s: {} suppliers, {ready} opening certificates",
		started.elapsed().as_secs_f64(),
		out.len()
	));
	Ok(Cast { suppliers: out, remarkers: remarkers_out, banks })
}
