//! What one pallet asks of another. The participants pallet implements these;
//! the receivables and financing pallets use them (and mock them in their
//! unit tests), so no pallet depends on another's crate.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::DispatchError;

/// What a participant may do. A participant holds one or more roles.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Role {
	/// A large buyer whose payables become certificates (核心企业).
	CoreEnterprise,
	/// Holds, accepts, splits, transfers and finances certificates (供应商).
	Supplier,
	/// A bank or factor: grants credit lines, finances certificates (资金方).
	Financier,
	/// Reads everything, freezes and unfreezes (监管方).
	Regulator,
	/// Admits, suspends and re-admits participants (运营方).
	Operator,
}

/// Who may act: the participant registry as other pallets see it.
pub trait ParticipantRegistry<AccountId> {
	/// Whether `who` was admitted, whether or not it is suspended now. A
	/// suspended participant still holds what it held.
	fn is_admitted(who: &AccountId) -> bool;
	/// Whether `who` is an admitted participant that is not suspended.
	fn is_active(who: &AccountId) -> bool;
	/// Whether `who` is active and holds `role`.
	fn has_role(who: &AccountId, role: Role) -> bool;
}

/// Credit lines that financiers grant core enterprises, as the pallets that
/// issue against them see them.
///
/// Issuing a certificate reserves part of a line of the issuing core
/// enterprise; settling or revoking it releases that part again. The
/// implementation chooses which line backs a reservation and returns a
/// reference to it, which the caller stores and hands back on release.
pub trait CreditLines<AccountId, Amount> {
	/// Identifies the line a reservation was taken from.
	type LineRef: Clone + Eq + core::fmt::Debug + Encode + Decode + MaxEncodedLen + TypeInfo;

	/// Reserves `amount` on a line granted to `core`, at time `now`
	/// (milliseconds), for the root certificate `root` (named in the
	/// events). Fails, changing nothing, when no line in force has that much
	/// room left.
	fn reserve(
		core: &AccountId,
		amount: Amount,
		now: u64,
		root: u64,
	) -> Result<Self::LineRef, DispatchError>;

	/// Gives `amount` back to the line `line` of `core`. Releasing more than
	/// is in use releases what is in use (the implementation reports the
	/// difference in its event and log); it never fails, so settlement cannot
	/// be blocked.
	fn release(core: &AccountId, line: &Self::LineRef, amount: Amount, root: u64);
}

/// A financier's open financing deals: requests not closed yet (requested,
/// offered, accepted, paid out, or in recourse). The financing pallet
/// implements it; the participants pallet asks it before it takes the
/// `Financier` role from an account, so that no deal is left with a party
/// that cannot act on it.
pub trait FinancierDeals<AccountId> {
	/// How many deals `financier` has open.
	fn open_deals(financier: &AccountId) -> u32;
}

/// No financing: nobody has open deals.
impl<AccountId> FinancierDeals<AccountId> for () {
	fn open_deals(_: &AccountId) -> u32 {
		0
	}
}
