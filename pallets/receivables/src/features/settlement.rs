//! Settle (兑付/清分): at or after maturity the issuer pays every live
//! certificate of a root to its holder, with one payment reference.
//!
//! Settlement is all-or-nothing per root. It is refused while the root or any
//! of its certificates is frozen, and while any is pending acceptance (such
//! an offer resolves within `AcceptanceTimeout`, and split-transfers stop at
//! maturity, so this delays settlement by at most that long). Overdue,
//! reserved, financed and pledged certificates are paid like active ones: to
//! their holder, with the pledgee named for a pledged one. `Config::OnSettled`
//! hears of each payment with the standing the certificate had.

use crate::{pallet::*, types::*, weights::WeightInfo, OnCertificateSettled};
use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::*};

impl<T: Config> Pallet<T> {
	/// The weight of settling a root with `n` live certificates: the
	/// pallet's own work and `n` calls of the `OnSettled` hook.
	pub fn settle_weight(n: u32) -> Weight {
		T::WeightInfo::settle(n)
			.saturating_add(T::OnSettled::on_settled_weight().saturating_mul(n.into()))
	}

	/// The issuer `who` settles `root_id`. Returns how many certificates were
	/// paid.
	pub(crate) fn do_settle(
		who: T::AccountId,
		root_id: CertificateId,
		payment_ref: PaymentRefOf<T>,
	) -> Result<u32, DispatchError> {
		Self::ensure_participant(&who)?;
		let mut root = Self::get_root(root_id)?;
		ensure!(root.issuer == who, Error::<T>::NotIssuer);
		ensure!(matches!(root.state, RootState::Outstanding), Error::<T>::RootClosed);
		ensure!(root.frozen.is_none(), Error::<T>::Frozen);
		let now = Self::now();
		ensure!(now >= root.due, Error::<T>::NotMatured);

		// At most `MaxLivePerRoot` entries.
		let mut certs: Vec<CertificateOf<T>> =
			LiveByRoot::<T>::iter_key_prefix(root_id).filter_map(Certificates::<T>::get).collect();
		for cert in &certs {
			match &cert.status {
				Status::Frozen { .. } => return Err(Error::<T>::Frozen.into()),
				Status::Live(Standing::PendingAcceptance { .. }) => {
					return Err(Error::<T>::HasPending.into())
				},
				_ => {},
			}
		}
		certs.sort_unstable_by_key(|c| c.id);

		let paid = certs.len() as u32;
		let mut settled = Vec::with_capacity(certs.len());
		for mut cert in certs {
			// Checked above: every certificate is live and not frozen.
			let Status::Live(standing) = cert.status.clone() else { continue };
			let pledgee = standing.pledgee();
			Self::retire(&mut root, &mut cert, Status::Settled);
			Self::deposit_event(Event::<T>::CertificateSettled {
				id: cert.id,
				root: root_id,
				holder: cert.holder.clone(),
				amount: cert.amount,
				pledgee,
			});
			settled.push((cert.id, cert.holder.clone(), cert.amount, standing));
			Certificates::<T>::insert(cert.id, cert);
		}
		root.state = RootState::Settled { payment_ref: payment_ref.clone(), at: now };
		Self::deposit_event(Event::<T>::RootSettled {
			root: root_id,
			issuer: who,
			face: root.face,
			certificates: paid,
			payment_ref,
		});
		Self::release_credit(root_id, &root);
		Roots::<T>::insert(root_id, root);
		Self::queue_for_pruning(root_id, now);
		// The ledger is written; now tell financing.
		for (id, holder, amount, standing) in settled {
			T::OnSettled::on_settled(id, &holder, amount, &standing);
		}
		Ok(paid)
	}
}
