use super::*;

#[test]
fn decline_closes_and_releases_the_certificate() {
	run_test(|| {
		// Requested, offered, and accepted: a financier is never bound to
		// pay out.
		for stage_reached in 0..3 {
			let cert = certificate(S1, 1_000);
			let id = request(S1, cert, BANK, FinancingKind::Pledge);
			if stage_reached >= 1 {
				offer(id, standard_terms(cert, false));
			}
			if stage_reached >= 2 {
				assert_ok!(Financing::accept_offer(o(S1), id, named(id)));
			}
			assert_ok!(Financing::decline(o(BANK), id));
			assert_eq!(req(id).state, RequestState::Declined { at: now() });
			assert_eq!(OpenRequest::<Test>::get(cert), None);
			assert_eq!(status(cert), Status::Live(Standing::Active));
			assert_eq!(
				last_event(),
				Event::Declined {
					request: id,
					certificate: cert,
					financier: BANK,
					holder: S1,
					at: now()
				}
			);
			assert!(ledger_events().contains(&pallet_receivables::Event::ReservationReleased {
				id: cert,
				holder: S1,
				financier: BANK
			}));
		}
	});
}

#[test]
fn decline_refusals() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		assert_noop!(Financing::decline(o(BANK), 99), Error::<Test>::UnknownRequest);
		assert_noop!(Financing::decline(o(BANK2), id), Error::<Test>::WrongFinancier);
		assert_noop!(Financing::decline(o(S1), id), Error::<Test>::WrongFinancier);
		set_active(BANK, false);
		assert_noop!(Financing::decline(o(BANK), id), Error::<Test>::NotFinancier);
		set_active(BANK, true);
		// Frozen: nothing can be done with the certificate.
		assert_ok!(Receivables::freeze(o(REG), cert, reason()));
		assert_noop!(Financing::decline(o(BANK), id), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), cert, reason()));
		// Never after payout.
		offer(id, standard_terms(cert, false));
		assert_ok!(Financing::accept_offer(o(S1), id, named(id)));
		assert_ok!(Financing::confirm_payout(o(BANK), id, payref("P")));
		assert_noop!(Financing::decline(o(BANK), id), Error::<Test>::AlreadyFunded);
		let id2 = request(S2, certificate(S2, 500), BANK, FinancingKind::Pledge);
		assert_ok!(Financing::decline(o(BANK), id2));
		assert_noop!(Financing::decline(o(BANK), id2), Error::<Test>::RequestClosed);
	});
}

#[test]
fn decline_after_the_reservation_lapsed_only_closes() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		make_overdue(cert);
		assert_eq!(status(cert), Status::Live(Standing::Overdue { encumbrance: None }));
		assert_ok!(Financing::decline(o(BANK), id));
		assert_eq!(stage(id), Stage::Closed);
		assert_eq!(status(cert), Status::Live(Standing::Overdue { encumbrance: None }));
	});
}
