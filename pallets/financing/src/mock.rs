//! A test runtime with the real receivables pallet (as the ledger) and
//! mocked participants, credit lines and time.
//!
//! The mocks keep their state in thread-locals (each test runs on its own
//! thread) and tests set it through the helpers below.

use crate::{self as pallet_financing, types::*};
use core::cell::{Cell, RefCell};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, Hooks, Time},
};
use pallet_receivables::{Certificates, Standing, Status, Timer, TimerCursor, TimerQueue};
use scf_primitives::{
	traits::{CreditLines, ParticipantRegistry},
	Role,
};
use sp_runtime::{BuildStorage, DispatchError};
use std::collections::BTreeMap;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Receivables: pallet_receivables,
		Financing: pallet_financing,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

pub const DAY: Moment = 24 * 60 * 60 * 1000;
/// The mock's time at genesis (ms).
pub const START: Moment = 1_700_000_000_000;
pub const MIN: Amount = 10;
pub const GRACE: Moment = DAY;
pub const GRANULARITY: Moment = 3_600_000;
/// The highest discount rate offers may carry (bps a year).
pub const MAX_BPS: Bps = 5_000;

#[derive_impl(pallet_receivables::config_preludes::SolochainDefaultConfig)]
impl pallet_receivables::Config for Test {
	type Participants = MockParticipants;
	type CreditLines = MockCreditLines;
	type Time = MockTime;
	type WeightInfo = ();
	type OnSettled = Financing;
	type MinAmount = ConstU128<MIN>;
	type MaxTier = ConstU32<4>;
	type MaxChildren = ConstU32<3>;
	type MaxLivePerRoot = ConstU32<8>;
	type MaxLivePerHolder = ConstU32<8>;
	type AcceptanceTimeout = ConstU64<{ 2 * DAY }>;
	type OverdueGrace = ConstU64<GRACE>;
	type MaxInvoices = ConstU32<4>;
	type MaxPaymentRefLen = ConstU32<16>;
	type TimerGranularity = ConstU64<GRANULARITY>;
	type MaxSweepPerBlock = ConstU32<8>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

#[derive_impl(pallet_financing::config_preludes::SolochainDefaultConfig)]
impl pallet_financing::Config for Test {
	type MaxOpenRequests = MaxRequests;
	type Ledger = Receivables;
	type Participants = MockParticipants;
	type Time = MockTime;
	type WeightInfo = ();
	type MaxPaymentRefLen = ConstU32<16>;
	type MaxDiscountBps = ConstU32<MAX_BPS>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

parameter_types! {
	/// Unfunded requests per holder; tests of the quota lower it.
	pub static MaxRequests: u32 = 64;
}

// Accounts.
pub const CORE: AccountId = 1;
pub const S1: AccountId = 11;
pub const S2: AccountId = 12;
pub const S3: AccountId = 13;
pub const BANK: AccountId = 81;
pub const BANK2: AccountId = 82;
pub const REG: AccountId = 91;
/// A financier, registered but suspended.
pub const SUSPENDED_BANK: AccountId = 97;
/// A supplier, registered but suspended.
pub const SUSPENDED: AccountId = 98;
/// Never admitted.
pub const OUTSIDER: AccountId = 99;

thread_local! {
	static NOW: Cell<Moment> = const { Cell::new(START) };
	static PARTICIPANTS: RefCell<BTreeMap<AccountId, (bool, Vec<Role>)>> = const { RefCell::new(BTreeMap::new()) };
}

pub struct MockParticipants;
impl ParticipantRegistry<AccountId> for MockParticipants {
	fn is_admitted(who: &AccountId) -> bool {
		PARTICIPANTS.with(|p| p.borrow().contains_key(who))
	}
	fn is_active(who: &AccountId) -> bool {
		PARTICIPANTS.with(|p| p.borrow().get(who).is_some_and(|(a, _)| *a))
	}
	fn has_role(who: &AccountId, role: Role) -> bool {
		PARTICIPANTS.with(|p| p.borrow().get(who).is_some_and(|(a, r)| *a && r.contains(&role)))
	}
}

/// Admits `who` with `roles` (active).
pub fn admit(who: AccountId, roles: &[Role]) {
	PARTICIPANTS.with(|p| p.borrow_mut().insert(who, (true, roles.to_vec())));
}

/// Suspends or re-admits `who`.
pub fn set_active(who: AccountId, active: bool) {
	PARTICIPANTS.with(|p| {
		if let Some(e) = p.borrow_mut().get_mut(&who) {
			e.0 = active;
		}
	});
}

/// Unlimited credit lines: financing does not care about them.
pub struct MockCreditLines;
impl CreditLines<AccountId, Amount> for MockCreditLines {
	type LineRef = ();
	fn reserve(
		_core: &AccountId,
		_amount: Amount,
		_now: u64,
		_root: u64,
	) -> Result<(), DispatchError> {
		Ok(())
	}
	fn release(_core: &AccountId, _line: &(), _amount: Amount, _root: u64) {}
}

pub struct MockTime;
impl Time for MockTime {
	type Moment = Moment;
	fn now() -> Moment {
		NOW.with(|n| n.get())
	}
}

/// Sets the mock's time.
pub fn set_now(now: Moment) {
	NOW.with(|n| n.set(now));
}

/// The mock's time.
pub fn now() -> Moment {
	NOW.with(|n| n.get())
}

#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_receivables::BenchmarkHelper<AccountId> for MockBenchmarkHelper {
	fn set_time(now: Moment) {
		set_now(now);
	}
	fn make_participant(who: &AccountId, role: Role) {
		PARTICIPANTS.with(|p| {
			let mut p = p.borrow_mut();
			let e = p.entry(*who).or_insert((true, Vec::new()));
			e.0 = true;
			if !e.1.contains(&role) {
				e.1.push(role);
			}
		});
	}
	fn grant_credit(_core: &AccountId, _amount: Amount) {}
}
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockBenchmarkHelper {
	fn set_time(now: Moment) {
		set_now(now);
	}
	fn make_participant(who: &AccountId, role: Role) {
		<Self as pallet_receivables::BenchmarkHelper<AccountId>>::make_participant(who, role);
	}
	fn active_certificate(holder: &AccountId, amount: Amount, due: Moment) -> CertificateId {
		Receivables::benchmark_active_certificate(holder, amount, due)
	}
	fn make_overdue(id: CertificateId) {
		Receivables::benchmark_make_overdue(id);
	}
}

/// Resets the mocks to the standard cast.
pub fn reset_mocks() {
	set_now(START);
	PARTICIPANTS.with(|p| p.borrow_mut().clear());
	admit(CORE, &[Role::CoreEnterprise]);
	for s in [S1, S2, S3] {
		admit(s, &[Role::Supplier]);
	}
	admit(BANK, &[Role::Financier]);
	admit(BANK2, &[Role::Financier]);
	admit(REG, &[Role::Regulator]);
	admit(SUSPENDED, &[Role::Supplier]);
	set_active(SUSPENDED, false);
	admit(SUSPENDED_BANK, &[Role::Financier]);
	set_active(SUSPENDED_BANK, false);
}

/// Fresh storage and mocks; block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	reset_mocks();
	let t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Both pallets' invariants, and the one only the test can see whole: every
/// certificate reserved in the ledger has an open, unfunded request to that
/// financier.
pub fn check_invariants() -> Result<(), sp_runtime::TryRuntimeError> {
	Receivables::do_try_state()?;
	Financing::do_try_state()?;
	for (id, c) in Certificates::<Test>::iter() {
		let standing = match &c.status {
			Status::Live(s) | Status::Frozen { previous: s, .. } => s,
			_ => continue,
		};
		if let Standing::Reserved { financier } = standing {
			let open = crate::OpenRequest::<Test>::get(id).and_then(crate::Requests::<Test>::get);
			let ok = open.is_some_and(|r| {
				r.state.is_unfunded() && &r.financier == financier && r.holder == c.holder
			});
			if !ok {
				return Err("reserved certificate without an open request to that financier".into());
			}
		}
	}
	Ok(())
}

/// Runs a test in fresh storage, then checks both pallets' invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		check_invariants().expect("invariants hold after the test");
	});
}

/// Runs the next block's `on_initialize` at the current time.
pub fn next_block() {
	let n = System::block_number() + 1;
	System::set_block_number(n);
	Receivables::on_initialize(n);
}

/// Whether both sweeps have caught up with the current time.
pub fn sweeps_caught_up() -> bool {
	[Timer::Acceptance, Timer::Maturity].into_iter().all(|t| match TimerCursor::<Test>::get(t) {
		None => true,
		Some(c) => {
			c * GRANULARITY > now()
				|| (c * GRANULARITY + GRANULARITY > now()
					&& TimerQueue::<Test>::iter_key_prefix((t, c)).next().is_none())
		},
	})
}

/// Advances time by `ms`, then runs blocks until the sweeps have caught up.
pub fn advance(ms: Moment) {
	set_now(now() + ms);
	next_block();
	while !sweeps_caught_up() {
		next_block();
	}
}

/// Advances in `step`-sized blocks until `until` (ms) is reached.
pub fn advance_to(until: Moment, step: Moment) {
	while now() < until {
		advance(step.min(until - now()));
	}
}
