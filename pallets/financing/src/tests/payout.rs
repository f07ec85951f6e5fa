use super::*;

#[test]
fn payout_sells_a_factored_certificate_in_the_same_step() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = accepted(S1, cert, BANK, FinancingKind::Factoring, true);
		let t = *req(id).state.terms().unwrap();
		System::reset_events();
		assert_ok!(Financing::confirm_payout(o(BANK), id, payref("WIRE-1")));
		// 800 at 10 % a year for 73 days: 16.
		assert_eq!(
			req(id).state,
			RequestState::Funded {
				terms: t,
				discount: 16,
				payment_ref: payref("WIRE-1"),
				at: now()
			}
		);
		let c = cert_of(cert);
		assert_eq!((c.holder, c.status), (BANK, Status::Live(Standing::Factored { seller: S1 })));
		assert_eq!(OpenRequest::<Test>::get(cert), Some(id));
		assert_eq!(
			ledger_events(),
			vec![pallet_receivables::Event::Financed { id: cert, seller: S1, financier: BANK }]
		);
		assert_eq!(
			events(),
			vec![Event::PayoutConfirmed {
				request: id,
				certificate: cert,
				holder: S1,
				financier: BANK,
				kind: FinancingKind::Factoring,
				advance: 800,
				discount_bps: 1_000,
				discount: 16,
				recourse: true,
				payment_ref: payref("WIRE-1"),
				at: now(),
			}]
		);
	});
}

#[test]
fn payout_pledges_a_pledged_certificate_in_the_same_step() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = accepted(S1, cert, BANK, FinancingKind::Pledge, false);
		assert_ok!(Financing::confirm_payout(o(BANK), id, payref("WIRE-2")));
		let c = cert_of(cert);
		assert_eq!((c.holder, c.status), (S1, Status::Live(Standing::Pledged { pledgee: BANK })));
		assert_eq!(stage(id), Stage::Funded);
		assert!(matches!(last_event(), Event::PayoutConfirmed { kind: FinancingKind::Pledge, .. }));
	});
}

#[test]
fn payout_refusals() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		let pay = |who, id| Financing::confirm_payout(o(who), id, payref("P"));
		assert_noop!(pay(BANK, 99), Error::<Test>::UnknownRequest);
		// Payout before offer, and before acceptance.
		assert_noop!(pay(BANK, id), Error::<Test>::NotAccepted);
		// An offer whose payout deadline is the due date.
		let due = cert_of(cert).due;
		offer(id, Terms { payout_by: due, ..standard_terms(cert, false) });
		assert_noop!(pay(BANK, id), Error::<Test>::NotAccepted);
		assert_ok!(Financing::accept_offer(o(S1), id, named(id)));
		assert_noop!(pay(BANK2, id), Error::<Test>::WrongFinancier);
		assert_noop!(pay(S1, id), Error::<Test>::WrongFinancier);
		set_active(BANK, false);
		assert_noop!(pay(BANK, id), Error::<Test>::NotFinancier);
		set_active(BANK, true);
		assert_ok!(Receivables::freeze(o(REG), cert, reason()));
		assert_noop!(pay(BANK, id), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), cert, reason()));
		// At maturity: too late, nothing moves.
		set_now(due);
		assert_noop!(pay(BANK, id), Error::<Test>::Matured);
		set_now(due - 1);
		assert_ok!(pay(BANK, id));
		assert_noop!(pay(BANK, id), Error::<Test>::AlreadyFunded);
		// Closed.
		let id2 = accepted(S2, certificate(S2, 500), BANK, FinancingKind::Pledge, false);
		assert_ok!(Financing::decline(o(BANK), id2));
		assert_noop!(pay(BANK, id2), Error::<Test>::RequestClosed);
	});
}

#[test]
fn a_ledger_refusal_at_payout_writes_nothing() {
	run_test(|| {
		// A refusal only the ledger sees: the reservation was released
		// behind the pallet's back (its own calls never do that).
		let cert = certificate(S1, 1_000);
		let id = accepted(S1, cert, BANK, FinancingKind::Factoring, false);
		assert_ok!(<Receivables as ReceivableLedger<_>>::release_reservation(cert));
		assert_noop!(Financing::confirm_payout(o(BANK), id, payref("P")), LedgerError::NotReserved);
		assert_eq!(stage(id), Stage::Accepted);
		// Put it back so the invariants hold.
		assert_ok!(<Receivables as ReceivableLedger<_>>::reserve(&S1, cert, &BANK));
	});
}
