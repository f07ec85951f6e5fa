//! The quota of pending outgoing offers (`MaxOutgoingOffers`): issuing and
//! splitting to receivers count against the sender until each offer is
//! accepted, rejected, lapses or is revoked.

use super::*;
use crate::OutgoingOffers;

fn pending_of(sender: AccountId) -> u32 {
	OutgoingOffers::<Test>::get(sender)
}

#[test]
fn issuing_beyond_the_quota_is_refused() {
	run_test(|| {
		MaxOffers::set(2);
		let a = issue_to(S1, 500);
		let _b = issue_to(S2, 500);
		assert_eq!(pending_of(CORE), 2);
		// The third offer waits until a receiver answers; nothing changes.
		assert_noop!(
			Receivables::issue(RuntimeOrigin::signed(CORE), S3, 500, due_in(90), docs(1)),
			Error::<Test>::TooManyOffers
		);
		// Another sender has a quota of its own.
		assert_ok!(Receivables::issue(RuntimeOrigin::signed(CORE2), S3, 500, due_in(90), docs(1)));
		// An acceptance frees a slot.
		assert_ok!(Receivables::accept(RuntimeOrigin::signed(S1), a));
		assert_eq!(pending_of(CORE), 1);
		assert_ok!(Receivables::issue(RuntimeOrigin::signed(CORE), S3, 500, due_in(90), docs(1)));
		assert_eq!(pending_of(CORE), 2);
	});
}

#[test]
fn every_end_of_an_offer_frees_its_slot() {
	run_test(|| {
		let accepted = issue_to(S1, 500);
		let rejected = issue_to(S2, 500);
		let revoked = issue_to(S3, 500);
		let lapsing = issue_to(S4, 500);
		assert_eq!(pending_of(CORE), 4);
		assert_ok!(Receivables::accept(RuntimeOrigin::signed(S1), accepted));
		assert_eq!(pending_of(CORE), 3);
		assert_ok!(Receivables::reject(RuntimeOrigin::signed(S2), rejected));
		assert_eq!(pending_of(CORE), 2);
		assert_ok!(Receivables::revoke(RuntimeOrigin::signed(CORE), revoked));
		assert_eq!(pending_of(CORE), 1);
		advance_to(now() + ACCEPT_TIMEOUT + 2 * GRANULARITY, GRANULARITY);
		assert_eq!(status(lapsing), Status::Returned);
		// No entry is left at zero.
		assert!(!OutgoingOffers::<Test>::contains_key(CORE));
	});
}

#[test]
fn a_split_counts_its_receivers_not_the_remainder() {
	run_test(|| {
		let root = active_root(S1, 900);
		assert_eq!(pending_of(CORE), 0);
		MaxOffers::set(2);
		// Two receivers and a remainder: two offers.
		assert_ok!(Receivables::split_transfer(
			RuntimeOrigin::signed(S1),
			root,
			parts(&[(S2, 200), (S3, 200)]),
			docs(2)
		));
		assert_eq!(pending_of(S1), 2);
		let remainder = root + 3;
		assert_eq!(cert(remainder).holder, S1);
		// No room for another, however small.
		assert_noop!(
			Receivables::split_transfer(
				RuntimeOrigin::signed(S1),
				remainder,
				parts(&[(S4, 100)]),
				docs(3)
			),
			Error::<Test>::TooManyOffers
		);
		// A child that lapses back to S1 frees its slot.
		assert_ok!(Receivables::accept(RuntimeOrigin::signed(S2), root + 1));
		advance_to(now() + ACCEPT_TIMEOUT + 2 * GRANULARITY, GRANULARITY);
		assert_eq!(cert(root + 2).holder, S1);
		assert_eq!(pending_of(S1), 0);
		assert_ok!(Receivables::split_transfer(
			RuntimeOrigin::signed(S1),
			remainder,
			parts(&[(S4, 100), (S5, 100)]),
			docs(3)
		));
		assert_eq!(pending_of(S1), 2);
	});
}

#[test]
fn a_split_with_more_receivers_than_room_is_refused_whole() {
	run_test(|| {
		let root = active_root(S1, 900);
		MaxOffers::set(1);
		assert_noop!(
			Receivables::split_transfer(
				RuntimeOrigin::signed(S1),
				root,
				parts(&[(S2, 200), (S3, 200)]),
				docs(2)
			),
			Error::<Test>::TooManyOffers
		);
		assert_eq!(status(root), Status::Live(Standing::Active));
	});
}

#[test]
fn a_split_that_offers_nothing_is_never_refused_for_the_quota() {
	run_test(|| {
		let root = active_root(S1, 900);
		assert_ok!(Receivables::split_transfer(
			RuntimeOrigin::signed(S1),
			root,
			parts(&[(S2, 200), (S3, 200)]),
			docs(2)
		));
		// The quota is lowered below what S1 has pending, as an upgrade might.
		MaxOffers::set(1);
		assert_eq!(pending_of(S1), 2);
		// Splitting off a part to finance makes no offer: it goes through.
		assert_ok!(<Receivables as ReceivableLedger<_>>::split_off(&S1, root + 3, 100));
		// One that offers something still waits.
		assert_noop!(
			Receivables::split_transfer(
				RuntimeOrigin::signed(S1),
				root + 4,
				parts(&[(S4, 50)]),
				docs(3)
			),
			Error::<Test>::TooManyOffers
		);
	});
}
