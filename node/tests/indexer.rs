//! The indexer end to end, on the shared test consortium (see `common`):
//! a scripted series of ledger operations (issue, accept, splits over three
//! tiers, a reject, a regulator's freeze, a lapse by the timer, a pledge
//! through to payout), then the indexer's answers checked against the
//! chain's own state read through the runtime API at the block the indexer
//! reached; then the indexer killed (SIGKILL) during a burst of operations
//! and restarted, with no block skipped or repeated.
//!
//! The indexer runs as its own process (`scf-indexer`, built beside the
//! node) against the supplier node, which `scripts/start.sh` starts with
//! archive state, into a fresh SQLite file. Participants are admitted by
//! bank A (Alice): the other suites use banks B–D.

mod common;

use codec::Encode;
use common::{cast::*, indexer::Indexer, tx::*, *};
use pallet_financing::{Call as Fin, FinancingKind, Terms};
use pallet_receivables::{Call as Rec, CertificateOf, TradeDocuments};
use scf_primitives::Role;
use scf_runtime::{AccountId, Runtime, RuntimeCall};
use serde_json::json;
use sp_core::sr25519;
use sp_keyring::Sr25519Keyring::Alice;
use std::time::Duration;

type Certificate = CertificateOf<Runtime>;

fn hex_account(who: &AccountId) -> String {
	format!("0x{}", hex_encode(who.as_ref()))
}

/// The chain's certificate `id` at block `at`.
fn chain_certificate(node: &Node, id: u64, at: &str) -> Option<Certificate> {
	let answer = node
		.rpc(
			"state_call",
			json!(["ReceivablesApi_certificate", format!("0x{}", hex_encode(&id.encode())), at]),
		)
		.expect("ReceivablesApi_certificate");
	codec::Decode::decode(&mut &hex_decode(answer.as_str().unwrap()).unwrap()[..]).unwrap()
}

/// The status name the indexer uses for a chain status.
fn status_name(c: &Certificate) -> String {
	use pallet_receivables::{Standing, Status};
	match &c.status {
		Status::Live(s) => match s {
			Standing::PendingAcceptance { .. } => "pending_acceptance",
			Standing::Active => "active",
			Standing::Factored { .. } => "factored",
			Standing::Pledged { .. } => "pledged",
			Standing::Overdue { .. } => "overdue",
			Standing::Reserved { .. } => "reserved",
		},
		Status::Frozen { .. } => "frozen",
		Status::Settled => "settled",
		Status::Revoked => "revoked",
		Status::ClosedBySplit => "closed_by_split",
		Status::Returned => "returned",
	}
	.to_string()
}

fn holdings(node: &Node, who: &sr25519::Pair) -> Vec<Certificate> {
	runtime_call(node, "ReceivablesApi_holdings", account(who))
}

fn include(node: &Node, who: &sr25519::Pair, call: RuntimeCall) {
	submit_and_include(node, who, call)
}

#[test]
fn the_indexer_answers_what_the_chain_says_and_survives_a_kill() {
	let shared = shared();
	let node = shared.node();
	let supplier_node = &shared.nodes[4];
	let dir = scratch_dir("indexer");
	let mut indexer = Indexer::start(&dir, supplier_node, free_port());

	// The cast: a core enterprise with a line from bank A, three suppliers.
	let mut pairs = admit_fresh(
		node,
		Alice,
		"indexer",
		&[Role::CoreEnterprise, Role::Supplier, Role::Supplier, Role::Supplier],
	);
	let core = pairs.remove(0);
	let (s1, s2, s3) = (pairs.remove(0), pairs.remove(0), pairs.remove(0));
	grant_line(node, Alice, &account(&core), 10_000_000_000);

	// Issue → accept → split to tier 2 → accept → split to tier 3, which
	// tier 3 rejects → tier 1 pledges a part at bank A, funded.
	let due = now_ms() + 3_600_000;
	let face = 1_000_000_000u128;
	include(
		node,
		&core,
		RuntimeCall::Receivables(Rec::issue {
			receiver: account(&s1),
			amount: face,
			due,
			documents: TradeDocuments::default(),
		}),
	);
	let root = holdings(node, &s1)[0].id;
	// A second root, to tier 3, that nobody accepts: it lapses back to the
	// core enterprise after the test consortium's 20 s, by a timer.
	include(
		node,
		&core,
		RuntimeCall::Receivables(Rec::issue {
			receiver: account(&s3),
			amount: 5_000_000,
			due,
			documents: TradeDocuments::default(),
		}),
	);
	let lapsing = holdings(node, &s3)[0].id;
	include(node, &s1, RuntimeCall::Receivables(Rec::accept { id: root }));
	let split = |from: &sr25519::Pair, id: u64, to: &sr25519::Pair, amount: u128| {
		include(
			node,
			from,
			RuntimeCall::Receivables(Rec::split_transfer {
				id,
				parts: vec![(account(to), amount)].try_into().unwrap(),
				documents: TradeDocuments::default(),
			}),
		);
		holdings(node, to).into_iter().find(|c| c.parent == Some(id)).expect("a child").id
	};
	let t2 = split(&s1, root, &s2, 400_000_000);
	include(node, &s2, RuntimeCall::Receivables(Rec::accept { id: t2 }));
	let t3 = split(&s2, t2, &s3, 100_000_000);
	include(node, &s3, RuntimeCall::Receivables(Rec::reject { id: t3 }));
	// The regulator freezes it, back with tier 2.
	include(
		node,
		&sp_keyring::Sr25519Keyring::BobStash.pair(),
		RuntimeCall::Receivables(Rec::freeze { id: t3, reason: sp_core::H256::repeat_byte(7) }),
	);
	let rest = holdings(node, &s1).into_iter().find(|c| c.parent == Some(root)).expect("s1's rest");
	include(
		node,
		&s1,
		RuntimeCall::Financing(Fin::request_part {
			certificate: rest.id,
			amount: 200_000_000,
			financier: Alice.to_account_id(),
			wanted_advance: 190_000_000,
			kind: FinancingKind::Pledge,
		}),
	);
	let request: u64 = {
		let part = holdings(node, &s1)
			.into_iter()
			.find(|c| c.parent == Some(rest.id) && status_name(c) == "reserved")
			.expect("a part reserved for financing");
		let mut key = sp_io::hashing::twox_128(b"Financing").to_vec();
		key.extend(sp_io::hashing::twox_128(b"OpenRequest"));
		key.extend(sp_io::hashing::twox_64(&part.id.encode()));
		key.extend(part.id.encode());
		codec::Decode::decode(&mut &storage(node, &key).expect("an open request")[..]).unwrap()
	};
	let terms = Terms {
		advance: 190_000_000,
		discount_bps: 500,
		recourse: false,
		expires: due - 600_000,
		payout_by: due - 300_000,
	};
	include(
		node,
		&Alice.pair(),
		RuntimeCall::Financing(Fin::offer { request, terms: terms.clone() }),
	);
	include(node, &s1, RuntimeCall::Financing(Fin::accept_offer { request, terms }));
	include(
		node,
		&Alice.pair(),
		RuntimeCall::Financing(Fin::confirm_payout {
			request,
			payment_ref: b"IDX-LOAN-1".to_vec().try_into().unwrap(),
		}),
	);

	wait_for("the unaccepted root to lapse", Duration::from_secs(60), || {
		let c: Option<Certificate> = runtime_call(node, "ReceivablesApi_certificate", lapsing);
		(status_name(&c?) == "returned").then_some(())
	});

	// The indexer at a finalized block after all of it; the chain at the same block.
	let best = node.best_number().unwrap();
	wait_finalized_on(std::slice::from_ref(supplier_node), best, Duration::from_secs(60));
	indexer.wait_indexed(best);
	let status = indexer.call("indexer_status", json!({})).unwrap();
	let at = status["hash"].as_str().unwrap().to_string();
	let n = status["indexed"].as_u64().unwrap();
	assert_eq!(
		supplier_node.block_hash(n).as_deref(),
		Some(at.as_str()),
		"the indexed hash is the chain's"
	);

	// Every certificate of the root, as the chain has it at that block.
	let lineage = indexer.call("indexer_lineage", json!({ "root": root })).unwrap();
	let lineage = lineage.as_array().unwrap();
	assert!(
		lineage.len() >= 6,
		"root, two splits' children and remainders, the pledged part: {lineage:?}"
	);
	let mut live_total = 0u128;
	for c in lineage {
		let id = c["id"].as_u64().unwrap();
		let chain =
			chain_certificate(supplier_node, id, &at).unwrap_or_else(|| panic!("#{id} on chain"));
		assert_eq!(c["holder"], hex_account(&chain.holder), "#{id}'s holder");
		assert_eq!(c["amount"], chain.amount.to_string(), "#{id}'s amount");
		assert_eq!(c["tier"], chain.tier, "#{id}'s tier");
		assert_eq!(c["parent"], json!(chain.parent), "#{id}'s parent");
		assert_eq!(c["status"], status_name(&chain), "#{id}'s status");
		assert_eq!(c["due"], chain.due, "#{id}'s due date");
		if !["closed_by_split", "settled", "revoked", "returned"]
			.contains(&status_name(&chain).as_str())
		{
			live_total += chain.amount;
		}
	}
	let statuses: Vec<&str> = lineage.iter().map(|c| c["status"].as_str().unwrap()).collect();
	for expected in ["closed_by_split", "active", "pledged", "frozen"] {
		assert!(statuses.contains(&expected), "no {expected} certificate: {statuses:?}");
	}

	// A certificate's history: the root was issued, accepted and split.
	let root_view = indexer.call("indexer_certificate", json!({ "id": root })).unwrap();
	let events: Vec<&str> = root_view["history"]
		.as_array()
		.unwrap()
		.iter()
		.map(|h| h["event"].as_str().unwrap())
		.collect();
	for e in ["Issued", "Accepted", "Split"] {
		assert!(events.contains(&e), "root's history lacks {e}: {events:?}");
	}
	// The lapsed root: returned to the core enterprise by the timer, as the
	// chain has it.
	let lapsed = indexer.call("indexer_certificate", json!({ "id": lapsing })).unwrap();
	let chain_lapsed = chain_certificate(supplier_node, lapsing, &at).unwrap();
	assert_eq!(lapsed["status"], "returned");
	assert_eq!(lapsed["holder"], hex_account(&chain_lapsed.holder));
	assert!(
		lapsed["history"].as_array().unwrap().iter().any(|h| h["event"] == "ReturnedToSender"),
		"{lapsed}"
	);
	// The rejected tier-3 certificate went back to tier 2.
	let back = indexer.call("indexer_certificate", json!({ "id": t3 })).unwrap();
	assert_eq!(back["holder"], hex_account(&account(&s2)));
	assert!(back["history"].as_array().unwrap().iter().any(|h| h["event"] == "ReturnedToSender"));
	assert_eq!(back["status"], "frozen");
	assert!(back["history"].as_array().unwrap().iter().any(|h| h["event"] == "Frozen"));

	// Holdings: what the runtime API says each supplier holds, outstanding.
	for s in [&s1, &s2, &s3] {
		let mut ours: Vec<u64> = indexer
			.call("indexer_holdings", json!({ "account": account(s).to_string() }))
			.unwrap()
			.as_array()
			.unwrap()
			.iter()
			.map(|c| c["id"].as_u64().unwrap())
			.collect();
		ours.sort();
		let mut theirs: Vec<u64> = holdings(supplier_node, s)
			.into_iter()
			.filter(|c| {
				!["closed_by_split", "settled", "revoked", "returned"]
					.contains(&status_name(c).as_str())
			})
			.map(|c| c.id)
			.collect();
		theirs.sort();
		assert_eq!(ours, theirs, "{}'s holdings", account(s));
	}

	// Exposure: the core owes the live certificates of its one root; the
	// pledged part is financed by bank A.
	let exposure = indexer
		.call("indexer_coreExposure", json!({ "core": hex_account(&account(&core)) }))
		.unwrap();
	assert_eq!(exposure["outstanding"], live_total.to_string());
	assert_eq!(exposure["financed"], "200000000");
	assert_eq!(exposure["creditLines"][0]["financier"], hex_account(&Alice.to_account_id()));
	// Financing history of the request, from request to payout.
	let financing = indexer
		.call("indexer_financing", json!({ "account": hex_account(&account(&s1)) }))
		.unwrap();
	let f = &financing[0];
	assert_eq!(f["request"], request);
	assert_eq!(f["state"], "funded");
	let steps: Vec<&str> =
		f["history"].as_array().unwrap().iter().map(|h| h["event"].as_str().unwrap()).collect();
	assert_eq!(steps, ["Requested", "Offered", "OfferAccepted", "PayoutConfirmed"]);
	// The directory has the new participants; bad input is refused clearly.
	let directory = indexer.call("indexer_participants", json!({ "limit": 500 })).unwrap();
	assert!(directory
		.as_array()
		.unwrap()
		.iter()
		.any(|p| p["account"] == hex_account(&account(&core))));
	let err = indexer.call("indexer_holdings", json!({ "account": "nobody" })).unwrap_err();
	assert!(err.contains("not an account"), "{err}");
	let err =
		indexer.call("indexer_lineage", json!({ "root": root, "limit": 10_000 })).unwrap_err();
	assert!(err.contains("limit"), "{err}");

	// Killed during a burst of issues, and restarted: every block once.
	let calls: Vec<RuntimeCall> = (0..12)
		.map(|i| {
			RuntimeCall::Receivables(Rec::issue {
				receiver: account(&s2),
				amount: 1_000_000 + i,
				due,
				documents: TradeDocuments::default(),
			})
		})
		.collect();
	let (first, chain) = (next_nonce(node, &core), Chain::of(node));
	for (i, call) in calls.into_iter().enumerate() {
		let xt = signed(call, &core, first + i as u32, chain);
		node.rpc("author_submitExtrinsic", json!([format!("0x{}", hex_encode(&xt.encode()))]))
			.expect("an issue accepted by the pool");
		if i == 5 {
			std::thread::sleep(Duration::from_millis(2_500));
			let _ = indexer.child.kill();
			let _ = indexer.child.wait();
		}
	}
	wait_for("the burst to be included", Duration::from_secs(60), || {
		(chain_nonce(node, &core) >= first + 12).then_some(())
	});
	let rpc_port = indexer.rpc_port;
	drop(indexer);
	let indexer = Indexer::start(&dir, supplier_node, rpc_port);
	let best = node.best_number().unwrap();
	wait_finalized_on(std::slice::from_ref(supplier_node), best, Duration::from_secs(60));
	indexer.wait_indexed(best);
	let status = indexer.call("indexer_status", json!({})).unwrap();
	let indexed = status["indexed"].as_u64().unwrap();
	// The events of every block since the cast was made, as many as the chain's.
	let mut event_count_key = sp_io::hashing::twox_128(b"System").to_vec();
	event_count_key.extend(sp_io::hashing::twox_128(b"EventCount"));
	let key = format!("0x{}", hex_encode(&event_count_key));
	let counts = indexer.call("indexer_counts", json!({})).unwrap();
	assert_eq!(counts["blocks"], indexed + 1, "every block from genesis once: {counts}");
	let held = indexer
		.call(
			"indexer_holdings",
			json!({ "account": account(&s2).to_string(), "filter": "pending", "limit": 500 }),
		)
		.unwrap();
	let pending: Vec<u128> = held
		.as_array()
		.unwrap()
		.iter()
		.map(|c| c["amount"].as_str().unwrap().parse().unwrap())
		.collect();
	for i in 0..12u128 {
		assert_eq!(
			pending.iter().filter(|a| **a == 1_000_000 + i).count(),
			1,
			"issue {i} indexed once: {pending:?}"
		);
	}
	for b in indexed.saturating_sub(40)..=indexed {
		let hash = supplier_node.block_hash(b).unwrap();
		let chain_events = supplier_node
			.rpc("state_getStorage", json!([key, hash]))
			.ok()
			.and_then(|v| v.as_str().and_then(hex_decode))
			.map(|b| u32::from_le_bytes(b[..4].try_into().unwrap()))
			.unwrap_or(0);
		let ours = indexer.call("indexer_block", json!({ "number": b })).unwrap();
		assert_eq!(ours["hash"], hash, "#{b}'s hash");
		assert_eq!(ours["events"], chain_events, "#{b}'s events\n{}", indexer.log());
	}
	remove_dir(&dir);
}
