use super::*;

#[test]
fn request_reserves_the_certificate_for_the_financier() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		assert_ok!(Financing::request(o(S1), cert, BANK, 700, FinancingKind::Factoring));
		let r = req(1);
		assert_eq!(
			r,
			Request {
				certificate: cert,
				holder: S1,
				financier: BANK,
				kind: FinancingKind::Factoring,
				amount: 1_000,
				due: cert_of(cert).due,
				wanted_advance: 700,
				created: now(),
				state: RequestState::Requested,
			}
		);
		assert_eq!(OpenRequest::<Test>::get(cert), Some(1));
		assert_eq!(NextRequestId::<Test>::get(), 2);
		assert_eq!(status(cert), Status::Live(Standing::Reserved { financier: BANK }));
		assert_eq!(
			last_event(),
			Event::Requested {
				request: 1,
				certificate: cert,
				holder: S1,
				financier: BANK,
				kind: FinancingKind::Factoring,
				amount: 1_000,
				wanted_advance: 700,
				due: cert_of(cert).due,
				split_from: None,
				at: now(),
			}
		);
		// The holder can no longer use it.
		assert_noop!(
			<Receivables as ReceivableLedger<_>>::split_off(&S1, cert, 100),
			LedgerError::Reserved
		);
	});
}

#[test]
fn request_refuses_bad_parties_and_amounts() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let f = FinancingKind::Factoring;
		assert_noop!(
			Financing::request(o(S1), 999, BANK, 100, f),
			Error::<Test>::UnknownCertificate
		);
		assert_noop!(
			Financing::request(o(OUTSIDER), cert, BANK, 100, f),
			Error::<Test>::NotParticipant
		);
		assert_noop!(
			Financing::request(o(SUSPENDED), cert, BANK, 100, f),
			Error::<Test>::NotParticipant
		);
		assert_noop!(Financing::request(o(S1), cert, S2, 100, f), Error::<Test>::NotFinancier);
		assert_noop!(
			Financing::request(o(S1), cert, OUTSIDER, 100, f),
			Error::<Test>::NotFinancier
		);
		assert_noop!(
			Financing::request(o(S1), cert, SUSPENDED_BANK, 100, f),
			Error::<Test>::NotFinancier
		);
		assert_noop!(Financing::request(o(S1), cert, BANK, 0, f), Error::<Test>::NoAdvance);
		assert_noop!(
			Financing::request(o(S1), cert, BANK, 1_001, f),
			Error::<Test>::AdvanceTooHigh
		);
		// Someone else's certificate.
		assert_noop!(Financing::request(o(S2), cert, BANK, 100, f), LedgerError::NotHolder);
		// A holder that is also a financier cannot ask itself.
		admit(S1, &[Role::Supplier, Role::Financier]);
		assert_noop!(Financing::request(o(S1), cert, S1, 100, f), Error::<Test>::SelfFinancing);
	});
}

#[test]
fn request_refuses_certificates_that_cannot_be_financed() {
	run_test(|| {
		let f = FinancingKind::Pledge;
		// Pending acceptance.
		let pending = pallet_receivables::NextCertificateId::<Test>::get();
		assert_ok!(Receivables::issue(o(CORE), S1, 500, due_in(30), Default::default()));
		assert_noop!(Financing::request(o(S1), pending, BANK, 100, f), LedgerError::Pending);
		// Frozen, and frozen root.
		let cert = certificate(S1, 1_000);
		assert_ok!(Receivables::freeze(o(REG), cert, reason()));
		assert_noop!(Financing::request(o(S1), cert, BANK, 100, f), LedgerError::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), cert, reason()));
		assert_ok!(Receivables::freeze_root(o(REG), cert, reason()));
		assert_noop!(Financing::request(o(S1), cert, BANK, 100, f), LedgerError::Frozen);
		assert_ok!(Receivables::unfreeze_root(o(REG), cert, reason()));
		// Closed by a split.
		let (part, _) = <Receivables as ReceivableLedger<_>>::split_off(&S1, cert, 400).unwrap();
		assert_noop!(Financing::request(o(S1), cert, BANK, 100, f), LedgerError::Closed);
		// At maturity, then overdue.
		set_now(cert_of(part).due);
		assert_noop!(Financing::request(o(S1), part, BANK, 100, f), LedgerError::Matured);
		make_overdue(part);
		assert_noop!(Financing::request(o(S1), part, BANK, 100, f), LedgerError::Overdue);
		// Settled.
		settle(part);
		assert_noop!(Financing::request(o(S1), part, BANK, 100, f), LedgerError::Closed);
	});
}

#[test]
fn no_double_financing() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		for fin in [BANK, BANK2] {
			for kind in [FinancingKind::Factoring, FinancingKind::Pledge] {
				assert_noop!(
					Financing::request(o(S1), cert, fin, 100, kind),
					Error::<Test>::AlreadyRequested
				);
			}
		}
		// Nor a part of it.
		assert_noop!(
			Financing::request_part(o(S1), cert, 100, BANK2, 50, FinancingKind::Pledge),
			LedgerError::Reserved
		);
		// Offered and accepted: still refused.
		offer(id, standard_terms(cert, false));
		assert_noop!(
			Financing::request(o(S1), cert, BANK2, 100, FinancingKind::Pledge),
			Error::<Test>::AlreadyRequested
		);
		assert_ok!(Financing::accept_offer(o(S1), id, named(id)));
		assert_noop!(
			Financing::request(o(S1), cert, BANK2, 100, FinancingKind::Pledge),
			Error::<Test>::AlreadyRequested
		);
		// Funded (factoring): the financier holds it; nobody can request it.
		assert_ok!(Financing::confirm_payout(o(BANK), id, payref("P")));
		assert_noop!(
			Financing::request(o(S1), cert, BANK2, 100, FinancingKind::Pledge),
			Error::<Test>::AlreadyFinanced
		);
		admit(BANK, &[Role::Financier, Role::Supplier]);
		assert_noop!(
			Financing::request(o(BANK), cert, BANK2, 100, FinancingKind::Pledge),
			Error::<Test>::AlreadyFinanced
		);
		// Funded (pledge).
		let other = certificate(S2, 1_000);
		funded(S2, other, BANK2, FinancingKind::Pledge, false);
		assert_noop!(
			Financing::request(o(S2), other, BANK, 100, FinancingKind::Pledge),
			Error::<Test>::AlreadyFinanced
		);
	});
}

#[test]
fn a_closed_request_frees_the_certificate_for_another() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let first = request(S1, cert, BANK, FinancingKind::Factoring);
		assert_ok!(Financing::cancel(o(S1), first));
		assert_eq!(status(cert), Status::Live(Standing::Active));
		let second = request(S1, cert, BANK2, FinancingKind::Pledge);
		assert_eq!(second, first + 1);
		assert_eq!(OpenRequest::<Test>::get(cert), Some(second));
		assert_ok!(Financing::decline(o(BANK2), second));
		let third = request(S1, cert, BANK, FinancingKind::Pledge);
		assert_eq!(OpenRequest::<Test>::get(cert), Some(third));
	});
}

/// A financier's open deals (what keeps its role in the participants
/// pallet) count its requests until they close, recourse included.
#[test]
fn open_deals_count_a_financiers_requests_until_they_close() {
	use scf_primitives::traits::FinancierDeals;
	run_test(|| {
		let deals = |who| <Financing as FinancierDeals<AccountId>>::open_deals(&who);
		assert_eq!(deals(BANK), 0);
		let a = certificate(S1, 1_000);
		let b = certificate(S2, 1_000);
		let ra = funded(S1, a, BANK, FinancingKind::Factoring, true);
		let rb = request(S2, b, BANK, FinancingKind::Pledge);
		assert_eq!((deals(BANK), deals(BANK2)), (2, 0));
		assert_ok!(Financing::decline(o(BANK), rb));
		assert_eq!(deals(BANK), 1);
		make_overdue(a);
		assert_ok!(Financing::exercise_recourse(o(BANK), ra));
		assert_eq!(deals(BANK), 1, "a deal in recourse is still open");
		assert_ok!(Financing::confirm_repayment(o(BANK), ra, payref("R")));
		assert_eq!(deals(BANK), 0);
		assert!(crate::OpenDeals::<Test>::get(BANK).is_none(), "no entry is left behind");
	});
}

#[test]
fn a_holder_has_a_quota_of_unfunded_requests() {
	run_test(|| {
		MaxRequests::set(2);
		let (a, b, c) = (certificate(S1, 1_000), certificate(S1, 1_000), certificate(S1, 1_000));
		let ra = request(S1, a, BANK, FinancingKind::Factoring);
		let rb = request(S1, b, BANK2, FinancingKind::Pledge);
		assert_eq!(UnfundedRequests::<Test>::get(S1), Some(2));
		// A third waits until one is funded or closed; nothing changes.
		assert_noop!(
			Financing::request(o(S1), c, BANK, 500, FinancingKind::Factoring),
			Error::<Test>::TooManyRequests
		);
		assert_noop!(
			Financing::request_part(o(S1), c, 400, BANK, 200, FinancingKind::Factoring),
			Error::<Test>::TooManyRequests
		);
		// Another holder has a quota of its own.
		let d = certificate(S2, 1_000);
		request(S2, d, BANK, FinancingKind::Factoring);
		// Funding frees a slot: a funded deal has the financier's consent.
		offer(ra, standard_terms(a, false));
		assert_ok!(Financing::accept_offer(o(S1), ra, named(ra)));
		assert_eq!(UnfundedRequests::<Test>::get(S1), Some(2));
		assert_ok!(Financing::confirm_payout(o(BANK), ra, payref("PAYOUT")));
		assert_eq!(UnfundedRequests::<Test>::get(S1), Some(1));
		let rc = request(S1, c, BANK, FinancingKind::Factoring);
		assert_eq!(UnfundedRequests::<Test>::get(S1), Some(2));
		// So do a cancel and a decline; no entry is left at zero.
		assert_ok!(Financing::cancel(o(S1), rc));
		assert_ok!(Financing::decline(o(BANK2), rb));
		assert_eq!(UnfundedRequests::<Test>::get(S1), None);
	});
}
