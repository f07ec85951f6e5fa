//! A test runtime with mocked participants, credit lines and time.
//!
//! The mocks keep their state in thread-locals (each test runs on its own
//! thread) and tests set it through the helpers below.

use crate::{self as pallet_receivables, types::*};
use core::cell::{Cell, RefCell};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64, Hooks, Time},
	weights::Weight,
};
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
pub const MAX_TIER: Tier = 4;
pub const MAX_CHILDREN: u32 = 3;
pub const MAX_LIVE: u32 = 8;
pub const ACCEPT_TIMEOUT: Moment = 2 * DAY;
pub const GRACE: Moment = DAY;
pub const GRANULARITY: Moment = 3_600_000;
pub const SWEEP: u32 = 8;

parameter_types! {
	/// Pending offers per sender; tests of the quota lower it.
	pub static MaxOffers: u32 = 64;
	/// A holder's share of a root's live slots; tests of it lower it.
	pub static MaxPerHolder: u32 = MAX_LIVE;
}

#[derive_impl(pallet_receivables::config_preludes::SolochainDefaultConfig)]
impl pallet_receivables::Config for Test {
	type MaxOutgoingOffers = MaxOffers;
	type Participants = MockParticipants;
	type CreditLines = MockCreditLines;
	type Time = MockTime;
	type WeightInfo = ();
	type OnSettled = RecordSettled;
	type MinAmount = ConstU128<MIN>;
	type MaxTier = ConstU32<MAX_TIER>;
	type MaxChildren = ConstU32<MAX_CHILDREN>;
	type MaxLivePerRoot = ConstU32<MAX_LIVE>;
	type MaxLivePerHolder = MaxPerHolder;
	type AcceptanceTimeout = ConstU64<ACCEPT_TIMEOUT>;
	type OverdueGrace = ConstU64<GRACE>;
	type MaxInvoices = ConstU32<4>;
	type MaxPaymentRefLen = ConstU32<16>;
	type TimerGranularity = ConstU64<GRANULARITY>;
	type MaxSweepPerBlock = ConstU32<SWEEP>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
}

// Accounts.
pub const CORE: AccountId = 1;
pub const CORE2: AccountId = 2;
pub const S1: AccountId = 11;
pub const S2: AccountId = 12;
pub const S3: AccountId = 13;
pub const S4: AccountId = 14;
pub const S5: AccountId = 15;
pub const FIN: AccountId = 81;
pub const REG: AccountId = 91;
/// Registered but suspended.
pub const SUSPENDED: AccountId = 98;
/// Never admitted.
pub const OUTSIDER: AccountId = 99;

/// The credit line limit each core enterprise starts with.
pub const LINE: Amount = 1_000_000;

thread_local! {
	static NOW: Cell<Moment> = const { Cell::new(START) };
	static PARTICIPANTS: RefCell<BTreeMap<AccountId, (bool, Vec<Role>)>> = const { RefCell::new(BTreeMap::new()) };
	/// core -> (limit, used)
	static LINES: RefCell<BTreeMap<AccountId, (Amount, Amount)>> = const { RefCell::new(BTreeMap::new()) };
	/// (core, line, amount) of every release, in order.
	static RELEASES: RefCell<Vec<(AccountId, u32, Amount, u64)>> = const { RefCell::new(Vec::new()) };
	/// Every `OnSettled` call.
	static SETTLED: RefCell<Vec<SettledCall>> = const { RefCell::new(Vec::new()) };
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

/// Mock lines: one per core enterprise, `LineRef` is always 7.
pub struct MockCreditLines;
impl CreditLines<AccountId, Amount> for MockCreditLines {
	type LineRef = u32;
	fn reserve(
		core: &AccountId,
		amount: Amount,
		_now: u64,
		_root: u64,
	) -> Result<u32, DispatchError> {
		LINES.with(|l| {
			let mut l = l.borrow_mut();
			let Some((limit, used)) = l.get_mut(core) else {
				return Err(DispatchError::Other("NoCreditLine"));
			};
			let after = used.checked_add(amount).ok_or(DispatchError::Other("Overflow"))?;
			if after > *limit {
				return Err(DispatchError::Other("CreditExceeded"));
			}
			*used = after;
			Ok(7)
		})
	}
	fn release(core: &AccountId, line: &u32, amount: Amount, root: u64) {
		LINES.with(|l| {
			if let Some((_, used)) = l.borrow_mut().get_mut(core) {
				*used = used.saturating_sub(amount);
			}
		});
		RELEASES.with(|r| r.borrow_mut().push((*core, *line, amount, root)));
	}
}

/// Sets `core`'s line limit.
pub fn set_line(core: AccountId, limit: Amount) {
	LINES.with(|l| l.borrow_mut().entry(core).or_insert((0, 0)).0 = limit);
}

/// How much of `core`'s line is in use.
pub fn line_used(core: AccountId) -> Amount {
	LINES.with(|l| l.borrow().get(&core).map(|x| x.1).unwrap_or(0))
}

/// Every release so far: (core, line, amount, root).
pub fn releases() -> Vec<(AccountId, u32, Amount, u64)> {
	RELEASES.with(|r| r.borrow().clone())
}

/// One `OnSettled` call: (id, holder, amount, standing).
pub type SettledCall = (CertificateId, AccountId, Amount, Standing<AccountId>);

/// Records every `OnSettled` call; charges `SETTLE_HOOK_WEIGHT` per call.
pub struct RecordSettled;
/// What `RecordSettled` charges per certificate.
pub const SETTLE_HOOK_WEIGHT: Weight = Weight::from_parts(1_000_000, 100);
impl crate::OnCertificateSettled<AccountId> for RecordSettled {
	fn on_settled(id: CertificateId, holder: &AccountId, amount: Amount, s: &Standing<AccountId>) {
		SETTLED.with(|v| v.borrow_mut().push((id, *holder, amount, s.clone())));
	}
	fn on_settled_weight() -> Weight {
		SETTLE_HOOK_WEIGHT
	}
}

/// Every `OnSettled` call so far: (id, holder, amount, standing).
pub fn settled_hook_calls() -> Vec<SettledCall> {
	SETTLED.with(|v| v.borrow().clone())
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
impl crate::BenchmarkHelper<AccountId> for MockBenchmarkHelper {
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
	fn grant_credit(core: &AccountId, amount: Amount) {
		LINES.with(|l| {
			let mut l = l.borrow_mut();
			let e = l.entry(*core).or_insert((0, 0));
			e.0 = e.0.saturating_add(amount);
		});
	}
}

/// Resets the mocks to the standard cast.
pub fn reset_mocks() {
	set_now(START);
	PARTICIPANTS.with(|p| p.borrow_mut().clear());
	LINES.with(|l| l.borrow_mut().clear());
	RELEASES.with(|r| r.borrow_mut().clear());
	SETTLED.with(|s| s.borrow_mut().clear());
	for core in [CORE, CORE2] {
		admit(core, &[Role::CoreEnterprise]);
		set_line(core, LINE);
	}
	for s in [S1, S2, S3, S4, S5] {
		admit(s, &[Role::Supplier]);
	}
	admit(FIN, &[Role::Financier]);
	admit(REG, &[Role::Regulator]);
	admit(SUSPENDED, &[Role::Supplier]);
	set_active(SUSPENDED, false);
}

/// Fresh storage and mocks; block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	reset_mocks();
	let t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs a test in fresh storage, then checks the ledger invariants.
pub fn run_test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Receivables::do_try_state().expect("ledger invariants hold after the test");
	});
}

/// Runs the next block's `on_initialize` at the current time.
pub fn next_block() {
	let n = System::block_number() + 1;
	System::set_block_number(n);
	Receivables::on_initialize(n);
}

/// Whether both sweeps have caught up with the current time (so another
/// block at this time would find nothing to do).
pub fn sweeps_caught_up() -> bool {
	use crate::{TimerCursor, TimerQueue};
	[Timer::Acceptance, Timer::Maturity].into_iter().all(|t| match TimerCursor::<Test>::get(t) {
		None => true,
		Some(c) => {
			c * GRANULARITY > now()
				|| (c * GRANULARITY + GRANULARITY > now()
					&& TimerQueue::<Test>::iter_key_prefix((t, c)).next().is_none())
		},
	})
}

/// Advances time by `ms`, then runs blocks (at that time) until the bounded
/// sweeps have caught up, as a chain would over the following blocks.
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
