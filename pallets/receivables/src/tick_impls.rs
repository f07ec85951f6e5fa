//! The per-block sweep of the timer queues (`on_initialize`).
//!
//! Each queue (acceptance deadlines, maturities) is a map from
//! `(timer, bucket)` to certificate ids, with a cursor at the first bucket
//! not yet fully swept. A block steps through buckets whose end has passed,
//! handling at most `MaxSweepPerBlock` entries or empty buckets per queue;
//! whatever does not fit stays for the next block. Nothing ever scans the
//! certificates.

use crate::{pallet::*, types::*, weights::WeightInfo};
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

	/// Sweeps both queues at time `now`.
	pub fn sweep(now: Moment) -> SweepReport {
		let mut report = SweepReport::default();
		Self::sweep_queue(Timer::Acceptance, now, &mut report);
		Self::sweep_queue(Timer::Maturity, now, &mut report);
		report
	}

	/// Sweeps one queue at time `now`, at most `MaxSweepPerBlock` steps.
	fn sweep_queue(timer: Timer, now: Moment, report: &mut SweepReport) {
		let Some(mut cursor) = TimerCursor::<T>::get(timer) else { return };
		let g = T::TimerGranularity::get().max(1);
		let mut budget = T::MaxSweepPerBlock::get();
		let start = cursor;
		while budget > 0 && cursor.saturating_mul(g) <= now {
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
	}
}
