//! What the financing pallet may do with certificates, and what it hears
//! back at settlement.
//!
//! The financing pallet finds out who holds what and moves certificates into
//! and out of financing through [`ReceivableLedger`], implemented by this
//! pallet. Financing goes in two ledger steps: [`ReceivableLedger::reserve`]
//! locks an active certificate for one financier while a request is open
//! (`Standing::Reserved`), then [`ReceivableLedger::transfer_to_financier`]
//! or [`ReceivableLedger::pledge_to_financier`] completes it, or
//! [`ReceivableLedger::release_reservation`] gives it back. Settlement tells
//! the financing pallet what it paid through [`OnCertificateSettled`].
//!
//! The financing pallet does its own checks of who asks (financiers, offers,
//! payout confirmation); the ledger checks the certificate's side: it
//! exists, is not frozen (nor its root), is in the right standing, is held by
//! the named account, and the accounts it passes to are active participants
//! (for recourse, admitted ones: a seller suspended since it sold the
//! certificate still takes it back, since suspension does not cancel a
//! debt).
//!
//! Every function either fails without writing anything or does all of its
//! work, so a financing step and its ledger step can be done "in one step:
//! never one without the other" inside one extrinsic.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::*};
use scf_primitives::traits::ParticipantRegistry;

/// A certificate as the financing pallet sees it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct LedgerView<AccountId> {
	/// Its root (the original payable).
	pub root: CertificateId,
	/// The core enterprise that owes it.
	pub issuer: AccountId,
	/// Its holder.
	pub holder: AccountId,
	/// Its amount.
	pub amount: Amount,
	/// Its due date (ms).
	pub due: Moment,
	/// Its status.
	pub status: Status<AccountId>,
	/// Whether it or its root is frozen.
	pub frozen: bool,
}

/// The ledger operations the financing pallet uses.
pub trait ReceivableLedger<AccountId> {
	/// The certificate `id`, if it exists.
	fn view(id: CertificateId) -> Option<LedgerView<AccountId>>;

	/// The holder of the live certificate `id`.
	fn holder_of(id: CertificateId) -> Option<AccountId> {
		Self::view(id).filter(|v| v.status.is_live()).map(|v| v.holder)
	}

	/// `holder` splits an active certificate into a part of `amount` and the
	/// remainder, both active with the holder at the same tier, so that a
	/// part can be financed. Returns `(part, remainder)`.
	fn split_off(
		holder: &AccountId,
		id: CertificateId,
		amount: Amount,
	) -> Result<(CertificateId, CertificateId), DispatchError>;

	/// Locks `holder`'s active certificate `id` for an open financing request
	/// to `financier`: it becomes `Reserved { financier }`, and the holder can
	/// no longer split, transfer or finance it elsewhere. Refused when the
	/// certificate (or its root) is frozen, is not active, is not held by
	/// `holder`, is at or past its due date, or when `financier` is `holder`
	/// or not an active participant.
	fn reserve(holder: &AccountId, id: CertificateId, financier: &AccountId) -> DispatchResult;

	/// Ends the reservation of certificate `id`: `Reserved` becomes `Active`
	/// again. Refused (changing nothing) when it is not reserved, or frozen.
	fn release_reservation(id: CertificateId) -> DispatchResult;

	/// Factoring (保理): `seller`'s certificate, reserved for `financier`,
	/// passes to `financier`, who becomes its holder; it is `Factored` with
	/// `seller` remembered. Refused at or after the due date.
	fn transfer_to_financier(
		seller: &AccountId,
		id: CertificateId,
		financier: &AccountId,
	) -> DispatchResult;

	/// Pledge (质押): `holder`'s certificate, reserved for `pledgee`, is
	/// pledged to `pledgee`. Refused at or after the due date.
	fn pledge_to_financier(
		holder: &AccountId,
		id: CertificateId,
		pledgee: &AccountId,
	) -> DispatchResult;

	/// `pledgee` releases its pledge over certificate `id` (pledged, or
	/// overdue and pledged); it becomes active (or overdue without claim).
	fn release_pledge(pledgee: &AccountId, id: CertificateId) -> DispatchResult;

	/// Recourse (追索): the financier hands a factored certificate (financed,
	/// or overdue and factored) back to its seller, who holds it again,
	/// active (or overdue without claim).
	fn return_to_seller(financier: &AccountId, id: CertificateId) -> DispatchResult;
}

/// Told about every certificate settlement pays, so that financing can
/// record who gets what. Called by `settle` once per certificate, after the
/// certificate is marked settled, in id order.
///
/// The hook cannot fail: settlement must not be blocked. Its cost is charged
/// to `settle` as `n × on_settled_weight()` on top of the receivables
/// pallet's own `WeightInfo::settle(n)`.
pub trait OnCertificateSettled<AccountId> {
	/// Certificate `id` was paid `amount` to `holder`; `standing` is the
	/// standing it had when settled (active, reserved, financed, pledged or
	/// overdue).
	fn on_settled(
		id: CertificateId,
		holder: &AccountId,
		amount: Amount,
		standing: &Standing<AccountId>,
	);

	/// The worst-case weight of one `on_settled` call.
	fn on_settled_weight() -> Weight;
}

/// Nobody listens.
impl<AccountId> OnCertificateSettled<AccountId> for () {
	fn on_settled(_: CertificateId, _: &AccountId, _: Amount, _: &Standing<AccountId>) {}

	fn on_settled_weight() -> Weight {
		Weight::zero()
	}
}

impl<T: Config> ReceivableLedger<T::AccountId> for Pallet<T> {
	fn view(id: CertificateId) -> Option<LedgerView<T::AccountId>> {
		let cert = Certificates::<T>::get(id)?;
		let root_frozen = Roots::<T>::get(cert.root).is_some_and(|r| r.frozen.is_some());
		Some(LedgerView {
			root: cert.root,
			issuer: cert.issuer,
			holder: cert.holder,
			amount: cert.amount,
			due: cert.due,
			frozen: root_frozen || matches!(cert.status, Status::Frozen { .. }),
			status: cert.status,
		})
	}

	fn split_off(
		holder: &T::AccountId,
		id: CertificateId,
		amount: Amount,
	) -> Result<(CertificateId, CertificateId), DispatchError> {
		Self::ensure_participant(holder)?;
		let (cert, root) = Self::load_usable(holder, id)?;
		let min = T::MinAmount::get();
		ensure!(amount > 0 && amount >= min, Error::<T>::BelowMinimum);
		ensure!(amount < cert.amount, Error::<T>::ExceedsAmount);
		let remainder = cert.amount - amount;
		ensure!(remainder >= min, Error::<T>::BelowMinimum);
		let ids: Vec<CertificateId> =
			Self::split_inner(holder.clone(), cert, root, &[], &[amount, remainder], None)?;
		Ok((ids[0], ids[1]))
	}

	fn reserve(
		holder: &T::AccountId,
		id: CertificateId,
		financier: &T::AccountId,
	) -> DispatchResult {
		let (mut cert, _root) = Self::load_usable(holder, id)?;
		ensure!(holder != financier, Error::<T>::SelfTransfer);
		ensure!(T::Participants::is_active(financier), Error::<T>::ReceiverNotParticipant);
		cert.status = Status::Live(Standing::Reserved { financier: financier.clone() });
		Certificates::<T>::insert(id, cert);
		Self::deposit_event(Event::<T>::Reserved {
			id,
			holder: holder.clone(),
			financier: financier.clone(),
		});
		Ok(())
	}

	fn release_reservation(id: CertificateId) -> DispatchResult {
		let (mut cert, _root, standing) = Self::load_unfrozen(id)?;
		let Standing::Reserved { financier } = standing else {
			return Err(Error::<T>::NotReserved.into());
		};
		cert.status = Status::Live(Standing::Active);
		let holder = cert.holder.clone();
		Certificates::<T>::insert(id, cert);
		Self::deposit_event(Event::<T>::ReservationReleased { id, holder, financier });
		Ok(())
	}

	fn transfer_to_financier(
		seller: &T::AccountId,
		id: CertificateId,
		financier: &T::AccountId,
	) -> DispatchResult {
		let (mut cert, _root) = Self::load_reserved(seller, id, financier)?;
		ensure!(seller != financier, Error::<T>::SelfTransfer);
		ensure!(T::Participants::is_active(financier), Error::<T>::ReceiverNotParticipant);
		Self::change_holder(&mut cert, financier.clone());
		cert.status = Status::Live(Standing::Factored { seller: seller.clone() });
		Certificates::<T>::insert(id, cert);
		Self::deposit_event(Event::<T>::Financed {
			id,
			seller: seller.clone(),
			financier: financier.clone(),
		});
		Ok(())
	}

	fn pledge_to_financier(
		holder: &T::AccountId,
		id: CertificateId,
		pledgee: &T::AccountId,
	) -> DispatchResult {
		let (mut cert, _root) = Self::load_reserved(holder, id, pledgee)?;
		ensure!(holder != pledgee, Error::<T>::SelfTransfer);
		ensure!(T::Participants::is_active(pledgee), Error::<T>::ReceiverNotParticipant);
		cert.status = Status::Live(Standing::Pledged { pledgee: pledgee.clone() });
		Certificates::<T>::insert(id, cert);
		Self::deposit_event(Event::<T>::Pledged {
			id,
			holder: holder.clone(),
			pledgee: pledgee.clone(),
		});
		Ok(())
	}

	fn release_pledge(pledgee: &T::AccountId, id: CertificateId) -> DispatchResult {
		let (mut cert, _root, standing) = Self::load_unfrozen(id)?;
		let next = match standing {
			Standing::Pledged { pledgee: p } if &p == pledgee => Standing::Active,
			Standing::Overdue { encumbrance: Some(Encumbrance::Pledged { pledgee: p }) }
				if &p == pledgee =>
			{
				Standing::Overdue { encumbrance: None }
			},
			_ => return Err(Error::<T>::NotFinanced.into()),
		};
		cert.status = Status::Live(next);
		let holder = cert.holder.clone();
		Certificates::<T>::insert(id, cert);
		Self::deposit_event(Event::<T>::PledgeReleased { id, holder, pledgee: pledgee.clone() });
		Ok(())
	}

	fn return_to_seller(financier: &T::AccountId, id: CertificateId) -> DispatchResult {
		let (mut cert, _root, standing) = Self::load_unfrozen(id)?;
		ensure!(&cert.holder == financier, Error::<T>::NotHolder);
		let (seller, next) = match standing {
			Standing::Factored { seller } => (seller, Standing::Active),
			Standing::Overdue { encumbrance: Some(Encumbrance::Factored { seller }) } => {
				(seller, Standing::Overdue { encumbrance: None })
			},
			_ => return Err(Error::<T>::NotFinanced.into()),
		};
		// Admitted, not necessarily active: a suspended seller still owes.
		ensure!(T::Participants::is_admitted(&seller), Error::<T>::ReceiverNotParticipant);
		Self::change_holder(&mut cert, seller.clone());
		cert.status = Status::Live(next);
		Certificates::<T>::insert(id, cert);
		Self::deposit_event(Event::<T>::RecourseReturned {
			id,
			financier: financier.clone(),
			seller,
		});
		Ok(())
	}
}
