use super::*;

#[test]
fn accept_offer_records_acceptance() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		let t = standard_terms(cert, true);
		offer(id, t);
		assert_ok!(Financing::accept_offer(o(S1), id, named(id)));
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
				payout_by: t.payout_by,
				at: now(),
			}
		);
	});
}

/// The holder accepts the terms it saw, never whatever stands when its call
/// executes: a financier that withdraws and offers again (1 fen, with
/// recourse) ahead of the holder's accept in the same block gets a refusal.
#[test]
fn accept_offer_refuses_terms_other_than_the_standing_offer() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		let seen = standard_terms(cert, false);
		offer(id, seen);
		assert_ok!(Financing::withdraw_offer(o(BANK), id));
		let swapped = Terms { advance: 1, recourse: true, ..seen };
		offer(id, swapped);
		assert_noop!(Financing::accept_offer(o(S1), id, seen), Error::<Test>::OfferChanged);
		// Every field counts.
		for other in [
			Terms { advance: seen.advance, ..swapped },
			Terms { recourse: false, ..swapped },
			Terms { discount_bps: swapped.discount_bps + 1, ..swapped },
			Terms { expires: swapped.expires - 1, ..swapped },
			Terms { payout_by: swapped.payout_by - 1, ..swapped },
		] {
			assert_noop!(Financing::accept_offer(o(S1), id, other), Error::<Test>::OfferChanged);
		}
		assert_eq!(req(id).state, RequestState::Offered { terms: swapped });
		// Naming the standing offer, the holder accepts it.
		assert_ok!(Financing::accept_offer(o(S1), id, swapped));
		assert_eq!(req(id).state, RequestState::Accepted { terms: swapped, at: now() });
	});
}

#[test]
fn accept_offer_refusals() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		assert_noop!(Financing::accept_offer(o(S1), 99, named(99)), Error::<Test>::UnknownRequest);
		// Accept before offer.
		assert_noop!(Financing::accept_offer(o(S1), id, named(id)), Error::<Test>::NotOffered);
		let t = terms(500, 100, false, now() + DAY);
		offer(id, t);
		assert_noop!(Financing::accept_offer(o(S2), id, named(id)), Error::<Test>::NotHolder);
		assert_noop!(Financing::accept_offer(o(BANK), id, named(id)), Error::<Test>::NotHolder);
		set_active(S1, false);
		assert_noop!(Financing::accept_offer(o(S1), id, named(id)), Error::<Test>::NotParticipant);
		set_active(S1, true);
		assert_ok!(Receivables::freeze(o(REG), cert, reason()));
		assert_noop!(Financing::accept_offer(o(S1), id, named(id)), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), cert, reason()));
		// Expired: at the expiry moment and after.
		set_now(t.expires);
		assert_noop!(Financing::accept_offer(o(S1), id, named(id)), Error::<Test>::OfferExpired);
		set_now(t.expires - 1);
		assert_ok!(Financing::accept_offer(o(S1), id, named(id)));
		assert_noop!(Financing::accept_offer(o(S1), id, named(id)), Error::<Test>::AlreadyAccepted);
		assert_ok!(Financing::confirm_payout(o(BANK), id, payref("P")));
		assert_noop!(Financing::accept_offer(o(S1), id, named(id)), Error::<Test>::AlreadyFunded);
		let id2 = request(S2, certificate(S2, 500), BANK, FinancingKind::Pledge);
		assert_ok!(Financing::cancel(o(S2), id2));
		assert_noop!(Financing::accept_offer(o(S2), id2, named(id2)), Error::<Test>::RequestClosed);
	});
}
