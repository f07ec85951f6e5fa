//! A financing request (融资申请), its offer terms, and the one enum that says
//! where it is in its lifecycle.
//!
//! ```text
//!              request / request_part
//!                       │
//!                       ▼
//!     ┌──────────► Requested ────── decline (financier) ──────► Declined
//!     │                 │ offer     cancel (holder) ──────────► Cancelled
//!     │ withdraw_offer  ▼
//!     └──────────── Offered ──────── decline / cancel ─────────► Declined / Cancelled
//!                       │ accept_offer
//!                       ▼
//!                   Accepted ─────── decline (financier) ───────► Declined
//!                       │        ─────── cancel (holder, only once
//!                       │                payout_by has passed) ─────► Cancelled
//!                       │ confirm_payout (before payout_by; the certificate
//!                       ▼                 is sold or pledged in the same step)
//!                    Funded ──────── the certificate is settled ► Settled
//!                       │ exercise_recourse (overdue, offer with recourse)
//!                       │     ────── release_pledge (pledge repaid early) ► Repaid
//!                       ▼
//!                  InRecourse ────── confirm_repayment ─────────► Repaid
//!                             ────── a pledge's certificate is settled ► Settled
//!
//!   Requested / Offered / Accepted ── the certificate is settled ► Lapsed
//! ```
//!
//! `Cancelled`, `Declined`, `Lapsed`, `Settled` and `Repaid` are terminal.
//!
//! Each side is bound by what it signed: `accept_offer` names the terms the
//! holder saw and is refused if the standing offer differs (a withdrawn and
//! changed offer cannot be accepted by mistake), and once accepted the deal
//! ends only by the financier's payout or decline, or by the payout deadline
//! (`Terms::payout_by`) passing.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*, traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound,
	PartialEqNoBound,
};
pub use pallet_receivables::CertificateId;
use scale_info::TypeInfo;
pub use scf_primitives::{Amount, Moment};

/// Identifies a financing request. Handed out in sequence from 1, never
/// reused.
pub type RequestId = u64;

/// A rate in basis points (1/100 of a percent) a year.
pub type Bps = u32;

/// One year (365 days) in milliseconds: the day count of the discount.
pub const YEAR_MS: Moment = 365 * 24 * 60 * 60 * 1000;

/// Basis points in one.
pub const BPS_ONE: Bps = 10_000;

/// How the certificate backs the financing.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum FinancingKind {
	/// Factoring (保理): the certificate is sold to the financier, who becomes
	/// its holder and is paid the whole amount at settlement.
	Factoring,
	/// Pledge (质押): the holder keeps the certificate, pledged to the
	/// financier, who is paid up to the advance plus discount at settlement;
	/// the holder gets the rest.
	Pledge,
}

/// What a financier offers.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Terms {
	/// What the financier pays out (放款金额), in minor units; more than zero
	/// and at most the certificate's amount.
	pub advance: Amount,
	/// The discount rate (贴现率), in basis points a year.
	pub discount_bps: Bps,
	/// Whether the financier may hand the certificate back to the holder if
	/// it falls overdue (追索权).
	pub recourse: bool,
	/// The moment (ms) the offer expires: it can be accepted while
	/// `now < expires`. At most `payout_by`.
	pub expires: Moment,
	/// The payout deadline (ms), fixed when the holder accepts: the
	/// financier can confirm the payout while `now < payout_by`. Until then
	/// the accepted deal is locked (the holder cannot cancel); from then on
	/// the holder may cancel. At least `expires`, at most the certificate's
	/// due date.
	pub payout_by: Moment,
}

impl Terms {
	/// Whether the offer can still be accepted at `now`.
	pub fn acceptable_at(&self, now: Moment) -> bool {
		now < self.expires
	}

	/// Whether the financier can still pay out at `now`; while it can, an
	/// accepted deal is locked for the holder.
	pub fn payout_open_at(&self, now: Moment) -> bool {
		now < self.payout_by
	}
}

/// Where a request is. Every state carries what it needs, so that the
/// terms of a funded request or the split of a settled one cannot be
/// missing.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxRefLen))]
pub enum RequestState<MaxRefLen: Get<u32>> {
	/// Asked; the certificate is reserved for the financier. Waiting for an
	/// offer.
	Requested,
	/// The financier offered `terms`; waiting for the holder.
	Offered {
		/// The offer.
		terms: Terms,
	},
	/// The holder accepted the offer; waiting for the financier to pay out.
	Accepted {
		/// The accepted offer.
		terms: Terms,
		/// When it was accepted (ms).
		at: Moment,
	},
	/// Paid out (放款确认): the certificate was sold (factoring) or pledged to
	/// the financier.
	Funded {
		/// The offer paid out on.
		terms: Terms,
		/// The discount from payout to due date (see [`discount`]).
		discount: Amount,
		/// The financier's payout reference.
		payment_ref: BoundedVec<u8, MaxRefLen>,
		/// When it was paid out (ms).
		at: Moment,
	},
	/// The certificate fell overdue and the financier exercised recourse
	/// (追索): the holder owes the advance (see `RecourseClaims`). A factored
	/// certificate is back with the holder; a pledged one stays pledged to
	/// the financier until the repayment is confirmed (or settlement pays
	/// the financier, which closes the request as `Settled`).
	InRecourse {
		/// The offer paid out on.
		terms: Terms,
		/// The financier's payout reference.
		payment_ref: BoundedVec<u8, MaxRefLen>,
		/// When it was paid out (ms).
		funded_at: Moment,
		/// When recourse was exercised (ms).
		at: Moment,
	},
	/// Cancelled by the holder before payout. Terminal.
	Cancelled {
		/// When (ms).
		at: Moment,
	},
	/// Declined by the financier before payout. Terminal.
	Declined {
		/// When (ms).
		at: Moment,
	},
	/// The certificate was settled before payout. Terminal.
	Lapsed {
		/// When (ms).
		at: Moment,
	},
	/// The funded certificate was settled: what went to whom. Terminal.
	Settled {
		/// The offer paid out on.
		terms: Terms,
		/// Paid to the financier.
		to_financier: Amount,
		/// Paid to the holder (zero for factoring).
		to_holder: Amount,
		/// When (ms).
		at: Moment,
	},
	/// The holder repaid the financier: after recourse, or early on a
	/// pledge (the financier released it). Terminal.
	Repaid {
		/// The offer paid out on.
		terms: Terms,
		/// The repayment's reference.
		payment_ref: BoundedVec<u8, MaxRefLen>,
		/// When the financier confirmed it (ms).
		at: Moment,
	},
}

/// The order of the lifecycle, for telling "too early" from "too late".
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Stage {
	/// `Requested`.
	Requested,
	/// `Offered`.
	Offered,
	/// `Accepted`.
	Accepted,
	/// `Funded`.
	Funded,
	/// `InRecourse`.
	InRecourse,
	/// Any terminal state.
	Closed,
}

impl<S: Get<u32>> RequestState<S> {
	/// Where this state is in the lifecycle.
	pub fn stage(&self) -> Stage {
		match self {
			Self::Requested => Stage::Requested,
			Self::Offered { .. } => Stage::Offered,
			Self::Accepted { .. } => Stage::Accepted,
			Self::Funded { .. } => Stage::Funded,
			Self::InRecourse { .. } => Stage::InRecourse,
			Self::Cancelled { .. }
			| Self::Declined { .. }
			| Self::Lapsed { .. }
			| Self::Settled { .. }
			| Self::Repaid { .. } => Stage::Closed,
		}
	}

	/// Whether the request is open: requested, offered, accepted (the
	/// certificate is reserved) or funded (sold or pledged). A pledge in
	/// recourse also keeps its certificate: see `Request::holds_certificate`,
	/// which decides what `OpenRequest` lists.
	pub fn is_open(&self) -> bool {
		self.stage() <= Stage::Funded
	}

	/// Whether the financier has not paid out yet.
	pub fn is_unfunded(&self) -> bool {
		self.stage() <= Stage::Accepted
	}

	/// The offer's terms, once there is an offer.
	pub fn terms(&self) -> Option<&Terms> {
		match self {
			Self::Offered { terms }
			| Self::Accepted { terms, .. }
			| Self::Funded { terms, .. }
			| Self::InRecourse { terms, .. }
			| Self::Settled { terms, .. }
			| Self::Repaid { terms, .. } => Some(terms),
			_ => None,
		}
	}
}

/// A financing request: a holder asks a financier to finance one
/// certificate.
#[derive(
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
#[scale_info(skip_type_params(MaxRefLen))]
// The `*NoBound` derives need the bounds on the parameter and also repeat
// them in their own where clauses, which this lint reports.
#[allow(clippy::multiple_bound_locations)]
pub struct Request<AccountId: Clone + PartialEq + Eq + core::fmt::Debug, MaxRefLen: Get<u32>> {
	/// The certificate to be financed.
	pub certificate: CertificateId,
	/// Who asked: the certificate's holder at the time (the seller for
	/// factoring, the pledgor for a pledge, the debtor after recourse).
	pub holder: AccountId,
	/// The financier asked.
	pub financier: AccountId,
	/// Factoring or pledge.
	pub kind: FinancingKind,
	/// The certificate's amount (minor units).
	pub amount: Amount,
	/// The certificate's due date (ms).
	pub due: Moment,
	/// The advance the holder asked for.
	pub wanted_advance: Amount,
	/// When the request was made (ms).
	pub created: Moment,
	/// Where it is.
	pub state: RequestState<MaxRefLen>,
}

impl<AccountId: Clone + PartialEq + Eq + core::fmt::Debug, MaxRefLen: Get<u32>>
	Request<AccountId, MaxRefLen>
{
	/// Whether the request has a claim on its certificate, and so is the one
	/// `OpenRequest` lists for it: while open (requested to funded), and for
	/// a pledge also in recourse: the pledge stays with the financier until
	/// the repayment is confirmed or settlement pays the financier.
	pub fn holds_certificate(&self) -> bool {
		self.state.is_open()
			|| (self.kind == FinancingKind::Pledge
				&& matches!(self.state, RequestState::InRecourse { .. }))
	}
}

/// What a holder owes a financier after recourse.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct RecourseClaim<AccountId> {
	/// Who owes it: the request's holder.
	pub debtor: AccountId,
	/// How much: the advance.
	pub amount: Amount,
}

/// The discount (贴现息) on `advance` at `discount_bps` a year, from `from`
/// (payout) to `to` (due date), in minor units:
///
/// `advance × discount_bps / 10 000 × (to − from) / 365 days`
///
/// computed as one exact product and one division (`advance ×
/// (discount_bps × (to − from)) / (10 000 × YEAR_MS)` in 256-bit
/// arithmetic), rounded down. Zero when `to <= from`; saturates at
/// `Amount::MAX` (it cannot reach it for a tenor of at most a year).
pub fn discount(advance: Amount, discount_bps: Bps, from: Moment, to: Moment) -> Amount {
	let elapsed = to.saturating_sub(from) as u128;
	// At most (2^32 - 1) × (2^64 - 1) < 2^96.
	let rate_time = (discount_bps as u128) * elapsed;
	let per = (BPS_ONE as u128) * (YEAR_MS as u128);
	sp_runtime::helpers_128bit::multiply_by_rational_with_rounding(
		advance,
		rate_time,
		per,
		sp_runtime::Rounding::Down,
	)
	.unwrap_or(Amount::MAX)
}
