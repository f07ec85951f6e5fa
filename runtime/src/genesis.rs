//! Genesis presets.
//!
//! - `development`: one validator (Alice), who is also the council's one
//!   member (and so reaches Root through `council_root` alone); every
//!   development account is a participant: the 14 sr25519 keyring accounts
//!   and 14 SM2 keys (Grace, Heidi, [`DEV_SM2_BENCH`]), enough signers for
//!   the node's `benchmark` builders under the per-account share of a
//!   block. Grace and the 12 bench SM2 keys each hold an opening
//!   certificate.
//! - `local_testnet`: the local consortium on loopback: four bank validators
//!   (Alice, Bob, Charlie and Dave stand for the banks: validator keys,
//!   operators, financiers and council seats) and a supplier's non-validating
//!   node. Governance is the banks' council (no sudo in any preset). All
//!   five peer ids are authorised in genesis; the node keys behind them are
//!   the fixed development keys in [`LOCAL_NODE_KEYS`], published here so
//!   the scripts can start the nodes. Never use them outside loopback.
//!
//! The cast of `local_testnet` (names are fictional; codes are valid
//! GB 32100 codes made by `pallet_participants::uscc::synthetic`):
//!
//! | account | participant | roles |
//! |---|---|---|
//! | Alice … Dave | 甲/乙/丙/丁银行 (banks A–D) | operator, financier |
//! | Eve | 华东汽车集团 (the core enterprise) | core enterprise |
//! | Ferdie | tier-1 supplier (runs the supplier node) | supplier |
//! | One | tier-2 supplier | supplier |
//! | Two | tier-3 supplier | supplier |
//! | AliceStash | a factoring company (the second financier) | financier |
//! | BobStash | the regulator | regulator |
//! | Grace, Heidi (SM2 keys) | tier-1 / tier-2 suppliers | supplier |
//!
//! Bank A grants Eve a credit line of 100 million yuan and the factoring
//! company one of 50 million, both until 2030-01-01.

use crate::{AccountId, Amount, Moment, RuntimeGenesisConfig};
use alloc::{
	format,
	string::{String, ToString},
	vec,
	vec::Vec,
};
use frame_support::build_struct_json_patch;
use pallet_participants::{GenesisCreditLine, GenesisParticipant};
use scf_primitives::Role;
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
		peer_id_bytes: hex(
			"0024080112204cb5abf6ad79fbf5abbccafcc269d85cd2651ed4b885b5869f241aedf0a5ba29",
		),
		validator: true,
	},
	LocalNode {
		name: "bank-b",
		node_key: "0000000000000000000000000000000000000000000000000000000000000002",
		peer_id: "12D3KooWHdiAxVd8uMQR1hGWXccidmfCwLqcMpGwR6QcTP6QRMuD",
		peer_id_bytes: hex(
			"0024080112207422b9887598068e32c4448a949adb290d0f4e35b9e01b0ee5f1a1e600fe2674",
		),
		validator: true,
	},
	LocalNode {
		name: "bank-c",
		node_key: "0000000000000000000000000000000000000000000000000000000000000003",
		peer_id: "12D3KooWSCufgHzV4fCwRijfH2k3abrpAJxTKxEvN1FDuRXA2U9x",
		peer_id_bytes: hex(
			"002408011220f381626e41e7027ea431bfe3009e94bdd25a746beec468948d6c3c7c5dc9a54b",
		),
		validator: true,
	},
	LocalNode {
		name: "bank-d",
		node_key: "0000000000000000000000000000000000000000000000000000000000000004",
		peer_id: "12D3KooWSsChzF81YDUKpe9Uk5AHV5oqAaXAcWNSPYgoLauUk4st",
		peer_id_bytes: hex(
			"002408011220fd50b8e3b144ea244fbf7737f550bc8dd0c2650bbc1aada833ca17ff8dbf329b",
		),
		validator: true,
	},
	LocalNode {
		name: "supplier",
		node_key: "0000000000000000000000000000000000000000000000000000000000000005",
		peer_id: "12D3KooWSuTq6MG9gPt7qZqLFKkYrfxMewTZhj9nmRHJkPwzWDG2",
		peer_id_bytes: hex(
			"002408011220fde4fba030ad002f7c2f7d4c331f49d13fb0ec747eceebec634f1ff4cbca9def",
		),
		validator: false,
	},
];

/// The accounts that own the local consortium's nodes, in the order of
/// [`LOCAL_NODE_KEYS`]: the four banks, then the tier-1 supplier.
pub fn local_node_owners() -> [AccountId; 5] {
	[
		Sr25519Keyring::Alice.to_account_id(),
		Sr25519Keyring::Bob.to_account_id(),
		Sr25519Keyring::Charlie.to_account_id(),
		Sr25519Keyring::Dave.to_account_id(),
		Sr25519Keyring::Ferdie.to_account_id(),
	]
}

/// A development SM2 key: a participant that signs with SM2 in both presets.
/// The secrets are published (SM3 of "scf development SM2 key: NAME") so
/// tests, benchmarks and the wallet's demo can sign; never use them outside
/// development. A node test checks each account against its secret.
pub struct DevSm2Key {
	/// Who it is in the presets.
	pub name: &'static str,
	/// The secret scalar, hex.
	pub secret: &'static str,
	/// The account id: SM3 of the compressed public key.
	pub account: [u8; 32],
}

/// Grace, a supplier who signs with SM2 (both presets).
pub const DEV_SM2_GRACE: DevSm2Key = DevSm2Key {
	name: "Grace",
	secret: "28f373b9dff4bd7c5a12a70b13277e0144a41c62d554eb4f8c957a36bc04cce7",
	account: hex("eb88d8d10c09d55980dd8dc8889ecca4f99c277d03c6b8005755dbd248585bd1"),
};

/// Heidi, a second SM2 supplier (both presets).
pub const DEV_SM2_HEIDI: DevSm2Key = DevSm2Key {
	name: "Heidi",
	secret: "aae8b9deeadc5e596712cb7b2e9846d4aae8558160005170d2fa52a15300506f",
	account: hex("891e43f58575e44b8b81f449067d54f8ab2013ac5ba1c2191e2fb4ab590d249c"),
};

/// The `development` preset's extra SM2 signers for `benchmark extrinsic`
/// and `benchmark overhead`: each account may use only a share of a block
/// (`MaxSenderWeight`, 1/8), so a block of SM2 split-transfers needs more
/// than eight senders. With Grace and Heidi that makes 14, each holding an
/// opening certificate of [`DEV_OPENING_AMOUNT`] at genesis. Secrets are SM3
/// of "scf development SM2 key: Bench N".
pub const DEV_SM2_BENCH: [DevSm2Key; 12] = [
	DevSm2Key {
		name: "Bench 1",
		secret: "c24bdca6fe39eee0318ef53f16788320b63f1f5ed4a2736194a88607fb785ab6",
		account: hex("a9d1467f7b156e2541ab5dd21c41e402dd26e131e71f2ada64678ea33599a464"),
	},
	DevSm2Key {
		name: "Bench 2",
		secret: "ea7b36dfe9503ff1994ea8d5c871469d41824f5f503fe823027d4540f9ef9fa1",
		account: hex("ed489a4a0e3da0d03960ca94154dcc15dc24d968cfc5b527c072c104b0122616"),
	},
	DevSm2Key {
		name: "Bench 3",
		secret: "e602cb35234ce79c506d6d0dd566fa34b0e0df65ea6df95f3aa0beb805346e44",
		account: hex("cee63a1e4c88af65816eab5d7cb64e759837ce8d6f7bcb5b9848d98ac3152e19"),
	},
	DevSm2Key {
		name: "Bench 4",
		secret: "7f16c4cbdaa4c251e390bc9d1d91c04a0fc4eb0c728b9fe03b314da8a68cc559",
		account: hex("ef0422ff39338b32182452dc4db26d0a1e6ac44cc99702a81f074fd8c43ec312"),
	},
	DevSm2Key {
		name: "Bench 5",
		secret: "f168e252d8cf9b51084c434f3b3195bccf7f873fbacc806ebfdf0c7ebf3ab1b2",
		account: hex("3c576cc9afbfbc12a8ae412cc7a9d6a9c7d007c24a598f800a214555e0cb7eb4"),
	},
	DevSm2Key {
		name: "Bench 6",
		secret: "06bf495d579ed1e38c9d7695419a8bc14ee9e659e1411c5070c52e20abe1a120",
		account: hex("ede401cd721ee1906d7bd8f9f41b27ba73d8054b8e7e49e2047a121eefed7ec9"),
	},
	DevSm2Key {
		name: "Bench 7",
		secret: "6133f5cabef8e78a6da6c0a5d4de74cd786c941a7ae345ea31cee91dc572b17b",
		account: hex("05066aa95c938d1a271293f7ff1e0dca1f4fff62fe71e74cbb8ab4ec8a939bb1"),
	},
	DevSm2Key {
		name: "Bench 8",
		secret: "18ad230bec95e94012b3be44bf561a1623c4f85561d660c4bf31a5d9b16423a3",
		account: hex("a3ead37cbbcb1c16576888dd2d25ff929a4f55a94bf6065a4217b95606d3085d"),
	},
	DevSm2Key {
		name: "Bench 9",
		secret: "8f1317ed407d233f9b15369ebbf4a8fe9ab294b837975c374e507635ec44ae7b",
		account: hex("6acd19cf0cc27962de0bfcf32b90c0246c018b501babeacc72ebe42ee132be84"),
	},
	DevSm2Key {
		name: "Bench 10",
		secret: "c2a84c7b748e43d0500ecc066bfe385356a27af39a86926fb243bf04494570d2",
		account: hex("e93b5aa1a5b86b744a908bf8b56f1db95d631bb46e123a0901ee9e10db638d51"),
	},
	DevSm2Key {
		name: "Bench 11",
		secret: "a234f479c76eee4fd3b96ef281aa5223872922207e9656729e08bd2397fb2cd6",
		account: hex("ccf65939c02de500f21a412e579688b93064951e7078fef619c912c22b8258b6"),
	},
	DevSm2Key {
		name: "Bench 12",
		secret: "984ba4114af9dc174acebcd3f3c213c5da3c5b9312582fa736ca7fedd024984b",
		account: hex("04d3673b50a7835027abf9183cf3a5395791c3b30a70c2dda7bae8316c634cd0"),
	},
];

/// The `development` preset's extra sr25519 signers (the rest of the
/// keyring), for the remark benchmarks: with the six named accounts, 14.
pub const DEV_SR25519_BENCH: [Sr25519Keyring; 8] = [
	Sr25519Keyring::AliceStash,
	Sr25519Keyring::BobStash,
	Sr25519Keyring::CharlieStash,
	Sr25519Keyring::DaveStash,
	Sr25519Keyring::EveStash,
	Sr25519Keyring::FerdieStash,
	Sr25519Keyring::One,
	Sr25519Keyring::Two,
];

fn sm2_participant(key: &DevSm2Key, n: u32, name: &str) -> GenesisParticipant<AccountId> {
	let code = pallet_participants::uscc::synthetic(n);
	GenesisParticipant {
		account: AccountId::from(key.account),
		name: name.to_string(),
		uscc: String::from_utf8(code.to_vec()).expect("synthetic codes are ASCII; qed"),
		roles: vec![Role::Supplier],
	}
}

/// Each opening certificate of the `development` preset (Grace's and the
/// bench signers'): 100,000 yuan.
pub const DEV_OPENING_AMOUNT: Amount = 10_000_000;
/// The ledger's time at genesis in both presets: 2026-12-01 00:00 UTC. A
/// chain spec must be the same wherever it is generated, so the presets fix
/// it; a production spec sets its launch time. The timer cursors start here
/// (a chain started later passes the empty pages in between in a few
/// blocks), and the genesis certificates are issued at it.
pub const GENESIS_TIME: Moment = 1_796_083_200_000;
/// Its due date: 180 days after the genesis time.
pub const DEV_OPENING_DUE: Moment = GENESIS_TIME + 180 * 24 * 3600 * 1000;

/// Credit lines of the presets run until 2030-01-01 00:00 UTC.
const LINES_EXPIRE_AT: Moment = 1_893_456_000_000;
/// One million yuan in fen.
const MILLION_YUAN: Amount = 100_000_000;

fn participant(
	who: Sr25519Keyring,
	n: u32,
	name: &str,
	roles: &[Role],
) -> GenesisParticipant<AccountId> {
	let code = pallet_participants::uscc::synthetic(n);
	GenesisParticipant {
		account: who.to_account_id(),
		name: name.to_string(),
		uscc: String::from_utf8(code.to_vec()).expect("synthetic codes are ASCII; qed"),
		roles: roles.to_vec(),
	}
}

fn line(
	financier: Sr25519Keyring,
	core: Sr25519Keyring,
	millions: Amount,
) -> GenesisCreditLine<AccountId> {
	GenesisCreditLine {
		financier: financier.to_account_id(),
		core: core.to_account_id(),
		limit: millions * MILLION_YUAN,
		expires_at: LINES_EXPIRE_AT,
	}
}

/// What differs between presets besides consensus keys and nodes.
struct Cast {
	council: Vec<AccountId>,
	participants: Vec<GenesisParticipant<AccountId>>,
	credit_lines: Vec<GenesisCreditLine<AccountId>>,
	/// Certificates issued and accepted at genesis: (issuer, holder, amount, due).
	certificates: Vec<(AccountId, AccountId, Amount, Moment)>,
}

/// A preset's genesis. Validator `i` runs node `i` of `nodes` (its owner is
/// the validator's bank); the validators pallet, Aura and GRANDPA get the
/// same keys in the same order.
fn genesis(
	validators: Vec<(Sr25519Keyring, Ed25519Keyring)>,
	nodes: Vec<(OpaquePeerId, AccountId)>,
	cast: Cast,
) -> Value {
	let validator_set: Vec<crate::validators::Validator<AccountId, AuraId>> = validators
		.iter()
		.zip(&nodes)
		.map(|((aura, grandpa), (node, bank))| crate::validators::Validator {
			bank: bank.clone(),
			keys: crate::validators::ValidatorKeys {
				aura: AuraId::from(aura.public()),
				grandpa: GrandpaId::from(grandpa.public()),
			},
			node: node.clone(),
		})
		.collect();
	build_struct_json_patch!(RuntimeGenesisConfig {
		validators: crate::validators::GenesisConfig { validators: validator_set },
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
		council: pallet_collective::GenesisConfig { members: cast.council },
		participants: pallet_participants::GenesisConfig {
			participants: cast.participants,
			credit_lines: cast.credit_lines,
		},
		receivables: pallet_receivables::GenesisConfig {
			genesis_time: GENESIS_TIME,
			certificates: cast.certificates,
		},
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
	use Role::*;
	use Sr25519Keyring as K;
	let mut participants = vec![
		participant(K::Alice, 1, "Development Bank", &[Operator, Financier]),
		participant(K::Bob, 2, "Development Core Enterprise", &[CoreEnterprise]),
		participant(K::Charlie, 3, "Development Supplier 1", &[Supplier]),
		participant(K::Dave, 4, "Development Supplier 2", &[Supplier]),
		participant(K::Eve, 5, "Development Supplier 3", &[Supplier]),
		participant(K::Ferdie, 6, "Development Regulator", &[Regulator]),
		sm2_participant(&DEV_SM2_GRACE, 7, "Development SM2 Supplier 1"),
		sm2_participant(&DEV_SM2_HEIDI, 8, "Development SM2 Supplier 2"),
	];
	// The benchmarks' further signers: codes 9 onwards.
	let mut code = 9;
	for who in DEV_SR25519_BENCH {
		participants.push(participant(
			who,
			code,
			&format!("Development Bench {code}"),
			&[Supplier],
		));
		code += 1;
	}
	for key in &DEV_SM2_BENCH {
		participants.push(sm2_participant(key, code, &format!("Development SM2 {}", key.name)));
		code += 1;
	}
	// Opening certificates for `benchmark extrinsic`'s SM2 split-transfers
	// (blocks at timestamp 0 on the genesis state, so at the genesis time):
	// Grace's, then the bench signers'.
	let certificates = core::iter::once(&DEV_SM2_GRACE)
		.chain(DEV_SM2_BENCH.iter())
		.map(|key| {
			(
				K::Bob.to_account_id(),
				AccountId::from(key.account),
				DEV_OPENING_AMOUNT,
				DEV_OPENING_DUE,
			)
		})
		.collect();
	genesis(
		vec![(K::Alice, Ed25519Keyring::Alice)],
		local_nodes(1),
		Cast {
			council: vec![K::Alice.to_account_id()],
			participants,
			credit_lines: vec![line(K::Alice, K::Bob, 100)],
			certificates,
		},
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
		local_cast(),
	)
}

fn local_cast() -> Cast {
	use Role::*;
	use Sr25519Keyring as K;
	let banks = [K::Alice, K::Bob, K::Charlie, K::Dave];
	let bank_names =
		["甲银行股份有限公司", "乙银行股份有限公司", "丙银行股份有限公司", "丁银行股份有限公司"];
	let mut participants: Vec<_> = banks
		.iter()
		.zip(bank_names)
		.enumerate()
		.map(|(i, (bank, name))| participant(*bank, 101 + i as u32, name, &[Operator, Financier]))
		.collect();
	participants.extend([
		participant(K::Eve, 201, "华东汽车集团有限公司", &[CoreEnterprise]),
		participant(K::Ferdie, 301, "一级零部件制造有限公司", &[Supplier]),
		participant(K::One, 302, "二级精密铸造有限公司", &[Supplier]),
		participant(K::Two, 303, "三级原材料贸易有限公司", &[Supplier]),
		participant(K::AliceStash, 401, "东方商业保理有限公司", &[Financier]),
		participant(K::BobStash, 501, "地方金融监督管理局", &[Regulator]),
		sm2_participant(&DEV_SM2_GRACE, 304, "一级电子元件有限公司"),
		sm2_participant(&DEV_SM2_HEIDI, 305, "二级线束加工有限公司"),
	]);
	Cast {
		council: banks.iter().map(|b| b.to_account_id()).collect(),
		participants,
		credit_lines: vec![line(K::Alice, K::Eve, 100), line(K::AliceStash, K::Eve, 50)],
		certificates: Vec::new(),
	}
}

/// Acceptance timeout of the test consortium: 20 s.
pub const TEST_ACCEPTANCE_TIMEOUT: Moment = 20_000;
/// Overdue grace of the test consortium: 10 s.
pub const TEST_OVERDUE_GRACE: Moment = 10_000;
/// Timer bucket width of the test consortium: one 2 s slot.
pub const TEST_TIMER_GRANULARITY: Moment = 2_000;

/// The raw genesis entries (key, SCALE-encoded value) that make the test
/// consortium's chain spec (`--chain local-test`: `local_testnet` with these
/// on top) a chain where an acceptance lapses, a certificate falls overdue
/// and recourse opens within a minute. `MaxTenor` keeps its default. For
/// tests only: a production chain spec sets none of them.
pub fn test_speed_parameters() -> Vec<(Vec<u8>, Vec<u8>)> {
	use crate::{AcceptanceTimeout, OverdueGrace, TimerGranularity};
	use codec::Encode;
	vec![
		(AcceptanceTimeout::key().to_vec(), TEST_ACCEPTANCE_TIMEOUT.encode()),
		(OverdueGrace::key().to_vec(), TEST_OVERDUE_GRACE.encode()),
		(TimerGranularity::key().to_vec(), TEST_TIMER_GRANULARITY.encode()),
	]
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
	fn local_testnet_has_the_cast_and_no_sudo() {
		for name in preset_names() {
			let json: Value = serde_json::from_slice(&get_preset(&name).unwrap()).unwrap();
			assert!(json.get("sudo").is_none(), "no sudo in {name:?}");
		}
		let json: Value =
			serde_json::from_slice(&get_preset(&LOCAL_TESTNET.into()).unwrap()).unwrap();
		assert_eq!(json["council"]["members"].as_array().unwrap().len(), 4);
		let people = json["participants"]["participants"].as_array().unwrap();
		assert_eq!(people.len(), 12);
		let with_role = |r: &str| {
			people.iter().filter(|p| p["roles"].as_array().unwrap().iter().any(|x| x == r)).count()
		};
		assert_eq!(with_role("Operator"), 4);
		assert_eq!(with_role("Financier"), 5);
		assert_eq!(with_role("CoreEnterprise"), 1);
		assert_eq!(with_role("Supplier"), 5);
		assert_eq!(with_role("Regulator"), 1);
		assert_eq!(json["participants"]["creditLines"].as_array().unwrap().len(), 2);
		let dev: Value = serde_json::from_slice(&get_preset(&DEVELOPMENT.into()).unwrap()).unwrap();
		assert_eq!(dev["council"]["members"].as_array().unwrap().len(), 1, "Alice reaches Root");
	}

	/// With nothing stored, the ledger's times are the production defaults;
	/// the test consortium's entries override exactly the three it names.
	#[test]
	fn time_parameters_default_unless_genesis_sets_them() {
		use crate::{AcceptanceTimeout, MaxTenor, OverdueGrace, Runtime, TimerGranularity, DAY_MS};
		use frame_support::traits::Get;
		type Ledger = <Runtime as pallet_receivables::Config>::AcceptanceTimeout;
		sp_io::TestExternalities::default().execute_with(|| {
			assert_eq!(MaxTenor::get(), 365 * DAY_MS);
			assert_eq!(AcceptanceTimeout::get(), 7 * DAY_MS);
			assert_eq!(OverdueGrace::get(), DAY_MS);
			assert_eq!(TimerGranularity::get(), 60_000);
			// The pallet reads the same parameter.
			assert_eq!(<Ledger as Get<Moment>>::get(), 7 * DAY_MS);
		});
		let storage = sp_core::storage::Storage {
			top: test_speed_parameters().into_iter().collect(),
			children_default: Default::default(),
		};
		sp_io::TestExternalities::new(storage).execute_with(|| {
			assert_eq!(<Ledger as Get<Moment>>::get(), TEST_ACCEPTANCE_TIMEOUT);
			assert_eq!(OverdueGrace::get(), TEST_OVERDUE_GRACE);
			assert_eq!(TimerGranularity::get(), TEST_TIMER_GRANULARITY);
			assert_eq!(MaxTenor::get(), 365 * DAY_MS, "the test spec keeps the tenor cap");
		});
		// The keys are the ones `parameter_types! { pub storage }` documents.
		assert_eq!(AcceptanceTimeout::key(), sp_io::hashing::twox_128(b":AcceptanceTimeout:"));
	}

	#[test]
	fn four_validators_in_local_testnet() {
		let json: Value =
			serde_json::from_slice(&get_preset(&LOCAL_TESTNET.into()).unwrap()).unwrap();
		assert_eq!(json["aura"]["authorities"].as_array().unwrap().len(), 4);
		assert_eq!(json["grandpa"]["authorities"].as_array().unwrap().len(), 4);
		assert_eq!(LOCAL_NODE_KEYS.iter().filter(|n| n.validator).count(), 4);
	}
}
