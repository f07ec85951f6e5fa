use super::*;

#[test]
fn accept_offer_records_acceptance() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		let t = standard_terms(cert, true);
		offer(id, t);
		assert_ok!(Financing::accept_offer(o(S1), id));
		assert_eq!(req(id).state, RequestState::Accepted { terms: t, at: now() });
		assert_eq!(
			last_event(),
			Event::OfferAccepted {
				request: id,
				certificate: cert,
				holder: S1,
				financier: BANK,
				advance: t.advance,
				discount_bps: t.discount_bps,
				recourse: true,
				at: now(),
			}
		);
	});
}

#[test]
fn accept_offer_refusals() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		assert_noop!(Financing::accept_offer(o(S1), 99), Error::<Test>::UnknownRequest);
		// Accept before offer.
		assert_noop!(Financing::accept_offer(o(S1), id), Error::<Test>::NotOffered);
		let t = terms(500, 100, false, now() + DAY);
		offer(id, t);
		assert_noop!(Financing::accept_offer(o(S2), id), Error::<Test>::NotHolder);
		assert_noop!(Financing::accept_offer(o(BANK), id), Error::<Test>::NotHolder);
		set_active(S1, false);
		assert_noop!(Financing::accept_offer(o(S1), id), Error::<Test>::NotParticipant);
		set_active(S1, true);
		assert_ok!(Receivables::freeze(o(REG), cert, reason()));
		assert_noop!(Financing::accept_offer(o(S1), id), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), cert, reason()));
		// Expired: at the expiry moment and after.
		set_now(t.expires);
		assert_noop!(Financing::accept_offer(o(S1), id), Error::<Test>::OfferExpired);
		set_now(t.expires - 1);
		assert_ok!(Financing::accept_offer(o(S1), id));
		assert_noop!(Financing::accept_offer(o(S1), id), Error::<Test>::AlreadyAccepted);
		assert_ok!(Financing::confirm_payout(o(BANK), id, payref("P")));
		assert_noop!(Financing::accept_offer(o(S1), id), Error::<Test>::AlreadyFunded);
		let id2 = request(S2, certificate(S2, 500), BANK, FinancingKind::Pledge);
		assert_ok!(Financing::cancel(o(S2), id2));
		assert_noop!(Financing::accept_offer(o(S2), id2), Error::<Test>::Closed);
	});
}
