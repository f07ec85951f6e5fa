//! One property test over the real runtime: participants, receivables and
//! financing together, no mocks.
//!
//! From the `local_testnet` genesis (with its credit lines cut small, so
//! `LineExceeded` happens, and a second core enterprise with a line from
//! another bank), blocks run through `Executive` (`initialize_block`, the
//! timestamp, the calls, `finalize_block`: every pallet's hooks, the timer
//! sweeps included) with time advancing by a slot, hours or days. Each
//! block dispatches a few random calls of every kind, mostly by the party
//! that may make them and sometimes by someone else, with arguments drawn
//! from the ledger's current state. After every block the three pallets'
//! invariants hold, and so does the one across them: each credit line's
//! usage equals the face amounts of the outstanding roots it backs.
//! Participants are suspended and readmitted mid-sequence.
//!
//! - `SCF_RUNTIME_PROPERTY_CALLS`: calls per run (default 10,000; a long
//!   run: `SCF_RUNTIME_PROPERTY_CALLS=1000000 cargo test --release
//!   --workspace --features runtime-benchmarks --test property`, the
//!   workspace's profile and features so nothing else recompiles);
//! - `SCF_RUNTIME_PROPERTY_SEED`: the seed (default fixed, so CI repeats;
//!   always printed, and a failure names it: set it to replay).

use frame_support::{traits::Get, BoundedVec};
use pallet_financing::{FinancingKind, RequestState, Requests, Terms};
use pallet_receivables::{Certificates, RootState, Roots, Standing, Status};
use scf_runtime::{
	AccountId, Amount, Executive, Header, Moment, Runtime, RuntimeCall, RuntimeOrigin, System,
};
use sp_keyring::Sr25519Keyring as K;
use sp_runtime::traits::{Dispatchable, Header as _};
use std::collections::BTreeMap;

const DEFAULT_SEED: u64 = 0x5CF_13;
const DAY: Moment = 24 * 3600 * 1000;
const SLOT: Moment = scf_runtime::SLOT_DURATION_MS;
/// The time of the first block: a day after the presets' genesis time.
const START: Moment = scf_runtime::genesis::GENESIS_TIME + DAY;

use scf_primitives::testing::Rng;

fn env_u64(name: &str) -> Option<u64> {
	std::env::var(name).ok().and_then(|v| v.trim().replace('_', "").parse().ok())
}

/// Who is who in the `local_testnet` cast, plus the test's own.
struct Cast {
	banks: Vec<AccountId>,
	factor: AccountId,
	financiers: Vec<AccountId>,
	cores: Vec<AccountId>,
	suppliers: Vec<AccountId>,
	regulator: AccountId,
	/// All of them and one account never admitted.
	everyone: Vec<AccountId>,
}

impl Cast {
	fn new() -> Self {
		let banks: Vec<AccountId> =
			[K::Alice, K::Bob, K::Charlie, K::Dave].iter().map(|k| k.to_account_id()).collect();
		let factor = K::AliceStash.to_account_id();
		let mut financiers = banks.clone();
		financiers.push(factor.clone());
		let cores = vec![K::Eve.to_account_id(), K::CharlieStash.to_account_id()];
		let suppliers = vec![
			K::Ferdie.to_account_id(),
			K::One.to_account_id(),
			K::Two.to_account_id(),
			K::DaveStash.to_account_id(),
		];
		let regulator = K::BobStash.to_account_id();
		let mut everyone = financiers.clone();
		everyone.extend(cores.iter().cloned());
		everyone.extend(suppliers.iter().cloned());
		everyone.push(regulator.clone());
		// And one never admitted.
		everyone.push(K::EveStash.to_account_id());
		Self { banks, factor, financiers, cores, suppliers, regulator, everyone }
	}
}

fn o(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

/// The ledger as the next call sees it.
#[derive(Default)]
struct Survey {
	/// (id, receiver, sender)
	pending: Vec<(u64, AccountId, AccountId)>,
	/// (id, holder, amount, due)
	active: Vec<(u64, AccountId, Amount, Moment)>,
	/// live, not frozen (id)
	live: Vec<u64>,
	frozen: Vec<u64>,
	/// (root, issuer, due)
	outstanding: Vec<(u64, AccountId, Moment)>,
	frozen_roots: Vec<u64>,
	/// (request id, request), open or in recourse
	requests: Vec<(u64, pallet_financing::RequestOf<Runtime>)>,
}

fn survey() -> Survey {
	let mut s = Survey::default();
	for (id, c) in Certificates::<Runtime>::iter() {
		match c.status {
			Status::Live(Standing::PendingAcceptance { sender, .. }) => {
				s.pending.push((id, c.holder, sender));
				s.live.push(id);
			},
			Status::Live(Standing::Active) => {
				s.active.push((id, c.holder, c.amount, c.due));
				s.live.push(id);
			},
			Status::Live(_) => s.live.push(id),
			Status::Frozen { .. } => s.frozen.push(id),
			_ => {},
		}
	}
	for (id, r) in Roots::<Runtime>::iter() {
		if matches!(r.state, RootState::Outstanding) {
			s.outstanding.push((id, r.issuer.clone(), r.due));
			if r.frozen.is_some() {
				s.frozen_roots.push(id);
			}
		}
	}
	// Closed requests take no call but a refused one.
	s.requests = Requests::<Runtime>::iter()
		.filter(|(_, r)| r.state.stage() != pallet_financing::Stage::Closed)
		.collect();
	for v in [&mut s.live, &mut s.frozen, &mut s.frozen_roots] {
		v.sort();
	}
	s.pending.sort_by_key(|p| p.0);
	s.active.sort_by_key(|a| a.0);
	s.outstanding.sort_by_key(|r| r.0);
	s.requests.sort_by_key(|r| r.0);
	s
}

fn payref(
	rng: &mut Rng,
) -> BoundedVec<u8, <Runtime as pallet_financing::Config>::MaxPaymentRefLen> {
	BoundedVec::truncate_from(format!("PAY-{}", rng.below(1_000_000)).into_bytes())
}

fn hash(rng: &mut Rng) -> sp_core::H256 {
	sp_core::H256::from_low_u64_be(rng.next())
}

mod common;

/// The state of the `local_testnet` genesis (the test's cast is set up in
/// block 1).
fn chain() -> sp_io::TestExternalities {
	common::local_genesis()
}

/// The test's world: the chain's time, the parent hash, the random source.
struct World {
	cast: Cast,
	rng: Rng,
	now: Moment,
	parent: sp_core::H256,
	calls: u64,
	ok: BTreeMap<&'static str, u64>,
	refused: BTreeMap<&'static str, u64>,
	/// (call, error name) of every refusal seen.
	errors: std::collections::BTreeSet<(&'static str, &'static str)>,
}

impl World {
	fn begin_block(&mut self) {
		let n = System::block_number() + 1;
		let header =
			Header::new(n, Default::default(), Default::default(), self.parent, Default::default());
		let _ = Executive::initialize_block(&header);
		// Aura checks the timestamp against the slot it was told of.
		pallet_aura::CurrentSlot::<Runtime>::put(sp_consensus_aura::Slot::from(self.now / SLOT));
		pallet_timestamp::Pallet::<Runtime>::set_timestamp(self.now);
	}

	fn end_block(&mut self) {
		let header = Executive::finalize_block();
		self.parent = header.hash();
		// Mostly a slot; sometimes hours; now and then days (offers lapse
		// after 7, certificates fall due within 60).
		let r = self.rng.below(100);
		self.now += if r < 70 {
			SLOT
		} else if r < 95 {
			self.rng.below(6 * 3600 * 1000) + SLOT
		} else {
			self.rng.below(4 * DAY) + SLOT
		};
	}

	fn dispatch(&mut self, label: &'static str, origin: RuntimeOrigin, call: RuntimeCall) {
		self.calls += 1;
		match call.dispatch(origin) {
			Ok(_) => *self.ok.entry(label).or_default() += 1,
			Err(e) => {
				*self.refused.entry(label).or_default() += 1;
				let name = match e.error {
					sp_runtime::DispatchError::Module(m) => m.message.unwrap_or("?"),
					other => other.into(),
				};
				self.errors.insert((label, name));
			},
		}
	}

	/// Mostly `right`, sometimes anyone.
	fn by(&mut self, right: &AccountId) -> AccountId {
		if self.rng.chance(85) {
			right.clone()
		} else {
			self.rng.pick(&self.cast.everyone)
		}
	}

	fn amount(&mut self) -> Amount {
		let min: Amount = <Runtime as pallet_receivables::Config>::MinAmount::get();
		min * (1 + self.rng.below(60) as Amount)
	}

	/// One random call.
	fn step(&mut self) {
		use pallet_financing::Call as F;
		use pallet_participants::Call as P;
		use pallet_receivables::Call as R;
		let s = survey();
		let min: Amount = <Runtime as pallet_receivables::Config>::MinAmount::get();
		let ids = Certificates::<Runtime>::iter_keys().count() as u64;
		// A live id if there is one, else any (perhaps unknown) id.
		let some_id =
			|rng: &mut Rng, from: &[u64]| rng.try_pick(from).unwrap_or(rng.below(ids + 3));
		match self.rng.below(100) {
			// Participants: status changes and credit lines.
			0..=1 => {
				let who = self.rng.pick(&self.cast.suppliers);
				let call =
					if self.rng.chance(50) { P::suspend { who } } else { P::readmit { who } };
				let operator = self.cast.banks[0].clone();
				let by = self.by(&operator);
				self.dispatch(
					"participants.suspend/readmit",
					o(&by),
					RuntimeCall::Participants(call),
				);
			},
			2 => {
				let core = self.rng.pick(&self.cast.cores);
				let fin = self.rng.pick(&self.cast.financiers);
				let limit = self.amount() * 20;
				let call = P::amend_credit_line { core, limit, expires_at: START + 400 * DAY };
				self.dispatch(
					"participants.amend_credit_line",
					o(&fin),
					RuntimeCall::Participants(call),
				);
			},
			// Receivables.
			3..=17 => {
				let core = self.rng.pick(&self.cast.cores);
				let receiver = self.rng.pick(&self.cast.suppliers);
				let amount = self.amount();
				let due = self.now + DAY + self.rng.below(60 * DAY);
				let by = self.by(&core);
				let call = R::issue { receiver, amount, due, documents: Default::default() };
				self.dispatch("receivables.issue", o(&by), RuntimeCall::Receivables(call));
			},
			18..=29 => {
				let Some((id, receiver, sender)) = self.rng.try_pick(&s.pending) else { return };
				let (label, call, right) = match self.rng.below(10) {
					0..=6 => ("receivables.accept", R::accept { id }, receiver),
					7..=8 => ("receivables.reject", R::reject { id }, receiver),
					_ => ("receivables.revoke", R::revoke { id }, sender),
				};
				let by = self.by(&right);
				self.dispatch(label, o(&by), RuntimeCall::Receivables(call));
			},
			30..=44 => {
				let Some((id, holder, amount, _)) = self.rng.try_pick(&s.active) else { return };
				let n = 1 + self.rng.below(2) as usize;
				let receivers: Vec<AccountId> =
					self.cast.suppliers.iter().filter(|a| **a != holder).take(n).cloned().collect();
				let most = (amount / 2).max(min);
				let parts: Vec<(AccountId, Amount)> = receivers
					.into_iter()
					.map(|to| (to, min + self.rng.below((most - min + 1) as u64) as Amount))
					.collect();
				let by = self.by(&holder);
				let call = R::split_transfer {
					id,
					parts: BoundedVec::truncate_from(parts),
					documents: Default::default(),
				};
				self.dispatch("receivables.split_transfer", o(&by), RuntimeCall::Receivables(call));
			},
			45..=50 => {
				let Some((root, issuer, _)) = self.rng.try_pick(&s.outstanding) else { return };
				let by = self.by(&issuer);
				let payment_ref = BoundedVec::truncate_from(b"SETTLE".to_vec());
				let call = R::settle { root, payment_ref };
				self.dispatch("receivables.settle", o(&by), RuntimeCall::Receivables(call));
			},
			51..=54 => {
				let reason = hash(&mut self.rng);
				let rng = &mut self.rng;
				let (label, call) = match rng.below(4) {
					0 => ("receivables.freeze", R::freeze { id: some_id(rng, &s.live), reason }),
					1 => (
						"receivables.unfreeze",
						R::unfreeze { id: some_id(rng, &s.frozen), reason },
					),
					2 => {
						let roots: Vec<u64> = s.outstanding.iter().map(|r| r.0).collect();
						(
							"receivables.freeze_root",
							R::freeze_root { root: some_id(rng, &roots), reason },
						)
					},
					_ => (
						"receivables.unfreeze_root",
						R::unfreeze_root { root: some_id(rng, &s.frozen_roots), reason },
					),
				};
				let regulator = self.cast.regulator.clone();
				let by = self.by(&regulator);
				self.dispatch(label, o(&by), RuntimeCall::Receivables(call));
			},
			// Financing.
			55..=66 => {
				let Some((certificate, holder, amount, _)) = self.rng.try_pick(&s.active) else {
					return;
				};
				let financier = self.rng.pick(&self.cast.financiers);
				let kind = if self.rng.chance(50) {
					FinancingKind::Factoring
				} else {
					FinancingKind::Pledge
				};
				let (label, call) = if self.rng.chance(70) || amount < 2 * min {
					let wanted_advance = amount * 9 / 10;
					(
						"financing.request",
						F::request { certificate, financier, wanted_advance, kind },
					)
				} else {
					let part = min + self.rng.below((amount - 2 * min) as u64 + 1) as Amount;
					let wanted_advance = part * 9 / 10;
					(
						"financing.request_part",
						F::request_part {
							certificate,
							amount: part,
							financier,
							wanted_advance,
							kind,
						},
					)
				};
				let by = self.by(&holder);
				self.dispatch(label, o(&by), RuntimeCall::Financing(call));
			},
			_ => {
				let Some((request, r)) = self.rng.try_pick(&s.requests) else { return };
				let payment_ref = payref(&mut self.rng);
				let (fin, holder) = (r.financier.clone(), r.holder.clone());
				let (label, call, right) = match &r.state {
					RequestState::Requested if self.rng.chance(75) => {
						let expires = self.now + self.rng.below(3 * DAY) + SLOT;
						let payout_by =
							(expires + self.rng.below(3 * DAY)).min(r.due.saturating_sub(1));
						let terms = Terms {
							advance: r.wanted_advance.max(1),
							discount_bps: 300 + self.rng.below(400) as u32,
							recourse: self.rng.chance(50),
							expires,
							payout_by,
						};
						("financing.offer", F::offer { request, terms }, fin)
					},
					RequestState::Requested => ("financing.decline", F::decline { request }, fin),
					RequestState::Offered { terms } => match self.rng.below(6) {
						0..=3 => (
							"financing.accept_offer",
							F::accept_offer { request, terms: terms.clone() },
							holder,
						),
						4 => ("financing.withdraw_offer", F::withdraw_offer { request }, fin),
						_ => ("financing.cancel", F::cancel { request }, holder),
					},
					RequestState::Accepted { .. } if self.rng.chance(80) => (
						"financing.confirm_payout",
						F::confirm_payout { request, payment_ref },
						fin,
					),
					RequestState::Accepted { .. } => {
						("financing.cancel", F::cancel { request }, holder)
					},
					RequestState::Funded { .. } => match self.rng.below(3) {
						0 => ("financing.exercise_recourse", F::exercise_recourse { request }, fin),
						1 => (
							"financing.release_pledge",
							F::release_pledge { request, payment_ref },
							fin,
						),
						_ => ("financing.cancel", F::cancel { request }, holder),
					},
					RequestState::InRecourse { .. } => (
						"financing.confirm_repayment",
						F::confirm_repayment { request, payment_ref },
						fin,
					),
					_ => ("financing.cancel", F::cancel { request }, holder),
				};
				let by = self.by(&right);
				self.dispatch(label, o(&by), RuntimeCall::Financing(call));
			},
		}
	}
}

/// Each credit line's usage equals the face of the outstanding roots it
/// backs, per (core enterprise, financier); every outstanding root's line
/// exists.
fn credit_lines_match_the_ledger() -> Result<(), String> {
	let mut backed: BTreeMap<(AccountId, AccountId), Amount> = BTreeMap::new();
	for (id, root) in Roots::<Runtime>::iter() {
		if matches!(root.state, RootState::Outstanding) {
			*backed.entry((root.issuer.clone(), root.line.clone())).or_default() += root.face;
			let lines = pallet_participants::Lines::<Runtime>::get(&root.issuer);
			if !lines.iter().any(|l| l.financier == root.line) {
				return Err(format!("outstanding root {id} on a line that does not exist"));
			}
		}
	}
	for (core, lines) in pallet_participants::Lines::<Runtime>::iter() {
		for line in lines {
			let key = (core.clone(), line.financier.clone());
			let face = backed.get(&key).copied().unwrap_or(0);
			if line.used != face {
				return Err(format!(
					"line of {core} from {}: {} in use, outstanding roots {face}",
					line.financier, line.used
				));
			}
		}
	}
	Ok(())
}

fn invariants() -> Result<(), String> {
	pallet_participants::Pallet::<Runtime>::do_try_state()
		.map_err(|e| format!("participants: {e:?}"))?;
	pallet_receivables::Pallet::<Runtime>::do_try_state()
		.map_err(|e| format!("receivables: {e:?}"))?;
	pallet_financing::Pallet::<Runtime>::do_try_state().map_err(|e| format!("financing: {e:?}"))?;
	credit_lines_match_the_ledger()
}

/// Block 1: a second core enterprise with a small line from bank B, and the
/// genesis lines cut small.
fn set_up(world: &mut World) {
	use pallet_participants::Call as P;
	let alice = world.cast.banks[0].clone();
	let bob = world.cast.banks[1].clone();
	let (eve, charlie_stash) = (world.cast.cores[0].clone(), world.cast.cores[1].clone());
	let admit = |who: &AccountId, n: u32, roles: Vec<scf_primitives::Role>| {
		RuntimeCall::Participants(P::admit {
			who: who.clone(),
			name: BoundedVec::truncate_from(format!("Property {n}").into_bytes()),
			uscc: pallet_participants::uscc::synthetic(n),
			roles: BoundedVec::truncate_from(roles),
		})
	};
	let min: Amount = <Runtime as pallet_receivables::Config>::MinAmount::get();
	let calls = [
		(alice.clone(), admit(&charlie_stash, 901, vec![scf_primitives::Role::CoreEnterprise])),
		(alice.clone(), admit(&world.cast.suppliers[3], 902, vec![scf_primitives::Role::Supplier])),
		(
			bob.clone(),
			RuntimeCall::Participants(P::grant_credit_line {
				core: charlie_stash,
				limit: 400 * min,
				expires_at: START + 400 * DAY,
			}),
		),
		(
			alice.clone(),
			RuntimeCall::Participants(P::amend_credit_line {
				core: eve.clone(),
				limit: 600 * min,
				expires_at: START + 400 * DAY,
			}),
		),
		(
			world.cast.factor.clone(),
			RuntimeCall::Participants(P::amend_credit_line {
				core: eve,
				limit: 300 * min,
				expires_at: START + 400 * DAY,
			}),
		),
	];
	for (by, call) in calls {
		let label = format!("{call:?}");
		call.dispatch(o(&by)).unwrap_or_else(|e| panic!("set-up call {label} failed: {e:?}"));
	}
}

#[test]
fn random_calls_on_the_real_runtime_keep_every_invariant() {
	let seed = env_u64("SCF_RUNTIME_PROPERTY_SEED").unwrap_or(DEFAULT_SEED);
	let total = env_u64("SCF_RUNTIME_PROPERTY_CALLS").unwrap_or(10_000);
	println!("runtime property test: seed {seed} ({total} calls); replay with SCF_RUNTIME_PROPERTY_SEED={seed}");
	let cast = Cast::new();
	let mut ext = chain();
	ext.execute_with(|| {
		let mut world = World {
			cast,
			rng: Rng(seed),
			now: START,
			parent: Default::default(),
			calls: 0,
			ok: BTreeMap::new(),
			refused: BTreeMap::new(),
			errors: Default::default(),
		};
		world.begin_block();
		set_up(&mut world);
		world.end_block();
		invariants().unwrap_or_else(|e| panic!("after set-up: {e}"));
		let mut blocks = 1u64;
		while world.calls < total {
			world.begin_block();
			for _ in 0..1 + world.rng.below(12) {
				world.step();
			}
			world.end_block();
			blocks += 1;
			if let Err(e) = invariants() {
				panic!(
					"invariant broken after block {blocks} ({} calls): {e}\n\
					 replay with SCF_RUNTIME_PROPERTY_SEED={seed} SCF_RUNTIME_PROPERTY_CALLS={}",
					world.calls, world.calls
				);
			}
		}
		println!(
			"{blocks} blocks, {} calls, {} certificates:",
			world.calls,
			Certificates::<Runtime>::iter_keys().count()
		);
		let labels: std::collections::BTreeSet<_> =
			world.ok.keys().chain(world.refused.keys()).collect();
		for label in labels {
			let done = world.ok.get(label).copied().unwrap_or(0);
			let refused = world.refused.get(label).copied().unwrap_or(0);
			println!("  {label:<34} {done:>6} done, {refused:>6} refused");
		}
		// The sequence reached every kind of call that moves the ledger on,
		// and the refusals that matter.
		for label in [
			"receivables.issue",
			"receivables.accept",
			"receivables.reject",
			"receivables.split_transfer",
			"receivables.settle",
			"receivables.freeze",
			"receivables.unfreeze",
			"financing.request",
			"financing.offer",
			"financing.accept_offer",
			"financing.confirm_payout",
			"participants.suspend/readmit",
		] {
			assert!(world.ok.get(label).copied().unwrap_or(0) > 0, "no {label} succeeded");
		}
		for refusal in [("receivables.issue", "LineExceeded"), ("receivables.accept", "NotHolder")]
		{
			assert!(world.errors.contains(&refusal), "never refused: {refusal:?}");
		}
	});
}

/// The cross-pallet check can fail: a line whose usage is off by one unit.
#[test]
fn a_line_whose_usage_differs_from_the_ledger_is_caught() {
	let cast = Cast::new();
	chain().execute_with(|| {
		assert_eq!(credit_lines_match_the_ledger(), Ok(()));
		let eve = cast.cores[0].clone();
		pallet_participants::Lines::<Runtime>::mutate(&eve, |lines| lines[0].used += 1);
		let err = credit_lines_match_the_ledger().expect_err("the usage is off");
		assert!(err.contains("in use, outstanding roots 0"), "{err}");
	});
}
