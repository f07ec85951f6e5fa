//! A test runtime with the pallet and a cast of participants.

use crate::{self as pallet_participants, uscc, GenesisCreditLine, GenesisParticipant, Role};
use core::time::Duration;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, UnixTime},
};
use frame_system::EnsureRoot;
use sp_runtime::{BuildStorage, Weight};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Participants: pallet_participants,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type BlockWeights = MockBlockWeights;
}

parameter_types! {
	/// The mock clock, Unix milliseconds.
	pub static NowMs: u64 = START_MS;
	/// The open financing deals of every financier, as the tests set them.
	pub static OpenDeals: u32 = 0;
}

/// Financing as the tests set it: every financier has `OpenDeals` deals.
pub struct MockDeals;
impl scf_primitives::traits::FinancierDeals<u64> for MockDeals {
	fn open_deals(_: &u64) -> u32 {
		OpenDeals::get()
	}
}

/// Unix milliseconds at the start of every test.
pub const START_MS: u64 = 1_700_000_000_000;
/// One day in milliseconds.
pub const DAY_MS: u64 = 86_400_000;

/// A clock the tests set with `NowMs::set`.
pub struct MockTime;
impl UnixTime for MockTime {
	fn now() -> Duration {
		Duration::from_millis(NowMs::get())
	}
}

/// The weight of the tests' transactions (their call weight).
pub const TX_WEIGHT: Weight = Weight::from_parts(1_000, 100);
/// What every transaction costs a block besides its own weight, in tests.
pub const BASE_EXTRINSIC: Weight = Weight::from_parts(100, 0);
/// The share of a block one account may use in tests: three transactions
/// of [`TX_WEIGHT`], each charged with [`BASE_EXTRINSIC`].
pub const MAX_SENDER_WEIGHT: Weight = Weight::from_parts(3_300, 300);
/// Transactions beyond an account's nonce the pool admits, in tests.
pub const NONCE_WINDOW: u32 = 4;

parameter_types! {
	pub const MaxSenderWeight: Weight = MAX_SENDER_WEIGHT;
	pub MockBlockWeights: frame_system::limits::BlockWeights = mock_block_weights();
}

/// Frame's usual limits, with [`BASE_EXTRINSIC`] as every class's base.
fn mock_block_weights() -> frame_system::limits::BlockWeights {
	let mut weights = frame_system::limits::BlockWeights::with_sensible_defaults(
		Weight::from_parts(1_000_000_000_000, u64::MAX),
		sp_runtime::Perbill::from_percent(75),
	);
	for class in frame_support::dispatch::DispatchClass::all() {
		weights.per_class.get_mut(*class).base_extrinsic = BASE_EXTRINSIC;
	}
	weights
}

/// Lines per core enterprise in tests.
pub const MAX_LINES: u32 = 3;

impl pallet_participants::Config for Test {
	type WeightInfo = ();
	type GovernanceOrigin = EnsureRoot<u64>;
	type Time = MockTime;
	type MaxNameLen = ConstU32<64>;
	type MaxLinesPerCore = ConstU32<MAX_LINES>;
	type MaxSenderWeight = MaxSenderWeight;
	type NonceWindow = ConstU32<NONCE_WINDOW>;
	type FinancierDeals = MockDeals;
}

// The cast admitted at genesis.
/// Operator.
pub const OPERATOR: u64 = 1;
/// A second operator.
pub const OPERATOR_2: u64 = 2;
/// Financier (bank A).
pub const BANK_A: u64 = 10;
/// Financier (bank B).
pub const BANK_B: u64 = 11;
/// Financier (bank C).
pub const BANK_C: u64 = 12;
/// Financier (bank D), for "too many lines".
pub const BANK_D: u64 = 13;
/// Core enterprise.
pub const CORE: u64 = 20;
/// A second core enterprise.
pub const CORE_2: u64 = 21;
/// Supplier.
pub const SUPPLIER: u64 = 30;
/// Regulator.
pub const REGULATOR: u64 = 40;
/// An account that is not a participant.
pub const OUTSIDER: u64 = 99;

/// The synthetic USCC the mock gives account `who`.
pub fn uscc_of(who: u64) -> [u8; 18] {
	uscc::synthetic(who as u32)
}

/// A name as the call parameter type.
pub fn name(s: &str) -> frame_support::BoundedVec<u8, ConstU32<64>> {
	s.as_bytes().to_vec().try_into().expect("test names are short")
}

/// A role set as the call parameter type.
pub fn roles(r: &[Role]) -> crate::RoleSet {
	r.to_vec().try_into().expect("at most five roles")
}

fn participant(who: u64, name: &str, roles: &[Role]) -> GenesisParticipant<u64> {
	GenesisParticipant {
		account: who,
		name: name.into(),
		uscc: String::from_utf8(uscc_of(who).to_vec()).unwrap(),
		roles: roles.to_vec(),
	}
}

/// Builds test externalities from the cast above plus any extra genesis
/// lines.
#[derive(Default)]
pub struct ExtBuilder {
	lines: Vec<GenesisCreditLine<u64>>,
}

impl ExtBuilder {
	/// Adds a genesis credit line.
	pub fn with_line(mut self, financier: u64, core: u64, limit: u128, expires_at: u64) -> Self {
		self.lines.push(GenesisCreditLine { financier, core, limit, expires_at });
		self
	}

	/// The externalities, at block 1 and time `START_MS`.
	pub fn build(self) -> sp_io::TestExternalities {
		NowMs::set(START_MS);
		let participants = vec![
			participant(OPERATOR, "运营方一", &[Role::Operator]),
			participant(OPERATOR_2, "运营方二", &[Role::Operator, Role::Financier]),
			participant(BANK_A, "甲银行股份有限公司", &[Role::Financier]),
			participant(BANK_B, "乙银行股份有限公司", &[Role::Financier]),
			participant(BANK_C, "丙保理有限公司", &[Role::Financier]),
			participant(BANK_D, "丁银行股份有限公司", &[Role::Financier]),
			participant(CORE, "核心制造集团有限公司", &[Role::CoreEnterprise]),
			participant(CORE_2, "核心零售集团有限公司", &[Role::CoreEnterprise, Role::Supplier]),
			participant(SUPPLIER, "一级供应商有限公司", &[Role::Supplier]),
			participant(REGULATOR, "监管方", &[Role::Regulator]),
		];
		let storage = RuntimeGenesisConfig {
			system: Default::default(),
			participants: pallet_participants::GenesisConfig {
				participants,
				credit_lines: self.lines,
			},
		}
		.build_storage()
		.expect("the mock genesis is valid");
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Runs `test` in the externalities, then checks the pallet's
	/// invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Participants::do_try_state().expect("invariants hold after the test");
		})
	}
}

/// Shorthand: the default cast, then `test`, then the invariants.
pub fn new_test(test: impl FnOnce()) {
	ExtBuilder::default().build_and_execute(test)
}

/// The pallet's events so far, oldest first.
pub fn events() -> Vec<pallet_participants::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Participants(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// The last event of the pallet.
pub fn last_event() -> pallet_participants::Event<Test> {
	events().pop().expect("an event was deposited")
}
