//! The work behind each call, the credit-line trait, genesis, and the
//! invariants.

use crate::{pallet::*, types::*, uscc::Uscc, UsccBytes, LOG_TARGET};
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{EnsureOrigin, Get},
};
use frame_system::pallet_prelude::*;
use scf_primitives::{traits::FinancierDeals, Amount, Moment, Role};
use sp_runtime::Saturating;

/// The roles only governance (the banks' council) may grant or remove, and
/// whose holders only governance may suspend, re-admit or give other roles:
/// an operator admits everyone, a regulator can freeze every root, and a
/// financier lends against the ledger. One bank's operator must not mint a
/// regulator or suspend a competitor.
pub const GOVERNED_ROLES: [Role; 3] = [Role::Operator, Role::Regulator, Role::Financier];

/// Whether `roles` include a governed role.
fn is_governed(roles: &[Role]) -> bool {
	roles.iter().any(|r| GOVERNED_ROLES.contains(r))
}

impl<T: Config> Pallet<T> {
	/// Who may change the registry: the governance origin, or an active
	/// operator.
	pub(crate) fn ensure_registrar(
		origin: OriginFor<T>,
	) -> Result<Authority<T::AccountId>, DispatchError> {
		match T::GovernanceOrigin::try_origin(origin) {
			Ok(_) => Ok(Authority::Governance),
			Err(origin) => {
				let who = ensure_signed(origin)?;
				let info = Participants::<T>::get(&who).ok_or(Error::<T>::NotOperator)?;
				ensure!(info.holds(Role::Operator), Error::<T>::NotOperator);
				ensure!(info.is_active(), Error::<T>::Suspended);
				Ok(Authority::Operator(who))
			},
		}
	}

	/// The signer, if it is an active financier.
	pub(crate) fn ensure_financier(origin: OriginFor<T>) -> Result<T::AccountId, DispatchError> {
		let who = ensure_signed(origin)?;
		let info = Participants::<T>::get(&who).ok_or(Error::<T>::NotAdmitted)?;
		ensure!(info.is_active(), Error::<T>::Suspended);
		ensure!(info.holds(Role::Financier), Error::<T>::NotFinancier);
		Ok(who)
	}

	/// Operators may not grant or remove a governed role, nor suspend,
	/// re-admit or change the roles of an account that holds one
	/// ([`GOVERNED_ROLES`]); only governance may.
	fn ensure_may_touch_governed(by: &Authority<T::AccountId>) -> DispatchResult {
		match by {
			Authority::Operator(_) => Err(Error::<T>::GovernanceRequired.into()),
			Authority::Governance | Authority::Genesis => Ok(()),
		}
	}

	fn checked_roles(roles: RoleSet) -> Result<RoleSet, DispatchError> {
		let roles = normalise_roles(roles);
		ensure!(!roles.is_empty(), Error::<T>::NoRoles);
		Ok(roles)
	}

	pub(crate) fn do_admit(
		by: Authority<T::AccountId>,
		who: T::AccountId,
		name: BoundedVec<u8, T::MaxNameLen>,
		uscc: UsccBytes,
		roles: RoleSet,
	) -> DispatchResult {
		ensure!(!name.is_empty() && core::str::from_utf8(&name).is_ok(), Error::<T>::InvalidName);
		let uscc = Uscc::parse(uscc).map_err(|_| Error::<T>::InvalidUscc)?;
		let roles = Self::checked_roles(roles)?;
		if is_governed(&roles) {
			Self::ensure_may_touch_governed(&by)?;
		}
		ensure!(!Participants::<T>::contains_key(&who), Error::<T>::AlreadyAdmitted);
		ensure!(!UsccOwner::<T>::contains_key(uscc), Error::<T>::UsccTaken);

		Participants::<T>::insert(
			&who,
			ParticipantInfo {
				name: name.clone(),
				uscc,
				roles: roles.clone(),
				status: ParticipantStatus::Active,
			},
		);
		UsccOwner::<T>::insert(uscc, &who);
		// The chain has no balances: the registry is what makes the account
		// exist, so that its nonce is kept and `CheckNonce` accepts it.
		frame_system::Pallet::<T>::inc_providers(&who);
		Self::deposit_event(Event::Admitted { who, name, uscc, roles, by });
		Ok(())
	}

	pub(crate) fn do_suspend(by: Authority<T::AccountId>, who: T::AccountId) -> DispatchResult {
		Self::move_status(&by, &who, ParticipantStatus::Active, Error::<T>::AlreadySuspended)?;
		Self::deposit_event(Event::Suspended { who, by });
		Ok(())
	}

	pub(crate) fn do_readmit(by: Authority<T::AccountId>, who: T::AccountId) -> DispatchResult {
		Self::move_status(&by, &who, ParticipantStatus::Suspended, Error::<T>::NotSuspended)?;
		Self::deposit_event(Event::Readmitted { who, by });
		Ok(())
	}

	/// Moves `who` out of status `from` into the other one; refuses with
	/// `not_from` when it is not in `from`, and refuses an operator unless
	/// `by` may touch operators. Changes nothing when it refuses.
	fn move_status(
		by: &Authority<T::AccountId>,
		who: &T::AccountId,
		from: ParticipantStatus,
		not_from: Error<T>,
	) -> DispatchResult {
		Participants::<T>::try_mutate(who, |maybe| {
			let info = maybe.as_mut().ok_or(Error::<T>::NotAdmitted)?;
			if is_governed(&info.roles) {
				Self::ensure_may_touch_governed(by)?;
			}
			ensure!(info.status == from, not_from);
			info.status = match from {
				ParticipantStatus::Active => ParticipantStatus::Suspended,
				ParticipantStatus::Suspended => ParticipantStatus::Active,
			};
			Ok(())
		})
	}

	pub(crate) fn do_set_roles(
		by: Authority<T::AccountId>,
		who: T::AccountId,
		roles: RoleSet,
	) -> DispatchResult {
		let new = Self::checked_roles(roles)?;
		let old = Participants::<T>::try_mutate(&who, |maybe| {
			let info = maybe.as_mut().ok_or(Error::<T>::NotAdmitted)?;
			if is_governed(&info.roles) || is_governed(&new) {
				Self::ensure_may_touch_governed(&by)?;
			}
			ensure!(info.roles != new, Error::<T>::RolesUnchanged);
			let drops = |role: Role| info.holds(role) && !new.contains(&role);
			if drops(Role::Financier) {
				ensure!(LinesGranted::<T>::get(&who) == 0, Error::<T>::HasCreditLines);
				ensure!(T::FinancierDeals::open_deals(&who) == 0, Error::<T>::HasOpenDeals);
			}
			if drops(Role::CoreEnterprise) {
				ensure!(Lines::<T>::decode_len(&who).unwrap_or(0) == 0, Error::<T>::HasCreditLines);
			}
			Ok::<_, DispatchError>(core::mem::replace(&mut info.roles, new.clone()))
		})?;
		Self::deposit_event(Event::RolesChanged { who, old, new, by });
		Ok(())
	}

	pub(crate) fn do_grant_credit_line(
		financier: T::AccountId,
		core: T::AccountId,
		limit: Amount,
		expires_at: Moment,
	) -> DispatchResult {
		ensure!(limit > 0, Error::<T>::ZeroLimit);
		ensure!(expires_at > Self::now_ms(), Error::<T>::ExpiryInPast);
		ensure!(financier != core, Error::<T>::OwnLine);
		let grantee = Participants::<T>::get(&core).ok_or(Error::<T>::NotAdmitted)?;
		ensure!(grantee.holds(Role::CoreEnterprise), Error::<T>::NotCoreEnterprise);
		ensure!(grantee.is_active(), Error::<T>::CoreSuspended);

		let used = Lines::<T>::try_mutate(&core, |lines| {
			match lines.binary_search_by(|l| l.financier.cmp(&financier)) {
				Ok(i) => {
					let line = &mut lines[i];
					ensure!(line.status == LineStatus::WindingDown, Error::<T>::LineExists);
					ensure!(limit >= line.used, Error::<T>::LimitBelowUsage);
					line.status = LineStatus::Open;
					line.limit = limit;
					line.expires_at = expires_at;
					Ok::<_, DispatchError>(line.used)
				},
				Err(i) => {
					let line = CreditLine {
						financier: financier.clone(),
						limit,
						used: 0,
						expires_at,
						status: LineStatus::Open,
					};
					lines.try_insert(i, line).map_err(|_| Error::<T>::TooManyLines)?;
					LinesGranted::<T>::mutate(&financier, |n| n.saturating_inc());
					Ok(0)
				},
			}
		})?;
		Self::deposit_event(Event::CreditLineGranted { financier, core, limit, expires_at, used });
		Ok(())
	}

	pub(crate) fn do_amend_credit_line(
		financier: T::AccountId,
		core: T::AccountId,
		limit: Amount,
		expires_at: Moment,
	) -> DispatchResult {
		ensure!(limit > 0, Error::<T>::ZeroLimit);
		ensure!(expires_at > Self::now_ms(), Error::<T>::ExpiryInPast);
		let used = Lines::<T>::try_mutate(&core, |lines| {
			let i = lines
				.binary_search_by(|l| l.financier.cmp(&financier))
				.map_err(|_| Error::<T>::NoCreditLine)?;
			let line = &mut lines[i];
			ensure!(line.status == LineStatus::Open, Error::<T>::LineRevoked);
			ensure!(limit >= line.used, Error::<T>::LimitBelowUsage);
			line.limit = limit;
			line.expires_at = expires_at;
			Ok::<_, DispatchError>(line.used)
		})?;
		Self::deposit_event(Event::CreditLineAmended { financier, core, limit, expires_at, used });
		Ok(())
	}

	pub(crate) fn do_revoke_credit_line(
		financier: T::AccountId,
		core: T::AccountId,
	) -> DispatchResult {
		let mut lines = Lines::<T>::get(&core);
		let i = lines
			.binary_search_by(|l| l.financier.cmp(&financier))
			.map_err(|_| Error::<T>::NoCreditLine)?;
		ensure!(lines[i].status == LineStatus::Open, Error::<T>::LineRevoked);
		let used = lines[i].used;
		if used == 0 {
			lines.remove(i);
			Self::put_lines(&core, lines);
			LinesGranted::<T>::mutate_exists(&financier, |n| {
				*n = n.map(|n| n.saturating_sub(1)).filter(|n| *n > 0)
			});
			Self::deposit_event(Event::CreditLineRevoked {
				financier: financier.clone(),
				core: core.clone(),
				used,
			});
			Self::deposit_event(Event::CreditLineClosed { financier, core });
		} else {
			lines[i].status = LineStatus::WindingDown;
			Self::put_lines(&core, lines);
			Self::deposit_event(Event::CreditLineRevoked { financier, core, used });
		}
		Ok(())
	}

	/// Stores a core enterprise's lines, removing the entry when none is
	/// left.
	fn put_lines(
		core: &T::AccountId,
		lines: BoundedVec<CreditLine<T::AccountId>, T::MaxLinesPerCore>,
	) {
		if lines.is_empty() {
			Lines::<T>::remove(core);
		} else {
			Lines::<T>::insert(core, lines);
		}
	}

	/// See the `CreditLines` implementation in `lib.rs` for the policy.
	pub(crate) fn do_reserve(
		core: &T::AccountId,
		amount: Amount,
		now: Moment,
		root: u64,
	) -> Result<T::AccountId, DispatchError> {
		let mut lines = Lines::<T>::get(core);
		// Lines in force, in order of preference.
		let mut order: alloc::vec::Vec<usize> =
			(0..lines.len()).filter(|i| lines[*i].in_force(now)).collect();
		if order.is_empty() {
			let expired = lines.iter().any(|l| l.status == LineStatus::Open && now >= l.expires_at);
			return Err(
				if expired { Error::<T>::LineExpired } else { Error::<T>::NoCreditLine }.into()
			);
		}
		order.sort_by(|a, b| {
			let (a, b) = (&lines[*a], &lines[*b]);
			(a.expires_at, &a.financier).cmp(&(b.expires_at, &b.financier))
		});

		let mut financier_active = false;
		let mut chosen = None;
		for i in order {
			let line = &lines[i];
			let active =
				<Self as crate::ParticipantRegistry<T::AccountId>>::is_active(&line.financier);
			financier_active |= active;
			if active && amount <= line.room() {
				chosen = Some(i);
				break;
			}
		}
		let Some(i) = chosen else {
			return Err(if financier_active {
				Error::<T>::LineExceeded
			} else {
				Error::<T>::NoCreditLine
			}
			.into());
		};
		let line = &mut lines[i];
		let used = line.used.checked_add(amount).ok_or(Error::<T>::Overflow)?;
		ensure!(used <= line.limit, Error::<T>::LineExceeded);
		line.used = used;
		let financier = line.financier.clone();
		Lines::<T>::insert(core, lines);
		Self::deposit_event(Event::CreditReserved {
			core: core.clone(),
			root,
			financier: financier.clone(),
			amount,
			used,
		});
		Ok(financier)
	}

	/// Gives back up to `amount` on the line of `financier`; never fails.
	pub(crate) fn do_release(
		core: &T::AccountId,
		financier: &T::AccountId,
		amount: Amount,
		root: u64,
	) {
		let mut lines = Lines::<T>::get(core);
		let Ok(i) = lines.binary_search_by(|l| l.financier.cmp(financier)) else {
			log::warn!(
				target: LOG_TARGET,
				"release of {amount} on a line that does not exist ({core:?} from {financier:?})",
			);
			return;
		};
		let line = &mut lines[i];
		let released = amount.min(line.used);
		if released < amount {
			log::warn!(
				target: LOG_TARGET,
				"release of {amount} on the line of {core:?} from {financier:?} exceeds the {} in use",
				line.used,
			);
		}
		line.used -= released;
		let used = line.used;
		let closes = used == 0 && line.status == LineStatus::WindingDown;
		if closes {
			lines.remove(i);
			LinesGranted::<T>::mutate_exists(financier, |n| {
				*n = n.map(|n| n.saturating_sub(1)).filter(|n| *n > 0)
			});
		}
		Self::put_lines(core, lines);
		Self::deposit_event(Event::CreditReleased {
			core: core.clone(),
			root,
			financier: financier.clone(),
			requested: amount,
			released,
			used,
		});
		if closes {
			Self::deposit_event(Event::CreditLineClosed {
				financier: financier.clone(),
				core: core.clone(),
			});
		}
	}

	/// Refuses a signer that is not an active participant (transaction
	/// validity; see [`crate::extension`]).
	pub(crate) fn check_signer(who: &T::AccountId) -> Result<(), TransactionValidityError> {
		match Participants::<T>::get(who) {
			None => Err(InvalidTransaction::BadSigner.into()),
			Some(p) if !p.is_active() => {
				Err(InvalidTransaction::Custom(crate::extension::SUSPENDED_SIGNER).into())
			},
			Some(_) => Ok(()),
		}
	}

	/// Adds `weight` to what `who`'s transactions have used in the current
	/// block, refusing with [`InvalidTransaction::Future`] ("not yet: try a
	/// later block") if that would take it past [`Config::MaxSenderWeight`].
	/// An account's first transaction in a block always fits; it counts at
	/// least one unit of ref time, so a zero-weight call still opens the
	/// account's share for the block.
	pub(crate) fn note_transaction(
		who: &T::AccountId,
		weight: Weight,
	) -> Result<(), TransactionValidityError> {
		let now = frame_system::Pallet::<T>::block_number();
		SenderWeight::<T>::try_mutate(who, |(block, used)| {
			if *block != now {
				*block = now;
				*used = Weight::zero();
			}
			let after = used.saturating_add(weight);
			if *used != Weight::zero() && after.any_gt(T::MaxSenderWeight::get()) {
				return Err(InvalidTransaction::Future.into());
			}
			*used = after.max(Weight::from_parts(1, 0));
			Ok(())
		})
	}

	/// Admits a genesis participant; panics on invalid data.
	pub(crate) fn genesis_admit(p: &GenesisParticipant<T::AccountId>) {
		let name: BoundedVec<u8, T::MaxNameLen> = p
			.name
			.as_bytes()
			.to_vec()
			.try_into()
			.unwrap_or_else(|_| panic!("genesis participant name too long: {}", p.name));
		let uscc = Uscc::try_from_slice(p.uscc.as_bytes())
			.unwrap_or_else(|e| panic!("invalid USCC {} at genesis: {e:?}", p.uscc));
		let roles: RoleSet = p
			.roles
			.clone()
			.try_into()
			.unwrap_or_else(|_| panic!("too many roles for {} at genesis", p.name));
		Self::do_admit(Authority::Genesis, p.account.clone(), name, uscc.0, roles)
			.unwrap_or_else(|e| panic!("cannot admit {} at genesis: {e:?}", p.name));
	}

	/// Grants a genesis credit line; panics on invalid data. The expiry is
	/// not checked against the clock, which does not run at genesis.
	pub(crate) fn genesis_grant(l: &GenesisCreditLine<T::AccountId>) {
		let financier = Participants::<T>::get(&l.financier)
			.unwrap_or_else(|| panic!("genesis credit line from a non-participant"));
		assert!(financier.holds(Role::Financier), "genesis credit line from a non-financier");
		assert!(l.financier != l.core, "genesis credit line granted to its own financier");
		assert!(l.limit > 0, "genesis credit line with a zero limit");
		let core = Participants::<T>::get(&l.core)
			.unwrap_or_else(|| panic!("genesis credit line to a non-participant"));
		assert!(core.holds(Role::CoreEnterprise), "genesis credit line to a non-core enterprise");
		Lines::<T>::mutate(&l.core, |lines| {
			let i = match lines.binary_search_by(|x| x.financier.cmp(&l.financier)) {
				Ok(_) => panic!("two genesis credit lines from one financier to one core"),
				Err(i) => i,
			};
			let line = CreditLine {
				financier: l.financier.clone(),
				limit: l.limit,
				used: 0,
				expires_at: l.expires_at,
				status: LineStatus::Open,
			};
			lines.try_insert(i, line).expect("too many genesis credit lines for one core");
		});
		LinesGranted::<T>::mutate(&l.financier, |n| n.saturating_inc());
	}

	/// The pallet's invariants:
	/// - every participant's USCC maps back to it, and every USCC entry to a
	///   participant holding that code; every role set is sorted, unique and
	///   non-empty; every participant's account has a provider reference;
	/// - every line: `used <= limit`, granted by a participant holding
	///   `Financier` to one holding `CoreEnterprise`, not to itself; lines
	///   sorted by financier without duplicates; a winding-down line has
	///   something in use; no empty entry;
	/// - `LinesGranted` equals the number of lines of each financier.
	///
	/// Compiled in every build (as the other pallets' are), so the runtime's
	/// property test can check it.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_map::BTreeMap;

		let mut participants = 0usize;
		for (who, p) in Participants::<T>::iter() {
			participants += 1;
			ensure!(UsccOwner::<T>::get(p.uscc).as_ref() == Some(&who), "USCC index out of step");
			ensure!(!p.roles.is_empty(), "participant without roles");
			ensure!(p.roles.windows(2).all(|w| w[0] < w[1]), "role set not sorted and unique");
			ensure!(
				frame_system::Pallet::<T>::providers(&who) > 0,
				"participant account without a provider"
			);
		}
		let owners = UsccOwner::<T>::iter()
			.map(|(uscc, who)| {
				let held = Participants::<T>::get(&who).map(|p| p.uscc);
				ensure!(held == Some(uscc), "USCC owner is not the participant holding it");
				Ok(())
			})
			.collect::<Result<alloc::vec::Vec<()>, sp_runtime::TryRuntimeError>>()?;
		ensure!(owners.len() == participants, "USCC index size differs from the registry");

		let mut granted: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (core, lines) in Lines::<T>::iter() {
			ensure!(!lines.is_empty(), "empty credit line entry");
			ensure!(
				lines.windows(2).all(|w| w[0].financier < w[1].financier),
				"lines not sorted by financier"
			);
			let grantee = Participants::<T>::get(&core).ok_or("line held by a non-participant")?;
			ensure!(grantee.holds(Role::CoreEnterprise), "line held by a non-core enterprise");
			for line in lines.iter() {
				ensure!(line.used <= line.limit, "credit line usage exceeds its limit");
				ensure!(line.financier != core, "line granted to its own financier");
				let grantor = Participants::<T>::get(&line.financier)
					.ok_or("line granted by a non-participant")?;
				ensure!(grantor.holds(Role::Financier), "line granted by a non-financier");
				ensure!(
					line.status == LineStatus::Open || line.used > 0,
					"winding-down line with nothing in use"
				);
				*granted.entry(line.financier.clone()).or_default() += 1;
			}
		}
		let counted: BTreeMap<T::AccountId, u32> = LinesGranted::<T>::iter().collect();
		ensure!(counted == granted, "LinesGranted out of step with the lines");
		Ok(())
	}
}
