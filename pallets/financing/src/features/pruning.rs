//! Pruning (清理): a closed request (cancelled, declined, lapsed, settled or
//! repaid) is deleted from storage `PruneAfter` after it closed.
//!
//! A closed request holds nothing: no certificate (`OpenRequest`), no open
//! deal, no recourse claim (`Repaid` ends the claim). The indexer keeps its
//! history; the chain keeps it for `PruneAfter` (90 days in the runtime).
//! Requests queue in the order they close ([`PruneQueue`]), which time makes
//! the order they become due, so the pruner looks only at the head:
//! `on_idle` deletes what the block's leftover weight pays for, one request
//! per step, each with `RequestPruned`. Open requests are never pruned.

use crate::{pallet::*, types::*, weights::WeightInfo};
use frame_support::{traits::Get, weights::Weight};

impl<T: Config> Pallet<T> {
	/// Queues request `id`, which has just closed at `now`, for pruning at
	/// `now + PruneAfter`.
	pub(crate) fn queue_for_pruning(id: RequestId, now: Moment) {
		let (head, tail) = PruneQueueRange::<T>::get();
		PruneQueue::<T>::insert(tail, (id, now.saturating_add(T::PruneAfter::get())));
		PruneQueueRange::<T>::put((head, tail.saturating_add(1)));
	}

	/// Deletes the closed requests due at `now`, at most `budget`, oldest
	/// first. Returns how many went.
	pub fn prune(now: Moment, budget: u32) -> u32 {
		let (mut head, tail) = PruneQueueRange::<T>::get();
		let start = head;
		let mut pruned = 0;
		while pruned < budget && head < tail {
			match PruneQueue::<T>::get(head) {
				Some((_, at)) if at > now => break,
				Some((request, _)) => {
					Requests::<T>::remove(request);
					PruneQueue::<T>::remove(head);
					Self::deposit_event(Event::<T>::RequestPruned { request });
				},
				// Not written by this pallet; skip the hole.
				None => {},
			}
			head += 1;
			pruned += 1;
		}
		if head != start {
			PruneQueueRange::<T>::put((head, tail));
		}
		pruned
	}

	/// The weight of pruning `n` requests (and looking at the queue).
	pub fn prune_weight(n: u32) -> Weight {
		T::WeightInfo::prune_requests(n)
	}

	/// Prunes with what is left of the block's weight (`on_idle`): as many
	/// requests as `remaining` pays for. Returns the weight used (nothing
	/// if `remaining` does not cover the fixed cost and one request).
	pub(crate) fn on_idle_prune(remaining: Weight) -> Weight {
		let fixed = Self::prune_weight(0);
		let step = Self::prune_weight(1).saturating_sub(fixed).max(Weight::from_parts(1, 1));
		let Some(spare) = remaining.checked_sub(&fixed) else { return Weight::zero() };
		let by_time = spare.ref_time().checked_div(step.ref_time()).unwrap_or(u64::MAX);
		let by_proof = spare.proof_size().checked_div(step.proof_size()).unwrap_or(u64::MAX);
		let steps = by_time.min(by_proof).min(u64::from(u32::MAX)) as u32;
		if steps == 0 {
			return Weight::zero();
		}
		Self::prune_weight(Self::prune(Self::now(), steps))
	}
}
