//! Genesis presets.
//!
//! - `development`: one validator (Alice), who is also the sudo key.
//! - `local_testnet`: the local consortium on loopback: four bank validators
//!   (Alice, Bob, Charlie and Dave stand for the banks' validator keys) and a
//!   supplier's non-validating node. All five peer ids are authorised in
//!   genesis; the node keys behind them are the fixed development keys in
//!   [`LOCAL_NODE_KEYS`], published here so the scripts can start the nodes.
//!   Never use them outside loopback.

use crate::{AccountId, RuntimeGenesisConfig, SudoConfig};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::OpaquePeerId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Name of the one-validator preset.
pub const DEVELOPMENT: &str = sp_genesis_builder::DEV_RUNTIME_PRESET;
/// Name of the local-consortium preset.
pub const LOCAL_TESTNET: &str = sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET;

/// A node of the local consortium: its name, the libp2p secret key (ed25519
/// seed, hex) it is started with, and the peer id that key gives.
pub struct LocalNode {
	pub name: &'static str,
	pub node_key: &'static str,
	pub peer_id: &'static str,
	/// The peer id as the bytes `pallet-node-authorization` stores.
	pub peer_id_bytes: [u8; 38],
	/// Whether it is one of the four bank validators.
	pub validator: bool,
}

/// The five nodes of `local_testnet`: four bank validators and a supplier
/// node. DEVELOPMENT KEYS: anyone can read them here.
pub const LOCAL_NODE_KEYS: [LocalNode; 5] = [
	LocalNode {
		name: "bank-a",
		node_key: "0000000000000000000000000000000000000000000000000000000000000001",
		peer_id: "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp",
		peer_id_bytes: hex("0024080112204cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29"),
		validator: true,
	},
	LocalNode {
		name: "bank-b",
		node_key: "0000000000000000000000000000000000000000000000000000000000000002",
		peer_id: "12D3KooWHdiAxVd8uMQR1hGWXccidmfCwLqcMpGwR6QcTP6QRMuD",
		peer_id_bytes: hex("0024080112207422b9887598068e32c4448a949adb290d0f4e35b9e01b0ee5f1a1e600fe2674"),
		validator: true,
	},
	LocalNode {
		name: "bank-c",
		node_key: "0000000000000000000000000000000000000000000000000000000000000003",
		peer_id: "12D3KooWSCufgHzV4fCwRijfH2k3abrpAJxTKxEvN1FDuRXA2U9x",
		peer_id_bytes: hex("002408011220f381626e41e7027ea431bfe3009e94bdd25a746beec468948d6c3c7c5dc9a54b"),
		validator: true,
	},
	LocalNode {
		name: "bank-d",
		node_key: "0000000000000000000000000000000000000000000000000000000000000004",
		peer_id: "12D3KooWSsChzF81YDUKpe9Uk5AHV5oqAaXAcWNSPYgoLauUk4st",
		peer_id_bytes: hex("002408011220fd50b8e3b144ea244fbf7737f550bc8dd0c2650bbc1aada833ca17ff8dbf329b"),
		validator: true,
	},
	LocalNode {
		name: "supplier",
		node_key: "0000000000000000000000000000000000000000000000000000000000000005",
		peer_id: "12D3KooWSuTq6MG9gPt7qZqLFKkYrfxMewTZhj9nmRHJkPwzWDG2",
		peer_id_bytes: hex("002408011220fde4fba030ad002f7c2f7d4c331f49d13fb0ec747eceebec634f1ff4cbca9def"),
		validator: false,
	},
];

/// The accounts that own the local consortium's nodes, in the order of
/// [`LOCAL_NODE_KEYS`]: the four banks, then the supplier.
pub fn local_node_owners() -> [AccountId; 5] {
	[
		Sr25519Keyring::Alice.to_account_id(),
		Sr25519Keyring::Bob.to_account_id(),
		Sr25519Keyring::Charlie.to_account_id(),
		Sr25519Keyring::Dave.to_account_id(),
		Sr25519Keyring::Eve.to_account_id(),
	]
}

fn genesis(
	validators: Vec<(Sr25519Keyring, Ed25519Keyring)>,
	nodes: Vec<(OpaquePeerId, AccountId)>,
	sudo: AccountId,
) -> Value {
	build_struct_json_patch!(RuntimeGenesisConfig {
		aura: pallet_aura::GenesisConfig {
			authorities: validators
				.iter()
				.map(|(aura, _)| AuraId::from(aura.public()))
				.collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: validators
				.iter()
				.map(|(_, grandpa)| (GrandpaId::from(grandpa.public()), 1))
				.collect::<Vec<_>>(),
		},
		node_authorization: pallet_node_authorization::GenesisConfig { nodes },
		sudo: SudoConfig { key: Some(sudo) },
	})
}

fn local_nodes(count: usize) -> Vec<(OpaquePeerId, AccountId)> {
	LOCAL_NODE_KEYS
		.iter()
		.zip(local_node_owners())
		.take(count)
		.map(|(node, owner)| (OpaquePeerId(node.peer_id_bytes.to_vec()), owner))
		.collect()
}

/// One validator, Alice; her node (started with `--alice --node-key` of
/// bank-a) is the one authorised peer.
fn development() -> Value {
	genesis(
		vec![(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		local_nodes(1),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The local consortium: four bank validators, one supplier node.
fn local_testnet() -> Value {
	genesis(
		vec![
			(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		local_nodes(5),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The JSON patch of a named preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		DEVELOPMENT => development(),
		LOCAL_TESTNET => local_testnet(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work. qed.")
			.into_bytes(),
	)
}

/// The names of the presets this runtime knows.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEVELOPMENT), PresetId::from(LOCAL_TESTNET)]
}

/// Decodes a hex string at compile time (panics, so fails the build, on bad
/// input).
const fn hex<const N: usize>(s: &str) -> [u8; N] {
	const fn nibble(c: u8) -> u8 {
		match c {
			b'0'..=b'9' => c - b'0',
			b'a'..=b'f' => c - b'a' + 10,
			_ => panic!("not a lower-case hex digit"),
		}
	}
	let b = s.as_bytes();
	assert!(b.len() == 2 * N, "hex string of the wrong length");
	let mut out = [0u8; N];
	let mut i = 0;
	while i < N {
		out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
		i += 1;
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn presets_build_and_authorise_every_local_node() {
		for name in preset_names() {
			let patch = get_preset(&name).expect("named preset exists");
			let json: Value = serde_json::from_slice(&patch).unwrap();
			let nodes = json["nodeAuthorization"]["nodes"].as_array().unwrap();
			let expected = if name.as_ref() as &str == LOCAL_TESTNET { 5 } else { 1 };
			assert_eq!(nodes.len(), expected, "{name:?}");
		}
		assert!(get_preset(&PresetId::from("no-such-preset")).is_none());
	}

	#[test]
	fn four_validators_in_local_testnet() {
		let json: Value = serde_json::from_slice(&get_preset(&LOCAL_TESTNET.into()).unwrap()).unwrap();
		assert_eq!(json["aura"]["authorities"].as_array().unwrap().len(), 4);
		assert_eq!(json["grandpa"]["authorities"].as_array().unwrap().len(), 4);
		assert_eq!(LOCAL_NODE_KEYS.iter().filter(|n| n.validator).count(), 4);
	}
}
