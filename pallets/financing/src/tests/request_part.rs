use super::*;

#[test]
fn request_part_splits_and_requests_in_one_step() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		assert_ok!(Financing::request_part(o(S1), cert, 300, BANK, 250, FinancingKind::Pledge));
		let (part, rest) = (cert + 1, cert + 2);
		assert_eq!(status(cert), Status::ClosedBySplit);
		assert_eq!((cert_of(part).amount, cert_of(rest).amount), (300, 700));
		assert_eq!(status(part), Status::Live(Standing::Reserved { financier: BANK }));
		assert_eq!(status(rest), Status::Live(Standing::Active));
		assert_eq!(cert_of(rest).holder, S1);
		let r = req(1);
		assert_eq!((r.certificate, r.amount, r.wanted_advance), (part, 300, 250));
		assert_eq!(OpenRequest::<Test>::get(part), Some(1));
		assert_eq!(OpenRequest::<Test>::get(cert), None);
		assert_eq!(
			last_event(),
			Event::Requested {
				request: 1,
				certificate: part,
				holder: S1,
				financier: BANK,
				kind: FinancingKind::Pledge,
				amount: 300,
				wanted_advance: 250,
				due: cert_of(cert).due,
				split_from: Some(cert),
				at: now(),
			}
		);
		// The remainder is free: it can be financed elsewhere.
		let other = request(S1, rest, BANK2, FinancingKind::Factoring);
		assert_eq!(OpenRequest::<Test>::get(rest), Some(other));
	});
}

#[test]
fn request_part_refusals_change_nothing() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let f = FinancingKind::Factoring;
		let rp = |who, c, amount, fin, adv| Financing::request_part(o(who), c, amount, fin, adv, f);
		assert_noop!(rp(S1, 999, 300, BANK, 100), Error::<Test>::UnknownCertificate);
		assert_noop!(rp(OUTSIDER, cert, 300, BANK, 100), Error::<Test>::NotParticipant);
		assert_noop!(rp(S1, cert, 300, S2, 100), Error::<Test>::NotFinancier);
		assert_noop!(rp(S1, cert, 300, BANK, 0), Error::<Test>::NoAdvance);
		assert_noop!(rp(S1, cert, 300, BANK, 301), Error::<Test>::AdvanceTooHigh);
		assert_noop!(rp(S2, cert, 300, BANK, 100), LedgerError::NotHolder);
		assert_noop!(rp(S1, cert, MIN - 1, BANK, 5), LedgerError::BelowMinimum);
		assert_noop!(rp(S1, cert, 1_000, BANK, 100), LedgerError::ExceedsAmount);
		assert_noop!(rp(S1, cert, 995, BANK, 100), LedgerError::BelowMinimum);
		assert_ok!(Receivables::freeze(o(REG), cert, reason()));
		assert_noop!(rp(S1, cert, 300, BANK, 100), LedgerError::Frozen);
		assert_ok!(Receivables::unfreeze(o(REG), cert, reason()));
		set_now(cert_of(cert).due);
		assert_noop!(rp(S1, cert, 300, BANK, 100), LedgerError::Matured);
	});
}

#[test]
fn no_request_once_request_ids_run_out() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		NextRequestId::<Test>::put(RequestId::MAX);
		let f = FinancingKind::Factoring;
		assert_noop!(Financing::request(o(S1), cert, BANK, 500, f), Error::<Test>::Overflow);
		// Refused before the split: the certificate stays whole.
		assert_noop!(
			Financing::request_part(o(S1), cert, 300, BANK, 250, f),
			Error::<Test>::Overflow
		);
		assert_eq!(status(cert), Status::Live(Standing::Active));
	});
}
