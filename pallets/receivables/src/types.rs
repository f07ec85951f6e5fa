//! The certificate, its status and the per-root record.
//!
//! The status is split in two layers so that impossible states cannot be
//! written down: a [`Standing`] is one of the *live* situations a certificate
//! can be in, and a [`Status`] is either live, frozen (remembering the
//! standing it was frozen in, which is therefore always live and never itself
//! frozen), or one of the terminal outcomes.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::*, traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound,
	PartialEqNoBound,
};
use scale_info::TypeInfo;
use sp_core::H256;

/// Identifies a certificate. Ids are handed out in sequence starting at 1 and
/// never reused. A root certificate's id is also the id of its root.
pub type CertificateId = u64;

/// Milliseconds since the Unix epoch, as kept by the timestamp pallet.
pub type Moment = u64;

/// A money amount in the currency's minor unit (fen for CNY).
pub type Amount = u128;

/// Depth in the supply chain: 1 for the core enterprise's direct supplier,
/// one more for each hand-over down the chain.
pub type Tier = u32;

/// An SM3 hash (32 bytes) of an off-chain document or reason.
pub type DocHash = H256;

/// SM3 hashes of the trade documents that justify a certificate. The
/// documents stay off chain.
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
#[scale_info(skip_type_params(MaxInvoices))]
pub struct TradeDocuments<MaxInvoices: Get<u32>> {
	/// SM3 hash of the trade contract.
	pub contract: DocHash,
	/// SM3 hashes of the invoices, at most `MaxInvoices`.
	pub invoices: BoundedVec<DocHash, MaxInvoices>,
}

impl<S: Get<u32>> Default for TradeDocuments<S> {
	fn default() -> Self {
		Self { contract: H256::zero(), invoices: BoundedVec::new() }
	}
}

/// A financier's claim over a certificate, remembered by an overdue
/// certificate so that recourse and pledge release still work after maturity.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Encumbrance<AccountId> {
	/// Sold to a financier (factoring, 保理); the financier is the holder and
	/// `seller` is whom recourse hands it back to.
	Factored {
		/// The holder who sold it to the financier.
		seller: AccountId,
	},
	/// Pledged (质押) to `pledgee`; the holder keeps it.
	Pledged {
		/// The financier it is pledged to.
		pledgee: AccountId,
	},
}

/// The live situations of a certificate.
///
/// A certificate is **live** while it is part of what the issuer still owes:
/// its status is [`Status::Live`] with any standing, or [`Status::Frozen`]
/// (which always remembers a standing). Every other status is terminal.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Standing<AccountId> {
	/// Offered to the certificate's holder, who has not accepted it yet
	/// (待签收). On rejection or after `deadline` it goes back to `sender`.
	PendingAcceptance {
		/// Who sent it: the issuer for a root, the splitting holder for a child.
		sender: AccountId,
		/// Moment (ms) after which the offer lapses.
		deadline: Moment,
	},
	/// Accepted and freely usable by its holder.
	Active,
	/// Factored: sold to the financier who is now its holder.
	Factored {
		/// The holder who sold it (the recourse target).
		seller: AccountId,
	},
	/// Pledged to a financier; the holder keeps it.
	Pledged {
		/// The financier it is pledged to.
		pledgee: AccountId,
	},
	/// Past its due date (plus the grace period) and not settled (逾期).
	Overdue {
		/// The financier's claim it carried when it fell overdue, if any.
		encumbrance: Option<Encumbrance<AccountId>>,
	},
	/// Locked by an open financing request to `financier` (融资申请中): the
	/// holder keeps it but cannot split, transfer or finance it elsewhere
	/// until the request ends. Only that financier can take it over
	/// ([`crate::ReceivableLedger::transfer_to_financier`]) or have it
	/// pledged ([`crate::ReceivableLedger::pledge_to_financier`]). Falls
	/// overdue as `Overdue { encumbrance: None }` (the reservation lapses);
	/// settlement pays it to its holder like an active certificate.
	Reserved {
		/// The financier the open request is addressed to.
		financier: AccountId,
	},
}

/// The rules that depend only on a certificate's standing, in one place;
/// both pallets ask these rather than matching on standings themselves.
impl<AccountId: Clone> Standing<AccountId> {
	/// Whether its holder may split, transfer or finance it: only once
	/// accepted, and while nobody else has a claim or a reservation on it.
	pub fn is_free(&self) -> bool {
		matches!(self, Self::Active)
	}

	/// The timer a certificate in this standing waits on: the acceptance
	/// deadline while pending; maturity (falling overdue) while active,
	/// reserved, factored or pledged; none once overdue.
	pub fn timer(&self) -> Option<Timer> {
		match self {
			Self::PendingAcceptance { .. } => Some(Timer::Acceptance),
			Self::Active | Self::Reserved { .. } | Self::Factored { .. } | Self::Pledged { .. } => {
				Some(Timer::Maturity)
			},
			Self::Overdue { .. } => None,
		}
	}

	/// The financier's claim a certificate in this standing carries:
	/// factored or pledged, live or overdue. A reservation is no claim
	/// (nothing was paid out on it).
	pub fn encumbrance(&self) -> Option<Encumbrance<AccountId>> {
		match self {
			Self::Factored { seller } => Some(Encumbrance::Factored { seller: seller.clone() }),
			Self::Pledged { pledgee } => Some(Encumbrance::Pledged { pledgee: pledgee.clone() }),
			Self::Overdue { encumbrance } => encumbrance.clone(),
			_ => None,
		}
	}

	/// The financier it is pledged to, live or overdue.
	pub fn pledgee(&self) -> Option<AccountId> {
		match self.encumbrance() {
			Some(Encumbrance::Pledged { pledgee }) => Some(pledgee),
			_ => None,
		}
	}

	/// The standing it falls into when its due date plus the grace passes
	/// unsettled: overdue, keeping the financier's claim (a reservation
	/// lapses). `None` for standings that do not fall overdue: pending (its
	/// acceptance timer decides) and already overdue.
	pub fn when_overdue(&self) -> Option<Self> {
		match self {
			Self::Active | Self::Reserved { .. } | Self::Factored { .. } | Self::Pledged { .. } => {
				Some(Self::Overdue { encumbrance: self.encumbrance() })
			},
			Self::PendingAcceptance { .. } | Self::Overdue { .. } => None,
		}
	}

	/// Whether it is overdue with a financier's claim: what recourse needs.
	pub fn is_overdue_with_claim(&self) -> bool {
		matches!(self, Self::Overdue { encumbrance: Some(_) })
	}
}

/// The status of a certificate.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Status<AccountId> {
	/// Live, in the given standing.
	Live(Standing<AccountId>),
	/// Frozen by the regulator (冻结); still live. Nothing can be done with it
	/// until it is unfrozen back into `previous`.
	Frozen {
		/// The standing it had when frozen, and gets back when unfrozen.
		previous: Standing<AccountId>,
		/// SM3 hash of the regulator's reason.
		reason: DocHash,
	},
	/// Paid to its holder at settlement (已兑付). Terminal.
	Settled,
	/// A root revoked by its issuer before acceptance (已撤销). Terminal.
	Revoked,
	/// Closed by a split; its value now lives in its children. Terminal.
	ClosedBySplit,
	/// A root rejected by, or never accepted by, its first receiver, and so
	/// returned to its issuer, which extinguishes it (已退回). Terminal.
	///
	/// A *child* that is rejected or not accepted in time does not take this
	/// status: it goes back to its sender as a live, active certificate.
	Returned,
}

impl<AccountId> Status<AccountId> {
	/// Whether the certificate still counts towards what its issuer owes.
	pub fn is_live(&self) -> bool {
		matches!(self, Status::Live(_) | Status::Frozen { .. })
	}

	/// The standing of a live, unfrozen certificate.
	pub fn standing(&self) -> Option<&Standing<AccountId>> {
		match self {
			Status::Live(s) => Some(s),
			_ => None,
		}
	}
}

/// A digital receivable certificate (数字债权凭证).
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
#[scale_info(skip_type_params(MaxInvoices))]
// The `*NoBound` derives need the bounds on the parameter and also repeat
// them in their own where clauses, which this lint reports.
#[allow(clippy::multiple_bound_locations)]
pub struct Certificate<AccountId: Clone + PartialEq + Eq + core::fmt::Debug, MaxInvoices: Get<u32>>
{
	/// This certificate's id.
	pub id: CertificateId,
	/// The original payable this certificate descends from (the root's own id
	/// for a root).
	pub root: CertificateId,
	/// The certificate it was split from; `None` for a root.
	pub parent: Option<CertificateId>,
	/// The core enterprise that owes the money (the debtor).
	pub issuer: AccountId,
	/// Who holds it now (for a pending certificate: to whom it is offered).
	pub holder: AccountId,
	/// Face amount, in minor units.
	pub amount: Amount,
	/// Due date (ms), the same for the whole tree.
	pub due: Moment,
	/// Supply-chain depth of the holder: 1 for the root's receiver.
	pub tier: Tier,
	/// Where it is in its lifecycle.
	pub status: Status<AccountId>,
	/// Hashes of the trade documents behind the hand-over that created it.
	pub documents: TradeDocuments<MaxInvoices>,
}

/// What became of a root (the original payable) as a whole.
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
pub enum RootState<MaxRefLen: Get<u32>> {
	/// Owed: its live certificates carry the whole face amount.
	Outstanding,
	/// Paid at settlement: every certificate that was live is settled.
	Settled {
		/// The issuer's payment reference (bank transfer id, etc.).
		payment_ref: BoundedVec<u8, MaxRefLen>,
		/// When it was settled (ms).
		at: Moment,
	},
	/// Revoked or returned before its first acceptance: nothing is owed.
	Cancelled,
}

/// The per-root record: what one original payable is and what became of it.
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
// See `Certificate` on the lint.
#[allow(clippy::multiple_bound_locations)]
pub struct RootInfo<
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	LineRef: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxRefLen: Get<u32>,
> {
	/// The core enterprise that issued it and owes it.
	pub issuer: AccountId,
	/// Face amount of the original payable.
	pub face: Amount,
	/// Due date (ms) of every certificate of the tree.
	pub due: Moment,
	/// The credit line reservation backing it, released on settlement or
	/// cancellation.
	pub line: LineRef,
	/// Number of live certificates of the tree (at most `MaxLivePerRoot`).
	pub live: u32,
	/// Outstanding, settled or cancelled.
	pub state: RootState<MaxRefLen>,
	/// `Some(reason)` while the regulator has frozen the whole tree.
	pub frozen: Option<DocHash>,
}

/// Why an offered certificate went back to its sender.
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
pub enum ReturnReason {
	/// The receiver rejected it (拒收).
	Rejected,
	/// The receiver did not accept it within the acceptance timeout.
	Expired,
}

/// The two timer queues swept in `on_initialize`.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub enum Timer {
	/// Pending certificates, keyed by acceptance deadline.
	Acceptance,
	/// Live certificates, keyed by due date plus the overdue grace period.
	Maturity,
}

/// What the sweep did in one block, for weight accounting.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct SweepReport {
	/// Pending certificates whose offer lapsed (returned to their senders).
	pub expired: u32,
	/// Certificates that became overdue.
	pub overdue: u32,
	/// Queue entries found stale (the certificate had moved on) and dropped.
	pub stale: u32,
	/// Empty buckets stepped over.
	pub buckets: u32,
}

/// What pruning did in one block, for weight accounting.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct PruneReport {
	/// Certificates deleted.
	pub certificates: u32,
	/// Trees finished: their root record and queue entry deleted.
	pub roots: u32,
}
