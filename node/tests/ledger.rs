//! End-to-end tests of the ledger on a running one-validator `dev` chain:
//! the participant gate in the transaction pool, and a certificate's life
//! from issue to settlement across three supplier tiers, read back through
//! the runtime API.
//!
//! The `development` preset's cast: Alice is the bank (operator, financier),
//! Bob the core enterprise with a credit line from Alice, Charlie, Dave and
//! Eve suppliers, Ferdie the regulator.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{tx::*, *};
use pallet_receivables::{CertificateOf, Standing, Status, TradeDocuments};
use scf_runtime::{AccountId, Runtime, RuntimeCall};
use sp_core::{sr25519, Pair};
use sp_keyring::Sr25519Keyring;

type Certificate = CertificateOf<Runtime>;

fn pair(k: Sr25519Keyring) -> sr25519::Pair {
	k.pair()
}

fn now_ms() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as u64
}

fn holdings(node: &Node, who: Sr25519Keyring) -> Vec<Certificate> {
	runtime_call(node, "ReceivablesApi_holdings", who.to_account_id())
}

fn certificate(node: &Node, id: u64) -> Option<Certificate> {
	runtime_call(node, "ReceivablesApi_certificate", id)
}

/// Submits and waits until the signer's on-chain nonce moves past it.
fn submit_and_include(node: &Node, signer: Sr25519Keyring, call: RuntimeCall) {
	let p = pair(signer);
	let before = chain_nonce(node, &p);
	submit(node, &p, call).unwrap_or_else(|e| panic!("{signer:?}'s transaction refused: {e}"));
	wait_for(&format!("{signer:?}'s transaction to be included"), Duration::from_secs(60), || {
		(chain_nonce(node, &p) > before).then_some(())
	});
}

/// Bob, the core enterprise, issues Charlie a certificate of `face` due at
/// `due` (ms), and waits until it is included.
fn bob_issues_to_charlie(node: &Node, face: u128, due: u64) {
	let issue = pallet_receivables::Call::issue {
		receiver: Sr25519Keyring::Charlie.to_account_id(),
		amount: face,
		due,
		documents: TradeDocuments::default(),
	};
	submit_and_include(node, Sr25519Keyring::Bob, RuntimeCall::Receivables(issue));
}

fn remark() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: b"scf".to_vec() })
}

#[test]
fn the_pool_refuses_a_non_participant_and_admits_a_participant() {
	let _machine = exclusive();
	let (node, dir) = dev_node("gate");

	// A key no genesis entry names.
	let stranger = sr25519::Pair::from_string("//Stranger", None).unwrap();
	let refusal =
		submit(&node, &stranger, remark()).expect_err("a stranger's transaction is refused");
	assert!(refusal.contains("1010"), "not an invalid-transaction error: {refusal}");
	assert!(refusal.contains("Invalid signing address"), "unclear refusal: {refusal}");
	assert_eq!(chain_nonce(&node, &stranger), 0);

	// Alice is a participant: her remark is pooled and included.
	let answer =
		submit(&node, &pair(Sr25519Keyring::Alice), remark()).expect("Alice's remark pooled");
	assert!(answer.as_str().is_some_and(|h| h.starts_with("0x")), "no hash: {answer}");
	wait_for("Alice's remark to be included", Duration::from_secs(60), || {
		(chain_nonce(&node, &pair(Sr25519Keyring::Alice)) == 1).then_some(())
	});

	drop(node);
	remove_dir(&dir);
}

#[test]
fn a_certificate_goes_from_issue_through_three_tiers_to_settlement() {
	use pallet_receivables::Call;
	use Sr25519Keyring::{Bob, Charlie, Dave, Eve};

	let _machine = exclusive();
	let (node, dir) = dev_node("lifecycle");
	let face = 1_000_000u128; // 10,000.00 yuan
	let due = now_ms() + 75_000;

	// Bob (core enterprise) issues to Charlie (tier 1), who accepts.
	bob_issues_to_charlie(&node, face, due);
	let offered = holdings(&node, Charlie);
	assert_eq!(offered.len(), 1, "Charlie is offered one certificate");
	let root = offered[0].id;
	assert!(matches!(offered[0].status, Status::Live(Standing::PendingAcceptance { .. })));
	submit_and_include(&node, Charlie, RuntimeCall::Receivables(Call::accept { id: root }));
	assert!(matches!(certificate(&node, root).unwrap().status, Status::Live(Standing::Active)));

	// Charlie passes 600,000 to Dave (tier 2); Dave passes 250,000 to Eve (tier 3).
	let split = |from: Sr25519Keyring, id: u64, to: Sr25519Keyring, amount: u128| {
		submit_and_include(
			&node,
			from,
			RuntimeCall::Receivables(Call::split_transfer {
				id,
				parts: vec![(to.to_account_id(), amount)].try_into().unwrap(),
				documents: TradeDocuments::default(),
			}),
		);
		let child = holdings(&node, to)
			.into_iter()
			.find(|c| c.parent == Some(id))
			.unwrap_or_else(|| panic!("{to:?} is offered a child of #{id}"));
		submit_and_include(&node, to, RuntimeCall::Receivables(Call::accept { id: child.id }));
		child.id
	};
	let dave_part = split(Charlie, root, Dave, 600_000);
	let eve_part = split(Dave, dave_part, Eve, 250_000);
	let eve_cert = certificate(&node, eve_part).unwrap();
	assert_eq!((eve_cert.tier, eve_cert.root, eve_cert.amount), (3, root, 250_000));
	assert_eq!(eve_cert.holder, AccountId::from(Eve.public()));

	// At maturity Bob settles the whole root with a payment reference.
	let wait = due.saturating_sub(now_ms()) + 6_000;
	std::thread::sleep(Duration::from_millis(wait));
	submit_and_include(
		&node,
		Bob,
		RuntimeCall::Receivables(Call::settle {
			root,
			payment_ref: b"PAY-2026-0001".to_vec().try_into().unwrap(),
		}),
	);

	// The lineage, read back through the runtime API: the root and Dave's part
	// closed by splits; the three live pieces settled to their holders, and
	// together they make the face amount.
	let lineage: Vec<Certificate> = runtime_call(&node, "ReceivablesApi_lineage", root);
	assert_eq!(lineage.first().map(|c| c.id), Some(root));
	assert!(lineage.iter().all(|c| c.root == root));
	let closed: Vec<u64> =
		lineage.iter().filter(|c| c.status == Status::ClosedBySplit).map(|c| c.id).collect();
	assert_eq!(closed, vec![root, dave_part]);
	let settled: Vec<&Certificate> =
		lineage.iter().filter(|c| c.status == Status::Settled).collect();
	assert_eq!(settled.len(), 3, "lineage: {lineage:#?}");
	assert_eq!(settled.iter().map(|c| c.amount).sum::<u128>(), face);
	let by_holder = |k: Sr25519Keyring| {
		settled.iter().filter(|c| c.holder == k.to_account_id()).map(|c| c.amount).sum::<u128>()
	};
	assert_eq!((by_holder(Charlie), by_holder(Dave), by_holder(Eve)), (400_000, 350_000, 250_000));
	assert!(holdings(&node, Eve).is_empty(), "nothing live is left with Eve");

	drop(node);
	remove_dir(&dir);
}

/// A financing request as stored, read with `state_getStorage`.
fn financing_request(node: &Node, id: u64) -> Option<pallet_financing::RequestOf<Runtime>> {
	use codec::{Decode, Encode};
	let mut key = sp_io::hashing::twox_128(b"Financing").to_vec();
	key.extend(sp_io::hashing::twox_128(b"Requests"));
	key.extend(sp_io::hashing::twox_64(&id.encode()));
	key.extend(id.encode());
	let value =
		node.rpc("state_getStorage", serde_json::json!([format!("0x{}", hex_encode(&key))]));
	let hex = value.ok()?.as_str()?.to_string();
	let bytes = hex_decode(&hex)?;
	Some(Decode::decode(&mut &bytes[..]).expect("a request decodes"))
}

/// Submits `calls` signed by `signer` with consecutive nonces, then waits
/// until all are included. Whether each dispatch succeeded is for the caller
/// to check in state.
fn submit_all_and_include(node: &Node, signer: Sr25519Keyring, calls: Vec<RuntimeCall>) {
	let p = pair(signer);
	let before = chain_nonce(node, &p);
	let n = calls.len() as u32;
	for call in calls {
		submit(node, &p, call).unwrap_or_else(|e| panic!("{signer:?}'s transaction refused: {e}"));
	}
	wait_for(
		&format!("{signer:?}'s {n} transactions to be included"),
		Duration::from_secs(60),
		|| (chain_nonce(node, &p) >= before + n).then_some(()),
	);
}

/// Split → finance two parts at a bank (one pledged, one factored) → payout
/// confirmed → settle: the bank is paid the factored part as its holder and
/// its advance plus discount out of the pledged part, and the supplier the
/// rest. Amounts are large enough for a minute's discount to be non-zero, and
/// the discount is checked against the formula, not against the chain.
#[test]
fn a_supplier_finances_parts_at_a_bank_and_settlement_pays_both() {
	use pallet_financing::{Call as Fin, FinancingKind, RequestState};
	use pallet_receivables::Call;
	use Sr25519Keyring::{Alice, Bob, Charlie};

	let _machine = exclusive();
	let (node, dir) = dev_node("financing");
	let face = 5_000_000_000u128; // 50 million yuan, within Bob's credit line
	let due = now_ms() + 100_000;
	let state = |id| financing_request(&node, id).unwrap_or_else(|| panic!("request #{id}")).state;

	bob_issues_to_charlie(&node, face, due);
	let root = holdings(&node, Charlie)[0].id;
	submit_and_include(&node, Charlie, RuntimeCall::Receivables(Call::accept { id: root }));

	// Charlie splits 3,000,000,000 off to pledge at Alice's bank, then
	// 1,000,000,000 off the remainder to sell to it.
	let (pledge_amount, factor_amount) = (3_000_000_000u128, 1_000_000_000u128);
	let advance = |amount: u128| amount / 100 * 97;
	let request_part = |certificate, amount, kind| {
		RuntimeCall::Financing(Fin::request_part {
			certificate,
			amount,
			financier: Alice.to_account_id(),
			wanted_advance: advance(amount),
			kind,
		})
	};
	submit_and_include(&node, Charlie, request_part(root, pledge_amount, FinancingKind::Pledge));
	let pledged = financing_request(&node, 1).expect("request #1 exists");
	assert_eq!((pledged.amount, pledged.kind), (pledge_amount, FinancingKind::Pledge));
	let remainder = holdings(&node, Charlie)
		.into_iter()
		.find(|c| c.parent == Some(root) && matches!(c.status, Status::Live(Standing::Active)))
		.expect("the remainder stays with Charlie");
	submit_and_include(
		&node,
		Charlie,
		request_part(remainder.id, factor_amount, FinancingKind::Factoring),
	);
	let factored = financing_request(&node, 2).expect("request #2 exists");
	assert_eq!((factored.amount, factored.kind), (factor_amount, FinancingKind::Factoring));
	for r in [&pledged, &factored] {
		assert!(matches!(
			certificate(&node, r.certificate).unwrap().status,
			Status::Live(Standing::Reserved { .. })
		));
	}

	// Alice offers 97 % at 36.5 % a year on both; Charlie accepts both; Alice
	// confirms both payouts.
	let (bps, expires) = (3_650u32, due - 5_000);
	let offer = |request, amount: u128| {
		RuntimeCall::Financing(Fin::offer {
			request,
			advance: advance(amount),
			discount_bps: bps,
			recourse: false,
			expires,
		})
	};
	submit_all_and_include(&node, Alice, vec![offer(1, pledge_amount), offer(2, factor_amount)]);
	for id in [1, 2] {
		assert!(matches!(state(id), RequestState::Offered { .. }), "#{id}: {:?}", state(id));
	}
	let accept = |request| RuntimeCall::Financing(Fin::accept_offer { request });
	submit_all_and_include(&node, Charlie, vec![accept(1), accept(2)]);
	for id in [1, 2] {
		assert!(matches!(state(id), RequestState::Accepted { .. }), "#{id}: {:?}", state(id));
	}
	let payout = |request, reference: &[u8]| {
		RuntimeCall::Financing(Fin::confirm_payout {
			request,
			payment_ref: reference.to_vec().try_into().unwrap(),
		})
	};
	submit_all_and_include(&node, Alice, vec![payout(1, b"LOAN-0001"), payout(2, b"LOAN-0002")]);
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
	let pledge_discount = expected_discount(1, pledge_amount);
	expected_discount(2, factor_amount);
	assert_eq!(
		certificate(&node, pledged.certificate).unwrap().status,
		Status::Live(Standing::Pledged { pledgee: Alice.to_account_id() })
	);
	let sold = certificate(&node, factored.certificate).unwrap();
	assert_eq!(sold.holder, Alice.to_account_id(), "factoring passes the certificate");
	assert_eq!(sold.status, Status::Live(Standing::Financed { seller: Charlie.to_account_id() }));

	// At maturity Bob settles the root.
	std::thread::sleep(Duration::from_millis(due.saturating_sub(now_ms()) + 6_000));
	submit_and_include(
		&node,
		Bob,
		RuntimeCall::Receivables(Call::settle {
			root,
			payment_ref: b"PAY-2026-0002".to_vec().try_into().unwrap(),
		}),
	);
	// Pledge: the bank its advance plus discount, Charlie the rest.
	let RequestState::Settled { to_financier, to_holder, .. } = state(1) else {
		panic!("#1 not settled: {:?}", state(1))
	};
	assert_eq!(to_financier, advance(pledge_amount) + pledge_discount);
	assert_eq!(to_holder, pledge_amount - to_financier);
	// Factoring: all of it to the bank, as holder.
	let RequestState::Settled { to_financier, to_holder, .. } = state(2) else {
		panic!("#2 not settled: {:?}", state(2))
	};
	assert_eq!((to_financier, to_holder), (factor_amount, 0));
	// The ledger: every live piece settled to its holder; together the face.
	let lineage: Vec<Certificate> = runtime_call(&node, "ReceivablesApi_lineage", root);
	let settled: Vec<&Certificate> =
		lineage.iter().filter(|c| c.status == Status::Settled).collect();
	assert_eq!(settled.len(), 3, "lineage: {lineage:#?}");
	assert_eq!(settled.iter().map(|c| c.amount).sum::<u128>(), face);
	let held_by = |k: Sr25519Keyring| {
		settled.iter().filter(|c| c.holder == k.to_account_id()).map(|c| c.amount).sum::<u128>()
	};
	assert_eq!(held_by(Alice), factor_amount);
	assert_eq!(held_by(Charlie), face - factor_amount, "the pledged part and the rest");

	drop(node);
	remove_dir(&dir);
}
