//! Accept (签收), reject (拒收), revoke (撤销), and the return of an offer that
//! was not accepted.
//!
//! What happens to an offer that ends without acceptance (rejected, or lapsed
//! after `AcceptanceTimeout`):
//! - a **root** goes back to its issuer, which extinguishes it: the
//!   certificate becomes `Returned`, the root `Cancelled`, the credit line is
//!   released;
//! - a **child** of a split goes back to its sender as a live certificate of
//!   the sender: same id, holder = sender, tier = the sender's tier (its
//!   parent's), standing `Active` (and overdue by the next sweep if the due
//!   date has passed by then). The parent stays closed; value is conserved.

use crate::{pallet::*, types::*};
use frame_support::{ensure, pallet_prelude::*};

/// An offered certificate, its root's record, and who offered it.
type Offer<T> = (CertificateOf<T>, RootInfoOf<T>, <T as frame_system::Config>::AccountId);

impl<T: Config> Pallet<T> {
	/// A pending certificate offered to `who`: returns it, its root record
	/// and its sender.
	fn load_offer(who: &T::AccountId, id: CertificateId) -> Result<Offer<T>, DispatchError> {
		Self::ensure_participant(who)?;
		let (cert, root, standing) = Self::load_unfrozen(id)?;
		let Standing::PendingAcceptance { sender, .. } = standing else {
			return Err(Error::<T>::NotPending.into());
		};
		ensure!(&cert.holder == who, Error::<T>::NotHolder);
		Ok((cert, root, sender))
	}

	/// Whether `sender` may make `n` more offers (`TooManyOffers` if not).
	/// A call that makes no offer is never refused (even if a runtime
	/// upgrade lowered the quota below what `sender` has pending).
	pub(crate) fn ensure_offer_room(sender: &T::AccountId, n: u32) -> DispatchResult {
		if n == 0 {
			return Ok(());
		}
		let after = OutgoingOffers::<T>::get(sender).saturating_add(n);
		ensure!(after <= T::MaxOutgoingOffers::get(), Error::<T>::TooManyOffers);
		Ok(())
	}

	/// Counts `n` new offers of `sender` (checked by [`Self::ensure_offer_room`]).
	pub(crate) fn note_offers(sender: &T::AccountId, n: u32) {
		if n > 0 {
			OutgoingOffers::<T>::mutate(sender, |c| *c = c.saturating_add(n));
		}
	}

	/// One offer of `sender` ended: accepted, rejected, lapsed or revoked.
	pub(crate) fn offer_ended(sender: &T::AccountId) {
		OutgoingOffers::<T>::mutate_exists(sender, |c| {
			*c = c.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0);
		});
	}

	/// `who` accepts the certificate `id` offered to it, before its deadline
	/// (whether or not the timer sweep has reached the deadline yet: the
	/// sweep runs per granule and may lag).
	pub(crate) fn do_accept(who: T::AccountId, id: CertificateId) -> DispatchResult {
		let (mut cert, _root, sender) = Self::load_offer(&who, id)?;
		if let Status::Live(Standing::PendingAcceptance { deadline, .. }) = cert.status {
			ensure!(Self::now() < deadline, Error::<T>::Lapsed);
			Self::unschedule(Timer::Acceptance, deadline, id);
		}
		cert.status = Status::Live(Standing::Active);
		// Accepted, the slot is the receiver's (never refused: the sender
		// paid for it when offering).
		Self::count_slot(cert.root, &sender, false);
		Self::count_slot(cert.root, &who, true);
		Self::offer_ended(&sender);
		Self::schedule_maturity(&cert);
		let root = cert.root;
		Certificates::<T>::insert(id, cert);
		Self::deposit_event(Event::<T>::Accepted { id, root, holder: who });
		Ok(())
	}

	/// `who` rejects the certificate `id` offered to it.
	pub(crate) fn do_reject(who: T::AccountId, id: CertificateId) -> DispatchResult {
		let (cert, root, sender) = Self::load_offer(&who, id)?;
		Self::return_to_sender(cert, root, sender, ReturnReason::Rejected);
		Ok(())
	}

	/// The issuer `who` revokes the root certificate `id` before acceptance.
	pub(crate) fn do_revoke(who: T::AccountId, id: CertificateId) -> DispatchResult {
		Self::ensure_participant(&who)?;
		let (mut cert, mut root, standing) = Self::load_unfrozen(id)?;
		ensure!(cert.issuer == who, Error::<T>::NotIssuer);
		ensure!(cert.parent.is_none(), Error::<T>::NotRoot);
		ensure!(matches!(standing, Standing::PendingAcceptance { .. }), Error::<T>::NotPending);
		let receiver = cert.holder.clone();
		// A root's offer is its issuer's.
		Self::offer_ended(&who);
		Self::retire(&mut root, &mut cert, Status::Revoked);
		cert.holder = who.clone();
		Self::deposit_event(Event::<T>::Revoked { id, issuer: who, receiver });
		Self::cancel_root(cert, root);
		Ok(())
	}

	/// Ends an offer without acceptance (see the module docs). Infallible:
	/// the caller has checked that `cert` is pending, unfrozen, from `sender`.
	pub(crate) fn return_to_sender(
		mut cert: CertificateOf<T>,
		mut root: RootInfoOf<T>,
		sender: T::AccountId,
		reason: ReturnReason,
	) {
		let receiver = cert.holder.clone();
		let id = cert.id;
		Self::offer_ended(&sender);
		match cert.parent {
			None => {
				Self::retire(&mut root, &mut cert, Status::Returned);
				cert.holder = sender.clone();
				Self::deposit_event(Event::<T>::ReturnedToSender {
					id,
					root: cert.root,
					receiver,
					sender,
					tier: cert.tier,
					reason,
				});
				Self::cancel_root(cert, root);
			},
			Some(parent) => {
				// Gone already when the sweep lapsed it; not when rejected.
				if let Status::Live(standing) = &cert.status {
					Self::unschedule_for(&cert, standing);
				}
				let tier = Certificates::<T>::get(parent)
					.map(|p| p.tier)
					.unwrap_or_else(|| cert.tier.saturating_sub(1).max(1));
				Self::change_holder(&mut cert, sender.clone());
				cert.tier = tier;
				cert.status = Status::Live(Standing::Active);
				Self::schedule_maturity(&cert);
				let root_id = cert.root;
				Certificates::<T>::insert(id, cert);
				Self::deposit_event(Event::<T>::ReturnedToSender {
					id,
					root: root_id,
					receiver,
					sender,
					tier,
					reason,
				});
			},
		}
	}

	/// Cancels a root whose certificate was just revoked or returned: stores
	/// both and releases the credit.
	fn cancel_root(cert: CertificateOf<T>, mut root: RootInfoOf<T>) {
		let root_id = cert.root;
		root.state = RootState::Cancelled;
		Certificates::<T>::insert(cert.id, cert);
		Self::deposit_event(Event::<T>::RootCancelled {
			root: root_id,
			issuer: root.issuer.clone(),
			face: root.face,
		});
		Self::release_credit(root_id, &root);
		Roots::<T>::insert(root_id, root);
		Self::queue_for_pruning(root_id, Self::now());
	}
}
