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
				assert_ok!(Financing::accept_offer(o(S1), id, named(id)));
				// An accepted deal: only once its payout deadline passed.
				set_now(named(id).payout_by);
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
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		assert_noop!(Financing::cancel(o(S1), 99), Error::<Test>::UnknownRequest);
		assert_noop!(Financing::cancel(o(S2), id), Error::<Test>::NotHolder);
		assert_noop!(Financing::cancel(o(BANK), id), Error::<Test>::NotHolder);
		set_active(S1, false);
		assert_noop!(Financing::cancel(o(S1), id), Error::<Test>::NotParticipant);
		set_active(S1, true);
		assert_ok!(Receivables::freeze(o(REG), cert, reason()));
		assert_noop!(Financing::cancel(o(S1), id), Error::<Test>::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), cert, reason()));
		// Accepted: locked until the payout deadline.
		let t = standard_terms(cert, true);
		offer(id, t);
		assert_ok!(Financing::accept_offer(o(S1), id, t));
		assert_noop!(Financing::cancel(o(S1), id), Error::<Test>::AwaitingPayout);
		// Never after payout.
		assert_ok!(Financing::confirm_payout(o(BANK), id, payref("P")));
		assert_noop!(Financing::cancel(o(S1), id), Error::<Test>::AlreadyFunded);
		make_overdue(cert);
		assert_ok!(Financing::exercise_recourse(o(BANK), id));
		assert_noop!(Financing::cancel(o(S1), id), Error::<Test>::InRecourse);
		assert_ok!(Financing::confirm_repayment(o(BANK), id, payref("R")));
		assert_noop!(Financing::cancel(o(S1), id), Error::<Test>::RequestClosed);
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

/// Once the holder accepted, it cannot walk away while the financier may
/// still pay out (and finance the certificate at a second bank meanwhile):
/// only the payout, the financier's decline or the deadline end the deal.
/// At the deadline the financier can no longer pay out and the holder can
/// cancel.
#[test]
fn an_accepted_deal_is_locked_until_its_payout_deadline() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = accepted(S1, cert, BANK, FinancingKind::Factoring, false);
		let payout_by = named(id).payout_by;
		assert_noop!(Financing::cancel(o(S1), id), Error::<Test>::AwaitingPayout);
		set_now(payout_by - 1);
		assert_noop!(Financing::cancel(o(S1), id), Error::<Test>::AwaitingPayout);
		// The certificate stays reserved for this financier: no second bank.
		assert_noop!(
			Financing::request(o(S1), cert, BANK2, 100, FinancingKind::Factoring),
			Error::<Test>::AlreadyRequested
		);
		set_now(payout_by);
		assert_noop!(
			Financing::confirm_payout(o(BANK), id, payref("LATE")),
			Error::<Test>::PayoutDeadlinePassed
		);
		assert_ok!(Financing::cancel(o(S1), id));
		assert_eq!(req(id).state, RequestState::Cancelled { at: now() });
		assert_eq!(status(cert), Status::Live(Standing::Active));
		// Now the holder is free to go elsewhere.
		assert_ok!(Financing::request(o(S1), cert, BANK2, 100, FinancingKind::Factoring));
	});
}
