//! End-to-end tests of the ledger on the shared test consortium (see
//! `common`): the participant gate in the transaction pool; a certificate's
//! life from issue to settlement across three supplier tiers; a supplier
//! financing two parts at a bank through to settlement; and the timers: an
//! unaccepted certificate lapsing back to its sender and an unsettled one
//! falling overdue, on the running chain. Everything is read back through
//! the runtime API and chain storage.
//!
//! Each test admits a cast of its own through bank B (Bob, an operator and
//! financier of the `local_testnet` preset): a fresh core enterprise with a
//! credit line from bank B, and fresh suppliers. The tests run in parallel;
//! their due dates lie 30–60 s ahead, so the suite waits for maturity once.

mod common;

use std::time::Duration;

use common::{cast::*, tx::*, *};
use pallet_receivables::{CertificateOf, Standing, Status, TradeDocuments};
use scf_primitives::Role;
use scf_runtime::{AccountId, Runtime, RuntimeCall};
use sp_core::sr25519;
use sp_keyring::Sr25519Keyring;

type Certificate = CertificateOf<Runtime>;

/// The bank that admits this suite's participants and lends to them.
const BANK: Sr25519Keyring = Sr25519Keyring::Bob;

fn holdings(node: &Node, who: &sr25519::Pair) -> Vec<Certificate> {
	runtime_call(node, "ReceivablesApi_holdings", account(who))
}

fn certificate(node: &Node, id: u64) -> Option<Certificate> {
	runtime_call(node, "ReceivablesApi_certificate", id)
}

/// A fresh core enterprise with a credit line of 100 million yuan from
/// bank B, and `n` fresh suppliers.
fn fresh_cast(node: &Node, label: &str, n: usize) -> (sr25519::Pair, Vec<sr25519::Pair>) {
	let mut roles = vec![Role::CoreEnterprise];
	roles.extend(std::iter::repeat(Role::Supplier).take(n));
	let mut pairs = admit_fresh(node, BANK, label, &roles);
	let core = pairs.remove(0);
	grant_line(node, BANK, &account(&core), 10_000_000_000);
	(core, pairs)
}

/// `core` issues `receiver` a certificate of `face` due at `due` (ms), and
/// waits until it is included; returns its id.
fn issue(node: &Node, core: &sr25519::Pair, receiver: &sr25519::Pair, face: u128, due: u64) -> u64 {
	let call = pallet_receivables::Call::issue {
		receiver: account(receiver),
		amount: face,
		due,
		documents: TradeDocuments::default(),
	};
	submit_and_include(node, core, RuntimeCall::Receivables(call));
	holdings(node, receiver)
		.into_iter()
		.find(|c| c.parent.is_none() && c.issuer == account(core) && c.amount == face)
		.unwrap_or_else(|| panic!("the receiver is offered the certificate"))
		.id
}

fn accept(node: &Node, who: &sr25519::Pair, id: u64) {
	submit_and_include(
		node,
		who,
		RuntimeCall::Receivables(pallet_receivables::Call::accept { id }),
	);
}

/// `from` splits `amount` of `id` off to `to`; returns the child offered to `to`.
fn split_to(node: &Node, from: &sr25519::Pair, id: u64, to: &sr25519::Pair, amount: u128) -> u64 {
	submit_and_include(
		node,
		from,
		RuntimeCall::Receivables(pallet_receivables::Call::split_transfer {
			id,
			parts: vec![(account(to), amount)].try_into().unwrap(),
			documents: TradeDocuments::default(),
		}),
	);
	holdings(node, to)
		.into_iter()
		.find(|c| c.parent == Some(id))
		.unwrap_or_else(|| panic!("the receiver is offered a child of #{id}"))
		.id
}

/// Sleeps until `due` has passed on the chain's clock (plus a block or two).
fn sleep_past(due: u64) {
	std::thread::sleep(Duration::from_millis(due.saturating_sub(now_ms()) + 4_000));
}

fn remark() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: b"scf".to_vec() })
}

#[test]
fn the_pool_refuses_a_non_participant_and_admits_a_participant() {
	let node = shared().node();

	// A key no one admitted.
	let stranger = fresh_pair("stranger");
	let refusal =
		submit(node, &stranger, remark()).expect_err("a stranger's transaction is refused");
	assert!(refusal.contains("1010"), "not an invalid-transaction error: {refusal}");
	assert!(refusal.contains("Invalid signing address"), "unclear refusal: {refusal}");
	assert_eq!(chain_nonce(node, &stranger), 0);

	// Admitted by a bank, the same kind of key is pooled and included.
	let member = admit_fresh(node, BANK, "gate", &[Role::Supplier]).remove(0);
	let answer = submit(node, &member, remark()).expect("the participant's remark is pooled");
	assert!(answer.as_str().is_some_and(|h| h.starts_with("0x")), "no hash: {answer}");
	wait_for("the participant's remark to be included", Duration::from_secs(60), || {
		(chain_nonce(node, &member) == 1).then_some(())
	});
}

#[test]
fn a_certificate_goes_from_issue_through_three_tiers_to_settlement() {
	use pallet_receivables::Call;

	let node = shared().node();
	let (core, suppliers) = fresh_cast(node, "lifecycle", 3);
	let [tier1, tier2, tier3] = &suppliers[..] else { unreachable!() };
	let face = 1_000_000u128; // 10,000.00 yuan
	let due = now_ms() + 45_000;

	// The core enterprise issues to tier 1, who accepts.
	let root = issue(node, &core, tier1, face, due);
	assert!(matches!(
		certificate(node, root).unwrap().status,
		Status::Live(Standing::PendingAcceptance { .. })
	));
	accept(node, tier1, root);
	assert!(matches!(certificate(node, root).unwrap().status, Status::Live(Standing::Active)));

	// Tier 1 passes 600,000 to tier 2; tier 2 passes 250,000 to tier 3.
	let tier2_part = split_to(node, tier1, root, tier2, 600_000);
	accept(node, tier2, tier2_part);
	let tier3_part = split_to(node, tier2, tier2_part, tier3, 250_000);
	accept(node, tier3, tier3_part);
	let tier3_cert = certificate(node, tier3_part).unwrap();
	assert_eq!((tier3_cert.tier, tier3_cert.root, tier3_cert.amount), (3, root, 250_000));
	assert_eq!(tier3_cert.holder, account(tier3));

	// At maturity the core enterprise settles the whole root with a payment
	// reference.
	sleep_past(due);
	submit_and_include(
		node,
		&core,
		RuntimeCall::Receivables(Call::settle {
			root,
			payment_ref: b"PAY-2026-0001".to_vec().try_into().unwrap(),
		}),
	);

	// The lineage, read back through the runtime API: the root and tier 2's
	// part closed by splits; the three live pieces settled to their holders,
	// and together they make the face amount.
	let lineage: Vec<Certificate> = runtime_call(node, "ReceivablesApi_lineage", root);
	assert_eq!(lineage.first().map(|c| c.id), Some(root));
	assert!(lineage.iter().all(|c| c.root == root));
	let closed: Vec<u64> =
		lineage.iter().filter(|c| c.status == Status::ClosedBySplit).map(|c| c.id).collect();
	assert_eq!(closed, vec![root, tier2_part]);
	let settled: Vec<&Certificate> =
		lineage.iter().filter(|c| c.status == Status::Settled).collect();
	assert_eq!(settled.len(), 3, "lineage: {lineage:#?}");
	assert_eq!(settled.iter().map(|c| c.amount).sum::<u128>(), face);
	let by_holder = |k: &sr25519::Pair| {
		settled.iter().filter(|c| c.holder == account(k)).map(|c| c.amount).sum::<u128>()
	};
	assert_eq!((by_holder(tier1), by_holder(tier2), by_holder(tier3)), (400_000, 350_000, 250_000));
	assert!(holdings(node, tier3).is_empty(), "nothing live is left with tier 3");
	assert_eq!(credit_used(node, &account(&core)), 0, "settlement gave the credit back");
}

/// The open financing request on the part of `parent` that `holder`
/// reserved for it (read from `Financing::OpenRequest`).
fn request_of(node: &Node, holder: &sr25519::Pair, parent: u64) -> u64 {
	let part = holdings(node, holder)
		.into_iter()
		.find(|c| {
			c.parent == Some(parent) && matches!(c.status, Status::Live(Standing::Reserved { .. }))
		})
		.unwrap_or_else(|| panic!("no part of #{parent} reserved for financing"));
	open_request(node, part.id).unwrap_or_else(|| panic!("#{} has no open request", part.id))
}

/// Split → finance two parts at a bank (one pledged, one factored) → payout
/// confirmed → settle: the bank is paid the factored part as its holder and
/// its advance plus discount out of the pledged part, and the supplier the
/// rest. Amounts are large enough for a minute's discount to be non-zero, and
/// the discount is checked against the formula, not against the chain.
#[test]
fn a_supplier_finances_parts_at_a_bank_and_settlement_pays_both() {
	use pallet_financing::{Call as Fin, FinancingKind, RequestState, Terms};
	use pallet_receivables::Call;

	let node = shared().node();
	let (core, suppliers) = fresh_cast(node, "financing", 1);
	let supplier = &suppliers[0];
	let face = 5_000_000_000u128; // 50 million yuan, within the credit line
	let due = now_ms() + 60_000;
	let state =
		|id| financing_request(node, id, None).unwrap_or_else(|| panic!("request #{id}")).state;

	let root = issue(node, &core, supplier, face, due);
	accept(node, supplier, root);

	// The supplier splits 3,000,000,000 off to pledge at the bank, then
	// 1,000,000,000 off the remainder to sell to it.
	let (pledge_amount, factor_amount) = (3_000_000_000u128, 1_000_000_000u128);
	let advance = |amount: u128| amount / 100 * 97;
	let request_part = |certificate, amount, kind| {
		RuntimeCall::Financing(Fin::request_part {
			certificate,
			amount,
			financier: BANK.to_account_id(),
			wanted_advance: advance(amount),
			kind,
		})
	};
	submit_and_include(node, supplier, request_part(root, pledge_amount, FinancingKind::Pledge));
	let pledge_id = request_of(node, supplier, root);
	let pledged = financing_request(node, pledge_id, None).unwrap();
	assert_eq!((pledged.amount, pledged.kind), (pledge_amount, FinancingKind::Pledge));
	let remainder = holdings(node, supplier)
		.into_iter()
		.find(|c| c.parent == Some(root) && matches!(c.status, Status::Live(Standing::Active)))
		.expect("the remainder stays with the supplier");
	submit_and_include(
		node,
		supplier,
		request_part(remainder.id, factor_amount, FinancingKind::Factoring),
	);
	let factor_id = request_of(node, supplier, remainder.id);
	let factored = financing_request(node, factor_id, None).unwrap();
	assert_eq!((factored.amount, factored.kind), (factor_amount, FinancingKind::Factoring));
	for r in [&pledged, &factored] {
		assert!(matches!(
			certificate(node, r.certificate).unwrap().status,
			Status::Live(Standing::Reserved { .. })
		));
	}

	// The bank offers 97 % at 36.5 % a year on both, to be paid out before
	// the due date; the supplier accepts both, naming the terms; the bank
	// confirms both payouts.
	let (bps, expires) = (3_650u32, due - 5_000);
	let terms = |amount: u128| Terms {
		advance: advance(amount),
		discount_bps: bps,
		recourse: false,
		expires,
		payout_by: due - 1_000,
	};
	let offer = |request, amount: u128| {
		RuntimeCall::Financing(Fin::offer { request, terms: terms(amount) })
	};
	let ids = [pledge_id, factor_id];
	cast::submit_as_bank(
		node,
		BANK,
		vec![offer(pledge_id, pledge_amount), offer(factor_id, factor_amount)],
	);
	for id in ids {
		assert!(matches!(state(id), RequestState::Offered { .. }), "#{id}: {:?}", state(id));
	}
	let accept_offer = |request, amount| {
		RuntimeCall::Financing(Fin::accept_offer { request, terms: terms(amount) })
	};
	submit_all_and_include(
		node,
		supplier,
		vec![accept_offer(pledge_id, pledge_amount), accept_offer(factor_id, factor_amount)],
	);
	for id in ids {
		assert!(matches!(state(id), RequestState::Accepted { .. }), "#{id}: {:?}", state(id));
	}
	let payout = |request, reference: &[u8]| {
		RuntimeCall::Financing(Fin::confirm_payout {
			request,
			payment_ref: reference.to_vec().try_into().unwrap(),
		})
	};
	cast::submit_as_bank(
		node,
		BANK,
		vec![payout(pledge_id, b"LOAN-0001"), payout(factor_id, b"LOAN-0002")],
	);
	// The discount, from the formula: advance × bps / 10 000 × (due − paid) / 365 days.
	let expected_discount = |id: u64, amount: u128| {
		let RequestState::Funded { discount, at, .. } = state(id) else {
			panic!("#{id} not funded: {:?}", state(id))
		};
		let year_ms = 365u128 * 24 * 3600 * 1000;
		let expected = advance(amount) * bps as u128 * (due - at) as u128 / (10_000 * year_ms);
		assert_eq!(discount, expected, "#{id}'s discount");
		assert!(discount > 0, "#{id}: a minute at 36.5 % on this amount is worth something");
		discount
	};
	let pledge_discount = expected_discount(pledge_id, pledge_amount);
	expected_discount(factor_id, factor_amount);
	assert_eq!(
		certificate(node, pledged.certificate).unwrap().status,
		Status::Live(Standing::Pledged { pledgee: BANK.to_account_id() })
	);
	let sold = certificate(node, factored.certificate).unwrap();
	assert_eq!(sold.holder, BANK.to_account_id(), "factoring passes the certificate");
	assert_eq!(sold.status, Status::Live(Standing::Factored { seller: account(supplier) }));

	// At maturity the core enterprise settles the root.
	sleep_past(due);
	submit_and_include(
		node,
		&core,
		RuntimeCall::Receivables(Call::settle {
			root,
			payment_ref: b"PAY-2026-0002".to_vec().try_into().unwrap(),
		}),
	);
	// Pledge: the bank its advance plus discount, the supplier the rest.
	let RequestState::Settled { to_financier, to_holder, .. } = state(pledge_id) else {
		panic!("#{pledge_id} not settled: {:?}", state(pledge_id))
	};
	assert_eq!(to_financier, advance(pledge_amount) + pledge_discount);
	assert_eq!(to_holder, pledge_amount - to_financier);
	// Factoring: all of it to the bank, as holder.
	let RequestState::Settled { to_financier, to_holder, .. } = state(factor_id) else {
		panic!("#{factor_id} not settled: {:?}", state(factor_id))
	};
	assert_eq!((to_financier, to_holder), (factor_amount, 0));
	// The ledger: every live piece settled to its holder; together the face.
	let lineage: Vec<Certificate> = runtime_call(node, "ReceivablesApi_lineage", root);
	let settled: Vec<&Certificate> =
		lineage.iter().filter(|c| c.status == Status::Settled).collect();
	assert_eq!(settled.len(), 3, "lineage: {lineage:#?}");
	assert_eq!(settled.iter().map(|c| c.amount).sum::<u128>(), face);
	let held_by = |who: &AccountId| {
		settled.iter().filter(|c| &c.holder == who).map(|c| c.amount).sum::<u128>()
	};
	assert_eq!(held_by(&BANK.to_account_id()), factor_amount);
	assert_eq!(held_by(&account(supplier)), face - factor_amount, "the pledged part and the rest");
}

/// The timers on the running chain, with the test consortium's 20 s
/// acceptance timeout and 10 s of overdue grace: a root nobody accepts goes
/// back to its issuer (credit released), a split part nobody accepts goes
/// back to the splitter, and a certificate left unsettled past its due date
/// and the grace becomes overdue, found by the per-block sweep.
#[test]
fn unaccepted_certificates_lapse_and_an_unsettled_one_falls_overdue() {
	use scf_runtime::genesis::{TEST_ACCEPTANCE_TIMEOUT, TEST_OVERDUE_GRACE};

	let node = shared().node();
	let (core, suppliers) = fresh_cast(node, "timers", 2);
	let [tier1, tier2] = &suppliers[..] else { unreachable!() };
	let due = now_ms() + 30_000;

	// A root tier 1 never accepts, and one it accepts and splits to tier 2,
	// who never accepts.
	let ignored = issue(node, &core, tier1, 2_000_000, due + 10_000);
	let kept = issue(node, &core, tier1, 1_000_000, due);
	accept(node, tier1, kept);
	let offered = split_to(node, tier1, kept, tier2, 400_000);
	let Status::Live(Standing::PendingAcceptance { deadline, .. }) =
		certificate(node, offered).unwrap().status
	else {
		panic!("the split part is pending acceptance")
	};
	assert_eq!(credit_used(node, &account(&core)), 3_000_000);

	// Lapses: within the timeout plus a bucket and a block or two.
	let lapse_limit = Duration::from_millis(TEST_ACCEPTANCE_TIMEOUT + 30_000);
	let returned = wait_for("the ignored root to lapse", lapse_limit, || {
		certificate(node, ignored).filter(|c| c.status == Status::Returned)
	});
	assert_eq!(returned.holder, account(&core), "a lapsed root goes back to its issuer");
	assert!(holdings(node, tier1).iter().all(|c| c.id != ignored));
	assert_eq!(credit_used(node, &account(&core)), 1_000_000, "the lapse released the credit");
	let back = wait_for("the offered part to lapse", lapse_limit, || {
		certificate(node, offered).filter(|c| c.status == Status::Live(Standing::Active))
	});
	assert!(now_ms() >= deadline, "not before its deadline");
	assert_eq!((back.holder.clone(), back.tier), (account(tier1), 1), "back with the splitter");
	assert!(holdings(node, tier2).is_empty(), "nothing is left offered to tier 2");

	// Overdue: nobody settles; after the due date and the grace, both live
	// pieces of the kept root are overdue, with no financier's claim.
	let overdue_limit =
		Duration::from_millis((due + TEST_OVERDUE_GRACE).saturating_sub(now_ms()) + 30_000);
	let pieces: Vec<u64> = runtime_call::<Vec<Certificate>>(node, "ReceivablesApi_lineage", kept)
		.into_iter()
		.filter(|c| matches!(c.status, Status::Live(_)))
		.map(|c| c.id)
		.collect();
	assert_eq!(pieces.len(), 2, "the remainder and the returned part");
	for id in pieces {
		wait_for(&format!("#{id} to fall overdue"), overdue_limit, || {
			certificate(node, id)
				.filter(|c| c.status == Status::Live(Standing::Overdue { encumbrance: None }))
		});
	}
	assert!(now_ms() >= due + TEST_OVERDUE_GRACE, "overdue only after the grace");
}
