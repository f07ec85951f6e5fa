//! Bad input, everywhere it enters: the node's JSON-RPC (signed
//! extrinsics, SCALE, JSON) and the web bridge's (parameters, client
//! signatures), on the shared test consortium. Each refusal is checked for
//! its code and for a message that names what is wrong, and each test then
//! checks that nothing changed: the signer's nonce, the certificates the
//! parties hold, the core enterprise's credit in use. The README's "Bad
//! input" table lists every row and the test that shows it.
//!
//! Participants are admitted by bank D (Dave); the bridge test runs a
//! bridge of its own on the indexer start.sh runs.

mod common;

use codec::{Compact, Decode, Encode};
use common::{bridge::*, cast::*, tx::*, *};
use pallet_receivables::TradeDocuments;
use scf_bridge::codes;
use scf_primitives::{sm2::Sm2Pair, Role, Signature};
use scf_runtime::{signing::signed_extrinsic_for, AccountId, Runtime, RuntimeCall};
use serde_json::{json, Value};
use sp_core::H256;
use sp_keyring::Sr25519Keyring::Dave;
use sp_runtime::DispatchError;
use std::io::{Read, Write};
use std::time::Duration;

type Certificate = pallet_receivables::CertificateOf<Runtime>;

/// The pool's codes (`sc-rpc-api`'s author errors).
const POOL_INVALID_TX: i64 = 1010;
const POOL_UNKNOWN_VALIDITY: i64 = 1011;
const BAD_FORMAT: i64 = 1001;
const VERIFICATION_ERROR: i64 = 1002;
const CLIENT_ERROR: i64 = 1040;

/// The signer's nonce on chain and in the pool.
fn nonce_of(node: &Node, who: &AccountId) -> u32 {
	node.rpc("system_accountNextIndex", json!([who.to_string()])).unwrap().as_u64().unwrap() as u32
}

fn holdings_of(node: &Node, who: &AccountId) -> Vec<Certificate> {
	runtime_call(node, "ReceivablesApi_holdings", who.clone())
}

/// `call` signed by the SM2 key `pair` with `nonce`; `sign` makes the
/// signature over the payload it is given.
fn sm2_signed(
	pair: &Sm2Pair,
	call: RuntimeCall,
	nonce: u32,
	chain: Chain,
	sign: impl FnOnce(&[u8]) -> Signature,
) -> Vec<u8> {
	signed_extrinsic_for(chain.spec_version, call, pair.account_id(), nonce, chain.genesis, sign)
		.encode()
}

/// Submits raw extrinsic bytes: the hash, or the node's error object.
fn submit_bytes(node: &Node, bytes: &[u8]) -> Result<Value, Value> {
	let hex = format!("0x{}", hex_encode(bytes));
	rpc_call_as(node.spec.rpc_port, None, "author_submitExtrinsic", json!([hex]), secs(10))
}

fn secs(n: u64) -> Duration {
	Duration::from_secs(n)
}

/// Asserts that `answer` is the error `code` and that its message or data
/// contains `says`.
#[track_caller]
fn refused(answer: Result<Value, Value>, code: i64, says: &str) {
	let e = answer.expect_err("a refusal");
	assert_eq!(e["code"], code, "{e}");
	let text = format!("{} {}", e["message"], e["data"]).to_lowercase();
	assert!(text.contains(&says.to_lowercase()), "expected \"{says}\" in {e}");
}

/// Asserts that the node refused bytes it could not decode: as no
/// extrinsic at all (1001, "invalid format"; or 1040, "could not decode",
/// when a length prefix promises more than there is), or, when they are
/// length-prefixed bytes the node takes for an opaque extrinsic, because
/// the runtime could not decode them in `validate_transaction` (1002, a
/// verification error: the runtime API traps on arguments that do not
/// decode).
#[track_caller]
fn undecodable(answer: Result<Value, Value>) {
	let e = answer.expect_err("a refusal");
	match e["code"].as_i64() {
		Some(BAD_FORMAT) => refused(Err(e), BAD_FORMAT, "invalid format"),
		Some(CLIENT_ERROR) => refused(Err(e), CLIENT_ERROR, "could not decode"),
		_ => refused(Err(e), VERIFICATION_ERROR, "validate_transaction"),
	}
}

fn remark(text: &str) -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark_with_event { remark: text.as_bytes().to_vec() })
}

/// A raw HTTP POST of `body` to `127.0.0.1:port`: the status line and the
/// body of the answer (empty when the server closed the connection first).
fn post_raw(port: u16, body: &[u8], headers: &str) -> (String, String) {
	let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
	stream.set_read_timeout(Some(secs(30))).unwrap();
	let head = format!(
		"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n{headers}\
		 Content-Length: {}\r\nConnection: close\r\n\r\n",
		body.len()
	);
	stream.write_all(head.as_bytes()).unwrap();
	// The server may answer and close before it read all of an oversized body.
	let _ = stream.write_all(body);
	let mut response = Vec::new();
	let _ = stream.read_to_end(&mut response);
	let response = String::from_utf8_lossy(&response).to_string();
	let (status, rest) = response.split_once("\r\n").unwrap_or((&response, ""));
	let body = rest.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
	(status.to_string(), body)
}

/// Where the extrinsic `hash` went once in a block at or after `from`: `Ok`
/// if it dispatched, its dispatch error if not (the block's events).
fn dispatch_outcome(node: &Node, hash: &str, from: u64) -> Result<(), DispatchError> {
	type Record = frame_system::EventRecord<scf_runtime::RuntimeEvent, H256>;
	let events_key =
		[sp_io::hashing::twox_128(b"System"), sp_io::hashing::twox_128(b"Events")].concat();
	let mut next = from;
	wait_for(&format!("{hash} in a block"), secs(60), || {
		let best = node.best_number()?;
		while next <= best {
			let block_hash = node.block_hash(next)?;
			let block = node.rpc("chain_getBlock", json!([block_hash])).ok()?;
			let xts = block["block"]["extrinsics"].as_array()?;
			let index = xts.iter().position(|x| {
				let bytes = x.as_str().and_then(hex_decode).unwrap_or_default();
				format!("0x{}", hex_encode(&sp_io::hashing::blake2_256(&bytes))) == hash
			});
			if let Some(index) = index {
				let bytes = storage_at(node, &events_key, Some(&block_hash))?;
				let records = Vec::<Record>::decode(&mut &bytes[..]).expect("events decode");
				let phase = frame_system::Phase::ApplyExtrinsic(index as u32);
				return records.into_iter().filter(|r| r.phase == phase).find_map(|r| {
					match r.event {
						scf_runtime::RuntimeEvent::System(
							frame_system::Event::ExtrinsicSuccess { .. },
						) => Some(Ok(())),
						scf_runtime::RuntimeEvent::System(
							frame_system::Event::ExtrinsicFailed { dispatch_error, .. },
						) => Some(Err(dispatch_error)),
						_ => None,
					}
				});
			}
			next += 1;
		}
		None
	})
}

/// Whether `e` is the module error `want` (the message aside).
fn is_error(e: &DispatchError, want: &DispatchError) -> bool {
	match (e, want) {
		(DispatchError::Module(got), DispatchError::Module(want)) => {
			got.index == want.index && got.error == want.error
		},
		_ => false,
	}
}

/// A fresh SM2 supplier and a fresh sr25519 core enterprise with a line from
/// bank D.
fn cast(node: &Node) -> (Sm2Pair, sp_core::sr25519::Pair) {
	let supplier = Sm2Pair::generate();
	let core = fresh_pair("bad-input core");
	admit(
		node,
		Dave,
		&[(supplier.account_id(), Role::Supplier), (account(&core), Role::CoreEnterprise)],
	);
	grant_line(node, Dave, &account(&core), 10_000_000_000);
	(supplier, core)
}

#[test]
fn the_pool_refuses_bad_signatures_nonces_signers_and_scale_and_nothing_changes() {
	let node = shared().node();
	let dir = scratch_dir("bad-input-pool");
	let (supplier, _) = cast(node);
	let who = supplier.account_id();
	let chain = Chain::of(node);
	let n0 = nonce_of(node, &who);

	// An SM2 signature with one bit flipped.
	let bad_bit = sm2_signed(&supplier, remark("flipped"), n0, chain, |payload| {
		let mut s = supplier.sign(payload);
		s.signature[40] ^= 0x01;
		Signature::Sm2(s)
	});
	refused(submit_bytes(node, &bad_bit), POOL_INVALID_TX, "bad signature");

	// Signed by OpenSSL over the same payload with another SM2 user id.
	let pem = supplier.to_pkcs8_pem();
	let other_id = sm2_signed(&supplier, remark("other id"), n0, chain, |payload| {
		let der = openssl_sign(&dir, &pem, payload, Some("8765432187654321"));
		Signature::Sm2(
			scf_primitives::sm2::Sm2Signature::from_der(&der, supplier.public()).unwrap(),
		)
	});
	refused(submit_bytes(node, &other_id), POOL_INVALID_TX, "bad signature");

	// A nonce beyond the window (256 ahead) is refused; one inside it would
	// wait in the pool for the nonces before it.
	let window = 256;
	let far = sm2_signed(&supplier, remark("far"), n0 + window + 1, chain, |p| {
		Signature::Sm2(supplier.sign(p))
	});
	refused(submit_bytes(node, &far), POOL_UNKNOWN_VALIDITY, "custom(2)");
	assert_eq!(nonce_of(node, &who), n0, "no refused transaction reached the pool");

	// A good one goes in; replaying its bytes, or another transaction with
	// its nonce, is refused as outdated.
	let good =
		sm2_signed(&supplier, remark("good"), n0, chain, |p| Signature::Sm2(supplier.sign(p)));
	let hash = submit_bytes(node, &good).unwrap_or_else(|e| panic!("the good remark: {e}"));
	let from = node.best_number().unwrap();
	assert_eq!(dispatch_outcome(node, hash.as_str().unwrap(), from), Ok(()));
	let included = node.best_number().unwrap();
	wait_for("the remark to be finalized", secs(60), || {
		(node.finalized_number()? >= included).then_some(())
	});
	// The pool remembers an included transaction for a while (30 min) and
	// bans its hash; after that the runtime calls it outdated.
	let replay = submit_bytes(node, &good);
	if replay.as_ref().is_err_and(|e| e["code"] == 1012) {
		refused(replay, 1012, "temporarily banned");
	} else {
		refused(replay, POOL_INVALID_TX, "outdated");
	}
	let stale =
		sm2_signed(&supplier, remark("stale"), n0, chain, |p| Signature::Sm2(supplier.sign(p)));
	refused(submit_bytes(node, &stale), POOL_INVALID_TX, "outdated");

	// An SM2 key nobody admitted; a participant the bank suspended.
	let stranger = Sm2Pair::generate();
	let strange =
		sm2_signed(&stranger, remark("stranger"), 0, chain, |p| Signature::Sm2(stranger.sign(p)));
	refused(submit_bytes(node, &strange), POOL_INVALID_TX, "invalid signing address");
	let suspended = Sm2Pair::generate();
	admit(node, Dave, &[(suspended.account_id(), Role::Supplier)]);
	submit_as_bank(
		node,
		Dave,
		vec![RuntimeCall::Participants(pallet_participants::Call::suspend {
			who: suspended.account_id(),
		})],
	);
	let by_suspended = sm2_signed(&suspended, remark("suspended"), 0, chain, |p| {
		Signature::Sm2(suspended.sign(p))
	});
	// Custom error 1: `pallet_participants::SUSPENDED_SIGNER`.
	refused(submit_bytes(node, &by_suspended), POOL_INVALID_TX, "custom error: 1");

	// Malformed SCALE: bytes that are no extrinsic, a good one cut short,
	// and a split of 10,000 parts (its parts are a bounded vector of at most
	// `MaxChildren`: refused when decoded, before any signature check).
	// (Bytes of this run's own: the pool bans the hash of what it refused.)
	let mut junk = Compact(33u32).encode();
	junk.push(0xff);
	junk.extend(AsRef::<[u8]>::as_ref(&who));
	undecodable(submit_bytes(node, &junk));
	undecodable(submit_bytes(node, &good[..good.len() - 7]));
	let split = RuntimeCall::Receivables(pallet_receivables::Call::split_transfer {
		id: 1,
		parts: vec![(stranger.account_id(), 1_000_000)].try_into().unwrap(),
		documents: TradeDocuments::default(),
	});
	let one_part =
		sm2_signed(&supplier, split, n0 + 1, chain, |p| Signature::Sm2(supplier.sign(p)));
	let huge = with_parts(&one_part, &stranger.account_id(), 10_000);
	undecodable(submit_bytes(node, &huge));

	// Only the good remark was taken.
	assert_eq!(nonce_of(node, &who), n0 + 1);
	assert_eq!(nonce_of(node, &stranger.account_id()), 0);
	assert_eq!(nonce_of(node, &suspended.account_id()), 0);
	remove_dir(&dir);
}

/// `xt`, a signed one-part `split_transfer`, with its parts list re-encoded
/// to hold `n` parts to `to` (the signature no longer matters: decoding
/// fails first) and its length prefix fixed.
fn with_parts(xt: &[u8], to: &AccountId, n: u32) -> Vec<u8> {
	let mut input = xt;
	let len = Compact::<u32>::decode(&mut input).unwrap().0 as usize;
	let body = &input[..len];
	// The one part as SCALE: a length of 1, the account, the amount.
	let part = (to.clone(), 1_000_000u128).encode();
	let mut one = Compact(1u32).encode();
	one.extend(&part);
	let at = body.windows(one.len()).position(|w| w == one).expect("the parts in the call");
	let mut parts = Compact(n).encode();
	for _ in 0..n {
		parts.extend(&part);
	}
	let mut out = body[..at].to_vec();
	out.extend(parts);
	out.extend(&body[at + one.len()..]);
	let mut framed = Compact(out.len() as u32).encode();
	framed.extend(out);
	framed
}

#[test]
fn the_node_answers_malformed_and_oversized_json_rpc_with_errors() {
	let node = shared().node();
	let port = node.spec.rpc_port;
	let best = node.best_number().unwrap();

	let (status, body) = post_raw(port, b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":", "");
	assert!(status.contains("200") || status.contains("400"), "{status}");
	let e: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
	assert_eq!(e["error"]["code"], -32700, "{e}");

	let wrong_type = json!({ "jsonrpc": "2.0", "id": 1, "method": "author_submitExtrinsic",
		"params": [42] });
	let (_, body) = post_raw(port, wrong_type.to_string().as_bytes(), "");
	let e: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
	assert_eq!(e["error"]["code"], -32602, "{e}");

	let (_, body) = post_raw(port, br#"{"jsonrpc":"2.0","id":1,"method":"no_suchMethod"}"#, "");
	let e: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
	assert_eq!(e["error"]["code"], -32601, "{e}");

	// Over the node's request limit (`--rpc-max-request-size`, 15 MiB).
	let big = format!(
		r#"{{"jsonrpc":"2.0","id":1,"method":"author_submitExtrinsic","params":["0x{}"]}}"#,
		"00".repeat(8 * 1024 * 1024)
	);
	let (status, body) = post_raw(port, big.as_bytes(), "");
	assert!(status.contains("413"), "an oversized request: {status} {body}");

	// The node still answers, and goes on making blocks.
	wait_for("a block after the bad requests", secs(30), || {
		(node.best_number()? > best).then_some(())
	});
}

#[test]
fn the_ledger_refuses_bad_terms_and_unknown_ids_in_a_block_and_nothing_changes() {
	let node = shared().node();
	let (supplier, core) = cast(node);
	let (to, core_id) = (supplier.account_id(), account(&core));
	let used = credit_used(node, &core_id);
	let issue = |due: u64| {
		RuntimeCall::Receivables(pallet_receivables::Call::issue {
			receiver: to.clone(),
			amount: 1_000_000_000,
			due,
			documents: TradeDocuments::default(),
		})
	};
	let year = 365 * 24 * 3600 * 1000;
	let unknown = u64::MAX - 7;
	let cases: Vec<(&str, RuntimeCall, pallet_receivables::Error<Runtime>)> = vec![
		("due in the past", issue(now_ms() - 60_000), pallet_receivables::Error::DueDateInPast),
		("beyond the tenor cap", issue(now_ms() + year + 86_400_000), {
			pallet_receivables::Error::TenorTooLong
		}),
		(
			"accept an unknown id",
			RuntimeCall::Receivables(pallet_receivables::Call::accept { id: unknown }),
			pallet_receivables::Error::UnknownCertificate,
		),
		(
			"split an unknown id",
			RuntimeCall::Receivables(pallet_receivables::Call::split_transfer {
				id: unknown,
				parts: vec![(core_id.clone(), 1_000_000)].try_into().unwrap(),
				documents: TradeDocuments::default(),
			}),
			pallet_receivables::Error::UnknownCertificate,
		),
	];
	let from = node.best_number().unwrap();
	for (what, call, expected) in cases {
		let hash = submit(node, &core, call).unwrap_or_else(|e| panic!("{what}: {e}"));
		let outcome = dispatch_outcome(node, hash.as_str().unwrap(), from);
		let want = DispatchError::from(expected);
		match outcome {
			Err(e) if is_error(&e, &want) => {},
			other => panic!("{what}: {other:?}, not {want:?}"),
		}
	}
	assert!(holdings_of(node, &to).is_empty(), "the supplier was offered nothing");
	assert!(holdings_of(node, &core_id).is_empty(), "the core holds nothing");
	assert_eq!(credit_used(node, &core_id), used, "no credit reserved");
}

#[test]
fn the_bridge_refuses_bad_parameters_and_signatures_with_its_codes_and_nothing_changes() {
	let shared = shared();
	let node = shared.node();
	let dir = scratch_dir("bad-input-bridge");
	let index = shared.indexer_database.clone().expect("endpoints.json names the indexer");
	let (core, s1, s2) = (Sm2Pair::generate(), Sm2Pair::generate(), Sm2Pair::generate());
	let stranger = Sm2Pair::generate();
	admit(
		node,
		Dave,
		&[
			(core.account_id(), Role::CoreEnterprise),
			(s1.account_id(), Role::Supplier),
			(s2.account_id(), Role::Supplier),
		],
	);
	grant_line(node, Dave, &core.account_id(), 10_000_000_000);
	let secret = |p: &Sm2Pair| format!("sm2:{}", p.to_secret_hex().as_str());
	let core_key = enrol(&dir, "core", &secret(&core));
	let s2_key = enrol(&dir, "s2", &secret(&s2));
	let stranger_key = enrol(&dir, "stranger", &secret(&stranger));
	let port = free_port();
	let bridge = Bridge::start(&dir, node, &index, port);
	let hex_id = |p: &Sm2Pair| format!("0x{}", hex_encode(AsRef::<[u8]>::as_ref(&p.account_id())));
	let used = credit_used(node, &core.account_id());
	let core_nonce = nonce_of(node, &core.account_id());

	let issue = |key: &str, idem: &str, amount: Value, due: u64| {
		bridge.call(
			key,
			"scf_issue",
			json!({ "idempotencyKey": idem, "receiver": hex_id(&s1), "amount": amount, "due": due }),
		)
	};
	let code = |r: Result<Value, Value>, code: i32, says: &str| {
		let e = r.expect_err("a refusal");
		assert_eq!(e["code"], code, "{e}\n{}", bridge.log());
		let text = format!("{} {}", e["message"], e["data"]);
		assert!(text.contains(says), "expected \"{says}\" in {e}");
	};
	let due = now_ms() + 30 * 86_400_000;

	// Amounts only JSON can carry: above u128, negative, not a number.
	let over = "340282366920938463463374607431768211456"; // u128::MAX + 1
	code(issue(&core_key, "a1", json!(over), due), codes::BAD_PARAMS, "u128");
	code(issue(&core_key, "a2", json!("-5"), due), codes::BAD_PARAMS, "amount");
	code(issue(&core_key, "a3", json!(1e40), due), codes::BAD_PARAMS, "amount");
	// Due dates the ledger refuses: decoded into its error.
	code(issue(&core_key, "d1", json!("1000000000"), now_ms() - 60_000), codes::RULE_VIOLATION, {
		"DueDateInPast"
	});
	let beyond = now_ms() + 366 * 86_400_000;
	code(
		issue(&core_key, "d2", json!("1000000000"), beyond),
		codes::RULE_VIOLATION,
		"TenorTooLong",
	);
	// Unknown certificate ids: a read and a write.
	let unknown = u64::MAX - 7;
	code(
		bridge.call(&s2_key, "scf_getCertificate", json!({ "id": unknown })),
		codes::NOT_FOUND,
		"",
	);
	code(
		bridge.call(&s2_key, "scf_accept", json!({ "idempotencyKey": "u1", "id": unknown })),
		codes::RULE_VIOLATION,
		"UnknownCertificate",
	);
	// Splits with more parts than the ledger takes (`MaxChildren`, 16):
	// refused before anything is signed.
	let parts = |n: usize| -> Value {
		(0..n).map(|_| json!({ "to": hex_id(&s1), "amount": "1" })).collect::<Vec<_>>().into()
	};
	let split = |n: usize, idem: &str| {
		bridge.call(
			&s2_key,
			"scf_splitTransfer",
			json!({ "idempotencyKey": idem, "id": unknown, "parts": parts(n) }),
		)
	};
	code(split(17, "p1"), codes::BAD_PARAMS, "parts");
	code(split(10_000, "p2"), codes::BAD_PARAMS, "parts");
	// A participant the ledger does not know: the pool refuses it.
	code(
		issue(&stranger_key, "s1", json!("1000000000"), due),
		codes::NOT_SUBMITTED,
		"signing address",
	);

	// Client signatures on scf_submit: a flipped bit, another user id.
	let prepared = bridge
		.call(
			&s2_key,
			"scf_prepare",
			json!({ "method": "scf_accept", "params": { "idempotencyKey": "c1", "id": unknown } }),
		)
		.unwrap_or_else(|e| panic!("prepare: {e}"));
	let payload = hex_decode(prepared["signingPayload"].as_str().unwrap()).unwrap();
	let public = format!("0x{}", hex_encode(s2.public().as_ref()));
	let mut flipped = s2.sign(&payload).signature;
	flipped[3] ^= 0x80;
	let submit = |signature: &[u8]| {
		bridge.call(
			&s2_key,
			"scf_submit",
			json!({ "prepareId": prepared["prepareId"],
				"signature": format!("0x{}", hex_encode(signature)), "publicKey": public }),
		)
	};
	code(submit(&flipped), codes::BAD_PARAMS, "signature");
	let der = openssl_sign(&dir, &s2.to_pkcs8_pem(), &payload, Some("8765432187654321"));
	code(submit(&der), codes::BAD_PARAMS, "signature");
	code(submit(b"\x30\x02\x01"), codes::BAD_PARAMS, "signature");

	// Malformed and oversized JSON-RPC (the bridge's limit is 1 MiB).
	let auth = format!("X-Api-Key: {core_key}\r\n");
	let (_, body) = post_raw(port, b"{\"jsonrpc\":\"2.0\",\"id\":1,", &auth);
	let e: Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
	assert_eq!(e["error"]["code"], -32700, "{e}");
	let big = format!(
		r#"{{"jsonrpc":"2.0","id":1,"method":"scf_whoami","params":{{"pad":"{}"}}}}"#,
		"x".repeat(2 << 20)
	);
	let (status, body) = post_raw(port, big.as_bytes(), &auth);
	assert!(status.contains("413"), "an oversized request: {status} {body}");

	// Nothing reached the ledger for the core enterprise or the suppliers.
	assert_eq!(nonce_of(node, &core.account_id()), core_nonce + 2, "the two due-date issues");
	assert!(holdings_of(node, &s1.account_id()).is_empty());
	assert!(holdings_of(node, &s2.account_id()).is_empty());
	assert_eq!(credit_used(node, &core.account_id()), used);
	assert_eq!(nonce_of(node, &stranger.account_id()), 0);
	drop(bridge);
	remove_dir(&dir);
}
