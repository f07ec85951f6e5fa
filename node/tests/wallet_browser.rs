//! The supplier wallet end to end, in headless Chromium driven by
//! Playwright (`wallet/tests/wallet.e2e.mjs`), on the shared test
//! consortium: a supplier imports its SM2 key (PKCS#8 PEM, as OpenSSL
//! writes it), refuses a hostile login challenge, signs in, accepts a
//! certificate, splits it to two receivers, sees the new lineage, requests
//! financing and accepts the bank's offer — each signed in the page and
//! followed until finalized; no request carries the key or the passphrase.
//! Around it: the page's call indices against the runtime's metadata, and
//! SM2 signatures made in the browser verified by the runtime's verifier
//! and OpenSSL 3 (and OpenSSL's by the page).
//!
//! The bank (A, Alice, custodial in this test's own bridge) answers the
//! supplier's financing request from this process. Test binaries run one
//! after another, so no other suite signs for Alice meanwhile.

mod common;

use common::{bridge::*, cast::*, tx::*, *};
use scf_primitives::{
	sm2::{verify_native, Sm2Pair, Sm2Signature},
	Role,
};
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring::Alice;
use std::{
	io::{BufRead, BufReader},
	os::unix::process::CommandExt,
	path::{Path, PathBuf},
	process::{Command, Stdio},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

type Certificate = pallet_receivables::CertificateOf<scf_runtime::Runtime>;

/// How long the browser script may take, all steps together.
const SCRIPT_LIMIT: Duration = Duration::from_secs(150);

fn repo() -> PathBuf {
	Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The assembled page (scripts/lib.sh `assemble_wallet`).
fn wallet_dir() -> PathBuf {
	std::env::var_os("SCF_WALLET_DIR")
		.map(PathBuf::from)
		.unwrap_or_else(|| node_binary().parent().unwrap().parent().unwrap().join("wallet-www"))
}

fn hex_of(pair: &Sm2Pair) -> String {
	format!("0x{}", hex_encode(AsRef::<[u8]>::as_ref(&pair.account_id())))
}

/// The script's process, killed (with its browser) if the test fails.
struct Script(std::process::Child);

impl Drop for Script {
	fn drop(&mut self) {
		// The script runs in a process group of its own: Chromium goes too.
		let pid = self.0.id() as i32;
		let _ = Command::new("kill").args(["-KILL", "--", &format!("-{pid}")]).status();
		let _ = self.0.wait();
	}
}

#[test]
fn the_calls_the_page_decodes_are_at_the_runtimes_indices() {
	let shared = shared();
	let calls: serde_json::Map<String, Value> = serde_json::from_str(
		&std::fs::read_to_string(repo().join("wallet/www/calls.json")).unwrap(),
	)
	.unwrap();
	let rt = tokio::runtime::Runtime::new().unwrap();
	let indices: Vec<(String, Option<[u8; 2]>)> = rt.block_on(async {
		let url = format!("ws://127.0.0.1:{}", shared.node().spec.rpc_port);
		let api = scf_client::OnlineClient::<scf_client::ScfConfig>::from_insecure_url(&url)
			.await
			.expect("connects");
		let at = api.at_current_block().await.expect("the best block");
		let metadata = at.metadata();
		calls
			.keys()
			.map(|name| {
				let (pallet, call) = name.split_once('.').unwrap();
				let found = metadata
					.pallet_by_name(pallet)
					.and_then(|p| Some([p.call_index(), p.call_variant_by_name(call)?.index]));
				(name.clone(), found)
			})
			.collect()
	});
	assert_eq!(indices.len(), 5);
	for (name, found) in indices {
		let page: Vec<u8> =
			calls[&name].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u8).collect();
		assert_eq!(
			found.map(|f| f.to_vec()),
			Some(page),
			"{name}: runtime vs wallet/www/calls.json"
		);
	}
}

#[test]
fn a_supplier_runs_a_certificate_from_acceptance_to_an_accepted_offer_in_the_browser() {
	let shared = shared();
	let node = shared.node();
	let dir = scratch_dir("wallet");
	let index = shared
		.indexer_database
		.clone()
		.expect("endpoints.json names the indexer's database (start.sh runs one)");
	let wallet = wallet_dir();
	assert!(
		wallet.join("index.html").exists() && wallet.join("scf_wallet_crypto.wasm").exists(),
		"no assembled wallet at {} (scripts/test.sh builds it)",
		wallet.display()
	);

	// The cast: a core enterprise (custodial here), the supplier (its key
	// only ever goes to the browser), two receivers one tier down.
	let (core, supplier, r1, r2) =
		(Sm2Pair::generate(), Sm2Pair::generate(), Sm2Pair::generate(), Sm2Pair::generate());
	admit(
		node,
		Alice,
		&[
			(core.account_id(), Role::CoreEnterprise),
			(supplier.account_id(), Role::Supplier),
			(r1.account_id(), Role::Supplier),
			(r2.account_id(), Role::Supplier),
		],
	);
	grant_line(node, Alice, &core.account_id(), 50_000_000_000);
	let core_key = enrol(&dir, "core", &format!("sm2:{}", core.to_secret_hex().as_str()));
	let bank_key = enrol(&dir, "bank-a", "sr25519://Alice");
	let port = free_port();
	let bridge =
		Bridge::start_with(&dir, node, &index, port, &["--wallet-dir", wallet.to_str().unwrap()]);
	let bank = format!("0x{}", hex_encode(Alice.to_account_id().as_ref()));
	// The login and the page's directory come from the indexer.
	wait_for("the indexer to have the cast", Duration::from_secs(60), || {
		let all = bridge.call(&core_key, "scf_listParticipants", json!({ "limit": 500 })).ok()?;
		let text = all.to_string();
		[&supplier, &r1, &r2].iter().all(|p| text.contains(&hex_of(p))).then_some(())
	});

	// The cross-checks' material: a message OpenSSL signs for the page.
	let openssl_msg = b"signed by OpenSSL 3 for the wallet's verifier".to_vec();
	let openssl_sig =
		openssl_sign(&dir, &supplier.to_pkcs8_pem(), &openssl_msg, Some("1234567812345678"));
	let passphrase = "correct horse battery staple 2026";
	let screenshots = dir.join("screenshots");
	std::fs::create_dir_all(&screenshots).unwrap();
	let result_file = dir.join("result.json");

	// The bank: offers on the supplier's request as soon as it is indexed.
	let stop = Arc::new(AtomicBool::new(false));
	let banker = {
		let (stop, bank_key, supplier_account) =
			(stop.clone(), bank_key.clone(), hex_of(&supplier));
		let port = bridge.port;
		std::thread::spawn(move || -> Option<Value> {
			while !stop.load(Ordering::Relaxed) {
				let requests = rpc_call_as(
					port,
					Some(&bank_key),
					"scf_getFinancing",
					json!({}),
					Duration::from_secs(10),
				)
				.unwrap_or(Value::Null);
				let open = requests.as_array().and_then(|all| {
					all.iter()
						.find(|r| {
							r["holder"] == supplier_account.as_str() && r["state"] == "requested"
						})
						.cloned()
				});
				if let Some(r) = open {
					let now = now_ms();
					let terms = json!({ "advance": "1900000000", "discountBps": 450,
						"recourse": true, "expires": now + 600_000, "payoutBy": now + 900_000 });
					let offered = rpc_call_as(
						port,
						Some(&bank_key),
						"scf_offer",
						json!({ "idempotencyKey": format!("offer-{}", r["request"]),
							"request": r["request"], "terms": terms }),
						Duration::from_secs(120),
					);
					return Some(json!({ "request": r["request"], "offered": offered.is_ok(),
						"answer": offered.unwrap_or_else(|e| e) }));
				}
				std::thread::sleep(Duration::from_millis(700));
			}
			None
		})
	};

	// The browser. The root is issued once the page is signed in (the
	// test chain lapses an unanswered offer after 20 s).
	let started = Instant::now();
	let mut child = Command::new("node")
		.arg(repo().join("wallet/tests/wallet.e2e.mjs"))
		.current_dir(repo().join("wallet"))
		.env("WALLET_URL", format!("http://127.0.0.1:{port}/wallet/"))
		.env("SUPPLIER_KEY_PEM", supplier.to_pkcs8_pem().as_str())
		.env("SUPPLIER_ACCOUNT", hex_of(&supplier))
		.env("PASSPHRASE", passphrase)
		.env("RECEIVERS", format!("{},{}", hex_of(&r1), hex_of(&r2)))
		.env("BANK", &bank)
		.env("OPENSSL_MESSAGE", hex_encode(&openssl_msg))
		.env("OPENSSL_SIGNATURE", hex_encode(&openssl_sig))
		.env("SCREENSHOTS", &screenshots)
		.env("RESULT", &result_file)
		.stdin(Stdio::null())
		.stdout(Stdio::piped())
		.stderr(Stdio::inherit())
		.process_group(0)
		.spawn()
		.expect("node runs wallet/tests/wallet.e2e.mjs (scripts/test.sh installs it)");
	let stdout = child.stdout.take().unwrap();
	let script = Script(child);
	let mut lines = BufReader::new(stdout).lines();
	let mut root = None;
	let watchdog = {
		let pid = script.0.id() as i32;
		let stop = stop.clone();
		std::thread::spawn(move || {
			let t0 = Instant::now();
			while !stop.load(Ordering::Relaxed) {
				if t0.elapsed() > SCRIPT_LIMIT {
					eprintln!("the browser script ran over {SCRIPT_LIMIT:?}: killed");
					let _ = Command::new("kill").args(["-KILL", "--", &format!("-{pid}")]).status();
					return;
				}
				std::thread::sleep(Duration::from_millis(500));
			}
		})
	};
	for line in lines.by_ref() {
		let line = line.unwrap_or_default();
		eprintln!("[browser {:>5.1}s] {line}", started.elapsed().as_secs_f64());
		if line.trim() == "SIGNED-IN" && root.is_none() {
			let issued = bridge
				.call(
					&core_key,
					"scf_issue",
					json!({ "idempotencyKey": "wallet-root", "receiver": hex_of(&supplier),
						"amount": "5000000000", "due": now_ms() + 3_600_000, "wait": "submitted" }),
				)
				.unwrap_or_else(|e| panic!("scf_issue: {e}\n{}", bridge.log()));
			root = Some(issued);
		}
	}
	let mut script = script;
	let status = script.0.wait().unwrap();
	stop.store(true, Ordering::Relaxed);
	let offer = banker.join().unwrap();
	watchdog.join().unwrap();
	eprintln!("browser script: {status} after {:.1}s", started.elapsed().as_secs_f64());
	assert!(root.is_some(), "the page never signed in");
	assert!(
		status.success(),
		"the browser script failed (screenshots in {})",
		screenshots.display()
	);
	let offer = offer.expect("the supplier's financing request reached the bank");
	assert_eq!(offer["offered"], true, "{offer}");

	let result: Value =
		serde_json::from_str(&std::fs::read_to_string(&result_file).unwrap()).unwrap();
	// The chain agrees with what the page showed: the request is accepted.
	let financing =
		bridge.call(&bank_key, "scf_getFinancing", json!({})).unwrap_or_else(|e| panic!("{e}"));
	let request = financing
		.as_array()
		.unwrap()
		.iter()
		.find(|r| r["request"] == offer["request"])
		.cloned()
		.unwrap_or_else(|| panic!("request {} in {financing}", offer["request"]));
	assert_eq!(request["state"], "accepted", "{request}");
	assert_eq!(result["requestAccepted"], offer["request"], "{result}");
	// Each action was followed: submitted, in a block (seen by at least one
	// of the four: a block can be final before the page looks again),
	// finalized.
	let progress = result["progress"].as_array().unwrap();
	assert_eq!(progress.len(), 4, "{result}");
	assert!(progress.iter().any(|p| p == "submitted in_block finalized"), "{result}");
	// The page saw the two parts go to the receivers it picked, and the
	// chain has them under the root with those amounts (they may have lapsed
	// back since: the receivers never answer).
	let root_id = result["root"].as_u64().unwrap();
	let parts = result["splitParts"].as_array().unwrap_or_else(|| panic!("{result}"));
	let mut receivers: Vec<&str> = parts.iter().map(|p| p["holder"].as_str().unwrap()).collect();
	receivers.sort();
	let mut expected = [hex_of(&r1), hex_of(&r2)];
	expected.sort();
	assert_eq!(receivers, expected, "{result}");
	for p in parts {
		let on_chain = runtime_call::<Option<Certificate>>(
			node,
			"ReceivablesApi_certificate",
			p["id"].as_u64().unwrap(),
		)
		.unwrap_or_else(|| panic!("certificate {} on chain", p["id"]));
		assert_eq!(on_chain.parent, Some(root_id), "{p}");
		assert_eq!(on_chain.amount.to_string(), p["amount"].as_str().unwrap(), "{p}");
	}

	// A signature made in the browser verifies in the runtime and under
	// OpenSSL 3 with the standard user id; a tampered message does not.
	let public = supplier.public();
	let msg = hex_decode(result["browserSignature"]["message"].as_str().unwrap()).unwrap();
	let sig: [u8; 64] = hex_decode(result["browserSignature"]["signature"].as_str().unwrap())
		.unwrap()
		.try_into()
		.unwrap();
	assert!(
		verify_native(&sig, &public.0, &msg),
		"the runtime's verifier refused the page's signature"
	);
	let mut tampered = msg.clone();
	tampered[0] ^= 1;
	assert!(!verify_native(&sig, &public.0, &tampered));
	let (pem, msg_file, sig_file) = (dir.join("pub.pem"), dir.join("msg.bin"), dir.join("msg.sig"));
	std::fs::write(&pem, supplier.public_pem()).unwrap();
	std::fs::write(&msg_file, &msg).unwrap();
	std::fs::write(&sig_file, Sm2Signature::new(sig, public).to_der().unwrap()).unwrap();
	let openssl_verify = || {
		Command::new("openssl")
			.args(["dgst", "-sm3", "-sigopt", "distid:1234567812345678", "-verify"])
			.arg(&pem)
			.arg("-signature")
			.arg(&sig_file)
			.arg(&msg_file)
			.output()
			.unwrap()
			.status
			.success()
	};
	assert!(openssl_verify(), "OpenSSL refused the page's signature");
	std::fs::write(&msg_file, &tampered).unwrap();
	assert!(!openssl_verify(), "OpenSSL accepted a tampered message");
	// And the page verified OpenSSL's, and refused it over other bytes.
	assert_eq!(result["opensslVerified"], true, "{result}");
	assert_eq!(result["opensslTamperedRefused"], true, "{result}");
	assert_eq!(result["hostileChallengeRefused"], true, "{result}");
	// Nothing the page sent held the key or the passphrase.
	assert!(result["requestsChecked"].as_u64().unwrap() > 10, "{result}");
	assert_eq!(result["leaks"], json!([]), "{result}");
	for shot in ["1-accept", "2-lineage", "3-offer", "4-done"] {
		assert!(screenshots.join(format!("{shot}.png")).exists(), "no screenshot {shot}");
	}
	eprintln!("screenshots in {}", screenshots.display());
}
