#![doc = include_str!("../README.md")]
//!
//! The FRAME runtime of the supply-chain-finance chain.
//!
//! What is in it: block production (Aura), finality (GRANDPA), the timestamp,
//! the authorised peer set (`pallet-node-authorization`), the banks' council
//! (`pallet-collective`, which governs operators and nodes), the participant
//! registry with credit lines (`pallet-participants`), the certificate ledger
//! (`pallet-receivables`), financing (`pallet-financing`), and the council's
//! one path to Root (`council_root`: no sudo). The chain charges no
//! transaction fees: there is no
//! balances or transaction-payment pallet; the participant gate and a
//! per-account limit of transactions per block are the spam defence.
//!
//! Block limits, chosen on purpose (see `README.md`):
//! - one block every 2 s (`SLOT_DURATION_MS`);
//! - at most 1 s of execution per block, so that a block authored in the first
//!   two thirds of a slot can be imported by every validator inside the slot;
//! - 75 % of that weight and length for normal transactions, the rest kept for
//!   operational calls (governance, node authorisation) and hooks;
//! - 5 MiB of block length.
#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

/// The upgrade target of the end-to-end tests: this runtime built with the
/// `upgrade-test` feature (`build.rs` builds both), whose `spec_version` is
/// one more and whose `CouncilRoot::DispatchedAsRoot` event has one field
/// more (`call_hash`). Not for any real chain.
#[cfg(feature = "std")]
pub mod upgrade_test {
	include!(concat!(env!("OUT_DIR"), "/wasm_binary_upgrade_test.rs"));
}

extern crate alloc;

pub mod apis;
pub mod council_root;
pub mod genesis;
#[cfg(feature = "std")]
pub mod signing;
pub mod validators;
pub mod weights;

use alloc::vec::Vec;
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU32, ConstU64, EitherOfDiverse, Get},
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, Weight},
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureRoot,
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{generic, impl_opaque_keys, traits::BlakeTwo256, Perbill};
use sp_version::RuntimeVersion;

pub use scf_primitives::{
	time::{MINUTES, SLOT_DURATION_MS},
	AccountId, Amount, BlockNumber, Hash, Moment, Nonce, Signature,
};

/// Opaque types: what the node needs to know of the runtime without its calls.
pub mod opaque {
	use super::*;
	pub use scf_primitives::{Header, OpaqueBlock as Block};

	impl_opaque_keys! {
		/// The session keys a validator holds: Aura for authoring, GRANDPA for voting.
		pub struct SessionKeys {
			pub aura: Aura,
			pub grandpa: Grandpa,
		}
	}
}

/// Declares [`VERSION`] with `spec_version` `$spec`: a macro, because the
/// upgrade-test runtime differs in that one number and
/// `#[sp_version::runtime_version]` reads literals only.
macro_rules! runtime_version {
	($spec:tt) => {
		#[sp_version::runtime_version]
		pub const VERSION: RuntimeVersion = RuntimeVersion {
			spec_name: alloc::borrow::Cow::Borrowed("scf"),
			impl_name: alloc::borrow::Cow::Borrowed("scf-node"),
			authoring_version: 1,
			spec_version: $spec,
			impl_version: 1,
			apis: apis::RUNTIME_API_VERSIONS,
			transaction_version: 1,
			system_version: 1,
		};
	};
}

#[cfg(not(feature = "upgrade-test"))]
runtime_version!(100);
// The end-to-end tests' upgrade target is the next version.
#[cfg(feature = "upgrade-test")]
runtime_version!(101);

/// Share of a block's weight and length open to normal (user) transactions.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);
/// Execution time one block may take: half of the 2-second slot.
const MAXIMUM_BLOCK_WEIGHT: Weight = Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND, u64::MAX);
/// Largest encoded block: 5 MiB.
pub const MAXIMUM_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	pub const Version: RuntimeVersion = VERSION;
	/// `BlockWeights::with_sensible_defaults`' shape (the normal class gets
	/// `NORMAL_DISPATCH_RATIO`, operational the whole block with the rest
	/// reserved), with this machine's measured base costs of a block and of
	/// a transaction (`weights/block_weights.rs`, `weights/extrinsic_weights.rs`)
	/// instead of upstream's reference figures.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::builder()
		.base_block(weights::block_weights::BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |class| {
			class.base_extrinsic = weights::extrinsic_weights::ExtrinsicBaseWeight::get();
		})
		.for_class(DispatchClass::Normal, |class| {
			class.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.for_class(DispatchClass::Operational, |class| {
			class.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
			class.reserved =
				Some(MAXIMUM_BLOCK_WEIGHT - NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build_or_panic();
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(MAXIMUM_BLOCK_LENGTH)
		.modify_max_length_for_class(frame_support::dispatch::DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_LENGTH
		})
		.build();
	/// Generic Substrate SS58 prefix until the consortium registers its own.
	pub const SS58Prefix: u8 = 42;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = ConstU32<2400>;
	/// ParityDB's costs on this machine kind (`benchmark storage`; the
	/// command and the database it read are in the file's header).
	type DbWeight = weights::paritydb_weights::constants::ParityDbWeight;
	type SystemWeightInfo = weights::frame_system::WeightInfo<Runtime>;
	type ExtensionsWeightInfo = weights::frame_system_extensions::WeightInfo<Runtime>;
	type Version = Version;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_timestamp::Config for Runtime {
	type Moment = Moment;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION_MS / 2 }>;
	type WeightInfo = weights::pallet_timestamp::WeightInfo<Runtime>;
}

impl pallet_node_authorization::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type MaxWellKnownNodes = ConstU32<64>;
	type MaxPeerIdLength = ConstU32<128>;
	type AddOrigin = BanksMajority;
	type RemoveOrigin = BanksMajority;
	type SwapOrigin = BanksMajority;
	type ResetOrigin = BanksMajority;
	/// The pallet's own fixed weights: it has no benchmarks, and its calls
	/// are governance only (a council motion a month at most), so they do
	/// not bear on throughput.
	type WeightInfo = ();
}

/// The banks' council: the banks that run validators, one seat each.
pub type BankCouncil = pallet_collective::Instance1;

/// Governance: more than half of the banks' council, or Root (which only a
/// supermajority of the council reaches, through `council_root`).
pub type BanksMajority = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionMoreThan<AccountId, BankCouncil, 1, 2>,
>;

/// The way to Root: at least two thirds of the banks' council (three of four
/// banks; the one member of the `development` preset's council).
pub type BanksSupermajority =
	pallet_collective::EnsureProportionAtLeast<AccountId, BankCouncil, 2, 3>;

impl council_root::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type RootOrigin = BanksSupermajority;
}

impl validators::Config for Runtime {
	type GovernanceOrigin = EitherOfDiverse<EnsureRoot<AccountId>, BanksSupermajority>;
	/// GRANDPA finalizes with more than two thirds of the votes: with four
	/// validators it survives one failure, with three none.
	type MinValidators = ConstU32<4>;
	type WeightInfo = weights::validators::WeightInfo<Runtime>;
}

parameter_types! {
	/// A council motion may dispatch at most half a block of weight.
	pub MaxCouncilProposalWeight: Weight =
		Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<BankCouncil> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	/// A motion stays open for a day of blocks.
	type MotionDuration = ConstU32<{ 24 * 60 * MINUTES }>;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<32>;
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = weights::pallet_collective::WeightInfo<Runtime>;
	type SetMembersOrigin = BanksMajority;
	type MaxProposalWeight = MaxCouncilProposalWeight;
	type DisapproveOrigin = BanksMajority;
	type KillOrigin = BanksMajority;
	type Consideration = ();
}

impl pallet_participants::Config for Runtime {
	type WeightInfo = weights::pallet_participants::WeightInfo<Runtime>;
	type GovernanceOrigin = BanksMajority;
	type Time = Timestamp;
	type MaxNameLen = ConstU32<256>;
	type MaxLinesPerCore = ConstU32<16>;
	type MaxSenderWeight = MaxSenderWeight;
	/// Three to four blocks of one account's split-transfers (73 fit its
	/// share of a block at today's weights): an ERP burst, or
	/// the load generator's pre-signed batches, fit; a participant cannot
	/// park more than 257 transactions in the pool.
	type NonceWindow = ConstU32<256>;
	type FinancierDeals = Financing;
}

parameter_types! {
	/// One account's share of a block: 1/8 of the normal class's weight
	/// (93.75 ms of 750 ms). No fewer than eight busy accounts can fill a
	/// block, so one client cannot crowd out the others, and one account
	/// still gets dozens of one-part split-transfers or issues into each
	/// 2-second block (`runtime/tests/capacity.rs` prints how many at
	/// today's weights and fails if fewer than 16 splits fit).
	pub MaxSenderWeight: Weight = Perbill::from_rational(1u32, 8u32)
		* RuntimeBlockWeights::get()
			.get(frame_support::dispatch::DispatchClass::Normal)
			.max_total
			.unwrap_or(RuntimeBlockWeights::get().max_block);
}

/// One day in milliseconds.
pub const DAY_MS: Moment = pallet_receivables::config_preludes::DAY_MS;

parameter_types! {
	/// Longest tenor of a certificate (ms from issue to due date): one year.
	pub storage MaxTenor: Moment = 365 * DAY_MS;
	/// How long a receiver has to accept before a certificate goes back to
	/// its sender: seven days.
	pub storage AcceptanceTimeout: Moment = 7 * DAY_MS;
	/// How long after its due date an unsettled certificate becomes overdue
	/// (and recourse opens): one day.
	pub storage OverdueGrace: Moment = DAY_MS;
	/// Width of one bucket of the timer queues: a lapse or an overdue mark
	/// happens at most this late. One minute. Leave it alone on a live chain:
	/// queued entries sit in buckets of the width they were scheduled with.
	pub storage TimerGranularity: Moment = 60_000;
}

/// The ledger's times are storage-backed parameters (`parameter_types!
/// { pub storage .. }`, each at the key `twox_128(":Name:")`): a chain spec
/// may set them in its raw genesis, as the test consortium's does
/// ([`genesis::test_speed_parameters`]), and nothing else changes them but
/// Root (`system.set_storage`). With no value stored, the defaults above
/// hold. The other limits stay constants.
#[derive_impl(pallet_receivables::config_preludes::SolochainDefaultConfig)]
impl pallet_receivables::Config for Runtime {
	type MaxTenor = MaxTenor;
	type AcceptanceTimeout = AcceptanceTimeout;
	type OverdueGrace = OverdueGrace;
	type TimerGranularity = TimerGranularity;
	type Participants = Participants;
	type CreditLines = Participants;
	type Time = Timestamp;
	type WeightInfo = weights::pallet_receivables::WeightInfo<Runtime>;
	type OnSettled = Financing;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benches::ReceivablesHelper;
}

#[derive_impl(pallet_financing::config_preludes::SolochainDefaultConfig)]
impl pallet_financing::Config for Runtime {
	type Ledger = Receivables;
	type Participants = Participants;
	type Time = Timestamp;
	type WeightInfo = weights::pallet_financing::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = benches::ReceivablesHelper;
}

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(4)]
	pub type NodeAuthorization = pallet_node_authorization;
	#[runtime::pallet_index(5)]
	pub type Validators = crate::validators;
	#[runtime::pallet_index(6)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(7)]
	pub type CouncilRoot = crate::council_root;
	#[runtime::pallet_index(10)]
	pub type Participants = pallet_participants;
	#[runtime::pallet_index(11)]
	pub type Receivables = pallet_receivables;

	#[runtime::pallet_index(12)]
	pub type Financing = pallet_financing;
}

/// The address format: plain account ids (no indices pallet).
pub type Address = sp_runtime::MultiAddress<AccountId, ()>;

/// The checks every signed transaction passes. No fee is charged.
///
/// `CheckParticipant` comes before `CheckNonce`: a stranger's account has no
/// provider reference, and `CheckNonce` would refuse it with the misleading
/// "Inability to pay some fees"; the gate says "Invalid signing address".
/// `CheckNonce` is the participants pallet's: `frame_system`'s with a window
/// at pool admission, same identifier and encoding.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	pallet_participants::CheckParticipant<Runtime>,
	pallet_participants::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
);

pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
pub type Block = generic::Block<Header, UncheckedExtrinsic>;
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
>;

#[cfg(feature = "runtime-benchmarks")]
mod benches {
	frame_benchmarking::define_benchmarks!(
		[frame_benchmarking, BaselineBench::<Runtime>]
		[frame_system, SystemBench::<Runtime>]
		[frame_system_extensions, SystemExtensionsBench::<Runtime>]
		[pallet_timestamp, Timestamp]
		[pallet_collective, Council]
		[validators, Validators]
		[pallet_participants, Participants]
		[pallet_receivables, Receivables]
		[pallet_financing, Financing]
	);

	use super::*;

	/// Sets up what the receivables benchmarks need through the real
	/// participants pallet.
	pub struct ReceivablesHelper;

	impl pallet_receivables::BenchmarkHelper<AccountId> for ReceivablesHelper {
		fn set_time(now: Moment) {
			pallet_timestamp::Now::<Runtime>::put(now);
		}

		fn make_participant(who: &AccountId, role: scf_primitives::Role) {
			use codec::Encode;
			use sp_runtime::traits::Hash;
			// A valid, distinct code per account, from the benchmark range.
			let digest = BlakeTwo256::hash(&who.encode());
			let n =
				900_000_000 + (u32::from_le_bytes(digest.0[..4].try_into().unwrap()) % 99_999_999);
			let _ = Participants::admit(
				RuntimeOrigin::root(),
				who.clone(),
				b"benchmark participant".to_vec().try_into().unwrap(),
				pallet_participants::uscc::synthetic(n),
				alloc::vec![role].try_into().unwrap(),
			);
		}

		fn grant_credit(core: &AccountId, amount: Amount) {
			let financier: AccountId = frame_benchmarking::account("financier", 0, 0);
			Self::make_participant(&financier, scf_primitives::Role::Financier);
			let far = pallet_timestamp::Now::<Runtime>::get() + 10 * 365 * 24 * 3_600_000;
			pallet_participants::Pallet::<Runtime>::grant_credit_line(
				RuntimeOrigin::signed(financier),
				core.clone(),
				amount,
				far,
			)
			.expect("benchmark credit line");
		}
	}

	/// The financing benchmarks set up certificates through the real
	/// receivables and participants pallets.
	impl pallet_financing::BenchmarkHelper<AccountId> for ReceivablesHelper {
		fn set_time(now: Moment) {
			<Self as pallet_receivables::BenchmarkHelper<AccountId>>::set_time(now)
		}

		fn make_participant(who: &AccountId, role: scf_primitives::Role) {
			<Self as pallet_receivables::BenchmarkHelper<AccountId>>::make_participant(who, role)
		}

		fn active_certificate(
			holder: &AccountId,
			amount: Amount,
			due: Moment,
		) -> pallet_receivables::CertificateId {
			Receivables::benchmark_active_certificate(holder, amount, due)
		}

		fn make_overdue(id: pallet_receivables::CertificateId) {
			Receivables::benchmark_make_overdue(id)
		}
	}
}
