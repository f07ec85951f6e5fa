use super::*;

#[test]
fn freeze_and_unfreeze_a_certificate() {
	run_test(|| {
		let o = RuntimeOrigin::signed;
		let id = active_root(S1, 500);
		assert_ok!(Receivables::freeze(o(REG), id, reason(7)));
		assert_eq!(status(id), Status::Frozen { previous: Standing::Active, reason: reason(7) });
		assert_eq!(last_event(), Event::Frozen { id, root: id, regulator: REG, reason: reason(7) });
		assert_ok!(Receivables::unfreeze(o(REG), id, reason(8)));
		assert_eq!(status(id), Status::Live(Standing::Active));
		assert_eq!(
			last_event(),
			Event::Unfrozen { id, root: id, regulator: REG, reason: reason(8) }
		);
	});
}

#[test]
fn freeze_refusals() {
	run_test(|| {
		let o = RuntimeOrigin::signed;
		let id = active_root(S1, 500);
		assert_noop!(Receivables::freeze(o(S1), id, reason(1)), Error::<Test>::NotRegulator);
		assert_noop!(Receivables::freeze(o(CORE), id, reason(1)), Error::<Test>::NotRegulator);
		assert_noop!(
			Receivables::freeze(o(REG), 999, reason(1)),
			Error::<Test>::UnknownCertificate
		);
		assert_noop!(Receivables::unfreeze(o(REG), id, reason(1)), Error::<Test>::NotFrozen);
		assert_noop!(Receivables::unfreeze(o(S1), id, reason(1)), Error::<Test>::NotRegulator);
		assert_ok!(Receivables::freeze(o(REG), id, reason(1)));
		assert_noop!(Receivables::freeze(o(REG), id, reason(1)), Error::<Test>::Frozen);
		set_active(REG, false);
		assert_noop!(Receivables::unfreeze(o(REG), id, reason(1)), Error::<Test>::NotRegulator);
		set_active(REG, true);
		assert_ok!(Receivables::unfreeze(o(REG), id, reason(1)));
		assert_ok!(Receivables::split_transfer(o(S1), id, parts(&[(S2, 500)]), docs(2)));
		assert_noop!(Receivables::freeze(o(REG), id, reason(1)), Error::<Test>::Closed);
	});
}

#[test]
fn root_freeze_refusals() {
	run_test(|| {
		let o = RuntimeOrigin::signed;
		let id = active_root(S1, 500);
		assert_noop!(Receivables::freeze_root(o(S1), id, reason(1)), Error::<Test>::NotRegulator);
		assert_noop!(Receivables::freeze_root(o(REG), 999, reason(1)), Error::<Test>::UnknownRoot);
		assert_noop!(Receivables::unfreeze_root(o(REG), id, reason(1)), Error::<Test>::NotFrozen);
		assert_noop!(Receivables::unfreeze_root(o(S1), id, reason(1)), Error::<Test>::NotRegulator);
		assert_ok!(Receivables::freeze_root(o(REG), id, reason(1)));
		assert_eq!(last_event(), Event::RootFrozen { root: id, regulator: REG, reason: reason(1) });
		assert_noop!(Receivables::freeze_root(o(REG), id, reason(1)), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze_root(o(REG), id, reason(2)));
		assert_eq!(
			last_event(),
			Event::RootUnfrozen { root: id, regulator: REG, reason: reason(2) }
		);
		let gone = issue_to(S2, 100);
		assert_ok!(Receivables::revoke(o(CORE), gone));
		assert_noop!(Receivables::freeze_root(o(REG), gone, reason(1)), Error::<Test>::RootClosed);
	});
}

#[test]
fn a_frozen_root_freezes_every_certificate_of_it() {
	run_test(|| {
		let o = RuntimeOrigin::signed;
		let root = active_root(S1, 1_000);
		assert_ok!(Receivables::split_transfer(o(S1), root, parts(&[(S2, 400)]), docs(2)));
		assert_ok!(Receivables::freeze_root(o(REG), root, reason(1)));
		assert_noop!(Receivables::accept(o(S2), root + 1), Error::<Test>::Frozen);
		assert_noop!(Receivables::reject(o(S2), root + 1), Error::<Test>::Frozen);
		assert_noop!(
			Receivables::split_transfer(o(S1), root + 2, parts(&[(S3, 100)]), docs(2)),
			Error::<Test>::Frozen
		);
		assert_noop!(
			<Receivables as ReceivableLedger<_>>::reserve(&S1, root + 2, &FIN),
			Error::<Test>::Frozen
		);
		// The offer does not lapse while frozen...
		advance_to(now() + ACCEPT_TIMEOUT + 5 * GRANULARITY, GRANULARITY * 60);
		assert!(matches!(status(root + 1), Status::Live(Standing::PendingAcceptance { .. })));
		// ...but does right after unfreezing.
		assert_ok!(Receivables::unfreeze_root(o(REG), root, reason(2)));
		advance(GRANULARITY);
		assert_eq!(cert(root + 1).holder, S1);
	});
}

#[test]
fn an_individually_frozen_certificate_stays_frozen_when_its_root_thaws() {
	run_test(|| {
		let o = RuntimeOrigin::signed;
		let root = issue_to(S1, 1_000);
		assert_ok!(Receivables::freeze(o(REG), root, reason(1)));
		assert_ok!(Receivables::freeze_root(o(REG), root, reason(2)));
		assert_ok!(Receivables::unfreeze_root(o(REG), root, reason(3)));
		assert!(matches!(status(root), Status::Frozen { .. }));
		advance_to(now() + ACCEPT_TIMEOUT + 5 * GRANULARITY, GRANULARITY * 60);
		assert!(matches!(status(root), Status::Frozen { .. }));
		assert_ok!(Receivables::unfreeze(o(REG), root, reason(4)));
		advance(GRANULARITY);
		assert_eq!(status(root), Status::Returned);
	});
}
