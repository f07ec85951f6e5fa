//! The web bridge end to end, on the shared test consortium and the
//! indexer start.sh runs: a core enterprise issues, a supplier accepts and
//! splits, a bank finances the remainder, the issuer settles — every step a
//! JSON-RPC call to `scf-bridge`, signed with a custodial key (SM2 for the
//! companies, sr25519 for bank A) or, for one acceptance, prepared by the
//! bridge, signed by OpenSSL 3 and submitted — then the reads and their
//! scope, a
//! ledger refusal decoded, and idempotency: 100 concurrent requests under
//! one key make one certificate, and so does a key whose requests were cut
//! off by a kill -9 of the bridge and retried after its restart; and the
//! wallet's login: an SM2-signed challenge, its session cookie on a
//! WebSocket. Beside it, a burst of 600 writes from one account, more than
//! the runtime's nonce window, waits in the bridge's queue and all reach a
//! block.
//!
//! The main test's participants are admitted by bank A (Alice), which its
//! bridge then signs for; test binaries run one after another, and the
//! burst test admits through bank B, so nothing else signs for Alice
//! meanwhile.

mod common;

use common::{bridge::*, cast::*, tx::*, *};
use scf_bridge::codes;
use scf_primitives::{sm2::Sm2Pair, Role};
use scf_runtime::Runtime;
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring::{Alice, Bob};
use std::time::Duration;

type Certificate = pallet_receivables::CertificateOf<Runtime>;

fn sm2_secret(pair: &Sm2Pair) -> String {
	format!("sm2:{}", pair.to_secret_hex().as_str())
}

fn hex_of(pair: &Sm2Pair) -> String {
	format!("0x{}", hex_encode(AsRef::<[u8]>::as_ref(&pair.account_id())))
}

/// A `POST /wallet/api/<what>` from the bridge's own origin: the response's
/// head and its JSON body (panics unless it is 200).
fn wallet_post(port: u16, what: &str, origin: &str, body: &str) -> (String, Value) {
	use std::io::{Read, Write};
	let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
	stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
	let request = format!(
		"POST /wallet/api/{what} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: {origin}\r\n\
		 Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	);
	stream.write_all(request.as_bytes()).unwrap();
	let mut response = String::new();
	stream.read_to_string(&mut response).unwrap();
	let (head, payload) = response.split_once("\r\n\r\n").expect("an HTTP answer");
	assert!(head.starts_with("HTTP/1.1 200"), "{what}: {head}\n{payload}");
	(head.to_string(), serde_json::from_str(payload).unwrap_or_else(|e| panic!("{e}: {payload}")))
}

fn id_list(v: &Value, field: &str) -> Vec<u64> {
	v[field]
		.as_array()
		.unwrap_or_else(|| panic!("no {field} in {v}"))
		.iter()
		.map(|i| i.as_u64().unwrap())
		.collect()
}

#[test]
fn an_erp_runs_a_certificate_through_the_bridge_and_a_retry_never_issues_twice() {
	let shared = shared();
	let node = shared.node();
	let dir = scratch_dir("bridge");
	let index = shared
		.indexer_database
		.clone()
		.expect("endpoints.json names the indexer's database (start.sh runs one)");

	// The cast, SM2 keys all: a core enterprise with a line from bank A and
	// two suppliers.
	let (core, s1, s2) = (Sm2Pair::generate(), Sm2Pair::generate(), Sm2Pair::generate());
	admit(
		node,
		Alice,
		&[
			(core.account_id(), Role::CoreEnterprise),
			(s1.account_id(), Role::Supplier),
			(s2.account_id(), Role::Supplier),
		],
	);
	grant_line(node, Alice, &core.account_id(), 50_000_000_000);
	let core_key = enrol(&dir, "core", &sm2_secret(&core));
	let s1_key = enrol(&dir, "s1", &sm2_secret(&s1));
	let s2_key = enrol(&dir, "s2", &sm2_secret(&s2));
	let bank_key = enrol(&dir, "bank-a", "sr25519://Alice");
	let port = free_port();
	let mut bridge = Bridge::start(&dir, node, &index, port);

	let ok = |bridge: &Bridge, key: &str, method: &str, params: Value| -> Value {
		bridge
			.call(key, method, params.clone())
			.unwrap_or_else(|e| panic!("{method} {params}: {e}\n{}", bridge.log()))
	};
	let whoami = ok(&bridge, &core_key, "scf_whoami", json!({}));
	assert_eq!(whoami["participant"], hex_of(&core));
	assert_eq!(whoami["custodial"], true);
	let limits = ok(&bridge, &s1_key, "scf_getLimits", json!({}));
	assert!(limits["minimumAmount"].is_string(), "{limits}");
	assert!(limits["maximumParts"].as_u64().unwrap() >= 1, "{limits}");

	// Issue → accept → split to tier 2 → accept; the remainder sold to
	// bank A; then, after the due date, settled.
	// Far enough ahead for seven finalized writes (each about 6–8 s) and
	// the idempotency checks before it; settlement waits for it.
	let due = now_ms() + 105_000;
	let face = 3_000_000_000u128;
	let issued = ok(
		&bridge,
		&core_key,
		"scf_issue",
		json!({ "idempotencyKey": "issue-1", "receiver": hex_of(&s1), "amount": face.to_string(),
			"due": due, "documents": { "contract": format!("0x{}", "ab".repeat(32)) } }),
	);
	assert_eq!(issued["status"], "finalized");
	let root = id_list(&issued, "certificates")[0];
	ok(&bridge, &s1_key, "scf_accept", json!({ "idempotencyKey": "accept-1", "id": root }));
	// A ledger refusal comes back decoded: s2 was not offered the root.
	let refused = bridge
		.call(&s2_key, "scf_accept", json!({ "idempotencyKey": "wrong", "id": root }))
		.unwrap_err();
	assert_eq!(refused["code"], codes::RULE_VIOLATION, "{refused}");
	assert_eq!(refused["data"]["pallet"], "Receivables", "{refused}");
	assert!(refused["data"]["error"].as_str().is_some_and(|e| !e.is_empty()), "{refused}");
	// Tier 2 follows its own events over WebSocket (the API key on the
	// upgrade request).
	let rt = tokio::runtime::Runtime::new().unwrap();
	let (_ws, mut followed) = rt.block_on(async {
		use jsonrpsee::{
			core::client::SubscriptionClientT,
			ws_client::{HeaderMap, HeaderValue, WsClientBuilder},
		};
		let mut headers = HeaderMap::new();
		headers.insert("x-api-key", HeaderValue::from_str(&s2_key).unwrap());
		let client = WsClientBuilder::default()
			.set_headers(headers)
			.build(format!("ws://127.0.0.1:{port}"))
			.await
			.expect("a WebSocket to the bridge");
		let sub: jsonrpsee::core::client::Subscription<Value> = client
			.subscribe("scf_subscribeEvents", jsonrpsee::rpc_params![], "scf_unsubscribeEvents")
			.await
			.expect("scf_subscribeEvents");
		(client, sub)
	});
	let split = ok(
		&bridge,
		&s1_key,
		"scf_splitTransfer",
		json!({ "idempotencyKey": "split-1", "id": root,
			"parts": [{ "to": hex_of(&s2), "amount": "1000000000" }] }),
	);
	let children = id_list(&split, "certificates");
	assert_eq!(children.len(), 2, "the part and the remainder: {split}");
	let certificate = |id: u64| -> Certificate {
		runtime_call::<Option<Certificate>>(node, "ReceivablesApi_certificate", id).unwrap()
	};
	let (part, rest) = if certificate(children[0]).holder == s2.account_id() {
		(children[0], children[1])
	} else {
		(children[1], children[0])
	};
	// Tier 2 signs its acceptance itself, with OpenSSL: prepare → sign →
	// submit. A signature by another key, or another participant's public
	// key, is refused and nothing is submitted.
	let prepared = ok(
		&bridge,
		&s2_key,
		"scf_prepare",
		json!({ "method": "scf_accept", "params": { "idempotencyKey": "accept-2", "id": part } }),
	);
	assert!(prepared["statement"].as_str().unwrap().contains("scf_accept"), "{prepared}");
	assert_eq!(prepared["extra"]["signer"], hex_of(&s2));
	let payload = hex_decode(prepared["signingPayload"].as_str().unwrap()).unwrap();
	// The unhashed payload a wallet decodes: the call, then the extensions;
	// an acceptance is under 256 bytes, so it is what is signed.
	let unhashed = hex_decode(prepared["payload"].as_str().unwrap()).unwrap();
	assert!(unhashed.starts_with(&hex_decode(prepared["call"].as_str().unwrap()).unwrap()));
	assert_eq!(unhashed, payload, "{prepared}");
	let stranger = Sm2Pair::generate();
	let sign = |pair: &Sm2Pair| {
		let der = openssl_sign(&dir, &pair.to_pkcs8_pem(), &payload, Some("1234567812345678"));
		format!("0x{}", hex_encode(&der))
	};
	let public = |pair: &Sm2Pair| format!("0x{}", hex_encode(pair.public().as_ref()));
	let submit = |signature: String, public_key: String| {
		bridge.call(
			&s2_key,
			"scf_submit",
			json!({ "prepareId": prepared["prepareId"], "signature": signature,
				"publicKey": public_key }),
		)
	};
	let e = submit(sign(&stranger), public(&s2)).unwrap_err();
	assert_eq!(e["code"], codes::BAD_PARAMS, "{e}");
	let e = submit(sign(&stranger), public(&stranger)).unwrap_err();
	assert_eq!(e["code"], codes::FORBIDDEN, "{e}");
	let accepted = submit(sign(&s2), public(&s2)).unwrap_or_else(|e| panic!("{e}"));
	assert_eq!(accepted["status"], "finalized", "{accepted}");
	assert_eq!(submit(sign(&s2), public(&s2)).unwrap(), accepted, "a second submit: the same");
	// The subscription brought tier 2's part being created, then accepted.
	let seen: Vec<Value> = rt.block_on(async {
		let mut seen = Vec::new();
		while !seen.iter().any(|e: &Value| e["event"] == "Receivables.Accepted") {
			match tokio::time::timeout(Duration::from_secs(40), followed.next()).await {
				Ok(Some(Ok(e))) => seen.push(e),
				other => panic!("no acceptance among {seen:?}: {other:?}"),
			}
		}
		seen
	});
	let names: Vec<&str> = seen.iter().map(|e| e["event"].as_str().unwrap()).collect();
	assert!(names.contains(&"Receivables.ChildCreated"), "{names:?}");
	assert!(seen.iter().all(|e| e["block"].is_u64() && e["index"].is_u64()), "{seen:?}");
	let asked = ok(
		&bridge,
		&s1_key,
		"scf_requestFinancing",
		json!({ "idempotencyKey": "finance-1", "certificate": rest,
			"financier": Alice.to_account_id().to_string(), "wantedAdvance": "1900000000",
			"kind": "factoring" }),
	);
	let request = id_list(&asked, "requests")[0];
	let terms = json!({ "advance": "1900000000", "discountBps": 500, "recourse": false,
		"expires": due - 15_000, "payoutBy": due - 5_000 });
	ok(
		&bridge,
		&bank_key,
		"scf_offer",
		json!({ "idempotencyKey": "offer-1", "request": request, "terms": terms }),
	);
	ok(
		&bridge,
		&s1_key,
		"scf_acceptOffer",
		json!({ "idempotencyKey": "take-1", "request": request, "terms": terms }),
	);
	ok(
		&bridge,
		&bank_key,
		"scf_confirmPayout",
		json!({ "idempotencyKey": "payout-1", "request": request, "paymentRef": "BANK-A-0001" }),
	);

	// Reads, from the indexer, in scope.
	let lineage = wait_for("the indexer to have the split", Duration::from_secs(60), || {
		let l = bridge.call(&core_key, "scf_getLineage", json!({ "root": root })).ok()?;
		(l.as_array()?.len() >= 3).then_some(l)
	});
	assert_eq!(lineage.as_array().unwrap().len(), 3, "the issuer sees the whole tree: {lineage}");
	let theirs = ok(&bridge, &s2_key, "scf_getLineage", json!({ "root": root }));
	let seen: Vec<u64> =
		theirs.as_array().unwrap().iter().map(|c| c["id"].as_u64().unwrap()).collect();
	assert_eq!(seen, [root, part], "tier 2 sees its part and the path to the root, not the rest");
	let held = ok(&bridge, &s2_key, "scf_getHoldings", json!({}));
	assert!(held
		.as_array()
		.unwrap()
		.iter()
		.any(|c| c["id"] == part && c["amount"] == "1000000000"));
	let forbidden =
		bridge.call(&s2_key, "scf_getHoldings", json!({ "account": hex_of(&s1) })).unwrap_err();
	assert_eq!(forbidden["code"], codes::FORBIDDEN);
	let forbidden =
		bridge.call(&s2_key, "scf_getFinancing", json!({ "certificate": rest })).unwrap_err();
	assert_eq!(forbidden["code"], codes::FORBIDDEN);
	let directory = ok(&bridge, &s2_key, "scf_listParticipants", json!({ "limit": 500 }));
	assert!(directory.as_array().unwrap().iter().any(|p| p["account"] == hex_of(&core)));

	// Idempotency: 100 concurrent issues under one key → one certificate,
	// the same answer to all.
	let amount = 7_777_777u128;
	let params = json!({ "idempotencyKey": "burst-1", "receiver": hex_of(&s2),
		"amount": amount.to_string(), "due": due });
	let answers: Vec<Value> = std::thread::scope(|scope| {
		let handles: Vec<_> = (0..100)
			.map(|_| scope.spawn(|| bridge.call(&core_key, "scf_issue", params.clone())))
			.collect();
		handles.into_iter().map(|h| h.join().unwrap().unwrap_or_else(|e| panic!("{e}"))).collect()
	});
	assert!(answers.iter().all(|a| a == &answers[0]), "one answer for one key");
	let count = |amount: u128| {
		let held: Vec<Certificate> = runtime_call(node, "ReceivablesApi_holdings", s2.account_id());
		held.iter().filter(|c| c.amount == amount).count()
	};
	assert_eq!(count(amount), 1, "100 requests, one key, one certificate");
	// Other parameters under the same key: refused.
	let conflict = bridge
		.call(
			&core_key,
			"scf_issue",
			json!({ "idempotencyKey": "burst-1", "receiver": hex_of(&s2),
			"amount": "1", "due": due }),
		)
		.unwrap_err();
	assert_eq!(conflict["code"], codes::IDEMPOTENCY_CONFLICT);

	// Cut off by a kill -9, retried after the restart: still one.
	let amount = 8_888_888u128;
	let params = json!({ "idempotencyKey": "burst-2", "receiver": hex_of(&s2),
		"amount": amount.to_string(), "due": due });
	let bridge_port = bridge.port;
	std::thread::scope(|scope| {
		for _ in 0..20 {
			scope.spawn(|| {
				let _ = common::rpc_call_as(
					bridge_port,
					Some(&core_key),
					"scf_issue",
					params.clone(),
					Duration::from_secs(30),
				);
			});
		}
		std::thread::sleep(Duration::from_millis(400));
		let _ = bridge.child.kill();
		let _ = bridge.child.wait();
	});
	drop(bridge);
	let bridge = Bridge::start(&dir, node, &index, port);
	let retried: Vec<Value> = std::thread::scope(|scope| {
		let handles: Vec<_> = (0..10)
			.map(|_| scope.spawn(|| bridge.call(&core_key, "scf_issue", params.clone())))
			.collect();
		handles
			.into_iter()
			.map(|h| h.join().unwrap().unwrap_or_else(|e| panic!("{e}\n{}", bridge.log())))
			.collect()
	});
	assert!(retried.iter().all(|a| a == &retried[0]));
	assert_eq!(count(amount), 1, "killed mid-request, retried: one certificate");

	// A revoked key is refused at once.
	let ids = admin(&dir, &["key", "list"]);
	let s2_id =
		ids.lines().find(|l| l.ends_with("\ts2")).and_then(|l| l.split('\t').next()).unwrap();
	admin(&dir, &["key", "revoke", s2_id]);
	let refused = bridge.call(&s2_key, "scf_whoami", json!({})).unwrap_err();
	assert_eq!(refused["code"], codes::UNAUTHENTICATED);

	// The wallet's way in, with no API key: tier 2 signs the bridge's login
	// challenge with its SM2 key; the session cookie then opens a WebSocket
	// (a browser cannot set headers on one) that reads tier 2's holdings.
	let origin = format!("http://127.0.0.1:{port}");
	let (_, challenge) = wallet_post(port, "challenge", &origin, "");
	let text = challenge["challenge"].as_str().unwrap().to_string();
	assert!(text.starts_with(&format!("scf-wallet-login\n{origin}\n")), "{text}");
	let login = json!({ "challenge": text, "publicKey": public(&s2),
		"signature": format!("0x{}", hex_encode(&s2.sign(text.as_bytes()).signature)) });
	let (head, answer) = wallet_post(port, "login", &origin, &login.to_string());
	assert_eq!(answer["participant"], hex_of(&s2), "{head}");
	let cookie = head
		.lines()
		.find_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
		.and_then(|c| c.split(';').next())
		.unwrap_or_else(|| panic!("no session cookie: {head}"))
		.to_string();
	let held_over_ws: Value = rt.block_on(async {
		use jsonrpsee::{
			core::client::ClientT,
			ws_client::{HeaderMap, HeaderValue, WsClientBuilder},
		};
		let mut headers = HeaderMap::new();
		headers.insert("cookie", HeaderValue::from_str(&cookie).unwrap());
		headers.insert("origin", HeaderValue::from_str(&origin).unwrap());
		let client = WsClientBuilder::default()
			.set_headers(headers)
			.build(format!("ws://127.0.0.1:{port}"))
			.await
			.expect("a WebSocket to the bridge with the session cookie");
		client.request("scf_getHoldings", jsonrpsee::rpc_params![]).await.expect("holdings")
	});
	assert!(held_over_ws.as_array().unwrap().iter().any(|c| c["id"] == part), "{held_over_ws}");
	// A login challenge can never pass for a transaction: every payload
	// starts with its pallet's index, and no pallet is at b's'.
	let pallets: Vec<u8> = rt.block_on(async {
		let url = format!("ws://127.0.0.1:{}", node.spec.rpc_port);
		let api = scf_client::OnlineClient::<scf_client::ScfConfig>::from_insecure_url(&url)
			.await
			.expect("connects");
		let at = api.at_current_block().await.expect("the best block");
		at.metadata().pallets().map(|p| p.call_index()).collect()
	});
	assert!(pallets.len() > 5 && !pallets.contains(&b's'), "pallet indices {pallets:?}");

	// Settlement after the due date pays both holders and the bank.
	wait_for("the due date", Duration::from_secs(90), || (now_ms() > due + 1_000).then_some(()));
	let settled = ok(
		&bridge,
		&core_key,
		"scf_settle",
		json!({ "idempotencyKey": "settle-1", "root": root, "paymentRef": "CORE-PAY-0001" }),
	);
	let events: Vec<&str> = settled["events"]
		.as_array()
		.unwrap()
		.iter()
		.map(|e| e["event"].as_str().unwrap())
		.collect();
	assert_eq!(events.iter().filter(|e| **e == "CertificateSettled").count(), 2, "{events:?}");
	assert!(events.contains(&"RootSettled"), "{events:?}");
	assert!(matches!(certificate(part).status, pallet_receivables::Status::Settled));

	// No secret in the bridge's log.
	let log = bridge.log();
	for pair in [&core, &s1, &s2] {
		assert!(!log.contains(pair.to_secret_hex().as_str()), "a secret key in the log");
	}
	remove_dir(&dir);
}

/// An ERP burst larger than the nonce window waits in the bridge's queue
/// instead of being refused: one core enterprise issues `N` certificates,
/// `THREADS` requests at a time, through a bridge that keeps at most
/// `IN_FLIGHT` of an account's transactions in the pool (the runtime's own
/// window, 256, is the default and is enforced by the same code; a small
/// cap makes the burst outrun the blocks for certain); every one is
/// submitted and every one reaches a block. Bank B admits this test's cast,
/// so no nonce of Alice's (which the other test's bridge signs for) is
/// taken.
#[test]
fn a_burst_beyond_the_nonce_window_waits_in_the_bridge_instead_of_failing() {
	const N: usize = 120;
	const THREADS: usize = 40;
	const IN_FLIGHT: usize = 8;
	let shared = shared();
	let node = shared.node();
	let dir = scratch_dir("bridge-burst");
	let index =
		shared.indexer_database.clone().expect("endpoints.json names the indexer's database");
	let (core, supplier) = (Sm2Pair::generate(), Sm2Pair::generate());
	admit(
		node,
		Bob,
		&[(core.account_id(), Role::CoreEnterprise), (supplier.account_id(), Role::Supplier)],
	);
	let amount = 1_000_000u128;
	grant_line(node, Bob, &core.account_id(), N as u128 * amount);
	let core_key = enrol(&dir, "core", &sm2_secret(&core));
	let in_flight = IN_FLIGHT.to_string();
	let bridge =
		Bridge::start_with(&dir, node, &index, free_port(), &["--max-in-flight", &in_flight]);
	let nonce = || -> u32 {
		try_runtime_call(node, "AccountNonceApi_account_nonce", core.account_id())
			.unwrap_or_else(|e| panic!("the core's nonce: {e}"))
	};
	let first = nonce();
	let due = now_ms() + 30 * 24 * 3_600_000;
	let issue = |i: usize, wait: &str| {
		bridge.call(
			&core_key,
			"scf_issue",
			json!({ "idempotencyKey": format!("burst-{i}"), "receiver": hex_of(&supplier),
				"amount": amount.to_string(), "due": due, "wait": wait }),
		)
	};
	let refused = std::sync::Mutex::new(Vec::new());
	std::thread::scope(|s| {
		for t in 0..THREADS {
			let (issue, refused) = (&issue, &refused);
			s.spawn(move || {
				for i in (t..N).step_by(THREADS) {
					if let Err(e) = issue(i, "submitted") {
						refused.lock().unwrap().push((i, e));
					}
				}
			});
		}
	});
	let refused = refused.into_inner().unwrap();
	assert!(refused.is_empty(), "{} of {N} refused, first {:?}\n{}", refused.len(), refused[0], {
		bridge.log()
	});
	assert!(
		bridge.log().contains("waits for room in the nonce window (the account's nonce is")
			&& bridge.log().contains(&format!("the window {IN_FLIGHT})")),
		"the burst never filled the window, so this test showed nothing:\n{}",
		bridge.log()
	);
	wait_for("every issue in a block", Duration::from_secs(120), || {
		(nonce() as usize >= first as usize + N).then_some(())
	});
	// The last one in, followed to finality, issued its certificate.
	let last = issue(N - 1, "finalized").unwrap_or_else(|e| panic!("burst-{}: {e}", N - 1));
	assert_eq!(last["status"], "finalized", "{last}");
	assert_eq!(id_list(&last, "certificates").len(), 1, "{last}");
	remove_dir(&dir);
}
