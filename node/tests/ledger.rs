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
	submit_and_include(
		&node,
		Bob,
		RuntimeCall::Receivables(Call::issue {
			receiver: Charlie.to_account_id(),
			amount: face,
			due,
			documents: TradeDocuments::default(),
		}),
	);
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
