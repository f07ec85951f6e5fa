use super::*;

fn payref(s: &str) -> crate::PaymentRefOf<Test> {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

#[test]
fn settle_pays_every_live_certificate_to_its_holder() {
	run_test(|| {
		let root = tree();
		set_now(cert(root).due);
		System::reset_events();
		assert_ok!(Receivables::settle(RuntimeOrigin::signed(CORE), root, payref("PAY-1")));
		for id in [root + 1, root + 2, root + 3] {
			assert_eq!(status(id), Status::Settled);
		}
		assert_eq!(status(root), Status::ClosedBySplit);
		let r = Receivables::root(root).unwrap();
		assert_eq!(r.live, 0);
		assert_eq!(r.state, RootState::Settled { payment_ref: payref("PAY-1"), at: now() });
		assert_eq!(line_used(CORE), 0);
		for who in [S1, S2, S3] {
			assert!(Receivables::holdings(&who).is_empty());
		}
		assert_eq!(
			events(),
			vec![
				Event::CertificateSettled {
					id: root + 1,
					root,
					holder: S2,
					amount: 300,
					pledgee: None
				},
				Event::CertificateSettled {
					id: root + 2,
					root,
					holder: S3,
					amount: 300,
					pledgee: Some(FIN)
				},
				Event::CertificateSettled {
					id: root + 3,
					root,
					holder: S1,
					amount: 400,
					pledgee: None
				},
				Event::RootSettled {
					root,
					issuer: CORE,
					face: 1_000,
					certificates: 3,
					payment_ref: payref("PAY-1")
				},
			]
		);
		assert_eq!(releases(), vec![(CORE, 7, 1_000, root)], "the credit, named by its root");
	});
}

#[test]
fn settle_pays_overdue_and_factored_certificates() {
	run_test(|| {
		let root = tree();
		factor(S2, root + 1, FIN);
		let due = cert(root).due;
		advance_to(due + GRACE + 2 * GRANULARITY, GRANULARITY * 60);
		assert!(matches!(status(root + 3), Status::Live(Standing::Overdue { .. })));
		assert_ok!(Receivables::settle(RuntimeOrigin::signed(CORE), root, payref("LATE")));
		assert!(events().contains(&Event::CertificateSettled {
			id: root + 1,
			root,
			holder: FIN,
			amount: 300,
			pledgee: None
		}));
	});
}

#[test]
fn settle_refusals() {
	run_test(|| {
		let o = RuntimeOrigin::signed;
		let root = tree();
		let due = cert(root).due;
		assert_noop!(Receivables::settle(o(CORE), 999, payref("X")), Error::<Test>::UnknownRoot);
		assert_noop!(Receivables::settle(o(CORE), root, payref("X")), Error::<Test>::NotMatured);
		set_now(due);
		assert_noop!(Receivables::settle(o(CORE2), root, payref("X")), Error::<Test>::NotIssuer);
		assert_noop!(
			Receivables::settle(o(OUTSIDER), root, payref("X")),
			Error::<Test>::NotParticipant
		);
		// Settling by a child id is not settling a root.
		assert_noop!(
			Receivables::settle(o(CORE), root + 1, payref("X")),
			Error::<Test>::UnknownRoot
		);
		assert_ok!(Receivables::freeze_root(o(REG), root, reason(1)));
		assert_noop!(Receivables::settle(o(CORE), root, payref("X")), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze_root(o(REG), root, reason(1)));
		assert_ok!(Receivables::freeze(o(REG), root + 1, reason(1)));
		assert_noop!(Receivables::settle(o(CORE), root, payref("X")), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), root + 1, reason(1)));
		assert_ok!(Receivables::settle(o(CORE), root, payref("X")));
		assert_noop!(Receivables::settle(o(CORE), root, payref("X")), Error::<Test>::RootClosed);
	});
}

#[test]
fn settle_waits_for_pending_offers() {
	run_test(|| {
		let o = RuntimeOrigin::signed;
		let root = active_root(S1, 1_000);
		let due = cert(root).due;
		set_now(due - 1);
		assert_ok!(Receivables::split_transfer(o(S1), root, parts(&[(S2, 100)]), docs(2)));
		set_now(due);
		assert_noop!(Receivables::settle(o(CORE), root, payref("X")), Error::<Test>::HasPending);
		// The offer lapses; then settlement goes through.
		advance_to(due + ACCEPT_TIMEOUT + GRANULARITY, GRANULARITY * 60);
		assert_eq!(cert(root + 1).holder, S1);
		assert_ok!(Receivables::settle(o(CORE), root, payref("X")));
		assert!(Receivables::holdings(&S1).is_empty());
	});
}

#[test]
fn cancelled_roots_cannot_be_settled() {
	run_test(|| {
		let root = issue_to(S1, 100);
		assert_ok!(Receivables::revoke(RuntimeOrigin::signed(CORE), root));
		set_now(cert(root).due);
		assert_noop!(
			Receivables::settle(RuntimeOrigin::signed(CORE), root, payref("X")),
			Error::<Test>::RootClosed
		);
	});
}

#[test]
fn settle_pays_a_reserved_certificate_and_tells_the_hook() {
	run_test(|| {
		let root = tree();
		// S1's remainder (root + 3) is reserved for a financing request.
		assert_ok!(<Receivables as ReceivableLedger<_>>::reserve(&S1, root + 3, &FIN));
		set_now(cert(root).due);
		assert_ok!(Receivables::settle(RuntimeOrigin::signed(CORE), root, payref("PAY")));
		assert_eq!(status(root + 3), Status::Settled);
		assert!(events().contains(&Event::CertificateSettled {
			id: root + 3,
			root,
			holder: S1,
			amount: 400,
			pledgee: None
		}));
		assert_eq!(
			settled_hook_calls(),
			vec![
				(root + 1, S2, 300, Standing::Active),
				(root + 2, S3, 300, Standing::Pledged { pledgee: FIN }),
				(root + 3, S1, 400, Standing::Reserved { financier: FIN }),
			]
		);
	});
}

#[test]
fn the_hook_is_not_told_of_a_refused_settlement() {
	run_test(|| {
		let root = tree();
		assert_noop!(
			Receivables::settle(RuntimeOrigin::signed(CORE), root, payref("EARLY")),
			Error::<Test>::NotMatured
		);
		assert!(settled_hook_calls().is_empty());
	});
}

#[test]
fn settle_weight_includes_the_hook_per_certificate() {
	use crate::weights::WeightInfo;
	let hook = SETTLE_HOOK_WEIGHT;
	for n in [0u32, 1, 5] {
		assert_eq!(
			Receivables::settle_weight(n),
			<() as WeightInfo>::settle(n).saturating_add(hook.saturating_mul(n as u64))
		);
	}
}
