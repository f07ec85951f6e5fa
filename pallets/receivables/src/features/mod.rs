//! The ledger's operations, one file per feature, and the helpers they share.
//!
//! Every operation checks everything that can fail before it writes anything,
//! so a refused call leaves storage exactly as it was (and is also safe to
//! call outside a storage layer, as the financing pallet does through
//! [`crate::ReceivableLedger`]).

mod acceptance;
mod freeze;
mod issue;
mod maturity;
mod pruning;
mod settlement;
mod split;

use crate::{pallet::*, types::*};
use frame_support::{ensure, traits::Time};
use scf_primitives::{
	traits::{CreditLines, ParticipantRegistry},
	Role,
};

/// A live, unfrozen certificate, its root's record, and its standing.
pub(crate) type Unfrozen<T> = (CertificateOf<T>, RootInfoOf<T>, StandingOf<T>);

impl<T: Config> Pallet<T> {
	/// The chain's time (ms).
	pub(crate) fn now() -> Moment {
		// The timestamp is 0 only at genesis (and in the first block's
		// `on_initialize`, and in benchmark blocks stamped 0).
		match T::Time::now() {
			0 => GenesisTime::<T>::get(),
			t => t,
		}
	}

	/// `who` is an active participant.
	pub(crate) fn ensure_participant(who: &T::AccountId) -> Result<(), Error<T>> {
		ensure!(T::Participants::is_active(who), Error::<T>::NotParticipant);
		Ok(())
	}

	/// `who` is an active regulator.
	pub(crate) fn ensure_regulator(who: &T::AccountId) -> Result<(), Error<T>> {
		ensure!(T::Participants::has_role(who, Role::Regulator), Error::<T>::NotRegulator);
		Ok(())
	}

	/// The certificate `id`.
	pub(crate) fn get_certificate(id: CertificateId) -> Result<CertificateOf<T>, Error<T>> {
		Certificates::<T>::get(id).ok_or(Error::<T>::UnknownCertificate)
	}

	/// The record of root `root`.
	pub(crate) fn get_root(root: CertificateId) -> Result<RootInfoOf<T>, Error<T>> {
		Roots::<T>::get(root).ok_or(Error::<T>::UnknownRoot)
	}

	/// The certificate and its root's record, refusing when either is frozen.
	/// Returns the certificate's standing (it is then live).
	pub(crate) fn load_unfrozen(id: CertificateId) -> Result<Unfrozen<T>, Error<T>> {
		let cert = Self::get_certificate(id)?;
		let root = Self::get_root(cert.root)?;
		let standing = match &cert.status {
			Status::Live(s) => s.clone(),
			Status::Frozen { .. } => return Err(Error::<T>::Frozen),
			_ => return Err(Error::<T>::Closed),
		};
		ensure!(root.frozen.is_none(), Error::<T>::Frozen);
		Ok((cert, root, standing))
	}

	/// Maps a standing other than `Active` to the error naming it.
	pub(crate) fn not_active_error(standing: &StandingOf<T>) -> Error<T> {
		match standing {
			Standing::PendingAcceptance { .. } => Error::<T>::Pending,
			Standing::Factored { .. } | Standing::Pledged { .. } => Error::<T>::AlreadyFinanced,
			Standing::Overdue { .. } => Error::<T>::Overdue,
			Standing::Reserved { .. } => Error::<T>::Reserved,
			Standing::Active => unreachable!("only called for a standing other than Active"),
		}
	}

	/// A certificate reserved for `financier` that its holder `who` may now
	/// sell or pledge to it: unfrozen, `Reserved { financier }`, before its
	/// due date, held by `who`.
	pub(crate) fn load_reserved(
		who: &T::AccountId,
		id: CertificateId,
		financier: &T::AccountId,
	) -> Result<(CertificateOf<T>, RootInfoOf<T>), Error<T>> {
		let (cert, root, standing) = Self::load_unfrozen(id)?;
		match standing {
			Standing::Reserved { financier: f } if &f == financier => {},
			Standing::Active | Standing::Reserved { .. } => return Err(Error::<T>::NotReserved),
			other => return Err(Self::not_active_error(&other)),
		}
		ensure!(Self::now() < cert.due, Error::<T>::Matured);
		ensure!(&cert.holder == who, Error::<T>::NotHolder);
		Ok((cert, root))
	}

	/// A certificate its holder may split, transfer, finance or pledge:
	/// active, unfrozen, before its due date, held by `who`.
	pub(crate) fn load_usable(
		who: &T::AccountId,
		id: CertificateId,
	) -> Result<(CertificateOf<T>, RootInfoOf<T>), Error<T>> {
		let (cert, root, standing) = Self::load_unfrozen(id)?;
		if !standing.is_free() {
			return Err(Self::not_active_error(&standing));
		}
		ensure!(Self::now() < cert.due, Error::<T>::Matured);
		ensure!(&cert.holder == who, Error::<T>::NotHolder);
		Ok((cert, root))
	}

	/// The next `n` certificate ids: the first, and the value
	/// `NextCertificateId` takes once they are used. Writes nothing.
	pub(crate) fn next_ids(n: u64) -> Result<(CertificateId, CertificateId), Error<T>> {
		let first = NextCertificateId::<T>::get();
		let next = first.checked_add(n).ok_or(Error::<T>::Overflow)?;
		Ok((first, next))
	}

	/// Whose share of its root's live slots `cert` takes
	/// ([`Config::MaxLivePerHolder`]): its sender while it is offered (the
	/// receiver has not agreed to anything yet), otherwise its holder.
	pub(crate) fn slot_owner(cert: &CertificateOf<T>) -> &T::AccountId {
		match &cert.status {
			Status::Live(Standing::PendingAcceptance { sender, .. })
			| Status::Frozen { previous: Standing::PendingAcceptance { sender, .. }, .. } => sender,
			_ => &cert.holder,
		}
	}

	/// Counts one slot of `root` more (`added`) or less for `who`.
	pub(crate) fn count_slot(root: CertificateId, who: &T::AccountId, added: bool) {
		LivePerHolder::<T>::mutate_exists(root, who, |n| {
			let count = n.unwrap_or(0);
			let count = if added { count.saturating_add(1) } else { count.saturating_sub(1) };
			*n = Some(count).filter(|c| *c > 0);
		});
	}

	/// Stores a new live certificate and indexes it; counts it on its root
	/// and for its slot owner.
	pub(crate) fn insert_live(root: &mut RootInfoOf<T>, cert: CertificateOf<T>) {
		root.live = root.live.saturating_add(1);
		Self::count_slot(cert.root, Self::slot_owner(&cert), true);
		RootMembers::<T>::insert(cert.root, cert.id, ());
		LiveByRoot::<T>::insert(cert.root, cert.id, ());
		Holdings::<T>::insert(&cert.holder, cert.id, ());
		Certificates::<T>::insert(cert.id, cert);
	}

	/// Gives a live certificate a terminal status, unindexes it and deletes
	/// its timer entry. The caller stores the certificate and the root
	/// afterwards.
	pub(crate) fn retire(
		root: &mut RootInfoOf<T>,
		cert: &mut CertificateOf<T>,
		status: StatusOf<T>,
	) {
		debug_assert!(!status.is_live());
		if let Status::Live(standing) = &cert.status {
			Self::unschedule_for(cert, standing);
		}
		Self::count_slot(cert.root, Self::slot_owner(cert), false);
		root.live = root.live.saturating_sub(1);
		LiveByRoot::<T>::remove(cert.root, cert.id);
		Holdings::<T>::remove(&cert.holder, cert.id);
		cert.status = status;
	}

	/// Moves a live certificate to a new holder in the holdings index.
	/// The slot moves with it unless the certificate is offered (then it
	/// stays its sender's).
	pub(crate) fn change_holder(cert: &mut CertificateOf<T>, to: T::AccountId) {
		if Self::slot_owner(cert) == &cert.holder {
			Self::count_slot(cert.root, &cert.holder, false);
			Self::count_slot(cert.root, &to, true);
		}
		Holdings::<T>::remove(&cert.holder, cert.id);
		Holdings::<T>::insert(&to, cert.id, ());
		cert.holder = to;
	}

	/// Releases the credit reserved for a root (the credit-line keeper's
	/// `CreditReleased` event says so).
	pub(crate) fn release_credit(root_id: CertificateId, root: &RootInfoOf<T>) {
		T::CreditLines::release(&root.issuer, &root.line, root.face, root_id);
	}
}
