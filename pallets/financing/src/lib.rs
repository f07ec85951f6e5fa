#![doc = include_str!("../README.md")]
//!
//! # Financing pallet
//!
//! Financing (融资) of receivable certificates before maturity: a holder asks
//! a financier (a participant with the financier role) to finance a
//! certificate, whole or a part split off first; the financier offers an
//! advance and a discount rate, with or without recourse, an expiry and a
//! payout deadline; the holder accepts, naming the terms it accepts (a
//! changed offer is refused), and from then on the deal is locked until the
//! financier pays out or declines or the payout deadline passes; the
//! financier confirms the payout, and in the same extrinsic the
//! certificate is sold to the financier (factoring, 保理) or pledged to it
//! (pledge, 质押). At settlement the pallet records what the financier and the
//! holder get; when a certificate financed with recourse falls overdue, the
//! financier may hand it back and the holder owes the advance.
//!
//! The certificates live in the receivables pallet; this pallet drives them
//! through [`pallet_receivables::ReceivableLedger`] (`Config::Ledger`) and
//! hears about settlement through [`pallet_receivables::OnCertificateSettled`],
//! which [`Pallet`] implements. See [`types`] for the lifecycle and
//! `README.md` next to this crate for how it fits.
//!
//! ## No double financing
//!
//! Opening a request reserves the certificate for the financier
//! (`Standing::Reserved` in the ledger: the holder can no longer split,
//! transfer or finance it), and [`OpenRequest`] maps a certificate to its one
//! open or funded request. A second request on the same certificate, to any
//! financier, is refused; so is a request on a certificate that is pending,
//! frozen, overdue, at or past its due date, financed or pledged.
//!
//! ## Calls
//!
//! Holder: [`Pallet::request`], [`Pallet::request_part`],
//! [`Pallet::accept_offer`], [`Pallet::cancel`]. Financier: [`Pallet::offer`],
//! [`Pallet::withdraw_offer`], [`Pallet::decline`], [`Pallet::confirm_payout`],
//! [`Pallet::exercise_recourse`], [`Pallet::confirm_repayment`],
//! [`Pallet::release_pledge`].
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod features;
mod invariants;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use types::*;
pub use weights::WeightInfo;

/// The log target of this pallet.
pub const LOG_TARGET: &str = "runtime::financing";

/// What the benchmarks need the runtime to set up, since this pallet only
/// sees participants, certificates and time through traits.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Sets the current time (ms) as `Config::Time` reports it.
	fn set_time(now: Moment);
	/// Makes `who` an active participant holding `role`.
	fn make_participant(who: &AccountId, role: scf_primitives::Role);
	/// Creates an active, unfrozen certificate of `amount` due at `due` (in
	/// the future), held by `holder`, and returns its id. `amount` is large
	/// enough to be split in two parts of at least the ledger's minimum.
	/// With the receivables pallet:
	/// `pallet_receivables::Pallet::<Runtime>::benchmark_active_certificate`.
	fn active_certificate(holder: &AccountId, amount: Amount, due: Moment) -> CertificateId;
	/// Moves time past certificate `id`'s due date and grace period and
	/// marks it overdue. With the receivables pallet:
	/// `pallet_receivables::Pallet::<Runtime>::benchmark_make_overdue`.
	fn make_overdue(id: CertificateId);
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::Time};
	use frame_system::pallet_prelude::*;
	use pallet_receivables::ReceivableLedger;
	use scf_primitives::traits::ParticipantRegistry;

	/// The current storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// A payment reference (payout or repayment).
	pub type PaymentRefOf<T> = BoundedVec<u8, <T as Config>::MaxPaymentRefLen>;
	/// The request as stored.
	pub type RequestOf<T> =
		Request<<T as frame_system::Config>::AccountId, <T as Config>::MaxPaymentRefLen>;
	/// The request state as stored.
	pub type RequestStateOf<T> = RequestState<<T as Config>::MaxPaymentRefLen>;
	/// A recourse claim with the runtime's account id.
	pub type RecourseClaimOf<T> = RecourseClaim<<T as frame_system::Config>::AccountId>;

	/// Default values of the limits, usable with
	/// `#[derive_impl(pallet_financing::config_preludes::SolochainDefaultConfig)]`.
	pub mod config_preludes {
		use super::*;
		use frame_support::{
			derive_impl,
			traits::{ConstU32, ConstU64},
		};

		/// Production defaults.
		pub struct SolochainDefaultConfig;

		#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig, no_aggregated_types)]
		impl frame_system::DefaultConfig for SolochainDefaultConfig {}

		#[frame_support::register_default_impl(SolochainDefaultConfig)]
		impl DefaultConfig for SolochainDefaultConfig {
			/// 64-byte payment references.
			type MaxPaymentRefLen = ConstU32<64>;
			/// 100 % a year.
			type MaxDiscountBps = ConstU32<10_000>;
			/// 1,000 unfunded requests per holder.
			type MaxOpenRequests = ConstU32<1_000>;
			/// 90 days.
			type PruneAfter = ConstU64<{ 90 * pallet_receivables::config_preludes::DAY_MS }>;
		}
	}

	#[pallet::config(with_default)]
	pub trait Config: frame_system::Config {
		/// The certificate ledger (the receivables pallet).
		#[pallet::no_default]
		type Ledger: ReceivableLedger<Self::AccountId>;

		/// Who is an active participant and with which roles.
		#[pallet::no_default]
		type Participants: ParticipantRegistry<Self::AccountId>;

		/// The chain's time in milliseconds (the timestamp pallet).
		#[pallet::no_default]
		type Time: Time<Moment = Moment>;

		/// Weights of the calls and of the settlement hook.
		#[pallet::no_default]
		type WeightInfo: WeightInfo;

		/// Longest payout or repayment reference, in bytes. Default: 64.
		#[pallet::constant]
		type MaxPaymentRefLen: Get<u32>;

		/// Highest discount rate an offer may carry, in basis points a year;
		/// at most 10 000. Default: 10 000 (100 % a year).
		#[pallet::constant]
		type MaxDiscountBps: Get<Bps>;

		/// Most requests one holder may have open and not yet funded
		/// (requested, offered or accepted) at once. A request needs no
		/// financier's consent, so this bounds what one holder can open
		/// alone; funded deals do not count (the financier agreed to them).
		/// Default: 1,000.
		#[pallet::constant]
		type MaxOpenRequests: Get<u32>;

		/// How long (ms) a closed request stays in storage after it closed;
		/// then `on_idle` deletes it (the indexer keeps its history).
		/// Default: 90 days.
		#[pallet::constant]
		type PruneAfter: Get<Moment>;

		/// Sets up participants, certificates and time for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		#[pallet::no_default]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId>;
	}

	#[pallet::type_value]
	pub fn FirstRequestId() -> RequestId {
		1
	}

	/// The id the next request gets.
	#[pallet::storage]
	pub type NextRequestId<T> = StorageValue<_, RequestId, ValueQuery, FirstRequestId>;

	/// Every request, by id. Closed ones stay, as the financing history of
	/// their certificates, for `PruneAfter` after they closed.
	#[pallet::storage]
	pub type Requests<T: Config> =
		StorageMap<_, Twox64Concat, RequestId, RequestOf<T>, OptionQuery>;

	/// The request with a claim on a certificate: requested, offered,
	/// accepted or funded, or a pledge in recourse
	/// (`Request::holds_certificate`). At most one per certificate, across
	/// all financiers. Removed when the request closes or recourse hands a
	/// factored certificate back.
	#[pallet::storage]
	pub type OpenRequest<T> = StorageMap<_, Twox64Concat, CertificateId, RequestId, OptionQuery>;

	/// What a holder owes after recourse, by request, until the financier
	/// confirms the repayment.
	#[pallet::storage]
	pub type RecourseClaims<T: Config> =
		StorageMap<_, Twox64Concat, RequestId, RecourseClaimOf<T>, OptionQuery>;

	/// How many requests addressed to each financier are not closed
	/// (requested, offered, accepted, funded or in recourse): its open
	/// deals, which keep its financier role (`FinancierDeals`). Absent for
	/// none.
	#[pallet::storage]
	pub type OpenDeals<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, OptionQuery>;

	/// How many of each holder's requests are open and not yet funded
	/// (requested, offered or accepted); see [`Config::MaxOpenRequests`].
	/// Absent for none.
	#[pallet::storage]
	pub type UnfundedRequests<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, OptionQuery>;

	/// Closed requests waiting to be pruned, in the order they closed:
	/// queue position -> (request, the moment (ms) it may be pruned). See
	/// `features/pruning.rs`.
	#[pallet::storage]
	pub type PruneQueue<T> = StorageMap<_, Twox64Concat, u64, (RequestId, Moment), OptionQuery>;

	/// The positions in [`PruneQueue`] in use: `(head, tail)`, the first
	/// entry not yet pruned and the position the next closed request gets.
	#[pallet::storage]
	pub type PruneQueueRange<T> = StorageValue<_, (u64, u64), ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A holder asked a financier to finance a certificate (融资申请); the
		/// certificate is reserved for the financier.
		Requested {
			/// The new request.
			request: RequestId,
			/// The certificate to be financed.
			certificate: CertificateId,
			/// The holder who asked.
			holder: T::AccountId,
			/// The financier asked.
			financier: T::AccountId,
			/// Factoring or pledge.
			kind: FinancingKind,
			/// The certificate's amount, in minor units.
			amount: Amount,
			/// The advance asked for, in minor units.
			wanted_advance: Amount,
			/// The certificate's due date (ms).
			due: Moment,
			/// The certificate the financed part was split off from, for
			/// `request_part`; `None` for a whole certificate.
			split_from: Option<CertificateId>,
			/// When the request was made (ms).
			at: Moment,
		},
		/// The financier made an offer (报价).
		Offered {
			/// The request.
			request: RequestId,
			/// Its certificate.
			certificate: CertificateId,
			/// The financier.
			financier: T::AccountId,
			/// The holder it is offered to.
			holder: T::AccountId,
			/// The advance offered, in minor units.
			advance: Amount,
			/// The discount rate, in basis points a year.
			discount_bps: Bps,
			/// Whether the financing is with recourse.
			recourse: bool,
			/// The moment (ms) the offer expires.
			expires: Moment,
			/// The payout deadline (ms) once accepted.
			payout_by: Moment,
			/// When the offer was made (ms).
			at: Moment,
		},
		/// The financier withdrew its offer; the request waits for an offer
		/// again.
		OfferWithdrawn {
			/// The request.
			request: RequestId,
			/// Its certificate.
			certificate: CertificateId,
			/// The financier.
			financier: T::AccountId,
			/// The holder the offer had been made to.
			holder: T::AccountId,
			/// When it was withdrawn (ms).
			at: Moment,
		},
		/// The financier declined the request; it is closed and the
		/// certificate's reservation released (if it had not lapsed).
		Declined {
			/// The request.
			request: RequestId,
			/// Its certificate.
			certificate: CertificateId,
			/// The financier.
			financier: T::AccountId,
			/// The holder who had asked.
			holder: T::AccountId,
			/// When it was declined (ms).
			at: Moment,
		},
		/// The holder accepted the offer it named; the deal is locked until
		/// the financier pays out or declines, or `payout_by` passes.
		OfferAccepted {
			/// The request.
			request: RequestId,
			/// Its certificate.
			certificate: CertificateId,
			/// The holder.
			holder: T::AccountId,
			/// The financier.
			financier: T::AccountId,
			/// The advance accepted, in minor units.
			advance: Amount,
			/// The discount rate, in basis points a year.
			discount_bps: Bps,
			/// Whether the financing is with recourse.
			recourse: bool,
			/// The payout deadline (ms).
			payout_by: Moment,
			/// When it was accepted (ms).
			at: Moment,
		},
		/// The financier confirmed the payout (放款确认); the certificate was
		/// sold (factoring) or pledged to it in the same step.
		PayoutConfirmed {
			/// The request.
			request: RequestId,
			/// Its certificate.
			certificate: CertificateId,
			/// The holder paid out to.
			holder: T::AccountId,
			/// The financier.
			financier: T::AccountId,
			/// Factoring or pledge.
			kind: FinancingKind,
			/// The advance paid out, in minor units.
			advance: Amount,
			/// The discount rate, in basis points a year.
			discount_bps: Bps,
			/// The discount from now to the due date, in minor units.
			discount: Amount,
			/// Whether the financing is with recourse.
			recourse: bool,
			/// The financier's payout reference.
			payment_ref: PaymentRefOf<T>,
			/// When it was paid out (ms).
			at: Moment,
		},
		/// The holder cancelled the request before payout; the certificate's
		/// reservation was released (if it had not lapsed).
		Cancelled {
			/// The request.
			request: RequestId,
			/// Its certificate.
			certificate: CertificateId,
			/// The holder.
			holder: T::AccountId,
			/// The financier.
			financier: T::AccountId,
			/// When it was cancelled (ms).
			at: Moment,
		},
		/// The certificate was settled before payout; the request is closed.
		Lapsed {
			/// The request.
			request: RequestId,
			/// Its certificate.
			certificate: CertificateId,
			/// The holder.
			holder: T::AccountId,
			/// The financier.
			financier: T::AccountId,
			/// When the certificate was settled (ms).
			at: Moment,
		},
		/// A funded certificate was settled (兑付): what the financier and the
		/// holder get. Factoring: all to the financier, as holder. Pledge: the
		/// financier up to advance + discount, the holder the rest.
		Settled {
			/// The request.
			request: RequestId,
			/// Its certificate.
			certificate: CertificateId,
			/// The holder who had asked (seller or pledgor).
			holder: T::AccountId,
			/// The financier.
			financier: T::AccountId,
			/// Factoring or pledge.
			kind: FinancingKind,
			/// The amount settled, in minor units.
			amount: Amount,
			/// Paid to the financier.
			to_financier: Amount,
			/// Paid to the holder.
			to_holder: Amount,
			/// When (ms).
			at: Moment,
		},
		/// The certificate fell overdue and the financier exercised recourse
		/// (追索): the holder owes the advance. A factored certificate is back
		/// with the holder; a pledged one stays pledged to the financier until
		/// the repayment is confirmed or settlement pays the financier.
		RecourseExercised {
			/// The request.
			request: RequestId,
			/// Its certificate.
			certificate: CertificateId,
			/// The financier.
			financier: T::AccountId,
			/// The holder, who now owes the advance.
			debtor: T::AccountId,
			/// Factoring or pledge.
			kind: FinancingKind,
			/// What is owed (the advance), in minor units.
			owed: Amount,
			/// When (ms).
			at: Moment,
		},
		/// The financier confirmed the holder repaid: after recourse
		/// (`confirm_repayment`), or a pledge repaid early (`release_pledge`).
		/// A pledge was released in the same step. The request is closed.
		Repaid {
			/// The request.
			request: RequestId,
			/// Its certificate.
			certificate: CertificateId,
			/// The financier.
			financier: T::AccountId,
			/// The holder who repaid.
			debtor: T::AccountId,
			/// The amount repaid, in minor units.
			amount: Amount,
			/// The repayment's reference.
			payment_ref: PaymentRefOf<T>,
			/// When it was confirmed (ms).
			at: Moment,
		},
		/// A closed request was deleted from storage, `PruneAfter` after it
		/// closed. Reads of it find nothing from here on; the indexer keeps
		/// its history.
		RequestPruned {
			/// The request.
			request: RequestId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not an active participant.
		NotParticipant,
		/// The account is not an active participant with the financier role.
		NotFinancier,
		/// The caller is not the holder who made the request.
		NotHolder,
		/// The caller is not the financier the request is addressed to.
		WrongFinancier,
		/// A holder cannot ask itself for financing.
		SelfFinancing,
		/// No certificate with that id.
		UnknownCertificate,
		/// No request with that id.
		UnknownRequest,
		/// The certificate already has an open financing request.
		AlreadyRequested,
		/// The certificate is financed (factored or pledged).
		AlreadyFinanced,
		/// The advance is zero.
		NoAdvance,
		/// The advance is more than the certificate's amount.
		AdvanceTooHigh,
		/// The discount rate is above `MaxDiscountBps`.
		DiscountTooHigh,
		/// The offer's expiry is not in the future.
		ExpiryInPast,
		/// The offer's expiry is after the certificate's due date.
		ExpiryAfterDue,
		/// The offer's payout deadline is before its expiry.
		PayoutBeforeExpiry,
		/// The offer's payout deadline is after the certificate's due date.
		PayoutAfterDue,
		/// The standing offer is not the one the holder named (it was
		/// withdrawn and made again with other terms).
		OfferChanged,
		/// The holder accepted and the payout deadline has not passed: only
		/// the financier can end the deal now.
		AwaitingPayout,
		/// The accepted offer's payout deadline has passed.
		PayoutDeadlinePassed,
		/// The offer has expired.
		OfferExpired,
		/// The certificate's due date has been reached.
		Matured,
		/// The certificate (or its root) is frozen.
		Frozen,
		/// There is no offer yet.
		NotOffered,
		/// An offer already stands.
		AlreadyOffered,
		/// The holder has not accepted the offer yet.
		NotAccepted,
		/// The holder has already accepted the offer.
		AlreadyAccepted,
		/// The request has not been paid out.
		NotFunded,
		/// The request has already been paid out.
		AlreadyFunded,
		/// Recourse has already been exercised.
		InRecourse,
		/// The offer was without recourse.
		NoRecourse,
		/// The certificate is not overdue with the financier's claim.
		NotOverdue,
		/// Nothing is owed on the request.
		NoClaim,
		/// The request is closed (cancelled, declined, lapsed, settled or
		/// repaid).
		RequestClosed,
		/// The request is not a pledge.
		NotPledge,
		/// The request ids ran out.
		Overflow,
		/// The holder has `MaxOpenRequests` unfunded requests open already:
		/// cancel some, or wait for offers, declines or payouts.
		TooManyRequests,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Prunes closed requests with the block's leftover weight (see
		/// `features/pruning.rs`).
		fn on_idle(_n: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::on_idle_prune(remaining)
		}

		fn integrity_test() {
			assert!(
				T::MaxDiscountBps::get() <= BPS_ONE,
				"MaxDiscountBps must be at most 10 000 (100 %)"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Ask a financier to finance a whole certificate (融资申请).
		///
		/// - Origin: signed by the certificate's holder, an active participant.
		/// - `certificate`: an active certificate (not pending, frozen,
		///   overdue, reserved, financed or pledged) before its due date.
		/// - `financier`: an active participant with the financier role, not
		///   the holder.
		/// - `wanted_advance`: the advance asked for, more than zero and at
		///   most the certificate's amount.
		/// - `kind`: factoring (the certificate is sold) or pledge.
		///
		/// Reserves the certificate for the financier; no other request can
		/// be made on it until this one closes.
		///
		/// Emits `Requested` (and the ledger's `Reserved`).
		/// Weight: `WeightInfo::request`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::request())]
		pub fn request(
			origin: OriginFor<T>,
			certificate: CertificateId,
			financier: T::AccountId,
			wanted_advance: Amount,
			kind: FinancingKind,
		) -> DispatchResult {
			let holder = ensure_signed(origin)?;
			Self::do_request(holder, certificate, financier, wanted_advance, kind, None).map(|_| ())
		}

		/// Split a part off a certificate and ask a financier to finance the
		/// part, in one step.
		///
		/// - Origin: signed by the certificate's holder, an active participant.
		/// - `certificate`: as for `request`.
		/// - `amount`: the part to finance: at least the ledger's minimum, and
		///   less than the certificate's amount by at least that minimum.
		///   The remainder stays with the holder, active.
		/// - `financier`, `kind`: as for `request`.
		/// - `wanted_advance`: more than zero and at most `amount`.
		///
		/// Emits the ledger's `Split` and two `ChildCreated`, then `Requested`
		/// (with `split_from`). Weight: `WeightInfo::request_part`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::request_part())]
		pub fn request_part(
			origin: OriginFor<T>,
			certificate: CertificateId,
			amount: Amount,
			financier: T::AccountId,
			wanted_advance: Amount,
			kind: FinancingKind,
		) -> DispatchResult {
			let holder = ensure_signed(origin)?;
			Self::do_request_part(holder, certificate, amount, financier, wanted_advance, kind)
				.map(|_| ())
		}

		/// Offer to finance a requested certificate (报价).
		///
		/// - Origin: signed by the financier the request names, an active
		///   financier.
		/// - `request`: a request waiting for an offer (none stands), whose
		///   certificate is not frozen and before its due date.
		/// - `terms`:
		///   - `advance`: the payout, more than zero and at most the
		///     certificate's amount;
		///   - `discount_bps`: the discount rate, basis points a year, at most
		///     `MaxDiscountBps`;
		///   - `recourse`: whether the financier may hand the certificate back
		///     if it falls overdue;
		///   - `expires`: when the offer expires (ms): in the future, at most
		///     `payout_by`;
		///   - `payout_by`: the payout deadline (ms) once accepted: at most the
		///     due date.
		///
		/// Emits `Offered`. Weight: `WeightInfo::offer`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::offer())]
		pub fn offer(origin: OriginFor<T>, request: RequestId, terms: Terms) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_offer(who, request, terms)
		}

		/// Withdraw a standing offer that the holder has not accepted; the
		/// request waits for an offer again.
		///
		/// - Origin: signed by the request's financier, an active financier.
		/// - `request`: a request with an offer standing, not yet accepted.
		///
		/// Emits `OfferWithdrawn`. Weight: `WeightInfo::withdraw_offer`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::withdraw_offer())]
		pub fn withdraw_offer(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_offer(who, request)
		}

		/// Decline a request at any stage before payout: requested, offered,
		/// or accepted (a financier is never bound to pay). Closes it and
		/// releases the certificate's reservation (unless the reservation
		/// lapsed at maturity).
		///
		/// - Origin: signed by the request's financier, an active financier.
		/// - `request`: a request requested, offered or accepted; its
		///   certificate not frozen.
		///
		/// Emits `Declined` (and the ledger's `ReservationReleased`).
		/// Weight: `WeightInfo::decline`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::decline())]
		pub fn decline(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_decline(who, request)
		}

		/// Accept the standing offer, naming its terms. From then on the deal
		/// is locked: the holder cannot cancel until `payout_by` has passed.
		///
		/// - Origin: signed by the holder who made the request, an active
		///   participant.
		/// - `request`: a request with an offer that has not expired; its
		///   certificate not frozen.
		/// - `terms`: the terms the holder accepts, exactly as offered
		///   (`Offered` carries them); if the standing offer differs the call
		///   is refused with `OfferChanged`.
		///
		/// Emits `OfferAccepted`. Weight: `WeightInfo::accept_offer`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::accept_offer())]
		pub fn accept_offer(
			origin: OriginFor<T>,
			request: RequestId,
			terms: Terms,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_offer(who, request, terms)
		}

		/// Confirm the payout of an accepted offer (放款确认). In the same
		/// step the certificate passes to the financier (factoring) or is
		/// pledged to it (pledge); if the ledger refuses, nothing happens.
		///
		/// - Origin: signed by the request's financier, an active financier.
		/// - `request`: a request whose offer the holder accepted, before the
		///   offer's `payout_by`; its certificate not frozen and before its
		///   due date.
		/// - `payment_ref`: the payout's reference, at most
		///   `MaxPaymentRefLen` bytes.
		///
		/// Emits the ledger's `Financed` or `Pledged`, then
		/// `PayoutConfirmed`. Weight: `WeightInfo::confirm_payout`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::confirm_payout())]
		pub fn confirm_payout(
			origin: OriginFor<T>,
			request: RequestId,
			payment_ref: PaymentRefOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_confirm_payout(who, request, payment_ref)
		}

		/// Cancel a request before payout. Closes it and releases the
		/// certificate's reservation (unless the reservation lapsed at
		/// maturity).
		///
		/// - Origin: signed by the holder who made the request, an active
		///   participant.
		/// - `request`: a request requested or offered, or accepted and past
		///   the offer's `payout_by` (an accepted deal is locked until then);
		///   its certificate not frozen.
		///
		/// Emits `Cancelled` (and the ledger's `ReservationReleased`).
		/// Weight: `WeightInfo::cancel`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::cancel())]
		pub fn cancel(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel(who, request)
		}

		/// Exercise recourse (追索) on an overdue financed certificate: a
		/// factored one goes back to the holder; a pledged one stays pledged
		/// until the repayment is confirmed (or settlement pays the
		/// financier). The holder then owes the advance (`RecourseClaims`).
		///
		/// - Origin: signed by the request's financier, an active financier.
		/// - `request`: a funded request whose offer was with recourse, and
		///   whose certificate is overdue (and not frozen).
		///
		/// Emits the ledger's `RecourseReturned` (factoring), then
		/// `RecourseExercised`. Weight: `WeightInfo::exercise_recourse`.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::exercise_recourse())]
		pub fn exercise_recourse(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_exercise_recourse(who, request)
		}

		/// Confirm that the holder repaid what it owed after recourse. Clears
		/// the claim, releases a pledge and closes the request.
		///
		/// - Origin: signed by the request's financier, an active financier.
		/// - `request`: a request in recourse (a pledge's certificate not
		///   frozen).
		/// - `payment_ref`: the repayment's reference, at most
		///   `MaxPaymentRefLen` bytes.
		///
		/// Emits the ledger's `PledgeReleased` (pledge), then `Repaid`.
		/// Weight: `WeightInfo::confirm_repayment`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::confirm_repayment())]
		pub fn confirm_repayment(
			origin: OriginFor<T>,
			request: RequestId,
			payment_ref: PaymentRefOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_confirm_repayment(who, request, payment_ref)
		}

		/// Release the pledge of a funded pledge whose pledgor repaid the
		/// financier early (before recourse): the certificate is the holder's
		/// again, unencumbered, and the request is closed.
		///
		/// - Origin: signed by the request's financier, an active financier.
		/// - `request`: a funded pledge; its certificate not frozen.
		/// - `payment_ref`: the repayment's reference, at most
		///   `MaxPaymentRefLen` bytes.
		///
		/// Emits the ledger's `PledgeReleased`, then `Repaid`.
		/// Weight: `WeightInfo::release_pledge`.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::release_pledge())]
		pub fn release_pledge(
			origin: OriginFor<T>,
			request: RequestId,
			payment_ref: PaymentRefOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_release_pledge(who, request, payment_ref)
		}
	}
}
