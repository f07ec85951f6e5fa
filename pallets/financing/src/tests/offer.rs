use super::*;

#[test]
fn offer_records_the_terms() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		let expires = now() + DAY;
		assert_ok!(Financing::offer(o(BANK), id, terms(800, 1_200, true, expires)));
		let t = terms(800, 1_200, true, expires);
		assert_eq!(req(id).state, RequestState::Offered { terms: t });
		assert_eq!(
			last_event(),
			Event::Offered {
				request: id,
				certificate: cert,
				financier: BANK,
				holder: S1,
				advance: 800,
				discount_bps: 1_200,
				recourse: true,
				expires,
				payout_by: expires,
				at: now(),
			}
		);
		// The certificate stays reserved.
		assert_eq!(status(cert), Status::Live(Standing::Reserved { financier: BANK }));
	});
}

#[test]
fn offer_refuses_bad_terms() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		let due = cert_of(cert).due;
		let exp = now() + DAY;
		let of = |adv, bps, expires| Financing::offer(o(BANK), id, terms(adv, bps, false, expires));
		assert_noop!(of(0, 100, exp), Error::<Test>::NoAdvance);
		assert_noop!(of(1_001, 100, exp), Error::<Test>::AdvanceTooHigh);
		assert_noop!(of(500, MAX_BPS + 1, exp), Error::<Test>::DiscountTooHigh);
		assert_noop!(of(500, 100, now()), Error::<Test>::ExpiryInPast);
		assert_noop!(of(500, 100, now() - 1), Error::<Test>::ExpiryInPast);
		assert_noop!(of(500, 100, due + 1), Error::<Test>::ExpiryAfterDue);
		// The payout deadline: not before the expiry, not after the due date.
		let with_payout = |payout_by| {
			Financing::offer(o(BANK), id, Terms { payout_by, ..terms(500, 100, false, exp) })
		};
		assert_noop!(with_payout(exp - 1), Error::<Test>::PayoutBeforeExpiry);
		assert_noop!(with_payout(due + 1), Error::<Test>::PayoutAfterDue);
		// The limits themselves are fine.
		assert_ok!(with_payout(due));
		assert_ok!(Financing::withdraw_offer(o(BANK), id));
		assert_ok!(of(1_000, MAX_BPS, due));
	});
}

#[test]
fn offer_refuses_the_wrong_caller() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		let exp = now() + DAY;
		assert_noop!(
			Financing::offer(o(BANK), 99, terms(500, 100, false, exp)),
			Error::<Test>::UnknownRequest
		);
		assert_noop!(
			Financing::offer(o(BANK2), id, terms(500, 100, false, exp)),
			Error::<Test>::WrongFinancier
		);
		assert_noop!(
			Financing::offer(o(S1), id, terms(500, 100, false, exp)),
			Error::<Test>::WrongFinancier
		);
		set_active(BANK, false);
		assert_noop!(
			Financing::offer(o(BANK), id, terms(500, 100, false, exp)),
			Error::<Test>::NotFinancier
		);
		set_active(BANK, true);
		admit(BANK, &[Role::Supplier]);
		assert_noop!(
			Financing::offer(o(BANK), id, terms(500, 100, false, exp)),
			Error::<Test>::NotFinancier
		);
	});
}

#[test]
fn offer_only_when_requested() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		let t = standard_terms(cert, false);
		let of =
			|| Financing::offer(o(BANK), id, terms(t.advance, t.discount_bps, false, t.expires));
		assert_ok!(of());
		assert_noop!(of(), Error::<Test>::AlreadyOffered);
		assert_ok!(Financing::accept_offer(o(S1), id, named(id)));
		assert_noop!(of(), Error::<Test>::AlreadyAccepted);
		assert_ok!(Financing::confirm_payout(o(BANK), id, payref("P")));
		assert_noop!(of(), Error::<Test>::AlreadyFunded);
		// Closed.
		let other = certificate(S2, 1_000);
		let id2 = request(S2, other, BANK, FinancingKind::Pledge);
		assert_ok!(Financing::cancel(o(S2), id2));
		assert_noop!(
			Financing::offer(o(BANK), id2, terms(100, 100, false, now() + DAY)),
			Error::<Test>::RequestClosed
		);
	});
}

#[test]
fn no_offer_on_a_frozen_or_matured_certificate() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		let due = cert_of(cert).due;
		assert_ok!(Receivables::freeze_root(o(REG), cert, reason()));
		assert_noop!(
			Financing::offer(o(BANK), id, terms(100, 100, false, now() + DAY)),
			Error::<Test>::Frozen
		);
		assert_ok!(Receivables::unfreeze_root(o(REG), cert, reason()));
		set_now(due);
		assert_noop!(
			Financing::offer(o(BANK), id, terms(100, 100, false, due)),
			Error::<Test>::Matured
		);
	});
}
