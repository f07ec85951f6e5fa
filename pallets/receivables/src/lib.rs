#![doc = include_str!("../README.md")]
//!
//! # Receivables pallet
//!
//! The certificate ledger of the supply-chain-finance chain: digital
//! receivable certificates (数字债权凭证) that a core enterprise issues against
//! its confirmed payables, that suppliers accept, split and pass down the
//! tiers, that financiers finance, and that the core enterprise settles at
//! maturity. Every certificate keeps its lineage back to the original payable
//! (its *root*).
//!
//! See `README.md` next to this crate for how it fits into the chain, and
//! [`types`] for the certificate and its status.
//!
//! ## Live certificates and the ledger invariant
//!
//! A certificate is *live* while its status is [`Status::Live`] (pending
//! acceptance, active, reserved for a financing request, financed, pledged
//! or overdue) or [`Status::Frozen`].
//! Settled, revoked, returned and closed-by-split certificates are terminal.
//! For every root, at all times:
//!
//! `Σ amount(live) + Σ amount(settled) + amount(root, if revoked or returned) == face`
//!
//! and a certificate closed by a split has children whose amounts sum to its
//! own, so no value is ever covered twice. [`Pallet::do_try_state`] checks
//! this and the other invariants.
//!
//! ## Calls
//!
//! [`Pallet::issue`], [`Pallet::accept`], [`Pallet::reject`], [`Pallet::revoke`],
//! [`Pallet::split_transfer`], [`Pallet::settle`], [`Pallet::freeze`],
//! [`Pallet::unfreeze`], [`Pallet::freeze_root`], [`Pallet::unfreeze_root`].
//! Lapsed offers and overdue certificates are found in `on_initialize` by a
//! bounded sweep over two time-bucketed queues (see `tick_impls.rs`).
//!
//! The financing pallet drives certificates through [`ReceivableLedger`] and
//! hears about settlement through [`OnCertificateSettled`]; clients read through the [`runtime_api::ReceivablesApi`] runtime API.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod features;
mod invariants;
pub mod ledger;
pub mod runtime_api;
mod tick_impls;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use ledger::{LedgerView, OnCertificateSettled, ReceivableLedger};
pub use types::*;
pub use weights::WeightInfo;

/// The log target of this pallet.
pub const LOG_TARGET: &str = "runtime::receivables";

/// Buckets per page of the timer index ([`TimerPages`]): with the default
/// one-minute buckets a page is about 17 hours, so a year behind is about
/// 510 steps.
pub const TIMER_PAGE: u64 = 1024;

/// What the benchmarks need the runtime to set up, since this pallet only
/// sees participants, credit lines and time through traits.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Sets the current time (ms) as `Config::Time` reports it.
	fn set_time(now: Moment);
	/// Makes `who` an active participant holding `role`.
	fn make_participant(who: &AccountId, role: scf_primitives::Role);
	/// Grants the core enterprise `core` a credit line with room for `amount`.
	fn grant_credit(core: &AccountId, amount: Amount);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::Time};
	use frame_system::pallet_prelude::*;
	use scf_primitives::traits::{CreditLines, ParticipantRegistry};

	/// The current storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The credit line reservation reference of the runtime's credit lines.
	pub type LineRefOf<T> = <<T as Config>::CreditLines as CreditLines<
		<T as frame_system::Config>::AccountId,
		Amount,
	>>::LineRef;
	/// The certificate type as stored.
	pub type CertificateOf<T> =
		Certificate<<T as frame_system::Config>::AccountId, <T as Config>::MaxInvoices>;
	/// The per-root record as stored.
	pub type RootInfoOf<T> = RootInfo<
		<T as frame_system::Config>::AccountId,
		LineRefOf<T>,
		<T as Config>::MaxPaymentRefLen,
	>;
	/// Trade document hashes as taken by the calls.
	pub type DocumentsOf<T> = TradeDocuments<<T as Config>::MaxInvoices>;
	/// A settlement payment reference.
	pub type PaymentRefOf<T> = BoundedVec<u8, <T as Config>::MaxPaymentRefLen>;
	/// The parts of a split-transfer: receiver and amount.
	pub type PartsOf<T> =
		BoundedVec<(<T as frame_system::Config>::AccountId, Amount), <T as Config>::MaxChildren>;
	/// Status with the runtime's account id.
	pub type StatusOf<T> = Status<<T as frame_system::Config>::AccountId>;
	/// Standing with the runtime's account id.
	pub type StandingOf<T> = Standing<<T as frame_system::Config>::AccountId>;

	/// Default values of the limits, usable with
	/// `#[derive_impl(pallet_receivables::config_preludes::SolochainDefaultConfig)]`.
	pub mod config_preludes {
		use super::*;
		use frame_support::{
			derive_impl,
			traits::{ConstU128, ConstU32, ConstU64},
		};

		/// One day in milliseconds.
		pub const DAY_MS: Moment = 24 * 60 * 60 * 1000;

		/// Production defaults for a chain with 2-second blocks and CNY in fen.
		pub struct SolochainDefaultConfig;

		#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for SolochainDefaultConfig {}

		#[frame_support::register_default_impl(SolochainDefaultConfig)]
		impl DefaultConfig for SolochainDefaultConfig {
			/// One year (365 days).
			type MaxTenor = ConstU64<{ 365 * DAY_MS }>;
			/// 100.00 CNY in fen.
			type MinAmount = ConstU128<10_000>;
			/// Ten tiers below the core enterprise.
			type MaxTier = ConstU32<10>;
			/// Sixteen receivers per split (plus the holder's remainder).
			type MaxChildren = ConstU32<16>;
			/// 256 live certificates per root.
			type MaxLivePerRoot = ConstU32<256>;
			type MaxLivePerHolder = ConstU32<32>;
			/// 10,000 pending offers per sender: a core enterprise's month of
			/// payables to the seed's 8,000 suppliers fits.
			type MaxOutgoingOffers = ConstU32<10_000>;
			/// Seven days.
			type AcceptanceTimeout = ConstU64<{ 7 * DAY_MS }>;
			/// One day after the due date.
			type OverdueGrace = ConstU64<DAY_MS>;
			/// 32 invoice hashes per hand-over.
			type MaxInvoices = ConstU32<32>;
			/// 64-byte payment references.
			type MaxPaymentRefLen = ConstU32<64>;
			/// One-minute buckets.
			type TimerGranularity = ConstU64<60_000>;
			/// 64 queue steps per queue per block.
			type MaxSweepPerBlock = ConstU32<64>;
			/// 90 days.
			type PruneAfter = ConstU64<{ 90 * DAY_MS }>;
		}
	}

	#[pallet::config(with_default)]
	pub trait Config: frame_system::Config {
		/// Who is an active participant and with which roles.
		#[pallet::no_default]
		type Participants: ParticipantRegistry<Self::AccountId>;

		/// The core enterprises' credit lines, reserved on issue and released
		/// on settlement, revocation and return.
		#[pallet::no_default]
		type CreditLines: CreditLines<Self::AccountId, Amount>;

		/// The chain's time in milliseconds (the timestamp pallet).
		#[pallet::no_default]
		type Time: Time<Moment = Moment>;

		/// Weights of the calls and the sweep.
		#[pallet::no_default]
		type WeightInfo: WeightInfo;

		/// Told about every certificate settlement pays (the financing
		/// pallet, which records what the financier and the holder get).
		/// `settle` charges `OnSettled::on_settled_weight()` per certificate
		/// on top of `WeightInfo::settle`. A runtime with the financing
		/// pallet must set it to that pallet; `()` ignores settlements.
		#[pallet::no_default]
		type OnSettled: OnCertificateSettled<Self::AccountId>;

		/// Longest tenor (ms from issue to due date). Default: one year.
		#[pallet::constant]
		type MaxTenor: Get<Moment>;

		/// Smallest amount of any certificate, in minor units (at least 1).
		/// Default: 10 000 (100.00 CNY).
		#[pallet::constant]
		type MinAmount: Get<Amount>;

		/// Deepest tier a certificate may reach. Default: 10.
		#[pallet::constant]
		type MaxTier: Get<Tier>;

		/// Most receivers in one split-transfer (the holder's remainder comes
		/// on top). Default: 16.
		#[pallet::constant]
		type MaxChildren: Get<u32>;

		/// Most live certificates of one root; bounds settlement and root
		/// unfreezing. Must be more than `MaxChildren`. Default: 256.
		#[pallet::constant]
		type MaxLivePerRoot: Get<u32>;

		/// Most of a root's live slots one account may take by splitting:
		/// the certificates it holds and the offers it has pending (an offer
		/// counts for its sender until the receiver accepts it). Bounds what
		/// one holder alone can do to the shared `MaxLivePerRoot`, so a small
		/// holder cannot block splitting and part-financing for the root's
		/// other holders. Accepting an offer or receiving a certificate in
		/// financing is never refused for it. More than `MaxChildren`, at
		/// most `MaxLivePerRoot`. Default: 32.
		#[pallet::constant]
		type MaxLivePerHolder: Get<u32>;

		/// Most offers one participant may have pending at once: roots it
		/// issued and children it split off to receivers who have neither
		/// accepted nor rejected them yet. Offers need no receiver's
		/// consent, so this bounds the state one sender can create alone
		/// (each lapses back after `AcceptanceTimeout` and may be sent
		/// again). Default: 10,000.
		#[pallet::constant]
		type MaxOutgoingOffers: Get<u32>;

		/// How long (ms) a receiver has to accept before the certificate goes
		/// back to its sender. Default: seven days.
		#[pallet::constant]
		type AcceptanceTimeout: Get<Moment>;

		/// How long (ms) after the due date an unsettled certificate becomes
		/// overdue. Default: one day.
		#[pallet::constant]
		type OverdueGrace: Get<Moment>;

		/// Most invoice hashes per hand-over. Default: 32.
		#[pallet::constant]
		type MaxInvoices: Get<u32>;

		/// Longest settlement payment reference, in bytes. Default: 64.
		#[pallet::constant]
		type MaxPaymentRefLen: Get<u32>;

		/// Width (ms) of one bucket of the timer queues: lapses and overdue
		/// marks happen at most this late. Default: one minute.
		#[pallet::constant]
		type TimerGranularity: Get<Moment>;

		/// Most queue steps (certificates handled or empty buckets passed)
		/// per queue per block; the rest carries over. Default: 64.
		#[pallet::constant]
		type MaxSweepPerBlock: Get<u32>;

		/// How long (ms) a settled or cancelled tree stays in storage after
		/// it closed; then `on_idle` deletes its certificates and root
		/// record (the indexer keeps their history). Default: 90 days.
		#[pallet::constant]
		type PruneAfter: Get<Moment>;

		/// Sets up participants, credit lines and time for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		#[pallet::no_default]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId>;
	}

	#[pallet::type_value]
	pub fn FirstCertificateId() -> CertificateId {
		1
	}

	/// The id the next certificate gets.
	#[pallet::storage]
	pub type NextCertificateId<T> = StorageValue<_, CertificateId, ValueQuery, FirstCertificateId>;

	/// Every certificate, by id. Terminal ones stay for lineage until their
	/// tree is pruned (`PruneAfter` after its root closed).
	#[pallet::storage]
	pub type Certificates<T: Config> =
		StorageMap<_, Twox64Concat, CertificateId, CertificateOf<T>, OptionQuery>;

	/// Per-root records, by root id.
	#[pallet::storage]
	pub type Roots<T: Config> =
		StorageMap<_, Twox64Concat, CertificateId, RootInfoOf<T>, OptionQuery>;

	/// Every certificate of a root's tree: (root, id). For lineage.
	#[pallet::storage]
	pub type RootMembers<T> = StorageDoubleMap<
		_,
		Twox64Concat,
		CertificateId,
		Twox64Concat,
		CertificateId,
		(),
		OptionQuery,
	>;

	/// The live certificates of a root: (root, id). At most `MaxLivePerRoot`
	/// per root; settlement walks it.
	#[pallet::storage]
	pub type LiveByRoot<T> = StorageDoubleMap<
		_,
		Twox64Concat,
		CertificateId,
		Twox64Concat,
		CertificateId,
		(),
		OptionQuery,
	>;

	/// How many of a root's live slots each account takes: (root, account)
	/// -> count of the live certificates it holds that are not offered to
	/// it, plus the offers of that root it has pending (see
	/// [`Config::MaxLivePerHolder`]); no entry is zero.
	#[pallet::storage]
	pub type LivePerHolder<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		CertificateId,
		Blake2_128Concat,
		T::AccountId,
		u32,
		ValueQuery,
	>;

	/// How many offers each sender has pending (see
	/// [`Config::MaxOutgoingOffers`]); no entry is zero.
	#[pallet::storage]
	pub type OutgoingOffers<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The live certificates of each holder: (holder, id). A pending
	/// certificate is listed under the account it is offered to.
	#[pallet::storage]
	pub type Holdings<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		CertificateId,
		(),
		OptionQuery,
	>;

	/// Timer queues: ((timer, bucket), id). Bucket `b` holds the entries
	/// whose moment lies in `((b - 1) * TimerGranularity, b * TimerGranularity]`
	/// and is swept once `now >= b * TimerGranularity`. Entries are checked
	/// against the certificate when swept; stale ones are dropped.
	#[pallet::storage]
	pub type TimerQueue<T> = StorageDoubleMap<
		_,
		Twox64Concat,
		(Timer, u64),
		Twox64Concat,
		CertificateId,
		(),
		OptionQuery,
	>;

	/// The first bucket of each timer queue not yet fully swept. Unset until
	/// the queue first gets an entry.
	#[pallet::storage]
	pub type TimerCursor<T> = StorageMap<_, Twox64Concat, Timer, u64, OptionQuery>;

	/// The ordered index of the timer queues: how many entries each page of
	/// [`crate::TIMER_PAGE`] buckets holds, keyed by `(timer, bucket / TIMER_PAGE)`;
	/// no entry is zero. The sweep passes an empty page in one step, so a
	/// cursor far behind (a chain stopped for days, a genesis time long
	/// before the first block) catches up in steps per page, not per bucket.
	#[pallet::storage]
	pub type TimerPages<T> = StorageMap<_, Twox64Concat, (Timer, u64), u32, ValueQuery>;

	/// The ledger's time at genesis (ms), from the genesis config. The
	/// timestamp pallet reads 0 until the first block sets it, so the ledger
	/// takes this as the time while the timestamp is 0: genesis
	/// certificates are issued, and the timer cursors start, at the genesis
	/// time rather than at 1970-01-01.
	#[pallet::storage]
	pub type GenesisTime<T> = StorageValue<_, Moment, ValueQuery>;

	/// Closed roots waiting to be pruned, in the order they closed: queue
	/// position -> (root, the moment (ms) it may be pruned). See
	/// `features/pruning.rs`.
	#[pallet::storage]
	pub type PruneQueue<T> = StorageMap<_, Twox64Concat, u64, (CertificateId, Moment), OptionQuery>;

	/// The positions in [`PruneQueue`] in use: `(head, tail)`, the first
	/// entry not yet pruned and the position the next closed root gets.
	#[pallet::storage]
	pub type PruneQueueRange<T> = StorageValue<_, (u64, u64), ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A core enterprise issued a root certificate to its tier-1 supplier,
		/// pending the supplier's acceptance. Its credit line was reserved.
		Issued {
			/// The new certificate, also the id of its root.
			id: CertificateId,
			/// The core enterprise that owes the amount.
			issuer: T::AccountId,
			/// The tier-1 supplier it is offered to.
			receiver: T::AccountId,
			/// Face amount, in minor units.
			amount: Amount,
			/// Due date (ms).
			due: Moment,
			/// Moment (ms) after which the offer lapses.
			acceptance_deadline: Moment,
			/// Hashes of the trade documents.
			documents: DocumentsOf<T>,
			/// The credit line that backs the root, named by the financier
			/// that granted it (`CreditLines::LineRef`: in the runtime, the
			/// financier's account). The participants pallet's
			/// `CreditReserved` in the same extrinsic has the amounts.
			financier: LineRefOf<T>,
		},
		/// A split closed `parent`; its children follow as `ChildCreated`
		/// events (one per receiver, then the remainder if any).
		Split {
			/// The certificate closed by the split.
			parent: CertificateId,
			/// Its root.
			root: CertificateId,
			/// The holder who split it.
			holder: T::AccountId,
			/// The number of children created.
			children: u32,
		},
		/// A certificate was created by a split. It carries the parent's root,
		/// issuer and due date.
		ChildCreated {
			/// The new certificate.
			id: CertificateId,
			/// The certificate it was split from.
			parent: CertificateId,
			/// The root it descends from.
			root: CertificateId,
			/// Who split it off.
			sender: T::AccountId,
			/// Its holder (the receiver, or the sender for a remainder).
			holder: T::AccountId,
			/// Amount, in minor units.
			amount: Amount,
			/// Tier: parent's tier + 1 for a receiver, parent's tier for the
			/// sender's own parts.
			tier: Tier,
			/// `Some(deadline)` when offered to a receiver who must accept it
			/// by then; `None` when it is active with the sender.
			acceptance_deadline: Option<Moment>,
			/// Hashes of the trade documents behind this hand-over (the
			/// parent's for the sender's own parts).
			documents: DocumentsOf<T>,
		},
		/// The receiver accepted a certificate; it is now active.
		Accepted {
			/// The certificate.
			id: CertificateId,
			/// Its root.
			root: CertificateId,
			/// The receiver, now its holder.
			holder: T::AccountId,
		},
		/// An offer ended without acceptance (rejected or lapsed). A root is
		/// now `Returned` and its root cancelled (see `RootCancelled`); a
		/// child is active again with its sender at the sender's tier.
		ReturnedToSender {
			/// The certificate.
			id: CertificateId,
			/// Its root.
			root: CertificateId,
			/// The receiver that did not accept it.
			receiver: T::AccountId,
			/// The sender, now its holder again.
			sender: T::AccountId,
			/// Its tier now (the sender's).
			tier: Tier,
			/// Rejected or expired.
			reason: ReturnReason,
		},
		/// The issuer revoked a root certificate before it was accepted.
		Revoked {
			/// The certificate (a root).
			id: CertificateId,
			/// The issuer.
			issuer: T::AccountId,
			/// The receiver it had been offered to.
			receiver: T::AccountId,
		},
		/// A root was cancelled before its first acceptance (revoked or
		/// returned); nothing is owed on it.
		RootCancelled {
			/// The root.
			root: CertificateId,
			/// The issuer.
			issuer: T::AccountId,
			/// Its face amount.
			face: Amount,
		},
		/// A live certificate was paid to its holder at settlement.
		CertificateSettled {
			/// The certificate.
			id: CertificateId,
			/// Its root.
			root: CertificateId,
			/// The holder it is paid to.
			holder: T::AccountId,
			/// The amount paid.
			amount: Amount,
			/// The financier the proceeds are pledged to, if pledged.
			pledgee: Option<T::AccountId>,
		},
		/// A root was settled: every live certificate was paid (one
		/// `CertificateSettled` each, emitted just before).
		RootSettled {
			/// The root.
			root: CertificateId,
			/// The issuer that paid.
			issuer: T::AccountId,
			/// The face amount paid in total.
			face: Amount,
			/// The number of certificates paid.
			certificates: u32,
			/// The issuer's payment reference.
			payment_ref: PaymentRefOf<T>,
		},
		/// A settled or cancelled tree was deleted from storage,
		/// `PruneAfter` after it closed: its certificates (over this and
		/// perhaps earlier blocks) and, now, its root record. Reads of them
		/// find nothing from here on; the indexer keeps their history.
		RootPruned {
			/// The root.
			root: CertificateId,
		},
		/// A certificate passed its due date plus grace unsettled.
		BecameOverdue {
			/// The certificate.
			id: CertificateId,
			/// Its root.
			root: CertificateId,
			/// Its holder.
			holder: T::AccountId,
			/// Its amount.
			amount: Amount,
			/// The financier's claim it carries, if any.
			encumbrance: Option<Encumbrance<T::AccountId>>,
		},
		/// The regulator froze a certificate.
		Frozen {
			/// The certificate.
			id: CertificateId,
			/// Its root.
			root: CertificateId,
			/// The regulator that froze it.
			regulator: T::AccountId,
			/// SM3 hash of the reason.
			reason: DocHash,
		},
		/// The regulator unfroze a certificate; it is back in its previous
		/// standing.
		Unfrozen {
			/// The certificate.
			id: CertificateId,
			/// Its root.
			root: CertificateId,
			/// The regulator that unfroze it.
			regulator: T::AccountId,
			/// SM3 hash of the reason.
			reason: DocHash,
		},
		/// The regulator froze a whole root: none of its certificates can act.
		RootFrozen {
			/// The root.
			root: CertificateId,
			/// The regulator that froze it.
			regulator: T::AccountId,
			/// SM3 hash of the reason.
			reason: DocHash,
		},
		/// The regulator unfroze a whole root.
		RootUnfrozen {
			/// The root.
			root: CertificateId,
			/// The regulator that unfroze it.
			regulator: T::AccountId,
			/// SM3 hash of the reason.
			reason: DocHash,
		},
		/// A certificate was sold to a financier (factoring), who is now its
		/// holder.
		Financed {
			/// The certificate.
			id: CertificateId,
			/// The holder who sold it.
			seller: T::AccountId,
			/// The financier, its new holder.
			financier: T::AccountId,
		},
		/// A certificate was pledged to a financier; the holder keeps it.
		Pledged {
			/// The certificate.
			id: CertificateId,
			/// Its holder.
			holder: T::AccountId,
			/// The financier.
			pledgee: T::AccountId,
		},
		/// A certificate was reserved for an open financing request: its
		/// holder keeps it but cannot use it until the request ends.
		Reserved {
			/// The certificate.
			id: CertificateId,
			/// Its holder, who asked for financing.
			holder: T::AccountId,
			/// The financier the request is addressed to.
			financier: T::AccountId,
		},
		/// A reservation ended without financing; the certificate is active
		/// again.
		ReservationReleased {
			/// The certificate.
			id: CertificateId,
			/// Its holder.
			holder: T::AccountId,
			/// The financier it had been reserved for.
			financier: T::AccountId,
		},
		/// A pledge was released; the certificate is free again (or overdue
		/// without encumbrance).
		PledgeReleased {
			/// The certificate.
			id: CertificateId,
			/// Its holder.
			holder: T::AccountId,
			/// The financier that held the pledge.
			pledgee: T::AccountId,
		},
		/// A factored certificate was handed back to its seller (recourse).
		RecourseReturned {
			/// The certificate.
			id: CertificateId,
			/// The financier that held it.
			financier: T::AccountId,
			/// The seller, its holder again.
			seller: T::AccountId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not an active participant.
		NotParticipant,
		/// The caller is not an active core enterprise.
		NotCoreEnterprise,
		/// The caller is not an active regulator.
		NotRegulator,
		/// A receiver is not an active participant.
		ReceiverNotParticipant,
		/// No certificate with that id.
		UnknownCertificate,
		/// No root with that id.
		UnknownRoot,
		/// The caller does not hold the certificate.
		NotHolder,
		/// The caller is not the certificate's issuer.
		NotIssuer,
		/// The certificate is not pending acceptance.
		NotPending,
		/// The certificate is pending acceptance.
		Pending,
		/// The operation applies to roots only.
		NotRoot,
		/// The certificate (or its root) is frozen.
		Frozen,
		/// The certificate (or root) is not frozen.
		NotFrozen,
		/// The certificate is financed or pledged.
		AlreadyFinanced,
		/// The certificate is reserved by an open financing request.
		Reserved,
		/// The certificate is not reserved for that financier.
		NotReserved,
		/// The certificate is not financed or pledged as required.
		NotFinanced,
		/// The certificate is overdue.
		Overdue,
		/// The certificate is settled, revoked, returned or closed by a split.
		Closed,
		/// The root is settled or cancelled.
		RootClosed,
		/// The due date has been reached.
		Matured,
		/// The due date has not been reached yet.
		NotMatured,
		/// The due date is not in the future.
		DueDateInPast,
		/// The due date is further away than `MaxTenor`.
		TenorTooLong,
		/// An amount is zero or below `MinAmount`.
		BelowMinimum,
		/// The parts add up to more than the certificate's amount.
		ExceedsAmount,
		/// The split would go deeper than `MaxTier`.
		TierTooDeep,
		/// More receivers than `MaxChildren`.
		TooManyChildren,
		/// No receivers given.
		NoParts,
		/// The root would have more than `MaxLivePerRoot` live certificates.
		TooManyLive,
		/// The holder would take more than `MaxLivePerHolder` of the root's
		/// live slots (its certificates and pending offers of that root):
		/// wait until receivers accept its offers, or settle.
		TooManyHeld,
		/// A certificate cannot be sent to its own holder (or issued to
		/// oneself).
		SelfTransfer,
		/// The same receiver appears twice in a split.
		DuplicateReceiver,
		/// A certificate of the root is still pending acceptance.
		HasPending,
		/// An arithmetic overflow.
		Overflow,
		/// The offer's acceptance deadline has passed: it can no longer be
		/// accepted, and goes back to its sender when the timer sweep
		/// reaches it (it may still be rejected now).
		Lapsed,
		/// The sender has `MaxOutgoingOffers` offers pending already: wait
		/// until receivers accept or reject some (or they lapse).
		TooManyOffers,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The time (ms since 1970) the ledger takes as "now" at genesis and
		/// until the first block's timestamp (see [`GenesisTime`]). Genesis
		/// certificates are issued at this time and the timer cursors start
		/// at it. Required (non-zero) when there are genesis certificates;
		/// a production chain spec sets the launch time.
		pub genesis_time: Moment,
		/// Certificates that exist from genesis, issued and accepted at
		/// `genesis_time`: `(issuer, holder, amount, due)`. Each keeps every
		/// rule of `issue` (a core enterprise's credit line, an active
		/// receiver, the minimum amount, the tenor cap from `genesis_time`).
		/// The `development` preset gives its SM2 suppliers one each, for
		/// `benchmark extrinsic`, whose blocks carry timestamp 0 and so run
		/// at the genesis time too.
		pub certificates: alloc::vec::Vec<(T::AccountId, T::AccountId, Amount, Moment)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(
				self.certificates.is_empty() || self.genesis_time > 0,
				"receivables genesis: certificates need a genesis_time (ms since 1970), or \
				 their timers would start at 1970-01-01"
			);
			GenesisTime::<T>::put(self.genesis_time);
			for (issuer, holder, amount, due) in &self.certificates {
				let issued = Pallet::<T>::do_issue(
					issuer.clone(),
					holder.clone(),
					*amount,
					*due,
					Default::default(),
				)
				.and_then(|id| Pallet::<T>::do_accept(holder.clone(), id));
				if let Err(e) = issued {
					panic!("genesis certificate of {amount} for {holder:?}: {e:?}");
				}
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Sweeps the timer queues: lapsed offers go back, matured
		/// certificates become overdue. Bounded by `MaxSweepPerBlock`.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Self::on_initialize_sweep()
		}

		/// Goes on sweeping with the block's leftover weight, so the timers
		/// keep up with what full blocks create (see `tick_impls`); then
		/// prunes closed trees with what is left (see `features/pruning.rs`).
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			let swept = Self::on_idle_sweep(remaining);
			swept.saturating_add(Self::on_idle_prune(remaining.saturating_sub(swept)))
		}

		fn integrity_test() {
			assert!(T::MinAmount::get() >= 1, "MinAmount must be at least 1");
			assert!(T::MaxTier::get() >= 1, "MaxTier must be at least 1");
			assert!(T::MaxChildren::get() >= 1, "MaxChildren must be at least 1");
			assert!(
				T::MaxLivePerRoot::get() > T::MaxChildren::get(),
				"MaxLivePerRoot must exceed MaxChildren"
			);
			assert!(
				T::MaxLivePerHolder::get() > T::MaxChildren::get()
					&& T::MaxLivePerHolder::get() <= T::MaxLivePerRoot::get(),
				"MaxLivePerHolder must exceed MaxChildren and be at most MaxLivePerRoot"
			);
			assert!(T::TimerGranularity::get() >= 1, "TimerGranularity must be at least 1");
			assert!(T::MaxSweepPerBlock::get() >= 1, "MaxSweepPerBlock must be at least 1");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Issue (开立) a root certificate to a tier-1 supplier.
		///
		/// - Origin: signed by an active core enterprise (the issuer).
		/// - `receiver`: the active participant it is offered to.
		/// - `amount`: face amount in minor units, at least `MinAmount`.
		/// - `due`: due date (ms), in the future and at most `MaxTenor` away.
		/// - `documents`: SM3 hashes of the contract and invoices.
		///
		/// Reserves `amount` on the issuer's credit line. The certificate is
		/// pending until the receiver accepts it; it lapses back after
		/// `AcceptanceTimeout`.
		///
		/// Emits `Issued`. Weight: `WeightInfo::issue`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::issue())]
		pub fn issue(
			origin: OriginFor<T>,
			receiver: T::AccountId,
			amount: Amount,
			due: Moment,
			documents: DocumentsOf<T>,
		) -> DispatchResult {
			let issuer = ensure_signed(origin)?;
			Self::do_issue(issuer, receiver, amount, due, documents).map(|_| ())
		}

		/// Accept (签收) a certificate offered to the caller.
		///
		/// - Origin: signed by the active participant it is offered to.
		/// - `id`: a certificate pending acceptance, not frozen, whose
		///   acceptance deadline has not passed (`Lapsed` otherwise, even
		///   before the timer sweep returns it).
		///
		/// Emits `Accepted`. Weight: `WeightInfo::accept`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::accept())]
		pub fn accept(origin: OriginFor<T>, id: CertificateId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept(who, id)
		}

		/// Reject (拒收) a certificate offered to the caller. A root is returned
		/// to its issuer (cancelled, credit released); a child goes back to its
		/// sender as an active certificate at the sender's tier.
		///
		/// - Origin: signed by the active participant it is offered to.
		/// - `id`: a certificate pending acceptance, not frozen.
		///
		/// Emits `ReturnedToSender` and, for a root, `RootCancelled` and
		/// `CreditReleased`. Weight: `WeightInfo::reject`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::reject())]
		pub fn reject(origin: OriginFor<T>, id: CertificateId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reject(who, id)
		}

		/// Revoke (撤销) a root certificate before its receiver accepted it.
		///
		/// - Origin: signed by the issuer, an active participant (the core
		///   enterprise that issued it; its role is not checked again, so a
		///   core enterprise whose role was changed since can still act on
		///   what it issued).
		/// - `id`: a root pending acceptance, not frozen.
		///
		/// Emits `Revoked`, `RootCancelled`, `CreditReleased`.
		/// Weight: `WeightInfo::revoke`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::revoke())]
		pub fn revoke(origin: OriginFor<T>, id: CertificateId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_revoke(who, id)
		}

		/// Split-transfer (拆分流转): send parts of an active certificate to one
		/// or more receivers. The certificate closes; each receiver gets a
		/// child one tier deeper, pending its acceptance; what is left (if
		/// anything) stays with the holder as a child at the holder's tier.
		///
		/// - Origin: signed by the holder, an active participant.
		/// - `id`: an active certificate before its due date (not pending,
		///   financed, pledged, overdue or frozen).
		/// - `parts`: (receiver, amount) pairs, at most `MaxChildren`, distinct
		///   active receivers other than the holder, each amount and any
		///   remainder at least `MinAmount`, summing to at most the amount.
		/// - `documents`: hashes of the trade documents behind this hand-over,
		///   recorded on the receivers' children.
		///
		/// Emits `Split`, then `ChildCreated` per child.
		/// Weight: `WeightInfo::split_transfer(parts.len())`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::split_transfer(parts.len() as u32))]
		pub fn split_transfer(
			origin: OriginFor<T>,
			id: CertificateId,
			parts: PartsOf<T>,
			documents: DocumentsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_split_transfer(who, id, &parts, documents).map(|_| ())
		}

		/// Settle (兑付) a root at or after its due date: every live certificate
		/// of the tree is paid to its holder and marked settled, and the credit
		/// line is released.
		///
		/// - Origin: signed by the issuer, an active participant (the core
		///   enterprise that issued it; its role is not checked again, so a
		///   core enterprise whose role was changed since can still act on
		///   what it issued).
		/// - `root`: an outstanding root, not frozen, with no certificate
		///   frozen or pending acceptance.
		/// - `payment_ref`: the payment reference, at most `MaxPaymentRefLen`
		///   bytes.
		///
		/// Calls `Config::OnSettled` once per certificate paid.
		///
		/// Emits `CertificateSettled` per certificate, then `RootSettled` and
		/// `CreditReleased`. Weight: [`Pallet::settle_weight`]`(MaxLivePerRoot)`
		/// (`WeightInfo::settle(n)` plus `n` times the `OnSettled` hook's
		/// weight), refunded to the live certificates paid.
		#[pallet::call_index(5)]
		#[pallet::weight(Pallet::<T>::settle_weight(T::MaxLivePerRoot::get()))]
		pub fn settle(
			origin: OriginFor<T>,
			root: CertificateId,
			payment_ref: PaymentRefOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let paid = Self::do_settle(who, root, payment_ref)?;
			Ok(Some(Self::settle_weight(paid)).into())
		}

		/// Freeze (冻结) one live certificate.
		///
		/// - Origin: signed by an active regulator.
		/// - `id`: a live certificate, not already frozen.
		/// - `reason`: SM3 hash of the reason.
		///
		/// Emits `Frozen`. Weight: `WeightInfo::freeze`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::freeze())]
		pub fn freeze(origin: OriginFor<T>, id: CertificateId, reason: DocHash) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_regulator(&who)?;
			Self::do_freeze(who, id, reason)
		}

		/// Unfreeze a certificate back into the standing it had.
		///
		/// - Origin: signed by an active regulator.
		/// - `id`: a frozen certificate.
		/// - `reason`: SM3 hash of the reason.
		///
		/// A lapsed offer or a passed due date take effect in the next sweep.
		/// Emits `Unfrozen`. Weight: `WeightInfo::unfreeze`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::unfreeze())]
		pub fn unfreeze(
			origin: OriginFor<T>,
			id: CertificateId,
			reason: DocHash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_regulator(&who)?;
			Self::do_unfreeze(who, id, reason)
		}

		/// Freeze a whole root: none of its certificates can act, and it
		/// cannot be settled.
		///
		/// - Origin: signed by an active regulator.
		/// - `root`: an outstanding root, not already frozen.
		/// - `reason`: SM3 hash of the reason.
		///
		/// Emits `RootFrozen`. Weight: `WeightInfo::freeze_root`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::freeze_root())]
		pub fn freeze_root(
			origin: OriginFor<T>,
			root: CertificateId,
			reason: DocHash,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_regulator(&who)?;
			Self::do_freeze_root(who, root, reason)
		}

		/// Unfreeze a whole root. Certificates frozen on their own stay frozen.
		///
		/// - Origin: signed by an active regulator.
		/// - `root`: a frozen root.
		/// - `reason`: SM3 hash of the reason.
		///
		/// Emits `RootUnfrozen`. Weight: `WeightInfo::unfreeze_root(MaxLivePerRoot)`,
		/// refunded to the live certificates rescheduled.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::unfreeze_root(T::MaxLivePerRoot::get()))]
		pub fn unfreeze_root(
			origin: OriginFor<T>,
			root: CertificateId,
			reason: DocHash,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::ensure_regulator(&who)?;
			let n = Self::do_unfreeze_root(who, root, reason)?;
			Ok(Some(T::WeightInfo::unfreeze_root(n)).into())
		}
	}
}
