//! Unit tests, one file per call (or step), the invariant checks, and the
//! property test.

mod accept;
mod cancel;
mod decline;
mod offer;
mod payout;
mod property;
mod pruning;
mod recourse;
mod request;
mod request_part;
mod settlement;
mod try_state;
mod withdraw;

pub(crate) use crate::{
	mock::*, types::*, Error, Event, NextRequestId, OpenRequest, RecourseClaims, Requests,
	UnfundedRequests,
};
pub(crate) use frame_support::{assert_noop, assert_ok, BoundedVec};
pub(crate) use pallet_receivables::{Encumbrance, ReceivableLedger, Standing, Status};
pub(crate) use scf_primitives::Role;
pub(crate) use sp_core::H256;

/// The ledger's errors.
pub(crate) type LedgerError = pallet_receivables::Error<Test>;

pub(crate) fn o(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// A due date `days` from now.
pub(crate) fn due_in(days: u64) -> Moment {
	now() + days * DAY
}

/// CORE issues `amount` to `holder`, due in 73 days; `holder` accepts it.
pub(crate) fn certificate(holder: AccountId, amount: Amount) -> CertificateId {
	let id = pallet_receivables::NextCertificateId::<Test>::get();
	let docs = pallet_receivables::TradeDocuments::default();
	assert_ok!(Receivables::issue(o(CORE), holder, amount, due_in(73), docs));
	assert_ok!(Receivables::accept(o(holder), id));
	id
}

pub(crate) fn payref(s: &str) -> crate::PaymentRefOf<Test> {
	BoundedVec::truncate_from(s.as_bytes().to_vec())
}

/// Terms whose payout deadline is their expiry (the earliest allowed).
pub(crate) fn terms(advance: Amount, discount_bps: Bps, recourse: bool, expires: Moment) -> Terms {
	Terms { advance, discount_bps, recourse, expires, payout_by: expires }
}

/// The terms a holder names when it accepts request `id`: the standing
/// offer's (or any terms, where there is none, for the refusals).
pub(crate) fn named(id: RequestId) -> Terms {
	Requests::<Test>::get(id)
		.and_then(|r| r.state.terms().copied())
		.unwrap_or_else(|| terms(1, 0, false, 1))
}

/// `holder` asks `fin` to finance `cert` (wanting half of it); returns the
/// request.
pub(crate) fn request(
	holder: AccountId,
	cert: CertificateId,
	fin: AccountId,
	kind: FinancingKind,
) -> RequestId {
	let id = NextRequestId::<Test>::get();
	let amount = cert_of(cert).amount;
	assert_ok!(Financing::request(o(holder), cert, fin, amount / 2, kind));
	id
}

/// Offers `t` on request `id` as its financier.
pub(crate) fn offer(id: RequestId, t: Terms) {
	let fin = req(id).financier;
	assert_ok!(Financing::offer(o(fin), id, t));
}

/// The standard offer on a certificate: 80 % advance, 10 % a year, expiring
/// in 10 days, to be paid out within 20.
pub(crate) fn standard_terms(cert: CertificateId, recourse: bool) -> Terms {
	Terms {
		payout_by: now() + 20 * DAY,
		..terms(cert_of(cert).amount * 8 / 10, 1_000, recourse, now() + 10 * DAY)
	}
}

/// Requested, offered (standard terms) and accepted.
pub(crate) fn accepted(
	holder: AccountId,
	cert: CertificateId,
	fin: AccountId,
	kind: FinancingKind,
	recourse: bool,
) -> RequestId {
	let id = request(holder, cert, fin, kind);
	offer(id, standard_terms(cert, recourse));
	assert_ok!(Financing::accept_offer(o(holder), id, named(id)));
	id
}

/// Requested, offered, accepted and paid out.
pub(crate) fn funded(
	holder: AccountId,
	cert: CertificateId,
	fin: AccountId,
	kind: FinancingKind,
	recourse: bool,
) -> RequestId {
	let id = accepted(holder, cert, fin, kind, recourse);
	assert_ok!(Financing::confirm_payout(o(fin), id, payref("PAYOUT")));
	id
}

pub(crate) fn req(id: RequestId) -> crate::RequestOf<Test> {
	Requests::<Test>::get(id).expect("request exists")
}

pub(crate) fn stage(id: RequestId) -> Stage {
	req(id).state.stage()
}

pub(crate) fn cert_of(id: CertificateId) -> pallet_receivables::CertificateOf<Test> {
	pallet_receivables::Certificates::<Test>::get(id).expect("certificate exists")
}

pub(crate) fn status(id: CertificateId) -> Status<AccountId> {
	cert_of(id).status
}

/// This pallet's events.
pub(crate) fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Financing(e) = r.event { Some(e) } else { None })
		.collect()
}

/// The ledger's events.
pub(crate) fn ledger_events() -> Vec<pallet_receivables::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Receivables(e) = r.event { Some(e) } else { None })
		.collect()
}

pub(crate) fn last_event() -> Event<Test> {
	events().pop().expect("an event")
}

/// Moves time to `cert`'s due date and has CORE settle its root.
pub(crate) fn settle(cert: CertificateId) {
	let c = cert_of(cert);
	if now() < c.due {
		set_now(c.due);
	}
	assert_ok!(Receivables::settle(o(CORE), c.root, BoundedVec::truncate_from(b"SETTLE".to_vec())));
}

/// Moves time until `cert` is overdue (the sweep marks it).
pub(crate) fn make_overdue(cert: CertificateId) {
	advance_to(cert_of(cert).due + GRACE + GRANULARITY, GRANULARITY * 240);
}

pub(crate) fn reason() -> H256 {
	H256::repeat_byte(1)
}
