//! `on_idle`: the sweep goes on with the block's leftover weight, so the
//! timers keep up with more than `MaxSweepPerBlock` entries a block.

use super::*;
use crate::{TimerQueue, WeightInfo};
use frame_support::{traits::Hooks, weights::Weight};

/// `n` roots offered to S1 now, all lapsing in the same bucket.
fn offers(n: usize) -> Vec<CertificateId> {
	(0..n).map(|_| issue_to(S1, 100)).collect()
}

fn pending(ids: &[CertificateId]) -> usize {
	ids.iter()
		.filter(|id| matches!(status(**id), Status::Live(Standing::PendingAcceptance { .. })))
		.count()
}

/// Runs the next block: `on_initialize`, then `on_idle` with `idle`.
fn block_with_idle(idle: Weight) -> Weight {
	next_block();
	Receivables::on_idle(System::block_number(), idle)
}

/// Plenty of leftover weight.
fn ample() -> Weight {
	Weight::from_parts(u64::MAX / 2, u64::MAX / 2)
}

#[test]
fn leftover_weight_drains_a_backlog_larger_than_a_block_sweeps() {
	run_test(|| {
		let n = 3 * SWEEP as usize + 1;
		let ids = offers(n);
		// Past the bucket in which all of them lapse.
		set_now(now() + ACCEPT_TIMEOUT + GRANULARITY);
		// `on_initialize` alone handles SWEEP entries a block...
		next_block();
		assert!(pending(&ids) > 0, "the backlog is larger than one block's sweep");
		assert!(pending(&ids) >= n - SWEEP as usize);
		// ...`on_idle` takes the rest in the same kind of block.
		let used = Receivables::on_idle(System::block_number(), ample());
		assert_eq!(pending(&ids), 0);
		assert!(used.ref_time() > 0);
		assert!(ids.iter().all(|id| status(*id) == Status::Returned));
		assert_eq!(
			TimerQueue::<Test>::iter().filter(|((t, _), _, _)| *t == Timer::Acceptance).count(),
			0
		);
	});
}

#[test]
fn the_sweep_keeps_up_with_more_offers_a_block_than_on_initialize_sweeps() {
	run_test(|| {
		// Every block (an hour apart: one bucket each) offers 2 × SWEEP
		// roots. Once the first lapse, each block must lapse as many as it
		// offers, twice what `on_initialize` alone may.
		let per_block = 2 * SWEEP as usize;
		// Two days of hourly offers are pending at once.
		MaxOffers::set(10_000);
		let mut all = Vec::new();
		for _ in 0..10 {
			all.extend(offers(per_block));
			set_now(now() + GRANULARITY);
			block_with_idle(ample());
		}
		// Lapses are due from ACCEPT_TIMEOUT onwards: run the blocks that
		// reach them, still offering.
		let blocks_to_deadline = (ACCEPT_TIMEOUT / GRANULARITY) as usize;
		for _ in 0..blocks_to_deadline + 10 {
			all.extend(offers(per_block));
			set_now(now() + GRANULARITY);
			block_with_idle(ample());
		}
		// The last blocks' offers are not due yet; all older ones went back.
		let young = per_block * (ACCEPT_TIMEOUT / GRANULARITY) as usize;
		let (old, recent) = all.split_at(all.len() - young);
		assert_eq!(pending(old), 0);
		assert_eq!(pending(recent), recent.len());
		// Nothing is left behind in the queue before the current bucket.
		assert!(sweeps_caught_up());
	});
}

#[test]
fn without_leftover_weight_on_idle_does_nothing() {
	run_test(|| {
		let ids = offers(3 * SWEEP as usize);
		set_now(now() + ACCEPT_TIMEOUT + GRANULARITY);
		next_block();
		let left = pending(&ids);
		assert!(left > 0);
		// Not even the fixed cost of a sweep is left.
		let fixed = Receivables::sweep_weight(&SweepReport::default());
		let none = fixed.saturating_sub(Weight::from_parts(1, 0));
		assert_eq!(Receivables::on_idle(System::block_number(), none), Weight::zero());
		assert_eq!(pending(&ids), left);
	});
}

#[test]
fn on_idle_stays_within_the_weight_it_is_given() {
	run_test(|| {
		let ids = offers(3 * SWEEP as usize);
		set_now(now() + ACCEPT_TIMEOUT + GRANULARITY);
		// `on_initialize` steps over the empty buckets until it reaches the
		// offers' bucket and starts on it.
		while pending(&ids) == ids.len() {
			next_block();
		}
		let left = pending(&ids);
		assert!(left > 2);
		// Room for the fixed cost and exactly two lapses.
		let fixed = Receivables::sweep_weight(&SweepReport::default());
		let lapse = <() as WeightInfo>::sweep_expired(1)
			.saturating_sub(<() as WeightInfo>::sweep_expired(0));
		let given = fixed.saturating_add(lapse.saturating_mul(2));
		let used = Receivables::on_idle(System::block_number(), given);
		assert!(used.all_lte(given), "{used:?} > {given:?}");
		assert!(pending(&ids) < left, "it did some of the work");
		assert!(pending(&ids) >= left - 2, "no more than it was given for");
	});
}
