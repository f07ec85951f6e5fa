//! The per-block sweep of the timer queues (`on_initialize`).
//!
//! Each queue (acceptance deadlines, maturities) is a map from
//! `(timer, bucket)` to certificate ids, with a cursor at the first bucket
//! not yet fully swept. A block steps through buckets whose end has passed,
//! handling at most `MaxSweepPerBlock` entries or empty buckets per queue in
//! `on_initialize`; whatever does not fit stays for later. Nothing ever
//! scans the certificates. A page of [`TIMER_PAGE`] buckets that
//! [`TimerPages`] counts empty is passed in one step (up to the bucket of
//! the current time), so a cursor days behind catches up in a few blocks.
//!
//! `on_initialize` alone cannot keep up with a full block: the hundreds of
//! one-part split-transfers a block holds create as many offers (and as
//! many maturity entries) in one block, all due in the same bucket a week later, against 64 steps per
//! queue per block. So `on_idle` goes on sweeping with the block's leftover
//! weight (at least the quarter of a block that normal transactions cannot
//! use): as many steps as the weight of the costliest step (a lapse, an
//! overdue marking, an empty bucket) fits, both queues sharing them.

use crate::{pallet::*, types::*, weights::WeightInfo, TIMER_PAGE};
use alloc::vec::Vec;
use frame_support::{traits::Get, weights::Weight};

impl<T: Config> Pallet<T> {
	/// Runs the sweep at the current time and returns the weight it used.
	pub(crate) fn on_initialize_sweep() -> Weight {
		let report = Self::sweep(Self::now());
		Self::sweep_weight(&report)
	}

	/// The weight of a sweep that did what `report` says.
	pub fn sweep_weight(report: &SweepReport) -> Weight {
		T::WeightInfo::sweep_idle()
			.saturating_add(T::WeightInfo::sweep_expired(report.expired))
			.saturating_add(T::WeightInfo::sweep_overdue(
				report.overdue.saturating_add(report.stale),
			))
			.saturating_add(T::WeightInfo::sweep_buckets(report.buckets))
	}

	/// Sweeps with what is left of the block's weight (`on_idle`): as many
	/// steps as `remaining` pays for at the costliest step, both queues
	/// sharing them. Returns the weight used (nothing if `remaining` does
	/// not cover the fixed cost and one step).
	pub(crate) fn on_idle_sweep(remaining: Weight) -> Weight {
		// What a sweep costs before its first step.
		let fixed = Self::sweep_weight(&SweepReport::default());
		let step = Self::sweep_step_weight();
		let Some(spare) = remaining.checked_sub(&fixed) else { return Weight::zero() };
		let by_time = spare.ref_time().checked_div(step.ref_time()).unwrap_or(u64::MAX);
		let by_proof = spare.proof_size().checked_div(step.proof_size()).unwrap_or(u64::MAX);
		let steps = by_time.min(by_proof).min(u64::from(u32::MAX)) as u32;
		if steps == 0 {
			return Weight::zero();
		}
		let now = Self::now();
		let mut report = SweepReport::default();
		let used = Self::sweep_queue(Timer::Acceptance, now, steps, &mut report);
		Self::sweep_queue(Timer::Maturity, now, steps - used, &mut report);
		Self::sweep_weight(&report)
	}

	/// The weight of pruning what `report` says: a fixed cost (the queue's
	/// range and head), each tree finished and each certificate deleted.
	pub fn prune_weight(report: &PruneReport) -> Weight {
		let per_tree = T::WeightInfo::prune_tree(0);
		let per_certificate = T::WeightInfo::prune_tree(1).saturating_sub(per_tree);
		T::WeightInfo::prune_idle()
			.saturating_add(per_tree.saturating_mul(report.roots.into()))
			.saturating_add(per_certificate.saturating_mul(report.certificates.into()))
	}

	/// Prunes closed trees with what is left of the block's weight after
	/// the sweep (`on_idle`): as many steps as `remaining` pays for at the
	/// costlier step (a certificate deleted, a tree finished). Returns the
	/// weight used (nothing if `remaining` does not cover the fixed cost
	/// and one step).
	pub(crate) fn on_idle_prune(remaining: Weight) -> Weight {
		let fixed = Self::prune_weight(&PruneReport::default());
		let step = Self::prune_weight(&PruneReport { certificates: 1, roots: 0 })
			.max(Self::prune_weight(&PruneReport { certificates: 0, roots: 1 }))
			.saturating_sub(fixed)
			.max(Weight::from_parts(1, 1));
		let Some(spare) = remaining.checked_sub(&fixed) else { return Weight::zero() };
		let by_time = spare.ref_time().checked_div(step.ref_time()).unwrap_or(u64::MAX);
		let by_proof = spare.proof_size().checked_div(step.proof_size()).unwrap_or(u64::MAX);
		let steps = by_time.min(by_proof).min(u64::from(u32::MAX)) as u32;
		if steps == 0 {
			return Weight::zero();
		}
		let report = Self::prune(Self::now(), steps);
		Self::prune_weight(&report)
	}

	/// The most one sweep step can cost: a lapse, an overdue marking (or a
	/// stale entry) or an empty bucket, component by component.
	pub fn sweep_step_weight() -> Weight {
		let marginal = |w0: Weight, w1: Weight| w1.saturating_sub(w0);
		marginal(T::WeightInfo::sweep_expired(0), T::WeightInfo::sweep_expired(1))
			.max(marginal(T::WeightInfo::sweep_overdue(0), T::WeightInfo::sweep_overdue(1)))
			.max(marginal(T::WeightInfo::sweep_buckets(0), T::WeightInfo::sweep_buckets(1)))
			.max(Weight::from_parts(1, 1))
	}

	/// Sweeps both queues at time `now`, at most `MaxSweepPerBlock` steps
	/// each.
	pub fn sweep(now: Moment) -> SweepReport {
		let mut report = SweepReport::default();
		let budget = T::MaxSweepPerBlock::get();
		Self::sweep_queue(Timer::Acceptance, now, budget, &mut report);
		Self::sweep_queue(Timer::Maturity, now, budget, &mut report);
		report
	}

	/// Sweeps one queue at time `now`, at most `budget` steps; returns the
	/// steps taken.
	fn sweep_queue(timer: Timer, now: Moment, budget: u32, report: &mut SweepReport) -> u32 {
		let Some(mut cursor) = TimerCursor::<T>::get(timer) else { return 0 };
		let g = T::TimerGranularity::get().max(1);
		let allowed = budget;
		let mut budget = budget;
		let start = cursor;
		while budget > 0 && cursor.saturating_mul(g) <= now {
			if TimerPages::<T>::get((timer, cursor / TIMER_PAGE)) == 0 {
				// An empty page: on to the next one in one step, but never
				// past the bucket of `now` (later entries may still come in
				// there).
				report.buckets += 1;
				budget -= 1;
				cursor = (cursor / TIMER_PAGE + 1).saturating_mul(TIMER_PAGE).min(now / g + 1);
				continue;
			}
			let ids: Vec<CertificateId> =
				TimerQueue::<T>::iter_key_prefix((timer, cursor)).take(budget as usize).collect();
			if ids.is_empty() {
				report.buckets += 1;
				budget -= 1;
				cursor += 1;
				continue;
			}
			budget -= ids.len() as u32;
			for id in ids {
				TimerQueue::<T>::remove((timer, cursor), id);
				Self::count_in_page(timer, cursor, false);
				let acted = match timer {
					Timer::Acceptance => Self::expire_offer(id, now),
					Timer::Maturity => Self::mark_overdue(id, now),
				};
				match (acted, timer) {
					(true, Timer::Acceptance) => report.expired += 1,
					(true, Timer::Maturity) => report.overdue += 1,
					(false, _) => report.stale += 1,
				}
			}
		}
		if cursor != start {
			TimerCursor::<T>::insert(timer, cursor);
		}
		allowed - budget
	}
}
