//! Freeze (冻结) and unfreeze, by the regulator, of one certificate or of a
//! whole root.
//!
//! A frozen certificate remembers its standing and can do nothing: no
//! acceptance, rejection, split, financing, settlement of its root, lapse or
//! overdue mark. A frozen root freezes all its certificates the same way
//! without touching them (checked on every operation). Timers that fall due
//! while frozen take effect at the first sweep after unfreezing.

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// Freezes the live certificate `id`.
	pub(crate) fn do_freeze(
		regulator: T::AccountId,
		id: CertificateId,
		reason: DocHash,
	) -> DispatchResult {
		let mut cert = Self::get_certificate(id)?;
		let previous = match &cert.status {
			Status::Live(s) => s.clone(),
			Status::Frozen { .. } => return Err(Error::<T>::Frozen.into()),
			_ => return Err(Error::<T>::Closed.into()),
		};
		// Nothing happens to a frozen certificate; unfreezing schedules again.
		Self::unschedule_for(&cert, &previous);
		cert.status = Status::Frozen { previous, reason };
		let root = cert.root;
		Certificates::<T>::insert(id, cert);
		Self::deposit_event(Event::<T>::Frozen { id, root, regulator, reason });
		Ok(())
	}

	/// Unfreezes the certificate `id` into the standing it had.
	pub(crate) fn do_unfreeze(
		regulator: T::AccountId,
		id: CertificateId,
		reason: DocHash,
	) -> DispatchResult {
		let mut cert = Self::get_certificate(id)?;
		let Status::Frozen { previous, .. } = &cert.status else {
			return Err(Error::<T>::NotFrozen.into());
		};
		let previous = previous.clone();
		Self::schedule_for(&cert, &previous);
		cert.status = Status::Live(previous);
		let root = cert.root;
		Certificates::<T>::insert(id, cert);
		Self::deposit_event(Event::<T>::Unfrozen { id, root, regulator, reason });
		Ok(())
	}

	/// Freezes the whole root `root_id`.
	pub(crate) fn do_freeze_root(
		regulator: T::AccountId,
		root_id: CertificateId,
		reason: DocHash,
	) -> DispatchResult {
		let mut root = Self::get_root(root_id)?;
		ensure!(matches!(root.state, RootState::Outstanding), Error::<T>::RootClosed);
		ensure!(root.frozen.is_none(), Error::<T>::Frozen);
		root.frozen = Some(reason);
		Roots::<T>::insert(root_id, root);
		Self::deposit_event(Event::<T>::RootFrozen { root: root_id, regulator, reason });
		Ok(())
	}

	/// Unfreezes the whole root `root_id` and schedules the timers of its
	/// live, not individually frozen, certificates again. Returns how many
	/// live certificates it looked at.
	pub(crate) fn do_unfreeze_root(
		regulator: T::AccountId,
		root_id: CertificateId,
		reason: DocHash,
	) -> Result<u32, DispatchError> {
		let mut root = Self::get_root(root_id)?;
		ensure!(root.frozen.is_some(), Error::<T>::NotFrozen);
		root.frozen = None;
		let mut n = 0u32;
		for id in LiveByRoot::<T>::iter_key_prefix(root_id) {
			n += 1;
			if let Some(cert) = Certificates::<T>::get(id) {
				if let Status::Live(standing) = &cert.status {
					Self::schedule_for(&cert, standing);
				}
			}
		}
		Roots::<T>::insert(root_id, root);
		Self::deposit_event(Event::<T>::RootUnfrozen { root: root_id, regulator, reason });
		Ok(n)
	}
}
