//! The bridge's API on loopback, with no chain behind it (its node address
//! answers nothing) and a fresh, empty indexer database: what must hold
//! before any transaction is signed — authentication, scope, rate limits,
//! parameter checks, idempotency records, "chain unavailable", and the
//! OpenRPC document.

use scf_bridge::{
	admin, codes,
	store::{state, WriteRow},
	Options,
};
use serde_json::{json, Value};
use std::{
	io::{Read, Write},
	net::TcpStream,
	time::Duration,
};

/// A JSON-RPC call with an optional API key: the result, or the error object.
fn call(port: u16, key: Option<&str>, method: &str, params: Value) -> Result<Value, Value> {
	let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string();
	let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
	stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
	let auth = key.map(|k| format!("X-Api-Key: {k}\r\n")).unwrap_or_default();
	let request = format!(
		"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{auth}\
		 Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	);
	stream.write_all(request.as_bytes()).unwrap();
	let mut response = String::new();
	stream.read_to_string(&mut response).unwrap();
	let (_, payload) = response.split_once("\r\n\r\n").expect("an HTTP body");
	let v: Value = serde_json::from_str(payload).unwrap_or_else(|e| panic!("{e}: {payload}"));
	match v.get("result") {
		Some(r) => Ok(r.clone()),
		None => Err(v["error"].clone()),
	}
}

fn code(e: Result<Value, Value>) -> i64 {
	e.expect_err("an error")["code"].as_i64().unwrap()
}

const ME: &str = "0x1111111111111111111111111111111111111111111111111111111111111111";
const OTHER: &str = "0x2222222222222222222222222222222222222222222222222222222222222222";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_refuses_what_it_must_before_the_chain_is_asked() {
	let dir = std::env::temp_dir().join(format!("scf-bridge-api-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	let index = dir.join("index.sqlite").display().to_string();
	drop(scf_indexer::Store::open(&index).await.unwrap());
	let database = dir.join("bridge.sqlite").display().to_string();
	let master = b"the master secret of this test".to_vec();
	let options = Options {
		node: "ws://127.0.0.1:9".into(),
		database: database.clone(),
		indexer_database: index,
		listen: "127.0.0.1:0".parse().unwrap(),
		master_key: Some(master.clone()),
		rate: 1,
		burst: 20,
		max_request_bytes: 64 * 1024,
		max_connections: 32,
		tls: None,
		wallet_dir: None,
		public_origin: None,
		max_in_flight: None,
	};
	let (addr, handle, bridge) = scf_bridge::serve(&options).await.unwrap();
	let port = addr.port();
	let (_, key) = admin::add_key(&bridge.store, ME, "me", None).await.unwrap();
	// 'static, so that each blocking closure can take its own copy.
	let key: &'static str = Box::leak(key.as_str().to_string().into_boxed_str());

	let blocking = move |f: Box<dyn FnOnce() + Send>| tokio::task::spawn_blocking(f);
	blocking(Box::new(move || {
		// Unauthenticated: no key, a malformed one, an unknown one.
		assert_eq!(code(call(port, None, "scf_whoami", json!({}))), codes::UNAUTHENTICATED as i64);
		assert_eq!(
			code(call(port, Some("nope"), "scf_whoami", json!({}))),
			codes::UNAUTHENTICATED as i64
		);
		let unknown = format!("scf_{}_{}", "ab".repeat(8), "cd".repeat(32));
		assert_eq!(
			code(call(port, Some(&unknown), "scf_whoami", json!({}))),
			codes::UNAUTHENTICATED as i64
		);
		let me = call(port, Some(key), "scf_whoami", json!({})).unwrap();
		assert_eq!(me["participant"], ME);
		assert_eq!(me["readsEverything"], false);
		// Scope: another participant's holdings are not ours to read.
		assert_eq!(
			code(call(port, Some(key), "scf_getHoldings", json!({ "account": OTHER }))),
			codes::FORBIDDEN as i64
		);
		assert_eq!(call(port, Some(key), "scf_getHoldings", json!({})).unwrap(), json!([]));
		assert_eq!(
			code(call(port, Some(key), "scf_getCertificate", json!({ "id": 999_999 }))),
			codes::NOT_FOUND as i64
		);
		// Bad parameters name the field.
		let e = call(
			port,
			Some(key),
			"scf_issue",
			json!({ "idempotencyKey": "a", "receiver": OTHER,
			"amount": 5, "due": 1 }),
		)
		.unwrap_err();
		assert_eq!(e["code"], codes::BAD_PARAMS);
		assert!(e["message"].as_str().unwrap().contains("`amount`"), "{e}");
		let e = call(port, Some(key), "scf_accept", json!({ "id": 1 })).unwrap_err();
		assert!(e["message"].as_str().unwrap().contains("idempotencyKey"), "{e}");
		assert_eq!(
			code(call(port, Some(key), "scf_getLineage", json!({ "root": 1, "colour": 2 }))),
			codes::BAD_PARAMS as i64
		);
	}))
	.await
	.unwrap();

	// A recorded, finalized write: a retry gets the stored outcome (the
	// node is not there, so nothing else could answer); other parameters
	// under the same key are refused.
	let params = json!({ "idempotencyKey": "k-1", "id": 7 });
	let digest = scf_bridge::rpc::request_digest("scf_accept", params.as_object().unwrap());
	let row = WriteRow {
		participant: ME.into(),
		key: "k-1".into(),
		digest,
		method: "scf_accept".into(),
		nonce: 3,
		extrinsic: vec![1, 2, 3],
		hash: format!("0x{}", "ee".repeat(32)),
		signed_at: 10,
		valid_until: 74,
		state: state::SIGNED.into(),
		outcome: None,
	};
	assert!(bridge.store.insert_write(&row).await.unwrap());
	assert!(!bridge.store.insert_write(&row).await.unwrap(), "a key is recorded once");
	let outcome = json!({ "status": "finalized", "certificates": [], "block": 12 });
	bridge
		.store
		.set_write_state(ME, "k-1", state::FINALIZED, Some(&outcome.to_string()))
		.await
		.unwrap();
	// The custodial key, and a second API key for the rate-limit check.
	let alice = admin::add_custody(&bridge.store, &master, "sr25519://Alice").await.unwrap();
	let (_, alice_key) = admin::add_key(&bridge.store, &alice, "alice", None).await.unwrap();
	let alice_key: &'static str = Box::leak(alice_key.as_str().to_string().into_boxed_str());
	let (revoked_id, revoked) = admin::add_key(&bridge.store, ME, "to revoke", None).await.unwrap();
	let revoked: &'static str = Box::leak(revoked.as_str().to_string().into_boxed_str());

	let key2 = key;
	blocking(Box::new(move || {
		let again =
			call(port, Some(key2), "scf_accept", json!({ "id": 7, "idempotencyKey": "k-1" }));
		assert_eq!(again.unwrap(), outcome);
		let e = call(port, Some(key2), "scf_accept", json!({ "id": 8, "idempotencyKey": "k-1" }))
			.unwrap_err();
		assert_eq!(e["code"], codes::IDEMPOTENCY_CONFLICT);
		let progress =
			call(port, Some(key2), "scf_getWrite", json!({ "idempotencyKey": "k-1" })).unwrap();
		assert_eq!(progress["status"], "finalized");
		assert_eq!(progress["outcome"]["block"], 12);
		// Prepare → submit: an unknown write, an unknown prepare.
		let e = call(port, Some(key2), "scf_prepare", json!({ "method": "scf_fly", "params": {} }))
			.unwrap_err();
		assert_eq!(e["code"], codes::BAD_PARAMS, "{e}");
		let e = call(
			port,
			Some(key2),
			"scf_submit",
			json!({ "prepareId": "nope",
			"signature": "00", "publicKey": "00" }),
		)
		.unwrap_err();
		assert_eq!(e["code"], codes::NOT_FOUND, "{e}");
		// A participant the bridge holds no key for cannot write.
		let e = call(port, Some(key2), "scf_accept", json!({ "id": 9, "idempotencyKey": "k-2" }))
			.unwrap_err();
		assert_eq!(e["code"], codes::FORBIDDEN, "{e}");
		// One it holds a key for: the node is not there.
		let e =
			call(port, Some(alice_key), "scf_accept", json!({ "id": 9, "idempotencyKey": "k-3" }))
				.unwrap_err();
		assert_eq!(e["code"], codes::CHAIN_UNAVAILABLE, "{e}");
		call(port, Some(revoked), "scf_whoami", json!({})).unwrap();
		// Rate limited: 20 at once, then about one a second.
		let limited = (0..30)
			.map(|_| call(port, Some(alice_key), "scf_whoami", json!({})))
			.filter(|r| r.as_ref().err().is_some_and(|e| e["code"] == codes::RATE_LIMITED))
			.count();
		assert!(limited >= 5, "{limited} of 30 limited");
		// The OpenRPC document: every method registered, with its params.
		let doc = call(port, Some(key2), "rpc.discover", json!([])).unwrap();
		assert_eq!(doc["openrpc"], "1.4.0");
	}))
	.await
	.unwrap();

	// A revoked key is refused from the next request on.
	assert!(bridge.store.revoke_key(&revoked_id).await.unwrap());
	blocking(Box::new(move || {
		let e = call(port, Some(revoked), "scf_whoami", json!({})).unwrap_err();
		assert_eq!(e["code"], codes::UNAUTHENTICATED);
		assert!(e["message"].as_str().unwrap().contains("revoked"), "{e}");
	}))
	.await
	.unwrap();

	// rpc.discover lists exactly what the server registered.
	let module = scf_bridge::rpc::module(bridge.clone());
	let mut registered: Vec<String> = module.method_names().map(str::to_owned).collect();
	registered.retain(|m| m != "rpc.discover");
	registered.sort();
	let mut listed: Vec<String> = scf_bridge::openrpc::document()["methods"]
		.as_array()
		.unwrap()
		.iter()
		.map(|m| m["name"].as_str().unwrap().to_string())
		.collect();
	listed.sort();
	assert_eq!(listed, registered);
	// The sealed key is in the database, never in the clear.
	let db = std::fs::read(dir.join("bridge.sqlite")).unwrap_or_default();
	let wal = std::fs::read(dir.join("bridge.sqlite-wal")).unwrap_or_default();
	for bytes in [db, wal] {
		assert!(
			!bytes.windows(8).any(|w| w == b"//Alice\0" || w == b"sr25519:"),
			"a secret in the clear"
		);
	}
	let _ = handle.stop();
	let _ = std::fs::remove_dir_all(&dir);
}

/// `curl` with `args` against `url`, posting `body`: (exit success, stdout).
fn curl(args: &[&str], url: &str, body: &str) -> (bool, String) {
	let out = std::process::Command::new("curl")
		.args(["-s", "--max-time", "10", "-H", "Content-Type: application/json", "-d", body])
		.args(args)
		.arg(url)
		.output()
		.expect("curl runs (scripts/test.sh installs it)");
	(out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_certificate_the_bridge_speaks_tls_1_3_only() {
	let dir = std::env::temp_dir().join(format!("scf-bridge-tls-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	// A self-signed certificate for 127.0.0.1, made by OpenSSL.
	let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
	let made = std::process::Command::new("openssl")
		.args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"])
		.args(["-nodes", "-days", "1", "-subj", "/CN=localhost"])
		.args(["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout"])
		.arg(&key)
		.arg("-out")
		.arg(&cert)
		.output()
		.expect("openssl runs");
	assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
	let index = dir.join("index.sqlite").display().to_string();
	drop(scf_indexer::Store::open(&index).await.unwrap());
	let options = Options {
		node: "ws://127.0.0.1:9".into(),
		database: dir.join("bridge.sqlite").display().to_string(),
		indexer_database: index,
		listen: "127.0.0.1:0".parse().unwrap(),
		master_key: None,
		rate: 10,
		burst: 10,
		max_request_bytes: 64 * 1024,
		max_connections: 8,
		tls: Some((cert.clone(), key.clone())),
		wallet_dir: None,
		public_origin: None,
		max_in_flight: None,
	};
	let (addr, handle, _bridge) = scf_bridge::serve(&options).await.unwrap();
	let https = format!("https://127.0.0.1:{}", addr.port());
	let http = format!("http://127.0.0.1:{}", addr.port());
	let discover = r#"{"jsonrpc":"2.0","id":1,"method":"rpc.discover","params":[]}"#;
	let cacert = cert.display().to_string();
	let (cert_arg, https2, http2) = (cacert.clone(), https.clone(), http.clone());
	tokio::task::spawn_blocking(move || {
		let (ok, body) = curl(&["--cacert", &cert_arg, "--tlsv1.3"], &https2, discover);
		assert!(ok && body.contains("\"openrpc\""), "TLS 1.3: {body}");
		let (ok, _) = curl(&["--cacert", &cert_arg, "--tls-max", "1.2"], &https2, discover);
		assert!(!ok, "TLS 1.2 is refused");
		let (ok, body) = curl(&[], &http2, discover);
		assert!(!ok || !body.contains("openrpc"), "plain HTTP is not served: {body}");
		let (ok, _) = curl(&[], &https2, discover);
		assert!(!ok, "an untrusted certificate fails the client's check");
	})
	.await
	.unwrap();
	let _ = handle.stop();
	let _ = std::fs::remove_dir_all(&dir);
}
