//! Chain specs: `dev` (one validator) and `local` (the local consortium),
//! built from the runtime's genesis presets; any other `--chain` value is a
//! chain spec JSON file (for example one exported with `export-chain-spec`).

use sc_service::{ChainType, Properties};
use scf_runtime::{genesis, WASM_BINARY};

/// The chain spec type of this node (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

fn properties() -> Properties {
	let mut p = Properties::new();
	// Amounts are in minor units of CNY (fen): two decimals.
	p.insert("tokenSymbol".into(), "CNY".into());
	p.insert("tokenDecimals".into(), 2.into());
	p.insert("ss58Format".into(), 42.into());
	p
}

fn wasm() -> Result<&'static [u8], String> {
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
		use scf_runtime::genesis::{DEV_SM2_GRACE, DEV_SM2_HEIDI};
		for key in [DEV_SM2_GRACE, DEV_SM2_HEIDI] {
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
}
