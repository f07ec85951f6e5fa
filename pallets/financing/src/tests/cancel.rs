use super::*;

#[test]
fn cancel_closes_and_releases_in_every_unfunded_stage() {
	run_test(|| {
		for stage_reached in 0..3 {
			let cert = certificate(S1, 1_000);
			let id = request(S1, cert, BANK, FinancingKind::Factoring);
			if stage_reached >= 1 {
				offer(id, standard_terms(cert, false));
			}
			if stage_reached >= 2 {
				assert_ok!(Financing::accept_offer(o(S1), id));
			}
			assert_ok!(Financing::cancel(o(S1), id));
			assert_eq!(req(id).state, RequestState::Cancelled { at: now() });
			assert_eq!(OpenRequest::<Test>::get(cert), None);
			assert_eq!(status(cert), Status::Live(Standing::Active));
			assert_eq!(
				last_event(),
				Event::Cancelled {
					request: id,
					certificate: cert,
					holder: S1,
					financier: BANK,
					at: now()
				}
			);
		}
	});
}

#[test]
fn cancel_refusals() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = accepted(S1, cert, BANK, FinancingKind::Factoring, true);
		assert_noop!(Financing::cancel(o(S1), 99), Error::<Test>::UnknownRequest);
		assert_noop!(Financing::cancel(o(S2), id), Error::<Test>::NotHolder);
		assert_noop!(Financing::cancel(o(BANK), id), Error::<Test>::NotHolder);
		set_active(S1, false);
		assert_noop!(Financing::cancel(o(S1), id), Error::<Test>::NotParticipant);
		set_active(S1, true);
		assert_ok!(Receivables::freeze(o(REG), cert, reason()));
		assert_noop!(Financing::cancel(o(S1), id), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), cert, reason()));
		// Never after payout.
		assert_ok!(Financing::confirm_payout(o(BANK), id, payref("P")));
		assert_noop!(Financing::cancel(o(S1), id), Error::<Test>::AlreadyFunded);
		make_overdue(cert);
		assert_ok!(Financing::exercise_recourse(o(BANK), id));
		assert_noop!(Financing::cancel(o(S1), id), Error::<Test>::InRecourse);
		assert_ok!(Financing::confirm_repayment(o(BANK), id, payref("R")));
		assert_noop!(Financing::cancel(o(S1), id), Error::<Test>::Closed);
	});
}

#[test]
fn cancel_after_the_reservation_lapsed_only_closes() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = accepted(S1, cert, BANK, FinancingKind::Pledge, false);
		make_overdue(cert);
		assert_eq!(status(cert), Status::Live(Standing::Overdue { encumbrance: None }));
		// Too late to pay out.
		assert_noop!(Financing::confirm_payout(o(BANK), id, payref("P")), Error::<Test>::Matured);
		assert_ok!(Financing::cancel(o(S1), id));
		assert_eq!(stage(id), Stage::Closed);
		assert_eq!(OpenRequest::<Test>::get(cert), None);
	});
}
