//! Issue (开立): a core enterprise turns a confirmed payable into a root
//! certificate offered to its tier-1 supplier.

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*};
use scf_primitives::{
	traits::{CreditLines, ParticipantRegistry},
	Role,
};

impl<T: Config> Pallet<T> {
	/// Issues a root certificate of `amount` due at `due` from `issuer` to
	/// `receiver`, reserving the issuer's credit line. Returns its id.
	pub(crate) fn do_issue(
		issuer: T::AccountId,
		receiver: T::AccountId,
		amount: Amount,
		due: Moment,
		documents: DocumentsOf<T>,
	) -> Result<CertificateId, DispatchError> {
		ensure!(
			T::Participants::has_role(&issuer, Role::CoreEnterprise),
			Error::<T>::NotCoreEnterprise
		);
		ensure!(receiver != issuer, Error::<T>::SelfTransfer);
		ensure!(T::Participants::is_active(&receiver), Error::<T>::ReceiverNotParticipant);
		ensure!(amount > 0 && amount >= T::MinAmount::get(), Error::<T>::BelowMinimum);
		let now = Self::now();
		ensure!(due > now, Error::<T>::DueDateInPast);
		ensure!(due - now <= T::MaxTenor::get(), Error::<T>::TenorTooLong);
		let (id, next) = Self::next_ids(1)?;
		Self::ensure_offer_room(&issuer, 1)?;
		// The last check, and the first change: the credit line.
		let line = T::CreditLines::reserve(&issuer, amount, now, id)?;

		NextCertificateId::<T>::put(next);
		Self::note_offers(&issuer, 1);
		let deadline = now.saturating_add(T::AcceptanceTimeout::get());
		let mut root = RootInfo {
			issuer: issuer.clone(),
			face: amount,
			due,
			line: line.clone(),
			live: 0,
			state: RootState::Outstanding,
			frozen: None,
		};
		let cert = Certificate {
			id,
			root: id,
			parent: None,
			issuer: issuer.clone(),
			holder: receiver.clone(),
			amount,
			due,
			tier: 1,
			status: Status::Live(Standing::PendingAcceptance { sender: issuer.clone(), deadline }),
			documents: documents.clone(),
		};
		Self::insert_live(&mut root, cert);
		Roots::<T>::insert(id, root);
		Self::schedule(Timer::Acceptance, deadline, id);
		Self::deposit_event(Event::<T>::Issued {
			id,
			issuer,
			receiver,
			amount,
			due,
			acceptance_deadline: deadline,
			documents,
			financier: line,
		});
		Ok(id)
	}
}
