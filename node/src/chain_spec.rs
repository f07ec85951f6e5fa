//! Chain specs: `dev` (one validator), `local` (the local consortium) and
//! `local-test` (the local consortium with test-speed time parameters, which
//! `scripts/test.sh` runs every end-to-end suite on), built from the
//! runtime's genesis presets; any other `--chain` value is a chain spec JSON
//! file (for example one exported with `export-chain-spec`).

use sc_service::{ChainType, Properties};
use scf_runtime::{genesis, WASM_BINARY};

/// The chain spec type of this node (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

pub(crate) fn properties() -> Properties {
	let mut p = Properties::new();
	// Amounts are in minor units of CNY (fen): two decimals.
	p.insert("tokenSymbol".into(), "CNY".into());
	p.insert("tokenDecimals".into(), 2.into());
	p.insert("ss58Format".into(), 42.into());
	p
}

pub(crate) fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"the runtime's Wasm binary is not available (built with SKIP_WASM_BUILD?)".to_string()
	})
}

/// One validator, on one machine.
pub fn development() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("SCF Development")
		.with_id("scf_dev")
		.with_chain_type(ChainType::Development)
		.with_genesis_config_preset_name(genesis::DEVELOPMENT)
		.with_properties(properties())
		.build())
}

/// The local consortium: four bank validators and a supplier node on loopback.
pub fn local() -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name("SCF Local Consortium")
		.with_id("scf_local")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(genesis::LOCAL_TESTNET)
		.with_properties(properties())
		.build())
}

/// The test consortium: `local` with the runtime's test-speed time
/// parameters written into its raw genesis
/// ([`genesis::test_speed_parameters`]: a 20 s acceptance timeout, 10 s of
/// overdue grace, 2 s timer buckets), so that lapses, overdue certificates and
/// recourse happen within a minute. A raw spec: the parameters are storage
/// entries, not part of any pallet's genesis config. Loopback tests only.
pub fn local_test() -> Result<ChainSpec, String> {
	let plain = ChainSpec::builder(wasm()?, None)
		.with_name("SCF Local Test Consortium")
		.with_id("scf_local_test")
		.with_chain_type(ChainType::Local)
		.with_genesis_config_preset_name(genesis::LOCAL_TESTNET)
		.with_properties(properties())
		.build();
	let json = raw_with_entries(&plain, genesis::test_speed_parameters())?;
	let bytes = serde_json::to_vec(&json).map_err(|e| e.to_string())?;
	ChainSpec::from_json_bytes(bytes)
}

/// `plain` as a raw spec (JSON) with `entries` written into its genesis
/// storage: for parameters that are storage items but not part of any
/// pallet's genesis config (the ledger's time parameters).
pub(crate) fn raw_with_entries(
	plain: &ChainSpec,
	entries: impl IntoIterator<Item = (Vec<u8>, Vec<u8>)>,
) -> Result<serde_json::Value, String> {
	let raw = sc_chain_spec::ChainSpec::as_json(plain, true)?;
	let mut json: serde_json::Value =
		serde_json::from_str(&raw).map_err(|e| format!("the raw spec: {e}"))?;
	let top = json["genesis"]["raw"]["top"]
		.as_object_mut()
		.ok_or("the raw spec has no genesis.raw.top")?;
	for (key, value) in entries {
		top.insert(hex(&key), hex(&value).into());
	}
	Ok(json)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
	format!("0x{}", sp_core::hexdisplay::HexDisplay::from(&bytes))
}

#[cfg(test)]
mod tests {
	use sc_network_types::ed25519::{Keypair, SecretKey};
	use scf_runtime::genesis::LOCAL_NODE_KEYS;

	/// The peer ids authorised in genesis are the ones the published node
	/// keys give, and node `i` (from 1) has the key `i` written as 64 hex
	/// digits (the rule `scripts/start.sh` follows).
	#[test]
	fn genesis_peer_ids_match_the_local_node_keys() {
		for (i, node) in LOCAL_NODE_KEYS.iter().enumerate() {
			assert_eq!(node.node_key, format!("{:064x}", i + 1), "{}", node.name);
			let mut seed = [0u8; 32];
			for (j, byte) in seed.iter_mut().enumerate() {
				*byte = u8::from_str_radix(&node.node_key[2 * j..2 * j + 2], 16).unwrap();
			}
			let peer_id =
				Keypair::from(SecretKey::try_from_bytes(seed).unwrap()).public().to_peer_id();
			assert_eq!(peer_id.to_base58(), node.peer_id, "{}", node.name);
			assert_eq!(peer_id.to_bytes(), node.peer_id_bytes.to_vec(), "{}", node.name);
		}
	}

	/// The development SM2 accounts in genesis are the ones their published
	/// secrets give.
	#[test]
	fn dev_sm2_accounts_match_their_secrets() {
		use scf_runtime::genesis::{DEV_SM2_BENCH, DEV_SM2_GRACE, DEV_SM2_HEIDI};
		for key in [DEV_SM2_GRACE, DEV_SM2_HEIDI].iter().chain(DEV_SM2_BENCH.iter()) {
			let pair = scf_primitives::sm2::Sm2Pair::from_secret_hex(key.secret).unwrap();
			assert_eq!(
				pair.account_id(),
				scf_primitives::AccountId::from(key.account),
				"{}",
				key.name
			);
		}
	}

	#[test]
	fn both_chain_specs_build_with_their_presets() {
		let dev = super::development().unwrap();
		let local = super::local().unwrap();
		assert_eq!(sc_chain_spec::ChainSpec::id(&dev), "scf_dev");
		assert_eq!(sc_chain_spec::ChainSpec::id(&local), "scf_local");
		// The plain spec carries the preset resolved into a genesis patch.
		let json: serde_json::Value =
			serde_json::from_str(&sc_chain_spec::ChainSpec::as_json(&local, false).unwrap())
				.unwrap();
		let patch = &json["genesis"]["runtimeGenesis"]["patch"];
		assert_eq!(patch["council"]["members"].as_array().map(Vec::len), Some(4));
		assert_eq!(patch["nodeAuthorization"]["nodes"].as_array().map(Vec::len), Some(5));
	}

	/// `local-test` is `local` plus the three test-speed entries, with the
	/// values the runtime names; `local` itself stores none of them, so a
	/// spec exported from it keeps the production defaults.
	#[test]
	fn the_test_spec_shortens_the_times_and_local_does_not() {
		use codec::Decode;
		use scf_runtime::genesis::{
			test_speed_parameters, TEST_ACCEPTANCE_TIMEOUT, TEST_OVERDUE_GRACE,
		};
		let raw = |spec: &super::ChainSpec| -> serde_json::Value {
			let json = sc_chain_spec::ChainSpec::as_json(spec, true).unwrap();
			serde_json::from_str::<serde_json::Value>(&json).unwrap()["genesis"]["raw"]["top"]
				.clone()
		};
		let test = super::local_test().unwrap();
		assert_eq!(sc_chain_spec::ChainSpec::id(&test), "scf_local_test");
		let (test_top, local_top) = (raw(&test), raw(&super::local().unwrap()));
		let entries = test_speed_parameters();
		assert_eq!(entries.len(), 3);
		for (key, value) in &entries {
			let key = super::hex(key);
			assert_eq!(test_top[&key], super::hex(value), "{key} in local-test");
			assert!(local_top.get(&key).is_none(), "{key} must not be set in local");
		}
		let value = |i: usize| u64::decode(&mut &entries[i].1[..]).unwrap();
		assert_eq!((value(0), value(1)), (TEST_ACCEPTANCE_TIMEOUT, TEST_OVERDUE_GRACE));
		// Apart from those, the same genesis as `local`.
		let mut rest = test_top.as_object().unwrap().clone();
		for (key, _) in &entries {
			rest.remove(&super::hex(key));
		}
		assert_eq!(serde_json::Value::Object(rest), local_top);
	}
}
