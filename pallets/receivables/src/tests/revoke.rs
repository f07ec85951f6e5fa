use super::*;

#[test]
fn revoke_cancels_a_pending_root() {
	run_test(|| {
		let id = issue_to(S1, 700);
		assert_ok!(Receivables::revoke(RuntimeOrigin::signed(CORE), id));
		let c = cert(id);
		assert_eq!((c.status, c.holder), (Status::Revoked, CORE));
		assert_eq!(Receivables::root(id).unwrap().state, RootState::Cancelled);
		assert_eq!(line_used(CORE), 0);
		assert!(Receivables::holdings(&S1).is_empty());
		let ev = events();
		assert_eq!(
			ev[ev.len() - 2..].to_vec(),
			vec![
				Event::Revoked { id, issuer: CORE, receiver: S1 },
				Event::RootCancelled { root: id, issuer: CORE, face: 700 },
			]
		);
		assert_eq!(releases(), vec![(CORE, 7, 700, id)], "the credit, named by its root");
		// The lapse timer finds nothing to do.
		advance_to(now() + ACCEPT_TIMEOUT + GRANULARITY, GRANULARITY * 60);
		assert_eq!(status(id), Status::Revoked);
	});
}

#[test]
fn revoke_refusals() {
	run_test(|| {
		let o = RuntimeOrigin::signed;
		let id = issue_to(S1, 700);
		assert_noop!(Receivables::revoke(o(CORE), 999), Error::<Test>::UnknownCertificate);
		assert_noop!(Receivables::revoke(o(CORE2), id), Error::<Test>::NotIssuer);
		assert_noop!(Receivables::revoke(o(S1), id), Error::<Test>::NotIssuer);
		assert_noop!(Receivables::revoke(o(OUTSIDER), id), Error::<Test>::NotParticipant);
		assert_ok!(Receivables::freeze(o(REG), id, reason(1)));
		assert_noop!(Receivables::revoke(o(CORE), id), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), id, reason(1)));
		assert_ok!(Receivables::accept(o(S1), id));
		assert_noop!(Receivables::revoke(o(CORE), id), Error::<Test>::NotPending);
		// A pending child is not the issuer's to revoke.
		assert_ok!(Receivables::split_transfer(o(S1), id, parts(&[(S2, 300)]), docs(2)));
		assert_noop!(Receivables::revoke(o(CORE), id + 1), Error::<Test>::NotRoot);
		assert_noop!(Receivables::revoke(o(CORE), id), Error::<Test>::Closed);
		let other = issue_to(S2, 100);
		assert_ok!(Receivables::revoke(o(CORE), other));
		assert_noop!(Receivables::revoke(o(CORE), other), Error::<Test>::Closed);
	});
}
