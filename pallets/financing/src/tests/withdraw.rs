use super::*;

#[test]
fn withdraw_offer_returns_the_request_to_requested() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		offer(id, standard_terms(cert, true));
		assert_ok!(Financing::withdraw_offer(o(BANK), id));
		assert_eq!(req(id).state, RequestState::Requested);
		assert_eq!(
			last_event(),
			Event::OfferWithdrawn {
				request: id,
				certificate: cert,
				financier: BANK,
				holder: S1,
				at: now()
			}
		);
		assert_eq!(status(cert), Status::Live(Standing::Reserved { financier: BANK }));
		// Nothing to accept any more; a new offer can be made.
		assert_noop!(Financing::accept_offer(o(S1), id, named(id)), Error::<Test>::NotOffered);
		offer(id, standard_terms(cert, false));
	});
}

#[test]
fn withdraw_offer_refusals() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		assert_noop!(Financing::withdraw_offer(o(BANK), 99), Error::<Test>::UnknownRequest);
		assert_noop!(Financing::withdraw_offer(o(BANK), id), Error::<Test>::NotOffered);
		offer(id, standard_terms(cert, true));
		assert_noop!(Financing::withdraw_offer(o(BANK2), id), Error::<Test>::WrongFinancier);
		assert_noop!(Financing::withdraw_offer(o(S1), id), Error::<Test>::WrongFinancier);
		set_active(BANK, false);
		assert_noop!(Financing::withdraw_offer(o(BANK), id), Error::<Test>::NotFinancier);
		set_active(BANK, true);
		assert_ok!(Financing::accept_offer(o(S1), id, named(id)));
		assert_noop!(Financing::withdraw_offer(o(BANK), id), Error::<Test>::AlreadyAccepted);
		assert_ok!(Financing::confirm_payout(o(BANK), id, payref("P")));
		assert_noop!(Financing::withdraw_offer(o(BANK), id), Error::<Test>::AlreadyFunded);
		let id2 = request(S2, certificate(S2, 500), BANK, FinancingKind::Pledge);
		assert_ok!(Financing::decline(o(BANK), id2));
		assert_noop!(Financing::withdraw_offer(o(BANK), id2), Error::<Test>::RequestClosed);
	});
}
