//! Unit tests, one file per feature, and the property test.

mod accept;
mod api;
mod freeze;
mod issue;
mod ledger;
mod offers;
mod overdue;
mod per_holder;
mod property;
mod pruning;
mod revoke;
mod settle;
mod split;
mod sweep_idle;
mod timers;
mod try_state;

pub(crate) use crate::{mock::*, types::*, Error, Event, ReceivableLedger};
pub(crate) use frame_support::{assert_noop, assert_ok, BoundedVec};
pub(crate) use sp_core::H256;
pub(crate) use sp_runtime::DispatchError;

pub(crate) type Docs = crate::DocumentsOf<Test>;

/// Documents with contract hash `c` and one invoice.
pub(crate) fn docs(c: u8) -> Docs {
	TradeDocuments {
		contract: H256::repeat_byte(c),
		invoices: BoundedVec::truncate_from(vec![H256::repeat_byte(c.wrapping_add(1))]),
	}
}

/// A due date `days` from now.
pub(crate) fn due_in(days: u64) -> Moment {
	now() + days * DAY
}

/// CORE issues `amount` to S1 due in 90 days; returns the id.
pub(crate) fn issue_to(receiver: AccountId, amount: Amount) -> CertificateId {
	let id = crate::NextCertificateId::<Test>::get();
	assert_ok!(Receivables::issue(
		RuntimeOrigin::signed(CORE),
		receiver,
		amount,
		due_in(90),
		docs(1)
	));
	id
}

/// CORE issues `amount` to `receiver`, who accepts it.
pub(crate) fn active_root(receiver: AccountId, amount: Amount) -> CertificateId {
	let id = issue_to(receiver, amount);
	assert_ok!(Receivables::accept(RuntimeOrigin::signed(receiver), id));
	id
}

/// `holder` reserves `id` for `fin`, then sells it to `fin` (factoring).
pub(crate) fn factor(holder: AccountId, id: CertificateId, fin: AccountId) {
	assert_ok!(<Receivables as ReceivableLedger<_>>::reserve(&holder, id, &fin));
	assert_ok!(<Receivables as ReceivableLedger<_>>::transfer_to_financier(&holder, id, &fin));
}

/// `holder` reserves `id` for `fin`, then pledges it to `fin`.
pub(crate) fn pledge(holder: AccountId, id: CertificateId, fin: AccountId) {
	assert_ok!(<Receivables as ReceivableLedger<_>>::reserve(&holder, id, &fin));
	assert_ok!(<Receivables as ReceivableLedger<_>>::pledge_to_financier(&holder, id, &fin));
}

pub(crate) fn parts(v: &[(AccountId, Amount)]) -> crate::PartsOf<Test> {
	BoundedVec::truncate_from(v.to_vec())
}

pub(crate) fn cert(id: CertificateId) -> crate::CertificateOf<Test> {
	crate::Certificates::<Test>::get(id).expect("certificate exists")
}

pub(crate) fn status(id: CertificateId) -> Status<AccountId> {
	cert(id).status
}

pub(crate) fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| if let RuntimeEvent::Receivables(e) = r.event { Some(e) } else { None })
		.collect()
}

pub(crate) fn last_event() -> Event<Test> {
	events().pop().expect("an event")
}

pub(crate) fn reason(b: u8) -> H256 {
	H256::repeat_byte(b)
}

/// A root of 1 000 split across S1 (400), S2 (300, accepted) and S3 (300,
/// accepted, pledged to FIN).
pub(crate) fn tree() -> CertificateId {
	let o = RuntimeOrigin::signed;
	let root = active_root(S1, 1_000);
	assert_ok!(Receivables::split_transfer(o(S1), root, parts(&[(S2, 300), (S3, 300)]), docs(2)));
	assert_ok!(Receivables::accept(o(S2), root + 1));
	assert_ok!(Receivables::accept(o(S3), root + 2));
	pledge(S3, root + 2, FIN);
	root
}
