//! The indexer end to end, on the shared test consortium (see `common`):
//! a scripted series of ledger operations (issue, accept, splits over three
//! tiers, a reject, a regulator's freeze, a lapse by the timer, a pledge
//! through to payout; and on two short-dated roots factoring and a pledge
//! with recourse, both falling overdue, recourse, settlement and a
//! repayment), then the indexer's answers checked against the chain's own
//! state read through the runtime API and storage at the block the indexer
//! reached; then the indexer killed (SIGKILL) during a burst of operations
//! and restarted, with no block skipped or repeated.
//!
//! The indexer runs as its own process (`scf-indexer`, built beside the
//! node) against the supplier node, which `scripts/start.sh` starts with
//! archive state, into a fresh SQLite file — and, when `SCF_TEST_POSTGRES`
//! names a server (`scripts/test.sh` starts a throwaway one), a second
//! indexer into a fresh PostgreSQL database, checked the same way.
//! Participants are admitted by bank A (Alice): the other suites use banks
//! B–D.

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

/// The chain's financing request `id` at block `at`.
fn chain_request(node: &Node, id: u64, at: &str) -> pallet_financing::RequestOf<Runtime> {
	financing_request(node, id, Some(at)).unwrap_or_else(|| panic!("request #{id} at {at}"))
}

/// The open financing request on certificate `id`.
fn open_request_of(node: &Node, id: u64) -> u64 {
	open_request(node, id).expect("an open request")
}

/// The name the indexer gives a request's state (its variant, snake case).
fn state_name(r: &pallet_financing::RequestOf<Runtime>) -> &'static str {
	use pallet_financing::RequestState::*;
	match r.state {
		Requested => "requested",
		Offered { .. } => "offered",
		Accepted { .. } => "accepted",
		Funded { .. } => "funded",
		InRecourse { .. } => "in_recourse",
		Cancelled { .. } => "cancelled",
		Declined { .. } => "declined",
		Lapsed { .. } => "lapsed",
		Settled { .. } => "settled",
		Repaid { .. } => "repaid",
	}
}

/// An amount in the indexer's JSON: a number when small, else a string.
fn amount(v: &serde_json::Value) -> u128 {
	match v {
		serde_json::Value::Number(n) => n.as_u64().expect("an amount") as u128,
		serde_json::Value::String(s) => s.parse().expect("an amount"),
		other => panic!("not an amount: {other}"),
	}
}

fn is_closed(c: &Certificate) -> bool {
	["closed_by_split", "settled", "revoked", "returned"].contains(&status_name(c).as_str())
}

/// What the test made, for the checks.
struct Made {
	core: sr25519::Pair,
	suppliers: [sr25519::Pair; 3],
	/// The long-dated root, split over three tiers, part pledged.
	root: u64,
	/// The root nobody accepted, lapsed.
	lapsing: u64,
	/// The part split to tier 3, rejected, frozen.
	t3: u64,
	/// The pledge on the root's remainder (funded, no recourse).
	pledge: u64,
	/// The short-dated roots: factored with recourse, then recourse,
	/// settlement and repayment; pledged with recourse, then recourse and
	/// settlement.
	factored_root: u64,
	factoring: u64,
	pledged_root: u64,
	recourse_pledge: u64,
}

#[test]
fn the_indexer_answers_what_the_chain_says_and_survives_a_kill() {
	let shared = shared();
	let node = shared.node();
	let supplier_node = &shared.nodes[4];
	let dir = scratch_dir("indexer");
	// SQLite, and PostgreSQL when the test script gave us a server.
	let mut databases = vec![dir.join("index.sqlite").display().to_string()];
	if let Ok(server) = std::env::var("SCF_TEST_POSTGRES") {
		databases.push(format!("{server}/scf_e2e_{}", std::process::id()));
	}
	let mut indexers: Vec<Indexer> = databases
		.iter()
		.map(|db| Indexer::start_on(&dir, supplier_node, free_port(), db))
		.collect();

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
	let bank = Alice.pair();

	// Four roots at once: a long-dated one to tier 1; one to tier 3 that
	// nobody accepts (it lapses back after the test consortium's 20 s, by a
	// timer); two short-dated ones to tier 1 that fall overdue (due + the
	// test consortium's 10 s grace) while the rest runs.
	let due = now_ms() + 3_600_000;
	let short_due = now_ms() + 45_000;
	let face = 1_000_000_000u128;
	let (factored_face, pledged_face) = (300_000_000u128, 200_000_000u128);
	let issue = |to: &sr25519::Pair, amount, due| {
		RuntimeCall::Receivables(Rec::issue {
			receiver: account(to),
			amount,
			due,
			documents: TradeDocuments::default(),
		})
	};
	submit_all_and_include(
		node,
		&core,
		vec![
			issue(&s1, face, due),
			issue(&s3, 5_000_000, due),
			issue(&s1, factored_face, short_due),
			issue(&s1, pledged_face, short_due),
		],
	);
	let root_of = |amount: u128| {
		holdings(node, &s1).iter().find(|c| c.amount == amount && c.parent.is_none()).unwrap().id
	};
	let (root, factored_root, pledged_root) =
		(root_of(face), root_of(factored_face), root_of(pledged_face));
	let lapsing = holdings(node, &s3)[0].id;
	let accept = |id| RuntimeCall::Receivables(Rec::accept { id });
	submit_all_and_include(
		node,
		&s1,
		vec![accept(root), accept(factored_root), accept(pledged_root)],
	);

	// The short-dated pair: the whole of one sold with recourse, the whole
	// of the other pledged with recourse, both funded by bank A.
	let request = |certificate, wanted_advance, kind| {
		RuntimeCall::Financing(Fin::request {
			certificate,
			financier: Alice.to_account_id(),
			wanted_advance,
			kind,
		})
	};
	submit_all_and_include(
		node,
		&s1,
		vec![
			request(factored_root, 290_000_000, FinancingKind::Factoring),
			request(pledged_root, 190_000_000, FinancingKind::Pledge),
		],
	);
	let (factoring, recourse_pledge) =
		(open_request_of(node, factored_root), open_request_of(node, pledged_root));
	let short_terms = |advance| Terms {
		advance,
		discount_bps: 1_000,
		recourse: true,
		expires: short_due - 15_000,
		payout_by: short_due - 10_000,
	};
	let offers =
		[(factoring, short_terms(290_000_000)), (recourse_pledge, short_terms(190_000_000))];
	submit_all_and_include(
		node,
		&bank,
		offers
			.iter()
			.map(|(request, terms)| {
				RuntimeCall::Financing(Fin::offer { request: *request, terms: terms.clone() })
			})
			.collect(),
	);
	submit_all_and_include(
		node,
		&s1,
		offers
			.iter()
			.map(|(request, terms)| {
				RuntimeCall::Financing(Fin::accept_offer {
					request: *request,
					terms: terms.clone(),
				})
			})
			.collect(),
	);
	let confirm = |request, reference: &[u8]| {
		RuntimeCall::Financing(Fin::confirm_payout {
			request,
			payment_ref: reference.to_vec().try_into().unwrap(),
		})
	};
	submit_all_and_include(
		node,
		&bank,
		vec![confirm(factoring, b"IDX-FACTOR-1"), confirm(recourse_pledge, b"IDX-PLEDGE-1")],
	);

	// The long-dated root: split to tier 2 → accept → split to tier 3,
	// which tier 3 rejects → tier 1 pledges a part at bank A, funded.
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
	include(node, &s2, accept(t2));
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
	let pledge = {
		let part = holdings(node, &s1)
			.into_iter()
			.find(|c| c.parent == Some(rest.id) && status_name(c) == "reserved")
			.expect("a part reserved for financing");
		open_request_of(node, part.id)
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
		&bank,
		RuntimeCall::Financing(Fin::offer { request: pledge, terms: terms.clone() }),
	);
	include(node, &s1, RuntimeCall::Financing(Fin::accept_offer { request: pledge, terms }));
	include(node, &bank, confirm(pledge, b"IDX-LOAN-1"));

	wait_for("the unaccepted root to lapse", Duration::from_secs(60), || {
		let c: Option<Certificate> = runtime_call(node, "ReceivablesApi_certificate", lapsing);
		(status_name(&c?) == "returned").then_some(())
	});
	wait_for("the short-dated roots to fall overdue", Duration::from_secs(60), || {
		[factored_root, pledged_root]
			.iter()
			.all(|id| {
				let c: Option<Certificate> = runtime_call(node, "ReceivablesApi_certificate", *id);
				c.is_some_and(|c| status_name(&c) == "overdue")
			})
			.then_some(())
	});
	// Overdue, as the indexers have it: every certificate they list is
	// overdue on chain at the block they reached, and ours are listed.
	let best = node.best_number().unwrap();
	wait_finalized_on(std::slice::from_ref(supplier_node), best, Duration::from_secs(60));
	for indexer in &indexers {
		indexer.wait_indexed(best);
		let at = indexed_hash(indexer, supplier_node);
		let listed = indexer.call("indexer_overdue", json!({ "limit": 500 })).unwrap();
		let listed: Vec<u64> =
			listed.as_array().unwrap().iter().map(|c| c["id"].as_u64().unwrap()).collect();
		for id in [factored_root, pledged_root] {
			assert!(listed.contains(&id), "#{id} not listed overdue: {listed:?}");
		}
		for id in &listed {
			let c = chain_certificate(supplier_node, *id, &at).unwrap();
			assert_eq!(status_name(&c), "overdue", "#{id} listed overdue");
		}
	}

	// Recourse on both; the core enterprise settles both roots late; bank A
	// confirms the seller's repayment of the factoring advance.
	let recourse = |request| RuntimeCall::Financing(Fin::exercise_recourse { request });
	submit_all_and_include(node, &bank, vec![recourse(factoring), recourse(recourse_pledge)]);
	let settle = |root, reference: &[u8]| {
		RuntimeCall::Receivables(Rec::settle {
			root,
			payment_ref: reference.to_vec().try_into().unwrap(),
		})
	};
	submit_all_and_include(
		node,
		&core,
		vec![settle(factored_root, b"IDX-PAY-1"), settle(pledged_root, b"IDX-PAY-2")],
	);
	include(
		node,
		&bank,
		RuntimeCall::Financing(Fin::confirm_repayment {
			request: factoring,
			payment_ref: b"IDX-REPAID-1".to_vec().try_into().unwrap(),
		}),
	);

	let made = Made {
		core,
		suppliers: [s1, s2, s3],
		root,
		lapsing,
		t3,
		pledge,
		factored_root,
		factoring,
		pledged_root,
		recourse_pledge,
	};
	let best = node.best_number().unwrap();
	wait_finalized_on(std::slice::from_ref(supplier_node), best, Duration::from_secs(60));
	for indexer in &indexers {
		check(indexer, supplier_node, best, &made);
	}

	// Killed during a burst of issues, and restarted: every block once.
	let [_, s2, _] = &made.suppliers;
	let calls: Vec<RuntimeCall> = (0..12).map(|i| issue(s2, 1_000_000 + i, due)).collect();
	let (first, chain) = (next_nonce(node, &made.core), Chain::of(node));
	for (i, call) in calls.into_iter().enumerate() {
		let xt = signed(call, &made.core, first + i as u32, chain);
		node.rpc("author_submitExtrinsic", json!([format!("0x{}", hex_encode(&xt.encode()))]))
			.expect("an issue accepted by the pool");
		if i == 5 {
			std::thread::sleep(Duration::from_millis(2_500));
			for indexer in &mut indexers {
				let _ = indexer.child.kill();
				let _ = indexer.child.wait();
			}
		}
	}
	wait_for("the burst to be included", Duration::from_secs(60), || {
		(chain_nonce(node, &made.core) >= first + 12).then_some(())
	});
	let ports: Vec<u16> = indexers.iter().map(|i| i.rpc_port).collect();
	drop(indexers);
	let indexers: Vec<Indexer> = databases
		.iter()
		.zip(ports)
		.map(|(db, port)| Indexer::start_on(&dir, supplier_node, port, db))
		.collect();
	let best = node.best_number().unwrap();
	wait_finalized_on(std::slice::from_ref(supplier_node), best, Duration::from_secs(60));
	for indexer in &indexers {
		check_exactly_once(indexer, supplier_node, best, s2);
	}
	remove_dir(&dir);
}

/// The hash of the block `indexer` reached, checked to be the chain's.
fn indexed_hash(indexer: &Indexer, node: &Node) -> String {
	let status = indexer.call("indexer_status", json!({})).unwrap();
	let at = status["hash"].as_str().unwrap().to_string();
	let n = status["indexed"].as_u64().unwrap();
	assert_eq!(node.block_hash(n).as_deref(), Some(at.as_str()), "the indexed hash is the chain's");
	at
}

/// Every query about what the test made, against the chain at the block
/// the indexer reached (at least `best`).
fn check(indexer: &Indexer, node: &Node, best: u64, made: &Made) {
	indexer.wait_indexed(best);
	let at = indexed_hash(indexer, node);
	let Made { core, suppliers: [s1, s2, s3], root, lapsing, t3, pledge, .. } = made;

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
		let chain = chain_certificate(node, id, &at).unwrap_or_else(|| panic!("#{id} on chain"));
		assert_eq!(c["holder"], hex_account(&chain.holder), "#{id}'s holder");
		assert_eq!(c["amount"], chain.amount.to_string(), "#{id}'s amount");
		assert_eq!(c["tier"], chain.tier, "#{id}'s tier");
		assert_eq!(c["parent"], json!(chain.parent), "#{id}'s parent");
		assert_eq!(c["status"], status_name(&chain), "#{id}'s status");
		assert_eq!(c["due"], chain.due, "#{id}'s due date");
		if !is_closed(&chain) {
			live_total += chain.amount;
		}
	}
	let statuses: Vec<&str> = lineage.iter().map(|c| c["status"].as_str().unwrap()).collect();
	for expected in ["closed_by_split", "active", "pledged", "frozen"] {
		assert!(statuses.contains(&expected), "no {expected} certificate: {statuses:?}");
	}

	// A certificate's history: the root was issued, accepted and split.
	let history = |id: u64| -> Vec<serde_json::Value> {
		let view = indexer.call("indexer_certificate", json!({ "id": id })).unwrap();
		view["history"].as_array().unwrap().clone()
	};
	let names = |h: &[serde_json::Value]| -> Vec<String> {
		h.iter().map(|e| e["event"].as_str().unwrap().to_string()).collect()
	};
	let events = names(&history(*root));
	for e in ["Issued", "Accepted", "Split"] {
		assert!(events.iter().any(|n| n == e), "root's history lacks {e}: {events:?}");
	}
	// The lapsed root: returned to the core enterprise by the timer, as the
	// chain has it.
	let lapsed = indexer.call("indexer_certificate", json!({ "id": lapsing })).unwrap();
	let chain_lapsed = chain_certificate(node, *lapsing, &at).unwrap();
	assert_eq!(lapsed["status"], "returned");
	assert_eq!(lapsed["holder"], hex_account(&chain_lapsed.holder));
	assert!(names(&history(*lapsing)).contains(&"ReturnedToSender".into()), "{lapsed}");
	// The rejected tier-3 certificate went back to tier 2.
	let back = indexer.call("indexer_certificate", json!({ "id": t3 })).unwrap();
	assert_eq!(back["holder"], hex_account(&account(s2)));
	assert_eq!(back["status"], "frozen");
	let events = names(&history(*t3));
	assert!(events.contains(&"ReturnedToSender".into()) && events.contains(&"Frozen".into()));

	// The short-dated roots: settled to their holder at the block, who was
	// paid what as the settlement event says; the factored one came back to
	// the seller by recourse first.
	for id in [made.factored_root, made.pledged_root] {
		let ours = indexer.call("indexer_certificate", json!({ "id": id })).unwrap();
		let chain = chain_certificate(node, id, &at).unwrap();
		assert_eq!(
			(ours["status"].as_str(), status_name(&chain).as_str()),
			(Some("settled"), "settled")
		);
		assert_eq!(ours["holder"], hex_account(&chain.holder), "#{id}'s holder");
		let h = history(id);
		let paid = h.iter().find(|e| e["event"] == "CertificateSettled").expect("a settlement");
		assert_eq!(paid["fields"]["holder"], hex_account(&chain.holder), "{paid}");
		assert_eq!(amount(&paid["fields"]["amount"]), chain.amount, "{paid}");
	}
	assert!(names(&history(made.factored_root)).contains(&"RecourseReturned".into()));

	// Holdings: what the runtime API says each supplier holds, outstanding.
	for s in [s1, s2, s3] {
		let mut ours: Vec<u64> = indexer
			.call("indexer_holdings", json!({ "account": account(s).to_string(), "limit": 500 }))
			.unwrap()
			.as_array()
			.unwrap()
			.iter()
			.map(|c| c["id"].as_u64().unwrap())
			.collect();
		ours.sort();
		let mut theirs: Vec<u64> =
			holdings(node, s).into_iter().filter(|c| !is_closed(c)).map(|c| c.id).collect();
		theirs.sort();
		assert_eq!(ours, theirs, "{}'s holdings", account(s));
	}

	// Exposure: the core owes the live certificates of its one outstanding
	// root; the pledged part is financed by bank A; nothing is overdue
	// (the overdue roots were settled).
	let exposure = indexer
		.call("indexer_coreExposure", json!({ "core": hex_account(&account(core)) }))
		.unwrap();
	assert_eq!(exposure["outstanding"], live_total.to_string());
	assert_eq!(exposure["financed"], "200000000");
	assert_eq!(exposure["overdue"], "0");
	assert_eq!(exposure["creditLines"][0]["financier"], hex_account(&Alice.to_account_id()));

	// Financing history of each request, step by step, in the state the
	// chain has it; the settlement split as the chain recorded it.
	let financing =
		indexer.call("indexer_financing", json!({ "account": hex_account(&account(s1)) })).unwrap();
	let financing = financing.as_array().unwrap();
	let funded = ["Requested", "Offered", "OfferAccepted", "PayoutConfirmed"];
	let expected: [(u64, &str, Vec<&str>); 3] = [
		(*pledge, "funded", funded.to_vec()),
		(made.factoring, "repaid", [&funded[..], &["RecourseExercised", "Repaid"]].concat()),
		(
			made.recourse_pledge,
			"settled",
			[&funded[..], &["RecourseExercised", "Settled"]].concat(),
		),
	];
	for (request, state, steps) in expected {
		let f = financing
			.iter()
			.find(|f| f["request"] == request)
			.unwrap_or_else(|| panic!("request #{request} not listed: {financing:?}"));
		let chain = chain_request(node, request, &at);
		assert_eq!((f["state"].as_str(), state_name(&chain)), (Some(state), state), "#{request}");
		let ours: Vec<&str> =
			f["history"].as_array().unwrap().iter().map(|h| h["event"].as_str().unwrap()).collect();
		assert_eq!(ours, steps, "#{request}'s steps");
	}
	let settled = financing.iter().find(|f| f["request"] == made.recourse_pledge).unwrap();
	let event = settled["history"].as_array().unwrap().last().unwrap();
	let pallet_financing::RequestState::Settled { to_financier, to_holder, .. } =
		chain_request(node, made.recourse_pledge, &at).state
	else {
		unreachable!("checked above")
	};
	assert_eq!(amount(&event["fields"]["to_financier"]), to_financier, "{event}");
	assert_eq!(amount(&event["fields"]["to_holder"]), to_holder, "{event}");
	let paid = chain_certificate(node, made.pledged_root, &at).unwrap().amount;
	assert_eq!(to_financier + to_holder, paid, "{event}");

	// The directory has the new participants; bad input is refused clearly.
	let directory = indexer.call("indexer_participants", json!({ "limit": 500 })).unwrap();
	assert!(directory
		.as_array()
		.unwrap()
		.iter()
		.any(|p| p["account"] == hex_account(&account(core))));
	let err = indexer.call("indexer_holdings", json!({ "account": "nobody" })).unwrap_err();
	assert!(err.contains("not an account"), "{err}");
	let err =
		indexer.call("indexer_lineage", json!({ "root": root, "limit": 10_000 })).unwrap_err();
	assert!(err.contains("limit"), "{err}");
}

/// After the kill: every block from genesis once, the burst's twelve
/// issues once each, and the last 40 blocks' hashes and event counts the
/// chain's.
fn check_exactly_once(indexer: &Indexer, node: &Node, best: u64, receiver: &sr25519::Pair) {
	indexer.wait_indexed(best);
	let status = indexer.call("indexer_status", json!({})).unwrap();
	let indexed = status["indexed"].as_u64().unwrap();
	let mut event_count_key = sp_io::hashing::twox_128(b"System").to_vec();
	event_count_key.extend(sp_io::hashing::twox_128(b"EventCount"));
	let key = format!("0x{}", hex_encode(&event_count_key));
	let counts = indexer.call("indexer_counts", json!({})).unwrap();
	assert_eq!(counts["blocks"], indexed + 1, "every block from genesis once: {counts}");
	// The burst's issues, as events naming the receiver (they may have
	// lapsed back since, so not by holdings).
	let activity = indexer
		.call("indexer_activity", json!({ "account": account(receiver).to_string(), "limit": 500 }))
		.unwrap();
	let issued: Vec<u128> = activity
		.as_array()
		.unwrap()
		.iter()
		.filter(|e| e["event"] == "Receivables.Issued")
		.map(|e| amount(&e["fields"]["amount"]))
		.collect();
	for i in 0..12u128 {
		assert_eq!(
			issued.iter().filter(|a| **a == 1_000_000 + i).count(),
			1,
			"issue {i} indexed once: {issued:?}"
		);
	}
	for b in indexed.saturating_sub(40)..=indexed {
		let hash = node.block_hash(b).unwrap();
		let chain_events = node
			.rpc("state_getStorage", json!([key, hash]))
			.ok()
			.and_then(|v| v.as_str().and_then(hex_decode))
			.map(|b| u32::from_le_bytes(b[..4].try_into().unwrap()))
			.unwrap_or(0);
		let ours = indexer.call("indexer_block", json!({ "number": b })).unwrap();
		assert_eq!(ours["hash"], hash, "#{b}'s hash");
		assert_eq!(ours["events"], chain_events, "#{b}'s events\n{}", indexer.log());
	}
}
