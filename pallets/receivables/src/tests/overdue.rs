use super::*;
use crate::{TimerCursor, TimerQueue};

const N: u64 = SWEEP as u64 + 2;

#[test]
fn certificates_become_overdue_after_due_date_and_grace() {
	run_test(|| {
		let root = active_root(S1, 1_000);
		let due = cert(root).due;
		advance_to(due + GRACE - GRANULARITY, GRANULARITY * 60);
		assert_eq!(status(root), Status::Live(Standing::Active));
		advance_to(due + GRACE + GRANULARITY, GRANULARITY);
		assert_eq!(status(root), Status::Live(Standing::Overdue { encumbrance: None }));
		assert!(events().contains(&Event::BecameOverdue {
			id: root,
			root,
			holder: S1,
			amount: 1_000,
			encumbrance: None
		}));
	});
}

#[test]
fn overdue_keeps_the_financiers_claim() {
	run_test(|| {
		let a = active_root(S1, 100);
		let b = active_root(S2, 100);
		factor(S1, a, FIN);
		pledge(S2, b, FIN);
		advance_to(cert(a).due + GRACE + GRANULARITY, GRANULARITY * 120);
		assert_eq!(
			status(a),
			Status::Live(Standing::Overdue {
				encumbrance: Some(Encumbrance::Factored { seller: S1 })
			})
		);
		assert_eq!(
			status(b),
			Status::Live(Standing::Overdue {
				encumbrance: Some(Encumbrance::Pledged { pledgee: FIN })
			})
		);
	});
}

#[test]
fn the_sweep_is_bounded_and_carries_over() {
	run_test(|| {
		// More certificates due at the same moment than one block sweeps.
		let due = due_in(10);
		for _ in 0..N {
			assert_ok!(Receivables::issue(RuntimeOrigin::signed(CORE), S1, 100, due, docs(1)));
		}
		for id in 1..=N {
			assert_ok!(Receivables::accept(RuntimeOrigin::signed(S1), id));
		}
		// Jump straight to the end of the overdue moment's bucket, then sweep
		// block by block.
		let at = (due + GRACE).div_ceil(GRANULARITY) * GRANULARITY;
		set_now(at);
		let start_cursor = TimerCursor::<Test>::get(Timer::Maturity).unwrap();
		let expected_buckets = at / GRANULARITY - start_cursor;
		// Step over the empty buckets first, SWEEP per block.
		let mut blocks = 0;
		let mut overdue = 0;
		let mut stepped = 0;
		while overdue < N as u32 {
			let r = Receivables::sweep(now());
			// Each of the two queues takes at most SWEEP steps.
			assert!(r.expired + r.overdue + r.stale + r.buckets <= 2 * SWEEP);
			assert!(Receivables::sweep_weight(&r).ref_time() > 0);
			overdue += r.overdue;
			stepped += r.buckets;
			blocks += 1;
			assert!(blocks < 10_000);
		}
		assert!(stepped as u64 >= expected_buckets);
		// The bucket with N entries took two blocks.
		for id in 1..=N {
			assert!(matches!(status(id), Status::Live(Standing::Overdue { .. })));
		}
		assert_eq!(
			TimerQueue::<Test>::iter().filter(|((t, _), _, _)| *t == Timer::Maturity).count(),
			0
		);
	});
}

#[test]
fn a_full_bucket_is_finished_in_the_next_block() {
	run_test(|| {
		let due = due_in(10);
		for _ in 0..N {
			assert_ok!(Receivables::issue(RuntimeOrigin::signed(CORE), S1, 100, due, docs(1)));
		}
		for id in 1..=N {
			assert_ok!(Receivables::accept(RuntimeOrigin::signed(S1), id));
		}
		// Walk time up to just before the overdue moment, sweeping as we go.
		// The end of the bucket holding `due + GRACE`.
		let at = (due + GRACE).div_ceil(GRANULARITY) * GRANULARITY;
		advance_to(at - 1, GRANULARITY);
		let count = || {
			(1..=N)
				.filter(|id| matches!(status(*id), Status::Live(Standing::Overdue { .. })))
				.count()
		};
		assert_eq!(count(), 0);
		// One block at the overdue moment handles SWEEP of them...
		set_now(at);
		next_block();
		assert_eq!(count(), SWEEP as usize);
		// ...and the next block the rest.
		next_block();
		assert_eq!(count(), N as usize);
	});
}

#[test]
fn settled_and_split_certificates_leave_stale_entries_that_are_dropped() {
	run_test(|| {
		let root = active_root(S1, 1_000);
		assert_ok!(Receivables::split_transfer(
			RuntimeOrigin::signed(S1),
			root,
			parts(&[(S2, 500)]),
			docs(2)
		));
		let due = cert(root).due;
		set_now(due);
		assert_ok!(Receivables::reject(RuntimeOrigin::signed(S2), root + 1));
		assert_ok!(Receivables::settle(
			RuntimeOrigin::signed(CORE),
			root,
			BoundedVec::truncate_from(b"P".to_vec())
		));
		advance_to(due + GRACE + 10 * GRANULARITY, GRANULARITY * 60);
		assert_eq!(status(root + 1), Status::Settled);
		assert!(!events().iter().any(|e| matches!(e, Event::BecameOverdue { .. })));
		assert_eq!(TimerQueue::<Test>::iter().count(), 0);
	});
}

#[test]
fn frozen_certificates_do_not_fall_overdue_until_unfrozen() {
	run_test(|| {
		let a = active_root(S1, 100);
		let b = active_root(S2, 100);
		assert_ok!(Receivables::freeze(RuntimeOrigin::signed(REG), a, reason(1)));
		assert_ok!(Receivables::freeze_root(RuntimeOrigin::signed(REG), b, reason(1)));
		let due = cert(a).due;
		advance_to(due + GRACE + 5 * GRANULARITY, GRANULARITY * 60);
		assert!(matches!(status(a), Status::Frozen { previous: Standing::Active, .. }));
		assert_eq!(status(b), Status::Live(Standing::Active));
		assert_ok!(Receivables::unfreeze(RuntimeOrigin::signed(REG), a, reason(2)));
		assert_ok!(Receivables::unfreeze_root(RuntimeOrigin::signed(REG), b, reason(2)));
		advance(GRANULARITY);
		assert!(matches!(status(a), Status::Live(Standing::Overdue { .. })));
		assert!(matches!(status(b), Status::Live(Standing::Overdue { .. })));
	});
}

#[test]
fn on_initialize_reports_weight() {
	run_test(|| {
		use frame_support::traits::Hooks;
		let idle = Receivables::on_initialize(2);
		assert!(idle.ref_time() > 0);
		let due = due_in(1);
		assert_ok!(Receivables::issue(RuntimeOrigin::signed(CORE), S1, 100, due, docs(1)));
		assert_ok!(Receivables::accept(RuntimeOrigin::signed(S1), 1));
		set_now(due + GRACE + GRANULARITY);
		let mut busy = Weight::zero();
		for n in 3..2000 {
			busy = busy.max(Receivables::on_initialize(n));
			if matches!(status(1), Status::Live(Standing::Overdue { .. })) {
				break;
			}
		}
		assert!(busy.ref_time() > idle.ref_time());
	});
}

use frame_support::weights::Weight;
