use super::*;

#[test]
fn accept_activates() {
	run_test(|| {
		let id = issue_to(S1, 500);
		assert_ok!(Receivables::accept(RuntimeOrigin::signed(S1), id));
		assert_eq!(status(id), Status::Live(Standing::Active));
		assert_eq!(last_event(), Event::Accepted { id, root: id, holder: S1 });
	});
}

#[test]
fn accept_refusals() {
	run_test(|| {
		let id = issue_to(S1, 500);
		let o = RuntimeOrigin::signed;
		assert_noop!(Receivables::accept(o(S1), 999), Error::<Test>::UnknownCertificate);
		assert_noop!(Receivables::accept(o(S2), id), Error::<Test>::NotHolder);
		assert_noop!(Receivables::accept(o(OUTSIDER), id), Error::<Test>::NotParticipant);
		set_active(S1, false);
		assert_noop!(Receivables::accept(o(S1), id), Error::<Test>::NotParticipant);
		set_active(S1, true);
		assert_ok!(Receivables::freeze(o(REG), id, reason(1)));
		assert_noop!(Receivables::accept(o(S1), id), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), id, reason(2)));
		assert_ok!(Receivables::freeze_root(o(REG), id, reason(1)));
		assert_noop!(Receivables::accept(o(S1), id), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze_root(o(REG), id, reason(2)));
		assert_ok!(Receivables::accept(o(S1), id));
		assert_noop!(Receivables::accept(o(S1), id), Error::<Test>::NotPending);
		// A closed certificate.
		assert_ok!(Receivables::split_transfer(o(S1), id, parts(&[(S2, 500)]), docs(2)));
		assert_noop!(Receivables::accept(o(S1), id), Error::<Test>::Closed);
	});
}

#[test]
fn rejecting_a_root_returns_it_to_the_issuer_and_releases_credit() {
	run_test(|| {
		let id = issue_to(S1, 500);
		assert_eq!(line_used(CORE), 500);
		assert_ok!(Receivables::reject(RuntimeOrigin::signed(S1), id));
		let c = cert(id);
		assert_eq!((c.status, c.holder), (Status::Returned, CORE));
		assert_eq!(Receivables::root(id).unwrap().state, RootState::Cancelled);
		assert_eq!(line_used(CORE), 0);
		assert_eq!(releases(), vec![(CORE, 7, 500, id)]);
		assert!(Receivables::holdings(&S1).is_empty());
		let ev = events();
		assert_eq!(
			ev[ev.len() - 2..].to_vec(),
			vec![
				Event::ReturnedToSender {
					id,
					root: id,
					receiver: S1,
					sender: CORE,
					tier: 1,
					reason: ReturnReason::Rejected
				},
				Event::RootCancelled { root: id, issuer: CORE, face: 500 },
			]
		);
	});
}

#[test]
fn rejecting_a_child_returns_it_live_to_the_sender() {
	run_test(|| {
		let root = active_root(S1, 500);
		assert_ok!(Receivables::split_transfer(
			RuntimeOrigin::signed(S1),
			root,
			parts(&[(S2, 200)]),
			docs(2)
		));
		let child = root + 1;
		assert_eq!(cert(child).tier, 2);
		assert_ok!(Receivables::reject(RuntimeOrigin::signed(S2), child));
		let c = cert(child);
		assert_eq!((c.holder, c.tier, c.status), (S1, 1, Status::Live(Standing::Active)));
		assert_eq!(
			last_event(),
			Event::ReturnedToSender {
				id: child,
				root,
				receiver: S2,
				sender: S1,
				tier: 1,
				reason: ReturnReason::Rejected
			}
		);
		assert_eq!(line_used(CORE), 500);
		// It is usable again by the sender.
		assert_ok!(Receivables::split_transfer(
			RuntimeOrigin::signed(S1),
			child,
			parts(&[(S3, 200)]),
			docs(3)
		));
		assert_eq!(Receivables::holdings(&S1).len(), 1);
	});
}

#[test]
fn reject_refusals() {
	run_test(|| {
		let id = issue_to(S1, 500);
		let o = RuntimeOrigin::signed;
		assert_noop!(Receivables::reject(o(S1), 999), Error::<Test>::UnknownCertificate);
		assert_noop!(Receivables::reject(o(S2), id), Error::<Test>::NotHolder);
		assert_noop!(Receivables::reject(o(OUTSIDER), id), Error::<Test>::NotParticipant);
		assert_ok!(Receivables::freeze(o(REG), id, reason(1)));
		assert_noop!(Receivables::reject(o(S1), id), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), id, reason(2)));
		assert_ok!(Receivables::accept(o(S1), id));
		assert_noop!(Receivables::reject(o(S1), id), Error::<Test>::NotPending);
	});
}

#[test]
fn an_unaccepted_root_lapses_back_to_the_issuer() {
	run_test(|| {
		let id = issue_to(S1, 500);
		advance(ACCEPT_TIMEOUT - GRANULARITY);
		assert!(matches!(status(id), Status::Live(Standing::PendingAcceptance { .. })));
		advance_to(now() + 2 * GRANULARITY, GRANULARITY / 2);
		assert_eq!(status(id), Status::Returned);
		assert_eq!(line_used(CORE), 0);
		assert!(events().contains(&Event::ReturnedToSender {
			id,
			root: id,
			receiver: S1,
			sender: CORE,
			tier: 1,
			reason: ReturnReason::Expired
		}));
	});
}

#[test]
fn an_unaccepted_child_lapses_back_to_its_sender() {
	run_test(|| {
		let root = active_root(S1, 500);
		assert_ok!(Receivables::split_transfer(
			RuntimeOrigin::signed(S1),
			root,
			parts(&[(S2, 200), (S3, 100)]),
			docs(2)
		));
		assert_ok!(Receivables::accept(RuntimeOrigin::signed(S3), root + 2));
		advance_to(now() + ACCEPT_TIMEOUT + GRANULARITY, GRANULARITY);
		let c = cert(root + 1);
		assert_eq!((c.holder, c.tier, c.status), (S1, 1, Status::Live(Standing::Active)));
		let c = cert(root + 2);
		assert_eq!((c.holder, c.tier, c.status), (S3, 2, Status::Live(Standing::Active)));
	});
}

#[test]
fn accepting_just_before_the_deadline_wins() {
	run_test(|| {
		let id = issue_to(S1, 500);
		advance_to(now() + ACCEPT_TIMEOUT - 1, GRANULARITY);
		assert_ok!(Receivables::accept(RuntimeOrigin::signed(S1), id));
		advance_to(now() + 10 * GRANULARITY, GRANULARITY);
		assert_eq!(status(id), Status::Live(Standing::Active));
	});
}

#[test]
fn accepting_after_the_deadline_is_refused_before_the_sweep_gets_there() {
	run_test(|| {
		let id = issue_to(S1, 500);
		let Status::Live(Standing::PendingAcceptance { deadline, .. }) = status(id) else {
			panic!("a fresh root is pending")
		};
		// The clock reaches the deadline, no block hook has run since.
		set_now(deadline);
		assert_eq!(
			status(id),
			Status::Live(Standing::PendingAcceptance { sender: CORE, deadline })
		);
		assert_noop!(Receivables::accept(RuntimeOrigin::signed(S1), id), Error::<Test>::Lapsed);
		// Rejecting is still the receiver's to do; it sends it back at once.
		assert_ok!(Receivables::reject(RuntimeOrigin::signed(S1), id));
		assert_eq!(status(id), Status::Returned);
	});
}
