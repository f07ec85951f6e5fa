//! End-to-end tests of SM2-signed transactions on the shared test
//! consortium (see `common`). Each test signs with a fresh SM2 key that bank
//! C (Charlie) admits as a supplier:
//!
//! - a transaction signed with SM2, submitted with subxt through
//!   [`scf_client`], is included and finalized; an SM2 key that is not a
//!   participant is refused by the pool;
//! - a transaction whose SM2 signature OpenSSL 3 made (an independent
//!   implementation, from the key exported as PKCS#8 PEM) is admitted by the
//!   pool and included; the same signed with OpenSSL's default (empty) user
//!   id is refused as a bad signature;
//! - a block carrying a bad SM2 signature is rejected when imported. The
//!   harness takes the consortium's real blocks, flips one bit of the SM2
//!   signature in the last one, recomputes its extrinsics root and seals it
//!   again with its author's Aura key (the development keys of the four
//!   banks; so only the signature is wrong), and feeds the chain to
//!   `scf-node import-blocks` on a fresh database: the node's own import
//!   pipeline, with its verifier threads. The untouched blocks are the
//!   control: they import.

mod common;

use std::time::Duration;

use codec::{Decode, Encode};
use common::{tx::hex_encode, *};
use scf_client::{OnlineClient, ScfConfig, Sm2Signer};
use scf_primitives::{sm2::Sm2Pair, Signature};
use scf_runtime::{Header, UncheckedExtrinsic};
use serde_json::{json, Value};
use sp_core::Pair;
use sp_runtime::{
	generic::Preamble,
	traits::{BlakeTwo256, Hash, Header as _},
	DigestItem,
};
use subxt::dynamic::Value as DynValue;

/// A fresh SM2 key, admitted as a supplier by bank C.
fn fresh_sm2() -> Sm2Pair {
	let pair = Sm2Pair::generate();
	common::cast::admit(
		shared().node(),
		sp_keyring::Sr25519Keyring::Charlie,
		&[(pair.account_id(), scf_primitives::Role::Supplier)],
	);
	pair
}

fn runtime() -> tokio::runtime::Runtime {
	tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap()
}

/// Submits a `system.remark_with_event` signed by `signer` and waits until it
/// is finalized; returns the block hash it is in.
async fn remark_finalized(
	api: &OnlineClient<ScfConfig>,
	signer: &Sm2Signer,
	text: &[u8],
) -> Result<String, String> {
	let call = subxt::dynamic::tx("System", "remark_with_event", vec![DynValue::from_bytes(text)]);
	let progress = api
		.tx()
		.await
		.map_err(|e| e.to_string())?
		.sign_and_submit_then_watch_default(&call, signer)
		.await
		.map_err(|e| e.to_string())?;
	let in_block = tokio::time::timeout(Duration::from_secs(90), progress.wait_for_finalized())
		.await
		.map_err(|_| "not finalized within 90 s".to_string())?
		.map_err(|e| e.to_string())?;
	let events = in_block.wait_for_success().await.map_err(|e| e.to_string())?;
	let remarked = events
		.iter()
		.filter_map(Result::ok)
		.any(|e| e.pallet_name() == "System" && e.event_name() == "Remarked");
	if !remarked {
		return Err("no System.Remarked event".into());
	}
	Ok(format!("{:?}", in_block.block_hash()))
}

#[test]
fn sm2_signed_transaction_is_finalized_and_a_stranger_is_refused() {
	let node = shared().node();
	let signer = Sm2Signer::new(fresh_sm2());
	let url = format!("ws://127.0.0.1:{}", node.spec.rpc_port);
	runtime().block_on(async {
		let api = OnlineClient::<ScfConfig>::from_insecure_url(&url).await.expect("connects");
		let block = remark_finalized(&api, &signer, b"signed with SM2")
			.await
			.unwrap_or_else(|e| panic!("Grace's SM2 remark: {e}\n{}", node.log_tail(30)));
		assert!(block.starts_with("0x"), "{block}");

		// An SM2 key nobody admitted: the gate refuses it at the pool.
		let stranger = Sm2Signer::new(Sm2Pair::generate());
		let err = remark_finalized(&api, &stranger, b"who am I").await.unwrap_err();
		assert!(err.contains("Invalid signing address") || err.contains("1010"), "{err}");
	});
}

#[test]
fn a_transaction_signed_by_openssl_is_included() {
	use scf_primitives::sm2::{Sm2Signature, DEFAULT_USER_ID};
	use scf_runtime::{signing::signed_extrinsic, RuntimeCall};

	let node = shared().node();
	let dir = scratch_dir("sm2-openssl");
	let pair = fresh_sm2();
	let pem = pair.to_pkcs8_pem();
	let account = pair.account_id();
	let nonce: u32 = tx::runtime_call(node, "AccountNonceApi_account_nonce", account.clone());
	let genesis = tx::genesis_hash(node);
	let user_id = std::str::from_utf8(DEFAULT_USER_ID).unwrap();
	let submit = |text: &[u8], distid: Option<&str>| {
		let call =
			RuntimeCall::System(frame_system::Call::remark_with_event { remark: text.to_vec() });
		let xt = signed_extrinsic(call, account.clone(), nonce, genesis, |payload| {
			let der = openssl_sign(&dir, &pem, payload, distid);
			Signature::Sm2(Sm2Signature::from_der(&der, pair.public()).expect("OpenSSL writes DER"))
		});
		node.rpc("author_submitExtrinsic", json!([format!("0x{}", hex_encode(&xt.encode()))]))
	};

	// OpenSSL's default user id is empty: not the standard's, so refused.
	let refusal = submit(b"empty user id", None).expect_err("a signature over another Z_A");
	assert!(refusal.contains("bad signature"), "{refusal}");

	submit(b"signed by OpenSSL", Some(user_id))
		.unwrap_or_else(|e| panic!("the pool refused OpenSSL's signature: {e}"));
	wait_for("the OpenSSL-signed transaction to be included", Duration::from_secs(60), || {
		let now: u32 = tx::runtime_call(node, "AccountNonceApi_account_nonce", account.clone());
		(now > nonce).then_some(())
	});
	remove_dir(&dir);
}

/// The block JSON the node serves, for blocks 1..=n.
fn blocks(node: &Node, n: u64) -> Vec<Value> {
	(1..=n)
		.map(|i| {
			let hash = node.block_hash(i).expect("block hash");
			node.rpc("chain_getBlock", json!([hash])).expect("block")
		})
		.collect()
}

fn unhex(s: &str) -> Vec<u8> {
	hex_decode(s).expect("hex")
}

/// Flips one bit of the SM2 signature of the block's SM2-signed extrinsic,
/// recomputes the extrinsics root and seals the header again with its
/// author's Aura key (bank `slot mod 4` of the four development validators,
/// in the order of the local consortium's Aura authorities). Panics if the
/// block has no SM2-signed extrinsic.
fn corrupt_sm2_signature(block: &mut Value) {
	use sp_keyring::Sr25519Keyring::{Alice, Bob, Charlie, Dave};
	let slot = aura_slot(&block["block"]["header"]).expect("an Aura pre-digest");
	let author = [Alice, Bob, Charlie, Dave][(slot % 4) as usize];
	let header: Header = serde_json::from_value(block["block"]["header"].clone()).unwrap();
	let mut xts: Vec<Vec<u8>> = block["block"]["extrinsics"]
		.as_array()
		.unwrap()
		.iter()
		.map(|x| unhex(x.as_str().unwrap()))
		.collect();
	// The root as the runtime computes it (the trie version follows the
	// runtime's `system_version`), checked on the untouched block.
	let version = scf_runtime::VERSION.extrinsics_root_state_version();
	let root = |xts: &[Vec<u8>]| BlakeTwo256::ordered_trie_root(xts.to_vec(), version);
	assert_eq!(root(&xts), *header.extrinsics_root(), "extrinsics root recomputes");

	let mut found = false;
	for xt in xts.iter_mut() {
		let mut decoded = UncheckedExtrinsic::decode(&mut &xt[..]).unwrap();
		if let Preamble::Signed(_, Signature::Sm2(sig), _) = &mut decoded.preamble {
			sig.signature[7] ^= 0x01;
			*xt = decoded.encode();
			found = true;
		}
	}
	assert!(found, "the block has an SM2-signed extrinsic");

	let mut header = header;
	header.set_extrinsics_root(root(&xts));
	let seal = header.digest_mut().pop().expect("a sealed header");
	assert!(matches!(seal, DigestItem::Seal(..)), "the last digest item is the seal");
	let pre_hash = header.hash();
	let signature = author.pair().sign(pre_hash.as_ref());
	header
		.digest_mut()
		.push(DigestItem::Seal(sp_consensus_aura::AURA_ENGINE_ID, signature.encode()));

	block["block"]["header"] = serde_json::to_value(&header).unwrap();
	block["block"]["extrinsics"] =
		xts.iter().map(|x| Value::String(format!("0x{}", hex_encode(x)))).collect();
}

/// Runs `scf-node import-blocks` of `blocks` of the shared consortium's chain
/// into a fresh database; returns whether it succeeded and what it printed.
fn import(dir: &std::path::Path, name: &str, blocks: &[Value]) -> (bool, String) {
	let file = dir.join(format!("{name}.json"));
	let text: String = blocks.iter().map(|b| b.to_string()).collect::<Vec<_>>().join("\n");
	std::fs::write(&file, text).unwrap();
	let out = std::process::Command::new(node_binary())
		.args(["import-blocks", "--chain"])
		.arg(&shared().chain_spec)
		.arg("--base-path")
		.arg(dir.join(name))
		.arg(&file)
		.output()
		.expect("import-blocks runs");
	let printed =
		format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
	(out.status.success(), printed)
}

#[test]
fn a_block_with_a_bad_sm2_signature_is_rejected_on_import() {
	let node = shared().node();
	let dir = scratch_dir("sm2-bad-block");
	let signer = Sm2Signer::new(fresh_sm2());
	let url = format!("ws://127.0.0.1:{}", node.spec.rpc_port);
	let hash = runtime().block_on(async {
		let api = OnlineClient::<ScfConfig>::from_insecure_url(&url).await.expect("connects");
		remark_finalized(&api, &signer, b"to be tampered with").await.unwrap()
	});
	let header = node.rpc("chain_getHeader", json!([hash])).unwrap();
	let n = u64::from_str_radix(header["number"].as_str().unwrap().trim_start_matches("0x"), 16)
		.unwrap();
	let good = blocks(node, n);

	let (ok, printed) = import(&dir, "control", &good);
	assert!(ok, "the untouched chain imports:\n{printed}");

	let mut bad = good.clone();
	corrupt_sm2_signature(bad.last_mut().unwrap());
	let (ok, printed) = import(&dir, "tampered", &bad);
	assert!(!ok, "the tampered block must be rejected:\n{printed}");
	assert!(printed.contains("invalid SM2 signature"), "rejected for its signature:\n{printed}");
	remove_dir(&dir);
}

/// Runs `scf-node` with `args`; returns whether it succeeded, and stdout and
/// stderr.
fn scf_node(args: &[&str]) -> (bool, String, String) {
	let out = std::process::Command::new(node_binary()).args(args).output().expect("scf-node runs");
	let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
	(out.status.success(), text(&out.stdout), text(&out.stderr))
}

/// The `0x…` hex after `label` in the key tool's output.
fn printed_hex(out: &str, label: &str) -> Vec<u8> {
	let line =
		out.lines().find(|l| l.starts_with(label)).unwrap_or_else(|| panic!("{label} in {out}"));
	unhex(line.rsplit(' ').next().unwrap())
}

/// `scf-node sm2 generate | inspect | sign`: a key it writes is one OpenSSL
/// reads (same public key), a signature it prints verifies under OpenSSL with
/// the standard's user id, and bad input is refused without harm.
#[test]
fn the_key_tool_interoperates_with_openssl() {
	use scf_primitives::sm2::{Sm2Public, Sm2Signature};
	let dir = scratch_dir("sm2-tool");
	let key = dir.join("supplier.pem");
	let key_arg = key.to_str().unwrap();

	let (ok, generated, err) = scf_node(&["sm2", "generate", "--out", key_arg]);
	assert!(ok, "generate: {err}");
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		let mode = std::fs::metadata(&key).unwrap().permissions().mode();
		assert_eq!(mode & 0o777, 0o600, "the private key is readable by its owner only");
	}
	let written = std::fs::read(&key).unwrap();
	// An existing key file is never overwritten.
	let (ok, _, err) = scf_node(&["sm2", "generate", "--out", key_arg]);
	assert!(!ok && err.contains("exists"), "a second generate must refuse: {err}");
	assert_eq!(std::fs::read(&key).unwrap(), written, "the key file is untouched");

	let (ok, inspected, err) = scf_node(&["sm2", "inspect", key_arg]);
	assert!(ok, "inspect: {err}");
	let public = printed_hex(&inspected, "Public key");
	assert_eq!(public, printed_hex(&generated, "Public key"));
	let public = Sm2Public(public.try_into().expect("33 bytes"));
	assert_eq!(printed_hex(&inspected, "Account id"), public.account_id().as_ref() as &[u8]);

	// OpenSSL reads the key and derives the same public key.
	let out = std::process::Command::new("openssl")
		.args(["pkey", "-pubout", "-in", key_arg])
		.output()
		.expect("the `openssl` command runs");
	assert!(out.status.success(), "openssl pkey: {}", String::from_utf8_lossy(&out.stderr));
	let pub_pem = String::from_utf8(out.stdout).unwrap();
	assert_eq!(Sm2Public::from_spki_pem(&pub_pem).unwrap(), public);

	// What the tool signs, OpenSSL verifies with the standard's user id only.
	let (ok, signed, err) = scf_node(&["sm2", "sign", key_arg, "invoice INV-2026-0042"]);
	assert!(ok, "sign: {err}");
	let raw: [u8; 64] = printed_hex(&signed, "Signature").try_into().unwrap();
	let der = Sm2Signature::new(raw, public).to_der().unwrap();
	std::fs::write(dir.join("pub.pem"), &pub_pem).unwrap();
	std::fs::write(dir.join("msg.txt"), "invoice INV-2026-0042").unwrap();
	std::fs::write(dir.join("msg.sig"), der).unwrap();
	let verify = |distid: &str| {
		let out = std::process::Command::new("openssl")
			.args(["dgst", "-sm3", "-verify"])
			.arg(dir.join("pub.pem"))
			.args(["-sigopt", &format!("distid:{distid}"), "-signature"])
			.arg(dir.join("msg.sig"))
			.arg(dir.join("msg.txt"))
			.output()
			.unwrap();
		out.status.success() && String::from_utf8_lossy(&out.stdout).contains("Verified OK")
	};
	assert!(verify("1234567812345678"), "OpenSSL verifies the tool's signature");
	assert!(!verify("1234567812345679"), "and holds it to the user id");

	// Bad input: a clear error, non-zero exit.
	let (ok, _, err) = scf_node(&["sm2", "inspect", "not-a-key"]);
	assert!(!ok && err.contains("not a PEM file nor a hex secret"), "{err}");
	let (ok, _, err) = scf_node(&["sm2", "sign", key_arg, "0xabc", "--hex"]);
	assert!(!ok && err.contains("hex"), "{err}");
	remove_dir(&dir);
}
