//! Types kept in storage, carried by events, and read from the genesis
//! configuration.

use crate::uscc::Uscc;
use alloc::{string::String, vec::Vec};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::ConstU32, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use scf_primitives::{Amount, Moment, Role};

/// How many different roles exist; the bound of a role set.
pub type MaxRoles = ConstU32<5>;

/// A set of roles: sorted, without duplicates, never empty once stored.
pub type RoleSet = BoundedVec<Role, MaxRoles>;

/// Sorts and de-duplicates a role list.
pub fn normalise_roles(roles: RoleSet) -> RoleSet {
	let mut roles = roles.into_inner();
	roles.sort();
	roles.dedup();
	// Sorting and de-duplicating never grows the vector, so nothing is cut.
	RoleSet::truncate_from(roles)
}

/// Whether a participant may act.
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
pub enum ParticipantStatus {
	/// Admitted and not suspended: may sign transactions and act in its roles.
	Active,
	/// Suspended by an operator or by governance: may do nothing until
	/// re-admitted.
	Suspended,
}

/// A participant as the registry keeps it.
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
#[scale_info(skip_type_params(MaxNameLen))]
#[codec(mel_bound())]
pub struct ParticipantInfo<MaxNameLen: frame_support::traits::Get<u32>> {
	/// Legal name, UTF-8, as registered (for example `华为技术有限公司`).
	pub name: BoundedVec<u8, MaxNameLen>,
	/// Unified social credit code; unique across participants.
	pub uscc: Uscc,
	/// Roles held, sorted, at least one.
	pub roles: RoleSet,
	/// Whether the participant may act.
	pub status: ParticipantStatus,
}

impl<M: frame_support::traits::Get<u32>> ParticipantInfo<M> {
	/// Whether the participant holds `role` (whatever its status).
	pub fn holds(&self, role: Role) -> bool {
		self.roles.binary_search(&role).is_ok()
	}

	/// Whether the participant is active.
	pub fn is_active(&self) -> bool {
		self.status == ParticipantStatus::Active
	}
}

/// Whether a credit line can back new reservations.
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
pub enum LineStatus {
	/// Backs new reservations until it expires.
	Open,
	/// Revoked by the financier while amounts were still in use: backs no new
	/// reservations, and closes (leaves storage) once everything in use has
	/// been released.
	WindingDown,
}

/// A credit line granted by one financier to one core enterprise.
///
/// Invariant: `used <= limit`.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub struct CreditLine<AccountId> {
	/// The financier that granted the line; identifies the line among the
	/// core enterprise's lines and is the `LineRef` of the `CreditLines`
	/// trait.
	pub financier: AccountId,
	/// The most that may be in use at once, in the currency's minor unit.
	pub limit: Amount,
	/// How much is in use (reserved by issued certificates, not yet
	/// released).
	pub used: Amount,
	/// Unix time in milliseconds from which the line backs no new
	/// reservations (exclusive end: a line with `expires_at == now` is
	/// expired).
	pub expires_at: Moment,
	/// Whether the line backs new reservations.
	pub status: LineStatus,
}

impl<AccountId> CreditLine<AccountId> {
	/// How much more may be reserved.
	pub fn room(&self) -> Amount {
		self.limit.saturating_sub(self.used)
	}

	/// Whether the line backs new reservations at `now`.
	pub fn in_force(&self, now: Moment) -> bool {
		self.status == LineStatus::Open && now < self.expires_at
	}
}

/// Who authorised a registry change, as recorded in events.
#[derive(
	Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo,
)]
pub enum Authority<AccountId> {
	/// The governance origin (the banks' council; root in tests).
	Governance,
	/// An active operator, by account.
	Operator(AccountId),
	/// The genesis configuration.
	Genesis,
}

/// One participant in the genesis configuration.
///
/// In JSON: `{"account": "5Grw…", "name": "某某银行股份有限公司",
/// "uscc": "914403001922038216", "roles": ["Financier", "Operator"]}`.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisParticipant<AccountId> {
	/// The participant's account.
	pub account: AccountId,
	/// Legal name (UTF-8).
	pub name: String,
	/// Unified social credit code; must be valid (genesis panics otherwise).
	pub uscc: String,
	/// Roles, by name: `CoreEnterprise`, `Supplier`, `Financier`,
	/// `Regulator`, `Operator`.
	pub roles: Vec<Role>,
}

/// One credit line in the genesis configuration.
///
/// In JSON: `{"financier": "5Fin…", "core": "5Core…", "limit": 1000000000,
/// "expiresAt": 1893456000000}`.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GenesisCreditLine<AccountId> {
	/// The granting financier (must be a genesis participant with the
	/// `Financier` role).
	pub financier: AccountId,
	/// The core enterprise (must be a genesis participant with the
	/// `CoreEnterprise` role).
	pub core: AccountId,
	/// Limit in minor units.
	pub limit: Amount,
	/// Expiry, Unix milliseconds.
	pub expires_at: Moment,
}
