//! Split-transfer (拆分流转): the holder closes a certificate into children.
//!
//! The children of a receiver are one tier deeper and pending the receiver's
//! acceptance; the holder's own parts (the remainder of a split-transfer, or
//! both parts of a [`crate::ReceivableLedger::split_off`]) stay at the
//! holder's tier and are active at once. All children carry the parent's
//! root, issuer and due date; their amounts sum to the parent's.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::*};
use scf_primitives::traits::ParticipantRegistry;

impl<T: Config> Pallet<T> {
	/// `who` sends `parts` of certificate `id` to their receivers and keeps
	/// the remainder. Returns the children's ids (receivers' first, in the
	/// order given, then the remainder's).
	pub(crate) fn do_split_transfer(
		who: T::AccountId,
		id: CertificateId,
		parts: &[(T::AccountId, Amount)],
		documents: DocumentsOf<T>,
	) -> Result<Vec<CertificateId>, DispatchError> {
		Self::ensure_participant(&who)?;
		ensure!(!parts.is_empty(), Error::<T>::NoParts);
		ensure!(parts.len() <= T::MaxChildren::get() as usize, Error::<T>::TooManyChildren);
		let (cert, root) = Self::load_usable(&who, id)?;
		ensure!(cert.tier < T::MaxTier::get(), Error::<T>::TierTooDeep);

		let min = T::MinAmount::get();
		let mut total: Amount = 0;
		for (i, (receiver, amount)) in parts.iter().enumerate() {
			ensure!(receiver != &who, Error::<T>::SelfTransfer);
			ensure!(*amount > 0 && *amount >= min, Error::<T>::BelowMinimum);
			ensure!(
				parts[..i].iter().all(|(earlier, _)| earlier != receiver),
				Error::<T>::DuplicateReceiver
			);
			ensure!(T::Participants::is_active(receiver), Error::<T>::ReceiverNotParticipant);
			total = total.checked_add(*amount).ok_or(Error::<T>::ExceedsAmount)?;
		}
		ensure!(total <= cert.amount, Error::<T>::ExceedsAmount);
		let remainder = cert.amount - total;
		ensure!(remainder == 0 || remainder >= min, Error::<T>::BelowMinimum);
		let retained: Vec<Amount> = if remainder > 0 { alloc::vec![remainder] } else { Vec::new() };
		Self::split_inner(who, cert, root, parts, &retained, Some(documents))
	}

	/// Closes `cert` into children: one per `outgoing` (receiver, amount),
	/// pending at tier + 1, then one per `retained` amount, active with the
	/// holder at the same tier. The caller has checked usability, amounts,
	/// receivers and tier; this checks the per-root bound, the holder's
	/// quota of pending offers and the id space, then writes.
	pub(crate) fn split_inner(
		holder: T::AccountId,
		mut cert: CertificateOf<T>,
		mut root: RootInfoOf<T>,
		outgoing: &[(T::AccountId, Amount)],
		retained: &[Amount],
		documents: Option<DocumentsOf<T>>,
	) -> Result<Vec<CertificateId>, DispatchError> {
		let n = (outgoing.len() + retained.len()) as u32;
		let live_after = root.live.saturating_sub(1).saturating_add(n);
		ensure!(live_after <= T::MaxLivePerRoot::get(), Error::<T>::TooManyLive);
		// Every child takes a slot of the holder's (offers until accepted);
		// the parent gives one back. A split that does not grow the share
		// is never refused, even above the bound.
		let held = LivePerHolder::<T>::get(cert.root, &holder);
		let held_after = held.saturating_sub(1).saturating_add(n);
		ensure!(held_after <= held.max(T::MaxLivePerHolder::get()), Error::<T>::TooManyHeld);
		let offers = outgoing.len() as u32;
		Self::ensure_offer_room(&holder, offers)?;
		let (first, next) = Self::next_ids(n as u64)?;

		// Checked; now write.
		NextCertificateId::<T>::put(next);
		Self::note_offers(&holder, offers);
		let parent = cert.id;
		let now = Self::now();
		let deadline = now.saturating_add(T::AcceptanceTimeout::get());
		Self::retire(&mut root, &mut cert, Status::ClosedBySplit);
		Self::deposit_event(Event::<T>::Split {
			parent,
			root: cert.root,
			holder: holder.clone(),
			children: n,
		});

		let mut ids = Vec::with_capacity(n as usize);
		let children = outgoing
			.iter()
			.map(|(r, a)| (r.clone(), *a, true))
			.chain(retained.iter().map(|a| (holder.clone(), *a, false)));
		for (id, (child_holder, amount, offered)) in (first..).zip(children) {
			let (tier, status, docs, acceptance_deadline) = if offered {
				(
					cert.tier + 1,
					Standing::PendingAcceptance { sender: holder.clone(), deadline },
					documents.clone().unwrap_or_else(|| cert.documents.clone()),
					Some(deadline),
				)
			} else {
				(cert.tier, Standing::Active, cert.documents.clone(), None)
			};
			let child = Certificate {
				id,
				root: cert.root,
				parent: Some(parent),
				issuer: cert.issuer.clone(),
				holder: child_holder.clone(),
				amount,
				due: cert.due,
				tier,
				status: Status::Live(status),
				documents: docs.clone(),
			};
			match acceptance_deadline {
				Some(d) => Self::schedule(Timer::Acceptance, d, id),
				None => Self::schedule_maturity(&child),
			}
			Self::insert_live(&mut root, child);
			Self::deposit_event(Event::<T>::ChildCreated {
				id,
				parent,
				root: cert.root,
				sender: holder.clone(),
				holder: child_holder,
				amount,
				tier,
				acceptance_deadline,
				documents: docs,
			});
			ids.push(id);
		}
		Roots::<T>::insert(cert.root, root);
		Certificates::<T>::insert(parent, cert);
		Ok(ids)
	}
}
