//! `do_try_state` catches broken invariants (so the check after every other
//! test means something). Each test breaks one thing, checks it is caught,
//! and puts it back.

use super::*;

fn broken(msg: &'static str) -> Result<(), sp_runtime::TryRuntimeError> {
	Err(sp_runtime::TryRuntimeError::Other(msg))
}

#[test]
fn an_open_request_without_its_index_entry_is_caught() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = request(S1, cert, BANK, FinancingKind::Factoring);
		OpenRequest::<Test>::remove(cert);
		assert_eq!(
			Financing::do_try_state(),
			broken("OpenRequest disagrees with the request state")
		);
		OpenRequest::<Test>::insert(cert, id);
	});
}

#[test]
fn an_index_entry_for_a_missing_request_is_caught() {
	run_test(|| {
		OpenRequest::<Test>::insert(5, 42);
		assert_eq!(Financing::do_try_state(), broken("OpenRequest names a missing request"));
		OpenRequest::<Test>::remove(5);
	});
}

#[test]
fn a_request_whose_reservation_vanished_is_caught() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		request(S1, cert, BANK, FinancingKind::Factoring);
		assert_ok!(<Receivables as ReceivableLedger<_>>::release_reservation(cert));
		assert_eq!(
			Financing::do_try_state(),
			broken("open request's certificate not reserved for its financier")
		);
		assert_ok!(<Receivables as ReceivableLedger<_>>::reserve(&S1, cert, &BANK));
	});
}

#[test]
fn a_reservation_without_a_request_is_caught() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		assert_ok!(<Receivables as ReceivableLedger<_>>::reserve(&S1, cert, &BANK));
		assert!(check_invariants().is_err());
		assert_ok!(<Receivables as ReceivableLedger<_>>::release_reservation(cert));
	});
}

#[test]
fn a_funded_request_whose_certificate_was_handed_back_is_caught() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		funded(S1, cert, BANK, FinancingKind::Factoring, false);
		assert_ok!(<Receivables as ReceivableLedger<_>>::return_to_seller(&BANK, cert));
		assert_eq!(
			Financing::do_try_state(),
			broken("funded request's certificate not financed or pledged as recorded")
		);
		assert_ok!(<Receivables as ReceivableLedger<_>>::reserve(&S1, cert, &BANK));
		assert_ok!(<Receivables as ReceivableLedger<_>>::transfer_to_financier(&S1, cert, &BANK));
	});
}

#[test]
fn a_claim_without_recourse_is_caught() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = funded(S1, cert, BANK, FinancingKind::Pledge, false);
		RecourseClaims::<Test>::insert(id, RecourseClaim { debtor: S1, amount: 800 });
		assert_eq!(
			Financing::do_try_state(),
			broken("claim without recourse, or recourse without claim")
		);
		RecourseClaims::<Test>::remove(id);
	});
}

#[test]
fn a_settlement_split_that_does_not_add_up_is_caught() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = funded(S1, cert, BANK, FinancingKind::Pledge, false);
		settle(cert);
		let good = req(id);
		Requests::<Test>::mutate(id, |r| {
			if let Some(RequestState::Settled { to_holder, .. }) = r.as_mut().map(|r| &mut r.state)
			{
				*to_holder += 1;
			}
		});
		assert_eq!(
			Financing::do_try_state(),
			broken("settlement split does not add up to the amount")
		);
		Requests::<Test>::insert(id, good);
	});
}

#[test]
fn an_id_beyond_next_request_id_is_caught() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		request(S1, cert, BANK, FinancingKind::Factoring);
		NextRequestId::<Test>::put(1);
		assert_eq!(Financing::do_try_state(), broken("request id not below NextRequestId"));
		NextRequestId::<Test>::put(2);
	});
}

#[test]
fn a_payout_deadline_after_the_due_date_is_caught() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = accepted(S1, cert, BANK, FinancingKind::Factoring, false);
		let good = req(id);
		let mut bad = good.clone();
		let RequestState::Accepted { terms, .. } = &mut bad.state else { unreachable!() };
		terms.payout_by = good.due + 1;
		Requests::<Test>::insert(id, bad);
		assert_eq!(Financing::do_try_state(), broken("payout deadline outside expiry..=due"));
		Requests::<Test>::insert(id, good);
	});
}

#[test]
fn an_open_deals_count_that_disagrees_is_caught() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		request(S1, cert, BANK, FinancingKind::Factoring);
		crate::OpenDeals::<Test>::insert(BANK, 2);
		assert_eq!(
			Financing::do_try_state(),
			broken("OpenDeals differs from the requests not closed")
		);
		crate::OpenDeals::<Test>::insert(BANK, 1);
	});
}
