use super::*;

#[test]
fn recourse_hands_a_factored_certificate_back_and_records_the_debt() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = funded(S1, cert, BANK, FinancingKind::Factoring, true);
		make_overdue(cert);
		assert_eq!(
			status(cert),
			Status::Live(Standing::Overdue {
				encumbrance: Some(Encumbrance::Factored { seller: S1 })
			})
		);
		assert_ok!(Financing::exercise_recourse(o(BANK), id));
		let c = cert_of(cert);
		assert_eq!(
			(c.holder, c.status),
			(S1, Status::Live(Standing::Overdue { encumbrance: None }))
		);
		assert_eq!(
			RecourseClaims::<Test>::get(id),
			Some(RecourseClaim { debtor: S1, amount: 800 })
		);
		assert_eq!(OpenRequest::<Test>::get(cert), None);
		assert!(matches!(req(id).state, RequestState::InRecourse { at, .. } if at == now()));
		assert_eq!(
			last_event(),
			Event::RecourseExercised {
				request: id,
				certificate: cert,
				financier: BANK,
				debtor: S1,
				kind: FinancingKind::Factoring,
				owed: 800,
				at: now(),
			}
		);
		// Repaid.
		assert_ok!(Financing::confirm_repayment(o(BANK), id, payref("REPAY")));
		assert_eq!(RecourseClaims::<Test>::get(id), None);
		let t = *req(id).state.terms().unwrap();
		assert_eq!(
			req(id).state,
			RequestState::Repaid { terms: t, payment_ref: payref("REPAY"), at: now() }
		);
		assert_eq!(
			last_event(),
			Event::Repaid {
				request: id,
				certificate: cert,
				financier: BANK,
				debtor: S1,
				amount: 800,
				payment_ref: payref("REPAY"),
				at: now(),
			}
		);
		// The certificate is the holder's again, and is settled to it.
		settle(cert);
		assert_eq!(status(cert), Status::Settled);
	});
}

#[test]
fn recourse_releases_a_pledge() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = funded(S1, cert, BANK, FinancingKind::Pledge, true);
		make_overdue(cert);
		assert_ok!(Financing::exercise_recourse(o(BANK), id));
		let c = cert_of(cert);
		assert_eq!(
			(c.holder, c.status),
			(S1, Status::Live(Standing::Overdue { encumbrance: None }))
		);
		assert_eq!(RecourseClaims::<Test>::get(id).map(|c| c.amount), Some(800));
		// Settled while in recourse: the claim stays until repaid.
		settle(cert);
		assert_eq!(stage(id), Stage::InRecourse);
		assert!(RecourseClaims::<Test>::get(id).is_some());
	});
}

#[test]
fn recourse_refusals() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = accepted(S1, cert, BANK, FinancingKind::Factoring, true);
		let rec = |who, id| Financing::exercise_recourse(o(who), id);
		assert_noop!(rec(BANK, 99), Error::<Test>::UnknownRequest);
		// Before payout.
		assert_noop!(rec(BANK, id), Error::<Test>::NotFunded);
		assert_ok!(Financing::confirm_payout(o(BANK), id, payref("P")));
		// Before overdue, even after the due date.
		assert_noop!(rec(BANK, id), Error::<Test>::NotOverdue);
		set_now(cert_of(cert).due);
		assert_noop!(rec(BANK, id), Error::<Test>::NotOverdue);
		make_overdue(cert);
		assert_noop!(rec(BANK2, id), Error::<Test>::WrongFinancier);
		assert_noop!(rec(S1, id), Error::<Test>::WrongFinancier);
		set_active(BANK, false);
		assert_noop!(rec(BANK, id), Error::<Test>::NotFinancier);
		set_active(BANK, true);
		assert_ok!(Receivables::freeze(o(REG), cert, reason()));
		assert_noop!(rec(BANK, id), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), cert, reason()));
		assert_ok!(rec(BANK, id));
		assert_noop!(rec(BANK, id), Error::<Test>::InRecourse);
		assert_ok!(Financing::confirm_repayment(o(BANK), id, payref("R")));
		assert_noop!(rec(BANK, id), Error::<Test>::Closed);
	});
}

#[test]
fn no_recourse_without_it_in_the_offer() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = funded(S1, cert, BANK, FinancingKind::Factoring, false);
		make_overdue(cert);
		assert_noop!(Financing::exercise_recourse(o(BANK), id), Error::<Test>::NoRecourse);
		// The financier keeps the certificate and is paid when it is settled.
		settle(cert);
		assert!(matches!(req(id).state, RequestState::Settled { to_financier: 1_000, .. }));
	});
}

#[test]
fn confirm_repayment_refusals() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Pledge);
		let rep = |who, id| Financing::confirm_repayment(o(who), id, payref("R"));
		assert_noop!(rep(BANK, 99), Error::<Test>::UnknownRequest);
		assert_noop!(rep(BANK, id), Error::<Test>::NoClaim);
		offer(id, standard_terms(cert, true));
		assert_ok!(Financing::accept_offer(o(S1), id, named(id)));
		assert_ok!(Financing::confirm_payout(o(BANK), id, payref("P")));
		assert_noop!(rep(BANK, id), Error::<Test>::NoClaim);
		make_overdue(cert);
		assert_ok!(Financing::exercise_recourse(o(BANK), id));
		assert_noop!(rep(BANK2, id), Error::<Test>::WrongFinancier);
		assert_noop!(rep(S1, id), Error::<Test>::WrongFinancier);
		set_active(BANK, false);
		assert_noop!(rep(BANK, id), Error::<Test>::NotFinancier);
		set_active(BANK, true);
		assert_ok!(rep(BANK, id));
		assert_noop!(rep(BANK, id), Error::<Test>::Closed);
	});
}

#[test]
fn in_recourse_only_repayment_is_possible() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = funded(S1, cert, BANK, FinancingKind::Factoring, true);
		make_overdue(cert);
		assert_ok!(Financing::exercise_recourse(o(BANK), id));
		let t = standard_terms(cert, true);
		assert_noop!(
			Financing::offer(o(BANK), id, t),
			Error::<Test>::InRecourse
		);
		assert_noop!(Financing::withdraw_offer(o(BANK), id), Error::<Test>::InRecourse);
		assert_noop!(Financing::decline(o(BANK), id), Error::<Test>::InRecourse);
		assert_noop!(Financing::accept_offer(o(S1), id, named(id)), Error::<Test>::InRecourse);
		assert_noop!(
			Financing::confirm_payout(o(BANK), id, payref("AGAIN")),
			Error::<Test>::InRecourse
		);
		assert_noop!(Financing::cancel(o(S1), id), Error::<Test>::InRecourse);
		assert_ok!(Financing::confirm_repayment(o(BANK), id, payref("R")));
	});
}

#[test]
fn recourse_and_repayment_before_payout_are_refused() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		let rec = |id| Financing::exercise_recourse(o(BANK), id);
		let rep = |id| Financing::confirm_repayment(o(BANK), id, payref("R"));
		// Requested.
		assert_noop!(rec(id), Error::<Test>::NotFunded);
		assert_noop!(rep(id), Error::<Test>::NoClaim);
		// Offered.
		offer(id, standard_terms(cert, true));
		assert_noop!(rec(id), Error::<Test>::NotFunded);
		assert_noop!(rep(id), Error::<Test>::NoClaim);
		// Accepted.
		assert_ok!(Financing::accept_offer(o(S1), id, named(id)));
		assert_noop!(rec(id), Error::<Test>::NotFunded);
		assert_noop!(rep(id), Error::<Test>::NoClaim);
	});
}
