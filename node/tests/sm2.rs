//! End-to-end tests of SM2-signed transactions on a running `dev` node:
//!
//! - a transaction signed by Grace's SM2 key, submitted with subxt through
//!   [`scf_client`], is included and finalized; an SM2 key that is not a
//!   participant is refused by the pool;
//! - a block carrying a bad SM2 signature is rejected when imported. The
//!   harness takes real blocks from the node, flips one bit of the SM2
//!   signature in the last one, recomputes its extrinsics root and seals it
//!   again with Alice's Aura key (so only the signature is wrong), and feeds
//!   the chain to `scf-node import-blocks` on a fresh database: the node's
//!   own import pipeline, with its verifier threads. The untouched blocks are
//!   the control: they import.

mod common;

use std::time::Duration;

use codec::{Decode, Encode};
use common::{tx::hex_encode, *};
use scf_client::{OnlineClient, ScfConfig, Sm2Signer};
use scf_primitives::{sm2::Sm2Pair, Signature};
use scf_runtime::{genesis::DEV_SM2_GRACE, Header, UncheckedExtrinsic};
use serde_json::{json, Value};
use sp_core::Pair;
use sp_runtime::{
	generic::Preamble,
	traits::{BlakeTwo256, Hash, Header as _},
	DigestItem, StateVersion,
};
use subxt::dynamic::Value as DynValue;

fn grace() -> Sm2Signer {
	Sm2Signer::new(Sm2Pair::from_secret_hex(DEV_SM2_GRACE.secret).unwrap())
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
	let call =
		subxt::dynamic::tx("System", "remark_with_event", vec![DynValue::from_bytes(text)]);
	let progress = api
		.tx()
		.await
		.map_err(|e| e.to_string())?
		.sign_and_submit_then_watch_default(&call, signer)
		.await
		.map_err(|e| e.to_string())?;
	let events = tokio::time::timeout(Duration::from_secs(90), progress.wait_for_finalized_success())
		.await
		.map_err(|_| "not finalized within 90 s".to_string())?
		.map_err(|e| e.to_string())?;
	let remarked = events
		.iter()
		.filter_map(Result::ok)
		.any(|e| e.pallet_name() == "System" && e.event_name() == "Remarked");
	if !remarked {
		return Err("no System.Remarked event".into());
	}
	Ok(format!("{:?}", events.block_hash()))
}

#[test]
fn sm2_signed_transaction_is_finalized_and_a_stranger_is_refused() {
	let _machine = exclusive();
	let (node, dir) = dev_node("sm2-subxt");
	let url = format!("ws://127.0.0.1:{}", node.spec.rpc_port);
	runtime().block_on(async {
		let api = OnlineClient::<ScfConfig>::from_insecure_url(&url).await.expect("connects");
		let block = remark_finalized(&api, &grace(), b"signed with SM2")
			.await
			.unwrap_or_else(|e| panic!("Grace's SM2 remark: {e}\n{}", node.log_tail(30)));
		assert!(block.starts_with("0x"), "{block}");

		// An SM2 key nobody admitted: the gate refuses it at the pool.
		let stranger = Sm2Signer::new(Sm2Pair::generate());
		let err = remark_finalized(&api, &stranger, b"who am I").await.unwrap_err();
		assert!(err.contains("Invalid signing address") || err.contains("1010"), "{err}");
	});
	drop(node);
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
/// recomputes the extrinsics root and seals the header again with Alice's
/// Aura key. Panics if the block has no SM2-signed extrinsic.
fn corrupt_sm2_signature(block: &mut Value) {
	let header: Header = serde_json::from_value(block["block"]["header"].clone()).unwrap();
	let mut xts: Vec<Vec<u8>> = block["block"]["extrinsics"]
		.as_array()
		.unwrap()
		.iter()
		.map(|x| unhex(x.as_str().unwrap()))
		.collect();
	// The root as the runtime computes it, checked on the untouched block.
	let root = |xts: &[Vec<u8>]| BlakeTwo256::ordered_trie_root(xts.to_vec(), StateVersion::V1);
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
	let signature = sp_keyring::Sr25519Keyring::Alice.pair().sign(pre_hash.as_ref());
	header
		.digest_mut()
		.push(DigestItem::Seal(sp_consensus_aura::AURA_ENGINE_ID, signature.encode()));

	block["block"]["header"] = serde_json::to_value(&header).unwrap();
	block["block"]["extrinsics"] =
		xts.iter().map(|x| Value::String(format!("0x{}", hex_encode(x)))).collect();
}

/// Runs `scf-node import-blocks` of `blocks` into a fresh database; returns
/// whether it succeeded and what it printed.
fn import(dir: &std::path::Path, name: &str, blocks: &[Value]) -> (bool, String) {
	let file = dir.join(format!("{name}.json"));
	let text: String = blocks.iter().map(|b| b.to_string()).collect::<Vec<_>>().join("\n");
	std::fs::write(&file, text).unwrap();
	let out = std::process::Command::new(node_binary())
		.args(["import-blocks", "--chain", "dev", "--base-path"])
		.arg(dir.join(name))
		.arg(&file)
		.output()
		.expect("import-blocks runs");
	let printed = format!(
		"{}{}",
		String::from_utf8_lossy(&out.stdout),
		String::from_utf8_lossy(&out.stderr)
	);
	(out.status.success(), printed)
}

#[test]
fn a_block_with_a_bad_sm2_signature_is_rejected_on_import() {
	let _machine = exclusive();
	let (node, dir) = dev_node("sm2-bad-block");
	let url = format!("ws://127.0.0.1:{}", node.spec.rpc_port);
	let hash = runtime().block_on(async {
		let api = OnlineClient::<ScfConfig>::from_insecure_url(&url).await.expect("connects");
		remark_finalized(&api, &grace(), b"to be tampered with").await.unwrap()
	});
	let header = node.rpc("chain_getHeader", json!([hash])).unwrap();
	let n = u64::from_str_radix(header["number"].as_str().unwrap().trim_start_matches("0x"), 16)
		.unwrap();
	let good = blocks(&node, n);
	drop(node);

	let (ok, printed) = import(&dir, "control", &good);
	assert!(ok, "the untouched chain imports:\n{printed}");

	let mut bad = good.clone();
	corrupt_sm2_signature(bad.last_mut().unwrap());
	let (ok, printed) = import(&dir, "tampered", &bad);
	assert!(!ok, "the tampered block must be rejected:\n{printed}");
	assert!(printed.contains("invalid SM2 signature"), "rejected for its signature:\n{printed}");
	remove_dir(&dir);
}
