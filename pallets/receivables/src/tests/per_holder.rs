//! `MaxLivePerHolder`: one account's share of a root's live slots (its
//! certificates, and its offers until they are accepted).

use super::*;
use crate::LivePerHolder;
use frame_support::dispatch::DispatchResult;

fn split(who: AccountId, id: CertificateId, to: AccountId, amount: Amount) -> DispatchResult {
	Receivables::split_transfer(RuntimeOrigin::signed(who), id, parts(&[(to, amount)]), docs(2))
}

fn slots(root: CertificateId, who: AccountId) -> u32 {
	LivePerHolder::<Test>::get(root, who)
}

#[test]
fn one_holder_alone_cannot_take_more_than_its_share_of_a_roots_slots() {
	run_test(|| {
		MaxPerHolder::set(4);
		let r = active_root(S1, 1_000);
		assert_eq!(slots(r, S1), 1);
		// Offers nobody answers, and the remainders: one slot more each.
		assert_ok!(split(S1, r, S2, 100));
		assert_ok!(split(S1, r + 2, S3, 100));
		assert_ok!(split(S1, r + 4, S4, 100));
		assert_eq!(slots(r, S1), 4, "three offers and a remainder");
		assert_eq!(slots(r, S2), 0, "an offer is its sender's until accepted");
		// The root has room (8), S1 has none.
		assert_eq!(Receivables::root(r).unwrap().live, 4);
		assert_noop!(split(S1, r + 6, S5, 100), Error::<Test>::TooManyHeld);
		// A split that does not grow the share still goes through.
		assert_ok!(split(S1, r + 6, S5, 700));
		assert_eq!(slots(r, S1), 4);
		// Accepted, the slot is the receiver's, who can split in turn.
		assert_ok!(Receivables::accept(RuntimeOrigin::signed(S2), r + 1));
		assert_eq!((slots(r, S1), slots(r, S2)), (3, 1));
		assert_ok!(Receivables::split_transfer(
			RuntimeOrigin::signed(S2),
			r + 1,
			parts(&[(S3, 50)]),
			docs(2)
		));
		assert_eq!(slots(r, S2), 2);
	});
}

#[test]
fn accepting_is_never_refused_for_the_share_and_slots_follow_the_certificate() {
	run_test(|| {
		MaxPerHolder::set(4);
		// S2 already holds four certificates of the root...
		let r = active_root(S1, 1_000);
		let mut rest = r;
		for _ in 0..3 {
			assert_ok!(split(S1, rest, S2, 100));
			assert_ok!(Receivables::accept(RuntimeOrigin::signed(S2), rest + 1));
			rest += 2;
		}
		assert_ok!(split(S1, rest, S2, 100));
		assert_ok!(Receivables::accept(RuntimeOrigin::signed(S2), rest + 1));
		assert_eq!(slots(r, S2), 4);
		// ...and accepts a fifth: over the share, never refused.
		rest += 2;
		assert_ok!(split(S1, rest, S2, 100));
		assert_ok!(Receivables::accept(RuntimeOrigin::signed(S2), rest + 1));
		assert_eq!(slots(r, S2), 5);
		// Above the share, S2 cannot grow it, but may pass a whole part on.
		assert_noop!(split(S2, rest + 1, S3, 50), Error::<Test>::TooManyHeld);
		assert_ok!(split(S2, rest + 1, S3, 100));
		assert_eq!(slots(r, S2), 5, "the offer to S3 is still S2's");
		// A lapsed offer comes back to its sender without moving the slot.
		advance(ACCEPT_TIMEOUT + GRANULARITY);
		assert_eq!(status(rest + 3), Status::Live(Standing::Active));
		assert_eq!(cert(rest + 3).holder, S2);
		assert_eq!(slots(r, S2), 5);
		// Factoring moves the slot to the financier.
		let remainder = rest + 2;
		assert_eq!(cert(remainder).holder, S1);
		let s1 = slots(r, S1);
		factor(S1, remainder, FIN);
		assert_eq!((slots(r, S1), slots(r, FIN)), (s1 - 1, 1));
	});
}
