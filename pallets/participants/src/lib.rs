#![doc = include_str!("../README.md")]
//!
//! # Participants pallet
//!
//! Who may act on the supply-chain-finance chain, in which roles, and up to
//! how much credit.
//!
//! - **Registry.** A participant is an account with a legal name, a unified
//!   social credit code ([`uscc`], GB 32100-2015, validated and unique) and
//!   one or more [`Role`]s. Operators admit, suspend and re-admit
//!   participants and change their roles; everything that touches the
//!   `Operator` role or an operator's account needs
//!   [`Config::GovernanceOrigin`] (the banks' council). A suspended
//!   participant can do nothing, operators included.
//! - **Credit lines.** An active financier grants a core enterprise a line
//!   (limit, expiry), amends or revokes it. Other pallets reserve and release
//!   amounts on those lines through [`CreditLines`].
//! - **Permission gate.** [`CheckParticipant`] is a transaction extension
//!   that refuses signed transactions from anyone but an active participant,
//!   and limits each account to a share of a block's weight
//!   ([`Config::MaxSenderWeight`]). [`CheckNonce`] replaces
//!   `frame_system::CheckNonce` (same identifier and encoding) and admits to
//!   the pool at most [`Config::NonceWindow`] transactions beyond an
//!   account's next nonce.
//!
//! See the crate's `README.md` for the policies chosen and how the runtime
//! wires the pallet in.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

mod benchmarking;
mod dispatchable_impls;
pub mod extension;
#[cfg(test)]
mod mock;
pub mod nonce_window;
#[cfg(test)]
mod tests;
pub mod types;
pub mod uscc;
pub mod weights;

pub use extension::CheckParticipant;
pub use nonce_window::CheckNonce;
pub use scf_primitives::traits::{CreditLines, ParticipantRegistry, Role};
pub use types::*;
pub use uscc::Uscc;
pub use weights::WeightInfo;

/// The log target of this pallet.
pub(crate) const LOG_TARGET: &str = "runtime::participants";

/// A unified social credit code as a call parameter: 18 ASCII bytes, checked
/// by the pallet before use.
pub type UsccBytes = [u8; uscc::USCC_LEN];

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{
		pallet_prelude::*,
		traits::{BuildGenesisConfig, EnsureOrigin, UnixTime},
	};
	use frame_system::pallet_prelude::*;
	use scf_primitives::{Amount, Moment};

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Weights of this pallet's calls and of [`CheckParticipant`].
		type WeightInfo: WeightInfo;

		/// The origin that admits operators, regulators and financiers, grants
		/// and removes those roles, and suspends, re-admits or changes the
		/// roles of their holders (the governed roles, `GOVERNED_ROLES`). The
		/// runtime uses a majority of the banks' council; tests use root.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Wall-clock time, to refuse credit lines that would already be
		/// expired. The runtime uses `pallet_timestamp`.
		type Time: UnixTime;

		/// Longest legal name, in bytes of UTF-8.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;

		/// Most credit lines one core enterprise may hold at once (one per
		/// financier). Bounds the work of [`CreditLines::reserve`].
		#[pallet::constant]
		type MaxLinesPerCore: Get<u32>;

		/// The share of a block's weight one account's signed transactions
		/// may use (their total weight as [`DispatchInfo::total_weight`]
		/// gives it). A transaction that would go beyond it waits in the
		/// pool for a later block; an account's first transaction in a block
		/// is never refused for it, so a call heavier than the share still
		/// gets in. See [`crate::extension`].
		///
		/// [`DispatchInfo::total_weight`]: frame_support::dispatch::DispatchInfo::total_weight
		#[pallet::constant]
		type MaxSenderWeight: Get<Weight>;

		/// How many transactions beyond its next nonce one account may have
		/// in the transaction pool: [`CheckNonce`] refuses a nonce above
		/// `account nonce + NonceWindow` at admission. See
		/// [`crate::nonce_window`].
		#[pallet::constant]
		type NonceWindow: Get<u32>;

		/// Financiers' open financing deals (the financing pallet; `()`
		/// where there is none): the `Financier` role cannot be taken from
		/// an account while it has any.
		type FinancierDeals: scf_primitives::traits::FinancierDeals<Self::AccountId>;
	}

	/// The participant record of the given account.
	#[pallet::storage]
	pub type Participants<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ParticipantInfo<T::MaxNameLen>, OptionQuery>;

	/// Which account a unified social credit code belongs to (at most one).
	#[pallet::storage]
	pub type UsccOwner<T: Config> =
		StorageMap<_, Blake2_128Concat, Uscc, T::AccountId, OptionQuery>;

	/// The credit lines of the given core enterprise, sorted by financier
	/// (one line per financier).
	#[pallet::storage]
	pub type Lines<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<CreditLine<T::AccountId>, T::MaxLinesPerCore>,
		ValueQuery,
	>;

	/// How many credit lines the given financier has granted that are still
	/// in storage (open or winding down). Lets a role change check for them
	/// without a scan.
	#[pallet::storage]
	pub type LinesGranted<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// The weight the given account's signed transactions have used in a
	/// block: `(block number, weight)`. A figure for an earlier block counts
	/// as zero, so nothing ever needs clearing.
	#[pallet::storage]
	pub type SenderWeight<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, (BlockNumberFor<T>, Weight), ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A participant was admitted (and is active).
		Admitted {
			/// The participant's account.
			who: T::AccountId,
			/// Its legal name (UTF-8).
			name: BoundedVec<u8, T::MaxNameLen>,
			/// Its unified social credit code.
			uscc: Uscc,
			/// Its roles, sorted.
			roles: RoleSet,
			/// Who admitted it.
			by: Authority<T::AccountId>,
		},
		/// A participant was suspended: it can do nothing until re-admitted.
		Suspended {
			/// The participant's account.
			who: T::AccountId,
			/// Who suspended it.
			by: Authority<T::AccountId>,
		},
		/// A suspended participant was re-admitted and is active again.
		Readmitted {
			/// The participant's account.
			who: T::AccountId,
			/// Who re-admitted it.
			by: Authority<T::AccountId>,
		},
		/// A participant's roles were replaced.
		RolesChanged {
			/// The participant's account.
			who: T::AccountId,
			/// The roles it held before, sorted.
			old: RoleSet,
			/// The roles it holds now, sorted.
			new: RoleSet,
			/// Who changed them.
			by: Authority<T::AccountId>,
		},
		/// A financier granted a core enterprise a credit line, or re-opened
		/// a line it had revoked that was still winding down.
		CreditLineGranted {
			/// The granting financier (identifies the line with `core`).
			financier: T::AccountId,
			/// The core enterprise.
			core: T::AccountId,
			/// The limit, in minor units.
			limit: Amount,
			/// Unix milliseconds from which the line backs no new
			/// reservations.
			expires_at: Moment,
			/// The amount in use on the line (non-zero only when a
			/// winding-down line was re-opened).
			used: Amount,
		},
		/// A financier changed the limit and expiry of a line.
		CreditLineAmended {
			/// The financier.
			financier: T::AccountId,
			/// The core enterprise.
			core: T::AccountId,
			/// The new limit, in minor units.
			limit: Amount,
			/// The new expiry, Unix milliseconds.
			expires_at: Moment,
			/// The amount in use on the line (unchanged by the amendment).
			used: Amount,
		},
		/// A financier revoked a line: it backs no new reservations. If
		/// `used` is zero the line is closed at once (a `CreditLineClosed`
		/// follows); otherwise it winds down and closes when the last amount
		/// in use is released.
		CreditLineRevoked {
			/// The financier.
			financier: T::AccountId,
			/// The core enterprise.
			core: T::AccountId,
			/// The amount still in use on the line.
			used: Amount,
		},
		/// A line left storage: revoked with nothing in use, or the last
		/// amount in use on a winding-down line was released.
		CreditLineClosed {
			/// The financier.
			financier: T::AccountId,
			/// The core enterprise.
			core: T::AccountId,
		},
		/// An amount was reserved on a line (a certificate was issued
		/// against it).
		CreditReserved {
			/// The core enterprise.
			core: T::AccountId,
			/// The root certificate the credit backs.
			root: u64,
			/// The financier whose line backs the amount.
			financier: T::AccountId,
			/// The amount reserved, in minor units.
			amount: Amount,
			/// The amount in use on the line afterwards.
			used: Amount,
		},
		/// An amount was given back to a line (a certificate was settled or
		/// revoked).
		CreditReleased {
			/// The core enterprise.
			core: T::AccountId,
			/// The root certificate the credit backed.
			root: u64,
			/// The financier whose line backed the amount.
			financier: T::AccountId,
			/// The amount the caller asked to release.
			requested: Amount,
			/// The amount released: `requested`, or what was in use if that
			/// was less (which indicates a bug in the caller and is logged).
			released: Amount,
			/// The amount in use on the line afterwards.
			used: Amount,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is not an admitted participant.
		NotAdmitted,
		/// The signer is not an operator.
		NotOperator,
		/// The signer is suspended.
		Suspended,
		/// The action grants or removes a governed role (`Operator`,
		/// `Regulator`, `Financier`) or touches an account holding one, which
		/// only the governance origin may do.
		GovernanceRequired,
		/// The account is already a participant.
		AlreadyAdmitted,
		/// The participant is already suspended.
		AlreadySuspended,
		/// The participant is not suspended.
		NotSuspended,
		/// The unified social credit code is malformed or its check
		/// character is wrong.
		InvalidUscc,
		/// The unified social credit code belongs to another participant.
		UsccTaken,
		/// The name is empty or not UTF-8.
		InvalidName,
		/// No role was given.
		NoRoles,
		/// The new roles are the roles the participant already holds.
		RolesUnchanged,
		/// The change would take the `Financier` or `CoreEnterprise` role
		/// from a participant that still has credit lines in that role.
		HasCreditLines,
		/// The change would take the `Financier` role from a participant
		/// with open financing deals (requests not closed, or in recourse).
		HasOpenDeals,
		/// The signer does not hold the `Financier` role.
		NotFinancier,
		/// The grantee does not hold the `CoreEnterprise` role.
		NotCoreEnterprise,
		/// The grantee is suspended.
		CoreSuspended,
		/// A financier cannot grant a line to itself.
		OwnLine,
		/// The limit is zero.
		ZeroLimit,
		/// The expiry is not after the current time.
		ExpiryInPast,
		/// The financier already has an open line for this core enterprise;
		/// amend it instead.
		LineExists,
		/// The core enterprise holds the most lines allowed.
		TooManyLines,
		/// There is no such line, or no line in force to reserve on.
		NoCreditLine,
		/// The line is revoked (winding down); grant it again to re-open it.
		LineRevoked,
		/// The new limit is below the amount in use on the line.
		LimitBelowUsage,
		/// No line in force has room for the amount.
		LineExceeded,
		/// Every line that could back the amount has expired.
		LineExpired,
		/// An amount would overflow.
		Overflow,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Participants to admit, active. Operators are the participants
		/// whose roles include `Operator`.
		pub participants: Vec<GenesisParticipant<T::AccountId>>,
		/// Credit lines to grant, with nothing in use.
		pub credit_lines: Vec<GenesisCreditLine<T::AccountId>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for p in &self.participants {
				Pallet::<T>::genesis_admit(p);
			}
			for l in &self.credit_lines {
				Pallet::<T>::genesis_grant(l);
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Admit an account as an active participant.
		///
		/// - `origin`: an active operator, or [`Config::GovernanceOrigin`].
		///   Only governance may admit a participant with a governed role
		///   (`Operator`, `Regulator`, `Financier`).
		/// - `who`: the account; must not be a participant already.
		/// - `name`: legal name, UTF-8, not empty, at most
		///   [`Config::MaxNameLen`] bytes.
		/// - `uscc`: unified social credit code, 18 upper-case ASCII
		///   characters with a valid check character, not held by another
		///   participant.
		/// - `roles`: at least one role; duplicates are ignored.
		///
		/// Emits [`Event::Admitted`]. The account gains a provider reference
		/// so it exists without a balance. Weight: `T::WeightInfo::admit`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::admit())]
		pub fn admit(
			origin: OriginFor<T>,
			who: T::AccountId,
			name: BoundedVec<u8, T::MaxNameLen>,
			uscc: UsccBytes,
			roles: RoleSet,
		) -> DispatchResult {
			let by = Self::ensure_registrar(origin)?;
			Self::do_admit(by, who, name, uscc, roles)
		}

		/// Suspend an active participant: it can sign nothing and act in no
		/// role until re-admitted. Its credit lines stay, but back no new
		/// reservations while the granting financier is suspended.
		///
		/// - `origin`: an active operator, or [`Config::GovernanceOrigin`].
		///   Only governance may suspend a holder of a governed role (an
		///   operator cannot suspend an operator, a regulator or a bank).
		/// - `who`: an active participant.
		///
		/// Emits [`Event::Suspended`]. Weight: `T::WeightInfo::suspend`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::suspend())]
		pub fn suspend(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			let by = Self::ensure_registrar(origin)?;
			Self::do_suspend(by, who)
		}

		/// Re-admit a suspended participant: it is active again.
		///
		/// - `origin`: an active operator, or [`Config::GovernanceOrigin`].
		///   Only governance may re-admit a holder of a governed role.
		/// - `who`: a suspended participant.
		///
		/// Emits [`Event::Readmitted`]. Weight: `T::WeightInfo::readmit`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::readmit())]
		pub fn readmit(origin: OriginFor<T>, who: T::AccountId) -> DispatchResult {
			let by = Self::ensure_registrar(origin)?;
			Self::do_readmit(by, who)
		}

		/// Replace a participant's roles.
		///
		/// - `origin`: an active operator, or [`Config::GovernanceOrigin`].
		///   Only governance may grant or remove a governed role, or change
		///   the roles of an account holding one.
		/// - `who`: a participant (active or suspended).
		/// - `roles`: the new roles, at least one, different from the
		///   current ones. `Financier` cannot be removed while the
		///   participant has granted lines or has open financing deals, nor
		///   `CoreEnterprise` while it holds lines.
		///
		/// Emits [`Event::RolesChanged`]. Weight: `T::WeightInfo::set_roles`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_roles())]
		pub fn set_roles(
			origin: OriginFor<T>,
			who: T::AccountId,
			roles: RoleSet,
		) -> DispatchResult {
			let by = Self::ensure_registrar(origin)?;
			Self::do_set_roles(by, who, roles)
		}

		/// Grant a core enterprise a credit line, or re-open a line this
		/// financier revoked that is still winding down.
		///
		/// - `origin`: signed by an active participant with the `Financier`
		///   role.
		/// - `core`: an active participant with the `CoreEnterprise` role,
		///   other than the signer, holding fewer than
		///   [`Config::MaxLinesPerCore`] lines.
		/// - `limit`: the most that may be in use, minor units, non-zero
		///   (and not below the amount in use when re-opening).
		/// - `expires_at`: Unix milliseconds, after the current time.
		///
		/// Emits [`Event::CreditLineGranted`]. Weight:
		/// `T::WeightInfo::grant_credit_line`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::grant_credit_line())]
		pub fn grant_credit_line(
			origin: OriginFor<T>,
			core: T::AccountId,
			#[pallet::compact] limit: Amount,
			expires_at: Moment,
		) -> DispatchResult {
			let financier = Self::ensure_financier(origin)?;
			Self::do_grant_credit_line(financier, core, limit, expires_at)
		}

		/// Change the limit and expiry of an open line: raise or lower it,
		/// extend or shorten it.
		///
		/// - `origin`: signed by the active financier that granted the line.
		/// - `core`: the core enterprise holding the line.
		/// - `limit`: the new limit, non-zero and not below the amount in
		///   use (to stop a line that is in use, revoke it).
		/// - `expires_at`: the new expiry, Unix milliseconds, after the
		///   current time.
		///
		/// Emits [`Event::CreditLineAmended`]. Weight:
		/// `T::WeightInfo::amend_credit_line`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::amend_credit_line())]
		pub fn amend_credit_line(
			origin: OriginFor<T>,
			core: T::AccountId,
			#[pallet::compact] limit: Amount,
			expires_at: Moment,
		) -> DispatchResult {
			let financier = Self::ensure_financier(origin)?;
			Self::do_amend_credit_line(financier, core, limit, expires_at)
		}

		/// Revoke an open line: it backs no new reservations. With nothing
		/// in use the line is closed at once; otherwise the certificates
		/// already issued against it stay valid and the line winds down,
		/// closing when their amounts have all been released.
		///
		/// - `origin`: signed by the active financier that granted the line.
		/// - `core`: the core enterprise holding the line.
		///
		/// Emits [`Event::CreditLineRevoked`], and [`Event::CreditLineClosed`]
		/// when nothing was in use. Weight:
		/// `T::WeightInfo::revoke_credit_line`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::revoke_credit_line())]
		pub fn revoke_credit_line(origin: OriginFor<T>, core: T::AccountId) -> DispatchResult {
			let financier = Self::ensure_financier(origin)?;
			Self::do_revoke_credit_line(financier, core)
		}
	}

	impl<T: Config> Pallet<T> {
		/// The current time in Unix milliseconds.
		pub(crate) fn now_ms() -> Moment {
			T::Time::now().as_millis().try_into().unwrap_or(Moment::MAX)
		}
	}
}

impl<T: Config> ParticipantRegistry<T::AccountId> for Pallet<T> {
	fn is_admitted(who: &T::AccountId) -> bool {
		Participants::<T>::contains_key(who)
	}

	fn is_active(who: &T::AccountId) -> bool {
		Participants::<T>::get(who).is_some_and(|p| p.is_active())
	}

	fn has_role(who: &T::AccountId, role: Role) -> bool {
		Participants::<T>::get(who).is_some_and(|p| p.is_active() && p.holds(role))
	}
}

/// Reservation policy: among the core enterprise's lines that are open, not
/// expired at `now`, granted by an active financier and with room for the
/// whole amount, the one expiring first backs it (ties go to the financier
/// whose account sorts first). Amounts are never split across lines.
impl<T: Config> CreditLines<T::AccountId, scf_primitives::Amount> for Pallet<T> {
	type LineRef = T::AccountId;

	fn reserve(
		core: &T::AccountId,
		amount: scf_primitives::Amount,
		now: u64,
		root: u64,
	) -> Result<Self::LineRef, sp_runtime::DispatchError> {
		Self::do_reserve(core, amount, now, root)
	}

	fn release(
		core: &T::AccountId,
		line: &Self::LineRef,
		amount: scf_primitives::Amount,
		root: u64,
	) {
		Self::do_release(core, line, amount, root)
	}
}
