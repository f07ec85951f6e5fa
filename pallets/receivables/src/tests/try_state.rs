//! `do_try_state` catches broken invariants, so that the check after every
//! other test (and the property test's after every call) means something.
//! Each test breaks one thing in a real ledger, expects the message naming
//! it, and undoes the break (a storage layer that is rolled back).

use super::*;
use crate::{
	Certificates, Holdings, LiveByRoot, LivePerHolder, NextCertificateId, PruneQueue,
	PruneQueueRange, RootMembers, Roots, TimerCursor, TimerPages, TimerQueue,
};
use sp_runtime::TryRuntimeError;

/// Runs `mutate` in a storage layer, expects `do_try_state` to fail with
/// `msg`, then rolls the layer back and expects the ledger whole again.
fn caught(msg: &'static str, mutate: impl FnOnce()) {
	let _ = frame_support::storage::with_storage_layer::<(), DispatchError, _>(|| {
		mutate();
		assert_eq!(Receivables::do_try_state(), Err(TryRuntimeError::Other(msg)));
		Err(DispatchError::Other("undo the mutation"))
	});
	assert_eq!(Receivables::do_try_state(), Ok(()), "the mutation was undone");
}

fn change(id: CertificateId, f: impl FnOnce(&mut crate::CertificateOf<Test>)) {
	let mut c = cert(id);
	f(&mut c);
	Certificates::<Test>::insert(id, c);
}

/// The settlement tests' tree (a root of 1 000: 300 for S2, 300 for S3,
/// pledged, the remaining 400 with S1) and a root pending with S4.
fn ledger() -> (CertificateId, CertificateId) {
	let root = tree();
	let pending = issue_to(S4, 500);
	(root, pending)
}

#[test]
fn broken_certificates_are_caught() {
	run_test(|| {
		let (root, pending) = ledger();
		let child = root + 1;
		caught("certificate id not below NextCertificateId", || {
			NextCertificateId::<Test>::put(pending)
		});
		caught("certificate stored under another id", || change(child, |c| c.id = child + 50));
		caught("certificate issuer differs from root's", || change(child, |c| c.issuer = CORE2));
		caught("certificate due date differs from root's", || change(child, |c| c.due += 1));
		caught("certificate below MinAmount", || change(child, |c| c.amount = MIN - 1));
		caught("tier out of range", || change(child, |c| c.tier = 0));
		caught("tier out of range", || change(child, |c| c.tier = MAX_TIER + 1));
		caught("certificate of an unknown root", || Roots::<Test>::remove(pending));
		caught("certificate not in its tree", || RootMembers::<Test>::remove(root, child));
		caught("parentless certificate is not a root", || change(child, |c| c.parent = None));
		caught("root certificate has a parent", || change(root, |c| c.parent = Some(pending)));
		caught("parent not closed by split", || change(root, |c| c.status = Status::Settled));
	});
}

#[test]
fn broken_indexes_and_holdings_are_caught() {
	run_test(|| {
		let (root, pending) = ledger();
		let child = root + 1;
		caught("live index disagrees with status", || LiveByRoot::<Test>::remove(root, child));
		caught("live certificate not in holdings", || Holdings::<Test>::remove(S2, child));
		caught("holdings entry for a certificate not live with that holder", || {
			Holdings::<Test>::insert(S5, child, ())
		});
		caught("live certificate held by a non-participant", || {
			change(child, |c| c.holder = OUTSIDER);
			Holdings::<Test>::remove(S2, child);
			Holdings::<Test>::insert(OUTSIDER, child, ());
		});
		caught("certificate's financier or seller is its own holder", || {
			change(root + 2, |c| c.status = Status::Live(Standing::Pledged { pledgee: S3 }))
		});
		let remove_timers = |id: CertificateId| {
			let keys: Vec<_> = TimerQueue::<Test>::iter_keys().filter(|(_, i)| *i == id).collect();
			assert!(!keys.is_empty(), "#{id} has a timer to remove");
			for (k1, k2) in keys {
				TimerQueue::<Test>::remove(k1, k2);
			}
		};
		caught("pending certificate without acceptance timer", || remove_timers(pending));
		caught("certificate without maturity timer", || remove_timers(child));
	});
}

#[test]
fn broken_value_is_caught() {
	run_test(|| {
		let (root, pending) = ledger();
		let child = root + 1;
		// Value from nowhere: a child worth more than its share.
		caught("children of a split do not sum to the parent's amount", || {
			change(child, |c| c.amount += 1)
		});
		caught("root face differs from root certificate", || {
			let mut r = Receivables::root(pending).unwrap();
			r.face += 1;
			Roots::<Test>::insert(pending, r);
		});
		caught("root live count disagrees", || {
			let mut r = Receivables::root(root).unwrap();
			r.live += 1;
			Roots::<Test>::insert(root, r);
		});
		// Paid out of an outstanding root: a live piece marked settled, with
		// its indexes made consistent, so only the value is wrong.
		caught("settled certificates in an outstanding root", || {
			change(child, |c| c.status = Status::Settled);
			LiveByRoot::<Test>::remove(root, child);
			Holdings::<Test>::remove(S2, child);
			let mut r = Receivables::root(root).unwrap();
			r.live -= 1;
			Roots::<Test>::insert(root, r);
		});
		caught("live certificate of a settled or cancelled root", || {
			let mut r = Receivables::root(pending).unwrap();
			r.state = RootState::Cancelled;
			Roots::<Test>::insert(pending, r);
		});
		caught("non-root certificate revoked or returned", || {
			change(child, |c| c.status = Status::Returned);
			LiveByRoot::<Test>::remove(root, child);
			Holdings::<Test>::remove(S2, child);
		});
	});
}

#[test]
fn broken_timer_queues_and_slot_counts_are_caught() {
	run_test(|| {
		let (root, pending) = ledger();
		let child = root + 1;
		let entry = |id: CertificateId| {
			TimerQueue::<Test>::iter_keys().find(|(_, i)| *i == id).expect("an entry")
		};
		let (key, _) = entry(pending);
		caught("timer page counts differ from the queue entries", || {
			TimerPages::<Test>::mutate((key.0, key.1 / crate::TIMER_PAGE), |n| *n += 1)
		});
		caught("certificate with two entries in one timer queue", || {
			TimerQueue::<Test>::insert((key.0, key.1 + 1), pending, ())
		});
		caught("timer entry behind its queue's cursor", || {
			TimerCursor::<Test>::insert(key.0, key.1 + 1)
		});
		// An acceptance entry for an accepted certificate (the page count
		// kept right, so only the entry is wrong).
		caught("timer entry of a certificate no longer in that timer's standing", || {
			TimerQueue::<Test>::insert((key.0, key.1), child, ());
			Receivables::count_in_page(key.0, key.1, true);
		});
		caught("LivePerHolder differs from the live certificates' slot owners", || {
			LivePerHolder::<Test>::insert(root, S2, 2)
		});
		caught("LivePerHolder differs from the live certificates' slot owners", || {
			// The pending root is its issuer's slot, not its receiver's.
			LivePerHolder::<Test>::remove(pending, CORE);
			LivePerHolder::<Test>::insert(pending, S4, 1);
		});
	});
}

#[test]
fn a_broken_prune_queue_is_caught() {
	run_test(|| {
		let (root, pending) = ledger();
		assert_ok!(Receivables::revoke(RuntimeOrigin::signed(CORE), pending));
		let prune_at = now() + 90 * DAY;
		assert_eq!(PruneQueue::<Test>::get(0), Some((pending, prune_at)));
		caught("prune queue head past its tail", || PruneQueueRange::<Test>::put((2, 1)));
		caught("prune queue entries outside its range, or holes in it", || {
			PruneQueue::<Test>::insert(5, (pending, prune_at))
		});
		caught("a root queued twice for pruning", || {
			PruneQueue::<Test>::insert(1, (pending, prune_at));
			PruneQueueRange::<Test>::put((0, 2));
		});
		caught("prune queue differs from the closed roots", || {
			PruneQueue::<Test>::insert(0, (root, Moment::MAX))
		});
		caught("live certificates in a tree being pruned", || {
			PruneQueue::<Test>::insert(0, (root, 0))
		});
	});
}
