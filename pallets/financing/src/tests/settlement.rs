use super::*;

#[test]
fn the_discount_formula() {
	// 800 at 10 % a year for 73 days (a fifth of a year): 16.
	assert_eq!(discount(800, 1_000, 0, 73 * DAY), 16);
	// One year at 100 %: the advance.
	assert_eq!(discount(1_000_000, 10_000, 0, YEAR_MS), 1_000_000);
	// Rounded down; nothing for no time or a due date in the past.
	assert_eq!(discount(1, 1, 0, DAY), 0);
	assert_eq!(discount(1_000, 1_000, DAY, DAY), 0);
	assert_eq!(discount(1_000, 1_000, 2 * DAY, DAY), 0);
	// No overflow at the extremes.
	assert_eq!(discount(Amount::MAX, 10_000, 0, YEAR_MS), Amount::MAX);
	assert_eq!(discount(Amount::MAX, 5_000, 0, YEAR_MS), Amount::MAX / 2);
	assert_eq!(discount(Amount::MAX, Bps::MAX, 0, Moment::MAX), Amount::MAX);
}

#[test]
fn settlement_pays_a_factored_certificate_to_the_financier() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = funded(S1, cert, BANK, FinancingKind::Factoring, false);
		let t = *req(id).state.terms().unwrap();
		settle(cert);
		assert_eq!(
			req(id).state,
			RequestState::Settled { terms: t, to_financier: 1_000, to_holder: 0, at: now() }
		);
		assert_eq!(OpenRequest::<Test>::get(cert), None);
		assert_eq!(
			last_event(),
			Event::Settled {
				request: id,
				certificate: cert,
				holder: S1,
				financier: BANK,
				kind: FinancingKind::Factoring,
				amount: 1_000,
				to_financier: 1_000,
				to_holder: 0,
				at: now(),
			}
		);
	});
}

#[test]
fn settlement_splits_a_pledged_certificate() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		// 800 at 10 %, 73 days: the financier gets 816, the holder 184.
		let id = funded(S1, cert, BANK, FinancingKind::Pledge, false);
		settle(cert);
		assert!(matches!(
			req(id).state,
			RequestState::Settled { to_financier: 816, to_holder: 184, .. }
		));
		assert!(matches!(
			last_event(),
			Event::Settled { to_financier: 816, to_holder: 184, holder: S1, financier: BANK, .. }
		));
	});
}

#[test]
fn a_pledge_pays_the_financier_at_most_the_amount() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Pledge);
		offer(id, terms(1_000, MAX_BPS, false, now() + DAY));
		assert_ok!(Financing::accept_offer(o(S1), id, named(id)));
		assert_ok!(Financing::confirm_payout(o(BANK), id, payref("P")));
		// Overdue and settled late: still at most the amount.
		make_overdue(cert);
		settle(cert);
		assert!(matches!(
			req(id).state,
			RequestState::Settled { to_financier: 1_000, to_holder: 0, .. }
		));
	});
}

#[test]
fn an_unfunded_request_lapses_at_settlement() {
	run_test(|| {
		// Reserved at the due date (not yet overdue), and lapsed to overdue.
		let a = certificate(S1, 1_000);
		let b = certificate(S2, 1_000);
		let ra = accepted(S1, a, BANK, FinancingKind::Factoring, false);
		let rb = request(S2, b, BANK2, FinancingKind::Pledge);
		settle(a);
		assert_eq!(req(ra).state, RequestState::Lapsed { at: now() });
		assert_eq!(
			last_event(),
			Event::Lapsed { request: ra, certificate: a, holder: S1, financier: BANK, at: now() }
		);
		make_overdue(b);
		settle(b);
		assert_eq!(req(rb).state, RequestState::Lapsed { at: now() });
		assert_eq!(OpenRequest::<Test>::iter().count(), 0);
		assert_noop!(Financing::cancel(o(S1), ra), Error::<Test>::RequestClosed);
	});
}

#[test]
fn settlement_without_financing_records_nothing() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Pledge);
		assert_ok!(Financing::cancel(o(S1), id));
		System::reset_events();
		settle(cert);
		assert!(events().is_empty());
		assert_eq!(req(id).state.stage(), Stage::Closed);
	});
}

/// The scenario of the issue: split, finance a part at a bank, payout
/// confirmed, settle pays the bank and the supplier correctly.
#[test]
fn split_finance_a_part_and_settle() {
	run_test(|| {
		let root = certificate(S1, 10_000);
		// S1 passes 4 000 down to S2, who accepts it.
		let docs = pallet_receivables::TradeDocuments::default();
		assert_ok!(Receivables::split_transfer(
			o(S1),
			root,
			BoundedVec::truncate_from(vec![(S2, 4_000)]),
			docs
		));
		let (s2_cert, s1_rest) = (root + 1, root + 2);
		assert_ok!(Receivables::accept(o(S2), s2_cert));
		// S2 finances 2 500 of it by factoring at BANK; S1 pledges its rest at BANK2.
		assert_ok!(Financing::request_part(
			o(S2),
			s2_cert,
			2_500,
			BANK,
			2_000,
			FinancingKind::Factoring
		));
		let (part, s2_rest) = (s2_cert + 2, s2_cert + 3);
		let factoring = 1;
		offer(factoring, terms(2_400, 730, true, now() + DAY));
		assert_ok!(Financing::accept_offer(o(S2), factoring, named(factoring)));
		assert_ok!(Financing::confirm_payout(o(BANK), factoring, payref("BANK-1")));
		let pledge = request(S1, s1_rest, BANK2, FinancingKind::Pledge);
		offer(pledge, terms(5_000, 1_000, false, now() + DAY));
		assert_ok!(Financing::accept_offer(o(S1), pledge, named(pledge)));
		assert_ok!(Financing::confirm_payout(o(BANK2), pledge, payref("BANK2-1")));
		assert_eq!(cert_of(part).holder, BANK);
		assert_eq!(cert_of(s2_rest).holder, S2);

		System::reset_events();
		settle(root);
		let paid: Vec<_> = ledger_events()
			.into_iter()
			.filter_map(|e| match e {
				pallet_receivables::Event::CertificateSettled { id, holder, amount, .. } => {
					Some((id, holder, amount))
				},
				_ => None,
			})
			.collect();
		assert_eq!(paid, vec![(s1_rest, S1, 6_000), (part, BANK, 2_500), (s2_rest, S2, 1_500)]);
		// The bank bought the part outright; BANK2 gets 5 000 + 100 (10 % a
		// year for 73 days) of S1's 6 000.
		assert!(matches!(
			req(factoring).state,
			RequestState::Settled { to_financier: 2_500, to_holder: 0, .. }
		));
		assert!(matches!(
			req(pledge).state,
			RequestState::Settled { to_financier: 5_100, to_holder: 900, .. }
		));
		assert_eq!(events().len(), 2);
	});
}
