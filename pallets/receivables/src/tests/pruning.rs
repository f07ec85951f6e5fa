//! Pruning: settled and cancelled trees are deleted `PruneAfter` after they
//! closed, whole, in the order they closed, by `on_idle` within its weight;
//! nothing live is touched.

use super::*;
use crate::{
	Certificates, NextCertificateId, PruneQueue, PruneQueueRange, PruneReport, RootMembers, Roots,
};
use frame_support::{traits::Hooks, weights::Weight};

/// The mock's `PruneAfter` (the config prelude's default).
const PRUNE_AFTER: Moment = 90 * DAY;

fn o(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn payref() -> crate::PaymentRefOf<Test> {
	BoundedVec::truncate_from(b"PAY".to_vec())
}

/// Runs the next block's `on_idle` with `weight` to spare.
fn idle(weight: Weight) -> Weight {
	Receivables::on_idle(System::block_number(), weight)
}

/// The ids of the tree of `root` still stored.
fn members(root: CertificateId) -> Vec<CertificateId> {
	RootMembers::<Test>::iter_key_prefix(root).collect()
}

fn pruned_events() -> Vec<CertificateId> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			Event::RootPruned { root } => Some(root),
			_ => None,
		})
		.collect()
}

#[test]
fn a_settled_tree_is_deleted_prune_after_after_it_closed() {
	run_test(|| {
		let root = tree();
		let ids = members(root);
		assert_eq!(ids.len(), 4);
		let due = cert(root).due;
		set_now(due);
		assert_ok!(Receivables::settle(o(CORE), root, payref()));
		assert_eq!(PruneQueue::<Test>::get(0), Some((root, due + PRUNE_AFTER)));

		// A moment before: nothing goes.
		set_now(due + PRUNE_AFTER - 1);
		System::reset_events();
		idle(Weight::MAX);
		assert_eq!(members(root).len(), 4);
		assert!(Receivables::root(root).is_some());
		assert_eq!(pruned_events(), Vec::<CertificateId>::new());

		// At the moment: the whole tree goes, and reads find nothing.
		set_now(due + PRUNE_AFTER);
		idle(Weight::MAX);
		assert_eq!(pruned_events(), vec![root]);
		for id in ids {
			assert_eq!(Receivables::certificate(id), None);
		}
		assert_eq!(Receivables::root(root), None);
		assert!(Receivables::lineage(root).is_empty());
		assert_eq!(PruneQueueRange::<Test>::get(), (1, 1));
		assert_eq!(PruneQueue::<Test>::iter().count(), 0);
	});
}

#[test]
fn cancelled_roots_are_pruned_and_live_trees_never() {
	run_test(|| {
		let revoked = issue_to(S1, 500);
		let returned = issue_to(S2, 500);
		let live = tree();
		assert_ok!(Receivables::revoke(o(CORE), revoked));
		assert_ok!(Receivables::reject(o(S2), returned));
		let live_ids = members(live);

		set_now(now() + PRUNE_AFTER);
		System::reset_events();
		idle(Weight::MAX);
		assert_eq!(pruned_events(), vec![revoked, returned]);
		assert_eq!(Receivables::certificate(revoked), None);
		assert_eq!(Receivables::certificate(returned), None);
		// The live tree (overdue by now) is whole.
		assert_eq!(members(live), live_ids);
		for id in live_ids {
			assert!(Receivables::certificate(id).is_some());
		}
		assert!(Receivables::root(live).is_some_and(|r| r.live == 3));
	});
}

#[test]
fn trees_go_in_the_order_they_closed() {
	run_test(|| {
		let first = issue_to(S1, 500);
		let second = issue_to(S2, 500);
		assert_ok!(Receivables::revoke(o(CORE), first));
		let closed_first = now();
		set_now(now() + DAY);
		assert_ok!(Receivables::revoke(o(CORE), second));

		set_now(closed_first + PRUNE_AFTER);
		System::reset_events();
		idle(Weight::MAX);
		assert_eq!(pruned_events(), vec![first]);
		assert!(Receivables::root(second).is_some());

		set_now(now() + DAY);
		idle(Weight::MAX);
		assert_eq!(pruned_events(), vec![first, second]);
	});
}

#[test]
fn a_large_tree_is_pruned_over_several_blocks_and_the_invariants_hold_meanwhile() {
	run_test(|| {
		// A tree of 1 + 2 × 6 certificates: the holder splits its own
		// remainder six times (each split closes one, makes two).
		let root = active_root(S1, 10_000);
		let mut rest = root;
		for _ in 0..6 {
			assert_ok!(Receivables::split_transfer(o(S1), rest, parts(&[(S2, 100)]), docs(1)));
			let offer = NextCertificateId::<Test>::get() - 2;
			assert_ok!(Receivables::reject(o(S2), offer));
			rest = NextCertificateId::<Test>::get() - 1;
		}
		let later = issue_to(S3, 500);
		let total = members(root).len() as u32;
		assert_eq!(total, 13);
		set_now(cert(root).due);
		assert_ok!(Receivables::settle(o(CORE), root, payref()));
		assert_ok!(Receivables::revoke(o(CORE), later));
		set_now(now() + PRUNE_AFTER);

		// Five steps a block: the tree takes three blocks (13 certificates
		// and the root record), and the next tree waits its turn.
		let mut done = 0;
		for _ in 0..2 {
			let report = Receivables::prune(now(), 5);
			assert_eq!(report, PruneReport { certificates: 5, roots: 0 });
			done += 5;
			assert_eq!(members(root).len() as u32, total - done);
			assert!(Roots::<Test>::get(root).is_some(), "the root record goes last");
			Receivables::do_try_state().expect("a tree partly pruned keeps the invariants");
		}
		let report = Receivables::prune(now(), 5);
		assert_eq!(report, PruneReport { certificates: 4, roots: 1 });
		assert_eq!(Roots::<Test>::get(root), None);
		assert_eq!(Roots::<Test>::get(later).map(|r| r.face), Some(500));
		// The next tree's one certificate went in that block too; its root
		// record goes in the next.
		Receivables::do_try_state().expect("the next tree, partly pruned");
		let report = Receivables::prune(now(), 5);
		assert_eq!(report, PruneReport { certificates: 0, roots: 1 });
		assert_eq!(Certificates::<Test>::iter().count(), 0);
		assert_eq!(Roots::<Test>::iter().count(), 0);
	});
}

#[test]
fn on_idle_prunes_only_what_its_weight_pays_for() {
	run_test(|| {
		let roots: Vec<_> = (0..3).map(|_| issue_to(S1, 500)).collect();
		for r in &roots {
			assert_ok!(Receivables::revoke(o(CORE), *r));
		}
		set_now(now() + PRUNE_AFTER);
		let fixed = Receivables::prune_weight(&PruneReport::default());
		let step = Receivables::prune_weight(&PruneReport { certificates: 1, roots: 0 })
			.max(Receivables::prune_weight(&PruneReport { certificates: 0, roots: 1 }))
			- fixed;
		// Too little for the fixed cost and a step: nothing happens.
		assert_eq!(
			Receivables::on_idle_prune(fixed + step - Weight::from_parts(1, 0)),
			Weight::zero()
		);
		assert_eq!(PruneQueueRange::<Test>::get(), (0, 3));
		// Room for two steps: the first tree's one certificate deleted, the
		// tree finished.
		let given = fixed + step + step;
		let used = Receivables::on_idle_prune(given);
		assert!(used.all_lte(given), "pruning stays within what it was given");
		assert_eq!(PruneQueueRange::<Test>::get(), (1, 3));
		assert_eq!(Receivables::root(roots[0]), None);
		assert!(Receivables::root(roots[1]).is_some());
		// Plenty: the rest.
		idle(Weight::MAX);
		assert_eq!(PruneQueueRange::<Test>::get(), (3, 3));
	});
}
