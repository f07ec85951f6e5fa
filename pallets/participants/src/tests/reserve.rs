//! The `CreditLines` trait: reserve and release, at the edges.

use super::credit_lines::line;
use crate::{mock::*, CreditLines, Error, Event, Lines};
use frame_support::{assert_noop, assert_ok, assert_storage_noop};

const EXPIRY: u64 = START_MS + 30 * DAY_MS;

fn grant(financier: u64, core: u64, limit: u128, expires_at: u64) {
	assert_ok!(Participants::grant_credit_line(
		RuntimeOrigin::signed(financier),
		core,
		limit,
		expires_at
	));
}

#[test]
fn reserve_up_to_exactly_the_limit_then_one_more_fails() {
	new_test(|| {
		grant(BANK_A, CORE, 1_000, EXPIRY);
		assert_eq!(Participants::reserve(&CORE, 400, START_MS, 1), Ok(BANK_A));
		assert_eq!(Participants::reserve(&CORE, 600, START_MS, 1), Ok(BANK_A));
		assert_eq!(line(CORE, BANK_A).unwrap().used, 1_000);
		assert_eq!(
			last_event(),
			Event::CreditReserved {
				core: CORE,
				root: 1,
				financier: BANK_A,
				amount: 600,
				used: 1_000
			}
		);
		assert_noop!(Participants::reserve(&CORE, 1, START_MS, 1), Error::<Test>::LineExceeded);
	});
}

#[test]
fn one_over_the_limit_fails_without_change() {
	new_test(|| {
		grant(BANK_A, CORE, 1_000, EXPIRY);
		assert_noop!(Participants::reserve(&CORE, 1_001, START_MS, 1), Error::<Test>::LineExceeded);
		assert_eq!(Participants::reserve(&CORE, 1_000, START_MS, 1), Ok(BANK_A));
	});
}

#[test]
fn an_expired_line_backs_nothing() {
	new_test(|| {
		grant(BANK_A, CORE, 1_000, EXPIRY);
		// The last millisecond before expiry is still in force.
		assert_eq!(Participants::reserve(&CORE, 1, EXPIRY - 1, 1), Ok(BANK_A));
		assert_noop!(Participants::reserve(&CORE, 1, EXPIRY, 1), Error::<Test>::LineExpired);
		assert_noop!(
			Participants::reserve(&CORE, 1, EXPIRY + DAY_MS, 1),
			Error::<Test>::LineExpired
		);
		// Release still works after expiry.
		Participants::release(&CORE, &BANK_A, 1, 1);
		assert_eq!(line(CORE, BANK_A).unwrap().used, 0);
	});
}

#[test]
fn overflow_at_u128_max_fails_without_change() {
	new_test(|| {
		grant(BANK_A, CORE, u128::MAX, EXPIRY);
		assert_eq!(Participants::reserve(&CORE, u128::MAX, START_MS, 1), Ok(BANK_A));
		assert_eq!(line(CORE, BANK_A).unwrap().used, u128::MAX);
		assert_noop!(Participants::reserve(&CORE, 1, START_MS, 1), Error::<Test>::LineExceeded);
		assert_noop!(
			Participants::reserve(&CORE, u128::MAX, START_MS, 1),
			Error::<Test>::LineExceeded
		);
		Participants::release(&CORE, &BANK_A, 1, 1);
		assert_eq!(Participants::reserve(&CORE, 1, START_MS, 1), Ok(BANK_A));
	});
}

#[test]
fn u128_max_on_a_partly_used_line_fails_without_change() {
	new_test(|| {
		grant(BANK_A, CORE, 1_000, EXPIRY);
		assert_eq!(Participants::reserve(&CORE, 10, START_MS, 1), Ok(BANK_A));
		assert_noop!(
			Participants::reserve(&CORE, u128::MAX, START_MS, 1),
			Error::<Test>::LineExceeded
		);
		assert_noop!(
			Participants::reserve(&CORE, u128::MAX - 5, START_MS, 1),
			Error::<Test>::LineExceeded
		);
	});
}

#[test]
fn no_line_fails() {
	new_test(|| {
		assert_noop!(Participants::reserve(&CORE, 1, START_MS, 1), Error::<Test>::NoCreditLine);
		assert_noop!(Participants::reserve(&OUTSIDER, 1, START_MS, 1), Error::<Test>::NoCreditLine);
	});
}

#[test]
fn earliest_expiry_first_then_lowest_financier() {
	new_test(|| {
		grant(BANK_A, CORE, 1_000, EXPIRY + 2 * DAY_MS);
		grant(BANK_B, CORE, 1_000, EXPIRY);
		grant(BANK_C, CORE, 1_000, EXPIRY);
		// B and C expire first; B sorts before C.
		assert_eq!(Participants::reserve(&CORE, 700, START_MS, 1), Ok(BANK_B));
		// B has 300 left: 500 goes to C, the next to expire.
		assert_eq!(Participants::reserve(&CORE, 500, START_MS, 1), Ok(BANK_C));
		// 300 still fits on B.
		assert_eq!(Participants::reserve(&CORE, 300, START_MS, 1), Ok(BANK_B));
		// Once B and C have expired, A backs what fits.
		assert_eq!(Participants::reserve(&CORE, 1_000, EXPIRY, 1), Ok(BANK_A));
		assert_eq!(
			Lines::<Test>::get(CORE).iter().map(|l| l.used).collect::<Vec<_>>(),
			vec![1_000, 1_000, 500]
		);
	});
}

#[test]
fn amounts_are_not_split_across_lines() {
	new_test(|| {
		grant(BANK_A, CORE, 600, EXPIRY);
		grant(BANK_B, CORE, 600, EXPIRY);
		// 1 000 of room in total, but no single line has it.
		assert_noop!(Participants::reserve(&CORE, 1_000, START_MS, 1), Error::<Test>::LineExceeded);
	});
}

#[test]
fn a_suspended_financiers_line_backs_nothing_new() {
	new_test(|| {
		grant(BANK_A, CORE, 1_000, EXPIRY);
		grant(BANK_B, CORE, 1_000, EXPIRY + DAY_MS);
		assert_ok!(Participants::suspend(RuntimeOrigin::root(), BANK_A));
		assert_eq!(Participants::reserve(&CORE, 100, START_MS, 1), Ok(BANK_B));
		assert_ok!(Participants::suspend(RuntimeOrigin::root(), BANK_B));
		assert_noop!(Participants::reserve(&CORE, 100, START_MS, 1), Error::<Test>::NoCreditLine);
		// Releasing on a suspended financier's line still works.
		Participants::release(&CORE, &BANK_B, 100, 1);
		assert_eq!(line(CORE, BANK_B).unwrap().used, 0);
	});
}

#[test]
fn release_gives_back_and_saturates() {
	new_test(|| {
		grant(BANK_A, CORE, 1_000, EXPIRY);
		assert_eq!(Participants::reserve(&CORE, 500, START_MS, 1), Ok(BANK_A));
		Participants::release(&CORE, &BANK_A, 200, 1);
		assert_eq!(line(CORE, BANK_A).unwrap().used, 300);
		assert_eq!(
			last_event(),
			Event::CreditReleased {
				core: CORE,
				root: 1,
				financier: BANK_A,
				requested: 200,
				released: 200,
				used: 300
			}
		);
		// More than in use: releases what is in use.
		Participants::release(&CORE, &BANK_A, u128::MAX, 9);
		assert_eq!(line(CORE, BANK_A).unwrap().used, 0);
		assert_eq!(
			last_event(),
			Event::CreditReleased {
				core: CORE,
				root: 9,
				financier: BANK_A,
				requested: u128::MAX,
				released: 300,
				used: 0
			}
		);
		// An open line stays open at zero.
		assert!(line(CORE, BANK_A).is_some());
	});
}

#[test]
fn release_on_a_missing_line_changes_nothing() {
	new_test(|| {
		grant(BANK_A, CORE, 1_000, EXPIRY);
		assert_storage_noop!(Participants::release(&CORE, &BANK_B, 5, 1));
		assert_storage_noop!(Participants::release(&CORE_2, &BANK_A, 5, 1));
	});
}
