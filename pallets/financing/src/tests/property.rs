//! Property test: long random sequences that mix ledger calls (issue,
//! accept, split-transfer, settle, freeze, time passing with overdue sweeps)
//! with financing calls, valid and invalid, checking both pallets'
//! invariants after every call, and that every refused call left both
//! pallets' storage and the events exactly as they were.
//!
//! - `SCF_PROPTEST_CALLS`: calls per run (default 10 000);
//! - `SCF_PROPTEST_SEQUENCE`: calls per sequence (default 1 000);
//! - `SCF_PROPTEST_SEED`: the seed (default: `DEFAULT_SEED`, fixed so that CI
//!   is repeatable; always printed; set it to explore other sequences).
//!
//! Financing operations are called through their `do_*` helpers *without* a
//! storage layer, so "refused calls change nothing" tests this pallet's
//! check-before-write discipline (and the ledger's), not FRAME's
//! transactional dispatch. Ledger calls go through their extrinsics.

use super::*;
use pallet_receivables::{Certificates, RootState, Roots};
use sp_runtime::DispatchError;

use scf_primitives::testing::Rng;

const SUPPLIERS: [AccountId; 3] = [S1, S2, S3];
const BANKS: [AccountId; 2] = [BANK, BANK2];
const EVERYONE: [AccountId; 10] =
	[CORE, S1, S2, S3, BANK, BANK2, REG, SUSPENDED_BANK, SUSPENDED, OUTSIDER];

fn env_u64(name: &str) -> Option<u64> {
	std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

/// What can be done next: (id, the right actor) pairs.
#[derive(Default)]
struct Survey {
	pending: Vec<(CertificateId, AccountId)>,
	active: Vec<(CertificateId, AccountId)>,
	live: Vec<(CertificateId, AccountId)>,
	frozen: Vec<(CertificateId, AccountId)>,
	/// (root, issuer) of outstanding roots past their due date.
	matured: Vec<(CertificateId, AccountId)>,
	/// Requests by stage: (request, holder) and (request, financier).
	by_holder: [Vec<(RequestId, AccountId)>; 5],
	by_financier: [Vec<(RequestId, AccountId)>; 5],
}

fn survey() -> Survey {
	let mut s = Survey::default();
	for (_, c) in Certificates::<Test>::iter() {
		match &c.status {
			Status::Live(Standing::PendingAcceptance { .. }) => s.pending.push((c.id, c.holder)),
			Status::Live(Standing::Active) => s.active.push((c.id, c.holder)),
			Status::Frozen { .. } => s.frozen.push((c.id, REG)),
			_ => {},
		}
		if c.status.is_live() {
			s.live.push((c.id, REG));
		}
	}
	for (id, r) in Roots::<Test>::iter() {
		if r.state == RootState::Outstanding && r.due <= now() {
			s.matured.push((id, r.issuer));
		}
	}
	for (id, r) in Requests::<Test>::iter() {
		let i = r.state.stage() as usize;
		if i < 5 {
			s.by_holder[i].push((id, r.holder));
			s.by_financier[i].push((id, r.financier));
		}
	}
	s
}

/// Mostly an entry of `v` with its right actor (sometimes another), else
/// any id with a random actor.
fn target(rng: &mut Rng, v: &[(u64, AccountId)], next_id: u64) -> (u64, AccountId) {
	if !v.is_empty() && rng.chance(88) {
		let (id, who) = rng.pick(v);
		let who = if rng.chance(92) { who } else { rng.pick(&EVERYONE) };
		(id, who)
	} else {
		(rng.below(next_id + 2), rng.pick(&EVERYONE))
	}
}

fn amount(rng: &mut Rng, max: Amount) -> Amount {
	match rng.below(12) {
		0 => 0,
		1 => max.saturating_add(1),
		2 => max,
		_ => 1 + rng.below(max.max(1) as u64) as u128,
	}
}

fn financier(rng: &mut Rng) -> AccountId {
	if rng.chance(92) {
		rng.pick(&BANKS)
	} else {
		rng.pick(&EVERYONE)
	}
}

fn amount_of(id: CertificateId) -> Amount {
	Certificates::<Test>::get(id).map(|c| c.amount).unwrap_or(1_000)
}

fn due_of(id: RequestId) -> Moment {
	Requests::<Test>::get(id).map(|r| r.due).unwrap_or(now() + DAY)
}

fn kind(rng: &mut Rng) -> FinancingKind {
	if rng.chance(50) {
		FinancingKind::Factoring
	} else {
		FinancingKind::Pledge
	}
}

/// One random operation. Returns its name and result.
fn step(rng: &mut Rng) -> (&'static str, Result<(), DispatchError>) {
	let s = survey();
	let next_cert = pallet_receivables::NextCertificateId::<Test>::get();
	let next_req = NextRequestId::<Test>::get();
	let reason = H256::from_low_u64_be(rng.next());
	let pay = BoundedVec::truncate_from(rng.next().to_le_bytes().to_vec());
	match rng.below(100) {
		0..=7 => {
			let to = if rng.chance(92) { rng.pick(&SUPPLIERS) } else { rng.pick(&EVERYONE) };
			let a = 20 + rng.below(5_000) as u128;
			let due = now() + 1 + rng.below(60 * DAY);
			let r = Receivables::issue(o(CORE), to, a, due, Default::default());
			("issue", r)
		},
		8..=14 => {
			let (id, who) = target(rng, &s.pending, next_cert);
			("accept", Receivables::accept(o(who), id))
		},
		15..=19 => {
			let (id, who) = target(rng, &s.active, next_cert);
			let part = amount(rng, amount_of(id) / 2);
			let to = rng.pick(&SUPPLIERS);
			let parts = BoundedVec::truncate_from(vec![(to, part)]);
			let r = Receivables::split_transfer(o(who), id, parts, Default::default());
			("split_transfer", r)
		},
		20..=25 => {
			let (root, who) = target(rng, &s.matured, next_cert);
			let r = Receivables::settle(o(who), root, BoundedVec::truncate_from(b"S".to_vec()));
			("settle", r.map(|_| ()).map_err(|e| e.error))
		},
		26..=27 => {
			let (id, who) = target(rng, &s.live, next_cert);
			("freeze", Receivables::freeze(o(who), id, reason))
		},
		28..=30 => {
			let (id, who) = target(rng, &s.frozen, next_cert);
			("unfreeze", Receivables::unfreeze(o(who), id, reason))
		},
		31..=42 => {
			let (id, who) = target(rng, &s.active, next_cert);
			let adv = amount(rng, amount_of(id));
			let (fin, k) = (financier(rng), kind(rng));
			("request", Financing::do_request(who, id, fin, adv, k, None).map(|_| ()))
		},
		43..=46 => {
			let (id, who) = target(rng, &s.active, next_cert);
			let part = amount(rng, amount_of(id) / 2);
			let adv = amount(rng, part);
			let (fin, k) = (financier(rng), kind(rng));
			let r = Financing::do_request_part(who, id, part, fin, adv, k);
			("request_part", r.map(|_| ()))
		},
		47..=56 => {
			let (id, who) = target(rng, &s.by_financier[Stage::Requested as usize], next_req);
			let max = Requests::<Test>::get(id).map(|r| r.amount).unwrap_or(1_000);
			let due = due_of(id);
			let expires = match rng.below(10) {
				0 => now(),
				1 => due + 1,
				_ => (now() + 1 + rng.below(10 * DAY)).min(due),
			};
			let bps =
				if rng.chance(90) { rng.below(MAX_BPS as u64 + 1) as Bps } else { MAX_BPS + 1 };
			// The payout deadline: mostly between expiry and due date,
			// sometimes before the expiry or after the due date.
			let payout_by = match rng.below(10) {
				0 => expires.saturating_sub(1),
				1 => due + 1,
				_ => expires + rng.below(due.saturating_sub(expires) + 1),
			};
			let t = Terms { payout_by, ..terms(amount(rng, max), bps, rng.chance(50), expires) };
			("offer", Financing::do_offer(who, id, t))
		},
		57..=59 => {
			let (id, who) = target(rng, &s.by_financier[Stage::Offered as usize], next_req);
			("withdraw_offer", Financing::do_withdraw_offer(who, id))
		},
		60..=62 => {
			let i = rng.pick(&[Stage::Requested, Stage::Offered, Stage::Accepted]) as usize;
			let (id, who) = target(rng, &s.by_financier[i], next_req);
			let accepted = i == Stage::Accepted as usize;
			(
				if accepted { "decline (accepted)" } else { "decline" },
				Financing::do_decline(who, id),
			)
		},
		63..=70 => {
			let (id, who) = target(rng, &s.by_holder[Stage::Offered as usize], next_req);
			// Mostly the standing offer's terms; sometimes other terms, as
			// when the offer was withdrawn and made again after the holder
			// read it (refused: `OfferChanged`).
			let mut t = named(id);
			let name = if rng.chance(20) {
				t.recourse = !t.recourse;
				"accept_offer (other terms)"
			} else {
				"accept_offer"
			};
			(name, Financing::do_accept_offer(who, id, t))
		},
		71..=78 => {
			let (id, who) = target(rng, &s.by_financier[Stage::Accepted as usize], next_req);
			("confirm_payout", Financing::do_confirm_payout(who, id, pay))
		},
		79..=81 => {
			let i = rng.below(3) as usize;
			let (id, who) = target(rng, &s.by_holder[i], next_req);
			let accepted = i == Stage::Accepted as usize;
			(if accepted { "cancel (accepted)" } else { "cancel" }, Financing::do_cancel(who, id))
		},
		82..=85 => {
			let (id, who) = target(rng, &s.by_financier[Stage::Funded as usize], next_req);
			("exercise_recourse", Financing::do_exercise_recourse(who, id))
		},
		86..=88 => {
			let (id, who) = target(rng, &s.by_financier[Stage::InRecourse as usize], next_req);
			("confirm_repayment", Financing::do_confirm_repayment(who, id, pay))
		},
		89..=90 => {
			let (id, who) = target(rng, &s.by_financier[Stage::Funded as usize], next_req);
			("release_pledge", Financing::do_release_pledge(who, id, pay))
		},
		91..=92 => {
			// Time runs out for an accepted deal: up to its payout deadline,
			// after which only a cancel or a decline can end it.
			let accepted = &s.by_holder[Stage::Accepted as usize];
			if let Some(&(id, _)) = accepted.get(rng.below(accepted.len() as u64 + 1) as usize) {
				let payout_by = named(id).payout_by;
				if payout_by > now() {
					advance_to(payout_by, DAY);
				}
			}
			("payout deadline", Ok(()))
		},
		_ => {
			// Time passes: one block, or a longer jump with the sweeps
			// catching up over the following blocks.
			if rng.chance(70) {
				set_now(now() + rng.below(2 * 3_600_000));
				next_block();
			} else {
				advance(rng.below(4 * DAY));
			}
			("tick", Ok(()))
		},
	}
}

/// Both pallets' storage (raw) and the number of events.
type Snapshot = (Vec<(Vec<u8>, Vec<u8>)>, usize);

fn snapshot() -> Snapshot {
	let mut out = Vec::new();
	for name in [&b"Receivables"[..], &b"Financing"[..]] {
		let prefix = sp_io::hashing::twox_128(name);
		let mut key = prefix.to_vec();
		while let Some(next) = sp_io::storage::next_key(&key) {
			if !next.starts_with(&prefix) {
				break;
			}
			let value = sp_io::storage::get(&next).map(|v| v.to_vec()).unwrap_or_default();
			out.push((next.clone(), value));
			key = next;
		}
	}
	(out, System::events().len())
}

type Tally = std::collections::BTreeMap<&'static str, (u32, u32)>;

/// Runs one sequence of `calls` random calls from `seed` in fresh storage,
/// counting (succeeded, refused) per operation into `tally`. Returns how
/// many requests ended settled, lapsed and repaid.
fn run_sequence(seed: u64, calls: u64, tally: &mut Tally) -> [u32; 3] {
	let mut rng = Rng(seed);
	new_test_ext().execute_with(|| {
		for i in 0..calls {
			System::reset_events();
			let before = snapshot();
			let (name, result) = step(&mut rng);
			let e = tally.entry(name).or_default();
			match result {
				Ok(()) => e.0 += 1,
				Err(err) => {
					e.1 += 1;
					assert!(
						before == snapshot(),
						"call {i} ({name}) failed with {err:?} but changed state (sequence seed {seed})"
					);
				},
			}
			if let Err(e) = check_invariants() {
				panic!("call {i} ({name}) broke an invariant: {e:?} (sequence seed {seed})");
			}
		}
		let mut ends = [0; 3];
		for (_, r) in Requests::<Test>::iter() {
			match r.state {
				RequestState::Settled { .. } => ends[0] += 1,
				RequestState::Lapsed { .. } => ends[1] += 1,
				RequestState::Repaid { .. } => ends[2] += 1,
				_ => {},
			}
		}
		ends
	})
}

/// The seed when `SCF_PROPTEST_SEED` is not set.
const DEFAULT_SEED: u64 = 1;

/// `SCF_PROPTEST_CALLS` calls in all (default 10 000), in sequences of
/// `SCF_PROPTEST_SEQUENCE` calls (default 1 000), from `SCF_PROPTEST_SEED`.
/// Sequence `k` uses seed `SEED + k`; to replay a failing sequence alone,
/// set `SCF_PROPTEST_SEED` to its seed and `SCF_PROPTEST_CALLS` to the
/// sequence length.
#[test]
fn random_sequences_keep_both_pallets_invariants() {
	let calls = env_u64("SCF_PROPTEST_CALLS").unwrap_or(10_000);
	let sequence = env_u64("SCF_PROPTEST_SEQUENCE").unwrap_or(1_000).max(1);
	// A fixed default, so that CI runs the same sequences every time (the
	// coverage checks below must not depend on luck); set the variable to
	// explore others.
	let seed = env_u64("SCF_PROPTEST_SEED").unwrap_or(DEFAULT_SEED);
	println!(
		"property test: SCF_PROPTEST_SEED={seed} SCF_PROPTEST_CALLS={calls} SCF_PROPTEST_SEQUENCE={sequence}"
	);
	let mut tally = Tally::new();
	let mut ends = [0u32; 3];
	let (mut done, mut k) = (0, 0);
	while done < calls {
		let n = sequence.min(calls - done);
		let e = run_sequence(seed.wrapping_add(k), n, &mut tally);
		for i in 0..3 {
			ends[i] += e[i];
		}
		done += n;
		k += 1;
	}
	println!("{done} calls in {k} sequences; (succeeded, refused) per operation: {tally:?}");
	println!("requests ended settled / lapsed / repaid: {ends:?}");
	// The sequences must exercise the lifecycle, not only its refusals.
	if calls >= 10_000 {
		for op in [
			"request",
			"request_part",
			"offer",
			"withdraw_offer",
			"decline",
			"decline (accepted)",
			"accept_offer",
			"confirm_payout",
			"cancel",
			// Only once the payout deadline has passed.
			"cancel (accepted)",
			"exercise_recourse",
			"confirm_repayment",
			"release_pledge",
			"settle",
		] {
			assert!(
				tally.get(op).is_some_and(|(s, _)| *s > 0),
				"{op} never succeeded (seed {seed})"
			);
		}
		assert!(ends[0] > 0, "no funded request was ever settled (seed {seed})");
		// Accepting other terms than the standing offer's never succeeds,
		// and was tried.
		let other = tally.get("accept_offer (other terms)").copied().unwrap_or_default();
		assert!(other.0 == 0 && other.1 > 0, "accepts naming other terms: {other:?}");
	}
}
