//! Pruning (清理): a tree whose root is settled or cancelled is deleted from
//! storage `PruneAfter` after it closed.
//!
//! A closed tree has nothing live: no holdings, no timer entries, no credit
//! reserved, no financing request open on it (settlement closes them, and a
//! cancelled root was never accepted, so never financed). Its certificates
//! are kept only as lineage, which the indexer keeps for good; the chain
//! keeps them for `PruneAfter` (90 days in the runtime), long enough for a
//! dispute about a settlement to be raised while the chain still has it.
//!
//! Roots are queued in the order they close ([`PruneQueue`]); time never
//! goes back, so the queue is also in the order they become prunable, and
//! the pruner only ever looks at its head. `on_idle` prunes with what the
//! block leaves over after the timer sweep, one certificate per step, and
//! the head tree may take several blocks: its certificates go first (in
//! key order, so lineage within it is incomplete meanwhile), its root
//! record and queue entry last, with `RootPruned`. Nothing a live
//! certificate needs is ever deleted: a tree is pruned whole, and only a
//! closed one.

use crate::{pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::traits::Get;

impl<T: Config> Pallet<T> {
	/// Queues `root`, which has just closed at `now`, for pruning at
	/// `now + PruneAfter`.
	pub(crate) fn queue_for_pruning(root: CertificateId, now: Moment) {
		let (head, tail) = PruneQueueRange::<T>::get();
		PruneQueue::<T>::insert(tail, (root, now.saturating_add(T::PruneAfter::get())));
		PruneQueueRange::<T>::put((head, tail.saturating_add(1)));
	}

	/// The tree being pruned, if pruning has begun on it: the queue's head
	/// once its time has come. Its lineage may be incomplete.
	pub(crate) fn tree_being_pruned(now: Moment) -> Option<CertificateId> {
		let (head, tail) = PruneQueueRange::<T>::get();
		(head < tail)
			.then(|| PruneQueue::<T>::get(head))
			.flatten()
			.filter(|(_, at)| *at <= now)
			.map(|(root, _)| root)
	}

	/// Prunes what is due at `now`, at most `budget` steps (a certificate
	/// deleted, or a tree finished: its root record and queue entry
	/// deleted). Returns what it did.
	pub fn prune(now: Moment, budget: u32) -> PruneReport {
		let mut report = PruneReport::default();
		let (mut head, tail) = PruneQueueRange::<T>::get();
		let start = head;
		let mut budget = budget;
		while budget > 0 && head < tail {
			let Some((root, at)) = PruneQueue::<T>::get(head) else {
				// Not written by this pallet; skip the hole.
				head += 1;
				budget -= 1;
				continue;
			};
			if at > now {
				break;
			}
			let ids: Vec<CertificateId> =
				RootMembers::<T>::iter_key_prefix(root).take(budget as usize).collect();
			for id in &ids {
				RootMembers::<T>::remove(root, id);
				Certificates::<T>::remove(id);
			}
			budget -= ids.len() as u32;
			report.certificates += ids.len() as u32;
			if budget == 0 {
				// The tree may have more; the next block goes on.
				break;
			}
			// Fewer members than asked for: the tree is gone.
			Roots::<T>::remove(root);
			PruneQueue::<T>::remove(head);
			head += 1;
			budget -= 1;
			report.roots += 1;
			Self::deposit_event(Event::<T>::RootPruned { root });
		}
		if head != start {
			PruneQueueRange::<T>::put((head, tail));
		}
		report
	}
}
