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

/// Recourse on a pledge keeps the pledge: the certificate stays with the
/// bank's claim on it until the bank confirms the repayment, which releases
/// the pledge.
#[test]
fn recourse_on_a_pledge_keeps_it_until_the_repayment() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = funded(S1, cert, BANK, FinancingKind::Pledge, true);
		make_overdue(cert);
		assert_ok!(Financing::exercise_recourse(o(BANK), id));
		let pledged =
			Standing::Overdue { encumbrance: Some(Encumbrance::Pledged { pledgee: BANK }) };
		let c = cert_of(cert);
		assert_eq!((c.holder, c.status), (S1, Status::Live(pledged)));
		assert_eq!(RecourseClaims::<Test>::get(id).map(|c| c.amount), Some(800));
		assert_eq!(OpenRequest::<Test>::get(cert), Some(id), "the pledge still holds it");
		assert_ok!(Financing::confirm_repayment(o(BANK), id, payref("REPAY")));
		assert!(ledger_events().contains(&pallet_receivables::Event::PledgeReleased {
			id: cert,
			holder: S1,
			pledgee: BANK
		}));
		assert_eq!(status(cert), Status::Live(Standing::Overdue { encumbrance: None }));
		assert_eq!(OpenRequest::<Test>::get(cert), None);
		assert_eq!(RecourseClaims::<Test>::get(id), None);
		assert!(matches!(req(id).state, RequestState::Repaid { .. }));
	});
}

/// Settled while in recourse, a pledge pays the bank as a funded pledge
/// would (advance plus discount from payout to due date), and the claim is
/// cleared; the pledgor gets the rest.
#[test]
fn a_pledge_settled_in_recourse_pays_the_bank() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = funded(S1, cert, BANK, FinancingKind::Pledge, true);
		let RequestState::Funded { terms: t, discount: d, .. } = req(id).state else {
			unreachable!()
		};
		make_overdue(cert);
		assert_ok!(Financing::exercise_recourse(o(BANK), id));
		settle(cert);
		let to_financier = 1_000u128.min(t.advance + d);
		assert_eq!(
			req(id).state,
			RequestState::Settled {
				terms: t,
				to_financier,
				to_holder: 1_000 - to_financier,
				at: now()
			}
		);
		assert_eq!(RecourseClaims::<Test>::get(id), None);
		assert_eq!(OpenRequest::<Test>::get(cert), None);
	});
}

/// A pledgor that repays early gets its certificate back unencumbered.
#[test]
fn release_pledge_closes_a_pledge_repaid_early() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = funded(S1, cert, BANK, FinancingKind::Pledge, false);
		assert_ok!(Financing::release_pledge(o(BANK), id, payref("EARLY")));
		assert_eq!(status(cert), Status::Live(Standing::Active));
		assert_eq!(OpenRequest::<Test>::get(cert), None);
		let t = *req(id).state.terms().unwrap();
		assert_eq!(
			req(id).state,
			RequestState::Repaid { terms: t, payment_ref: payref("EARLY"), at: now() }
		);
		assert_eq!(
			last_event(),
			Event::Repaid {
				request: id,
				certificate: cert,
				financier: BANK,
				debtor: S1,
				amount: t.advance,
				payment_ref: payref("EARLY"),
				at: now(),
			}
		);
		// The holder may use it again.
		assert_ok!(Financing::request(o(S1), cert, BANK2, 100, FinancingKind::Factoring));
	});
}

#[test]
fn release_pledge_refusals() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = accepted(S1, cert, BANK, FinancingKind::Pledge, true);
		let rel = |who, id| Financing::release_pledge(o(who), id, payref("R"));
		assert_noop!(rel(BANK, 99), Error::<Test>::UnknownRequest);
		assert_noop!(rel(BANK, id), Error::<Test>::NotFunded);
		assert_ok!(Financing::confirm_payout(o(BANK), id, payref("P")));
		assert_noop!(rel(BANK2, id), Error::<Test>::WrongFinancier);
		assert_noop!(rel(S1, id), Error::<Test>::WrongFinancier);
		assert_ok!(Receivables::freeze(o(REG), cert, reason()));
		assert_noop!(rel(BANK, id), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), cert, reason()));
		// Not a pledge.
		let sold = certificate(S2, 1_000);
		let factored = funded(S2, sold, BANK, FinancingKind::Factoring, true);
		assert_noop!(rel(BANK, factored), Error::<Test>::NotPledge);
		// In recourse, the repayment is confirmed instead.
		make_overdue(cert);
		assert_ok!(Financing::exercise_recourse(o(BANK), id));
		assert_noop!(rel(BANK, id), Error::<Test>::InRecourse);
		assert_ok!(Financing::confirm_repayment(o(BANK), id, payref("R")));
		assert_noop!(rel(BANK, id), Error::<Test>::RequestClosed);
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
		assert_noop!(rec(BANK, id), Error::<Test>::RequestClosed);
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
		// A pledge is released with the repayment: not while frozen.
		assert_ok!(Receivables::freeze(o(REG), cert, reason()));
		assert_noop!(rep(BANK, id), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), cert, reason()));
		assert_ok!(rep(BANK, id));
		assert_noop!(rep(BANK, id), Error::<Test>::RequestClosed);
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
		assert_noop!(Financing::offer(o(BANK), id, t), Error::<Test>::InRecourse);
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
