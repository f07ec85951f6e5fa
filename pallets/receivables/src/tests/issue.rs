use super::*;

#[test]
fn issue_creates_a_pending_root_and_reserves_credit() {
	run_test(|| {
		let due = due_in(90);
		assert_ok!(Receivables::issue(RuntimeOrigin::signed(CORE), S1, 1_000, due, docs(1)));
		let c = cert(1);
		assert_eq!((c.id, c.root, c.parent, c.issuer, c.holder), (1, 1, None, CORE, S1));
		assert_eq!((c.amount, c.due, c.tier), (1_000, due, 1));
		let deadline = now() + ACCEPT_TIMEOUT;
		assert_eq!(c.status, Status::Live(Standing::PendingAcceptance { sender: CORE, deadline }));
		assert_eq!(c.documents, docs(1));
		let r = Receivables::root(1).unwrap();
		assert_eq!((r.issuer, r.face, r.due, r.line, r.live), (CORE, 1_000, due, 7, 1));
		assert_eq!(r.state, RootState::Outstanding);
		assert_eq!(line_used(CORE), 1_000);
		assert!(crate::Holdings::<Test>::contains_key(S1, 1));
		assert_eq!(crate::NextCertificateId::<Test>::get(), 2);
		assert_eq!(
			last_event(),
			Event::Issued {
				id: 1,
				issuer: CORE,
				receiver: S1,
				amount: 1_000,
				due,
				acceptance_deadline: deadline,
				documents: docs(1),
				financier: 7,
			}
		);
	});
}

#[test]
fn issue_accepts_the_limits_exactly() {
	run_test(|| {
		let max_tenor: Moment = <Test as crate::Config>::MaxTenor::get();
		assert_ok!(Receivables::issue(
			RuntimeOrigin::signed(CORE),
			S1,
			MIN,
			now() + max_tenor,
			Default::default()
		));
		assert_ok!(Receivables::issue(
			RuntimeOrigin::signed(CORE),
			S1,
			LINE - MIN,
			now() + 1,
			docs(2)
		));
		assert_eq!(line_used(CORE), LINE);
	});
}

use frame_support::traits::Get;

#[test]
fn issue_refusals() {
	run_test(|| {
		let o = RuntimeOrigin::signed;
		let due = due_in(30);
		assert_noop!(
			Receivables::issue(o(S1), S2, 100, due, docs(1)),
			Error::<Test>::NotCoreEnterprise
		);
		assert_noop!(
			Receivables::issue(o(OUTSIDER), S2, 100, due, docs(1)),
			Error::<Test>::NotCoreEnterprise
		);
		set_active(CORE2, false);
		assert_noop!(
			Receivables::issue(o(CORE2), S2, 100, due, docs(1)),
			Error::<Test>::NotCoreEnterprise
		);
		set_active(CORE2, true);
		assert_noop!(
			Receivables::issue(o(CORE), CORE, 100, due, docs(1)),
			Error::<Test>::SelfTransfer
		);
		assert_noop!(
			Receivables::issue(o(CORE), OUTSIDER, 100, due, docs(1)),
			Error::<Test>::ReceiverNotParticipant
		);
		assert_noop!(
			Receivables::issue(o(CORE), SUSPENDED, 100, due, docs(1)),
			Error::<Test>::ReceiverNotParticipant
		);
		assert_noop!(Receivables::issue(o(CORE), S1, 0, due, docs(1)), Error::<Test>::BelowMinimum);
		assert_noop!(
			Receivables::issue(o(CORE), S1, MIN - 1, due, docs(1)),
			Error::<Test>::BelowMinimum
		);
		assert_noop!(
			Receivables::issue(o(CORE), S1, 100, now(), docs(1)),
			Error::<Test>::DueDateInPast
		);
		assert_noop!(
			Receivables::issue(o(CORE), S1, 100, now() - DAY, docs(1)),
			Error::<Test>::DueDateInPast
		);
		let max_tenor: Moment = <Test as crate::Config>::MaxTenor::get();
		assert_noop!(
			Receivables::issue(o(CORE), S1, 100, now() + max_tenor + 1, docs(1)),
			Error::<Test>::TenorTooLong
		);
		assert_noop!(
			Receivables::issue(o(CORE), S1, LINE + 1, due, docs(1)),
			DispatchError::Other("CreditExceeded")
		);
		set_line(CORE2, 0);
		assert_noop!(
			Receivables::issue(o(CORE2), S1, 100, due, docs(1)),
			DispatchError::Other("CreditExceeded")
		);
		assert!(events().is_empty());
	});
}

#[test]
fn credit_is_per_issuer_and_cumulative() {
	run_test(|| {
		issue_to(S1, LINE / 2);
		issue_to(S2, LINE / 2);
		assert_noop!(
			Receivables::issue(RuntimeOrigin::signed(CORE), S1, MIN, due_in(5), docs(1)),
			DispatchError::Other("CreditExceeded")
		);
		assert_ok!(Receivables::issue(RuntimeOrigin::signed(CORE2), S1, MIN, due_in(5), docs(1)));
	});
}

#[test]
fn genesis_certificates_are_issued_and_accepted() {
	use frame_support::traits::BuildGenesisConfig;
	run_test(|| {
		let due = due_in(90);
		crate::GenesisConfig::<Test> {
			genesis_time: START,
			certificates: vec![(CORE, S1, 1_000, due)],
		}
		.build();
		let c = cert(1);
		assert_eq!((c.issuer, c.holder, c.amount, c.due), (CORE, S1, 1_000, due));
		assert_eq!(c.status, Status::Live(Standing::Active));
		assert_eq!(line_used(CORE), 1_000);
	});
}

#[test]
#[should_panic(expected = "genesis certificate of 2000000 for 11")]
fn a_genesis_certificate_beyond_the_credit_line_stops_genesis() {
	use frame_support::traits::BuildGenesisConfig;
	new_test_ext().execute_with(|| {
		let certificates = vec![(CORE, S1, LINE * 2, due_in(90))];
		crate::GenesisConfig::<Test> { genesis_time: START, certificates }.build();
	});
}
