//! The generator on a four-bank consortium, and each refusal.

use super::*;
use serde_json::{json, Value};
use sp_core::crypto::Ss58Codec;
use sp_keyring::Sr25519Keyring as K;
use std::os::unix::fs::PermissionsExt;

fn uscc(n: u32) -> String {
	String::from_utf8(pallet_participants::uscc::synthetic(n).to_vec()).unwrap()
}

fn participant(key: &str, who: K, n: u32, roles: &[&str]) -> Value {
	json!({ "key": key, "name": format!("{key} 有限公司"), "uscc": uscc(n),
		"account": who.to_account_id().to_ss58check(), "roles": roles })
}

fn node(name: &str, owner: &str, role: &str, port: u16) -> Value {
	json!({ "name": name, "owner": owner, "role": role, "address": "10.0.0.1",
		"p2p_port": port, "rpc_port": port + 1000 })
}

/// Four banks with a validator each, a core enterprise, a supplier with an
/// archive node that dials bank-a through another address.
fn description() -> Value {
	let banks =
		[("bank-a", K::Alice), ("bank-b", K::Bob), ("bank-c", K::Charlie), ("bank-d", K::Dave)];
	let mut participants: Vec<Value> = banks
		.iter()
		.enumerate()
		.map(|(i, (key, who))| participant(key, *who, 101 + i as u32, &["operator", "financier"]))
		.collect();
	participants.push(participant("core", K::Eve, 201, &["core_enterprise"]));
	participants.push(participant("supplier", K::Ferdie, 301, &["supplier"]));
	let mut nodes: Vec<Value> = banks
		.iter()
		.enumerate()
		.map(|(i, (key, _))| node(key, key, "validator", 30333 + i as u16))
		.collect();
	let mut supplier = node("supplier-node", "supplier", "archive", 30400);
	supplier["dial"] = json!({ "bank-a": "192.168.7.1:40001" });
	supplier["rpc_external"] = json!(true);
	nodes.push(supplier);
	json!({
		"name": "Test Consortium", "id": "scf_test_gen", "genesis_time": 1_796_083_200_000u64,
		"time": { "acceptance_timeout": 20000 },
		"participants": participants,
		"council": ["bank-a", "bank-b", "bank-c", "bank-d"],
		"credit_lines": [{ "financier": "bank-a", "core": "core", "limit": 10_000_000_000u64,
			"expires_at": 1_893_456_000_000u64 }],
		"nodes": nodes,
	})
}

fn scratch(test: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("scf-consortium-{test}-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	dir
}

fn mode(path: &Path) -> u32 {
	std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_description_becomes_keys_a_spec_and_start_files() {
	let dir = scratch("generate");
	let file = dir.with_extension("json");
	std::fs::write(&file, description().to_string()).unwrap();
	let cmd = GenerateCmd {
		description: file.clone(),
		out: dir.clone(),
		install_dir: Some("/srv/scf".into()),
		node_binary: "/usr/local/bin/scf-node".into(),
		allow_fewer_validators: false,
	};
	let summary = cmd.run().unwrap();
	let peers: Value =
		serde_json::from_slice(&std::fs::read(dir.join("peers.json")).unwrap()).unwrap();
	assert_eq!(peers.as_object().unwrap().len(), 5);

	// Keys where the node looks, private, one keystore entry per session key.
	for (name, validator) in [("bank-a", true), ("bank-d", true), ("supplier-node", false)] {
		let chain = dir.join(name).join("base/chains/scf_test_gen");
		let key = chain.join("network/secret_ed25519");
		assert_eq!(mode(&key), 0o600, "{name}");
		assert_eq!(mode(&chain.join("network")), 0o700, "{name}");
		let mut bytes = std::fs::read(&key).unwrap();
		let secret = sc_network_types::ed25519::SecretKey::try_from_bytes(&mut bytes).unwrap();
		let peer = sc_network_types::ed25519::Keypair::from(secret).public().to_peer_id();
		assert_eq!(peers[name]["peer_id"], peer.to_base58(), "{name}");
		let keystore = chain.join("keystore");
		if validator {
			let entries: Vec<_> =
				std::fs::read_dir(&keystore).unwrap().map(|e| e.unwrap().path()).collect();
			assert_eq!(entries.len(), 2, "{name}: an Aura and a GRANDPA key");
			for entry in &entries {
				assert_eq!(mode(entry), 0o600, "{}", entry.display());
				// No secret phrase leaves the keystore.
				let phrase = std::fs::read_to_string(entry).unwrap();
				assert!(!summary.contains(phrase.trim_matches('"')));
				let env = std::fs::read_to_string(dir.join(name).join("scf-node.env")).unwrap();
				assert!(!env.contains(phrase.trim_matches('"')));
			}
		} else {
			assert!(!keystore.exists(), "{name} is no validator");
		}
	}

	// The spec authorises exactly these peers, with the council, the cast,
	// the line and the shortened acceptance timeout.
	let spec = ChainSpecFile::load(&dir.join("chain-spec.json"));
	assert_eq!(spec.id, "scf_test_gen");
	let storage = spec.storage;
	let authorised: Vec<sp_core::OpaquePeerId> =
		decode(&storage, &storage_key("NodeAuthorization", "WellKnownNodes"));
	let mut expected: Vec<Vec<u8>> = ["bank-a", "bank-b", "bank-c", "bank-d", "supplier-node"]
		.iter()
		.map(|n| {
			let id: sc_network_types::PeerId =
				peers[n]["peer_id"].as_str().unwrap().parse().unwrap();
			id.to_bytes()
		})
		.collect();
	expected.sort();
	let mut got: Vec<Vec<u8>> = authorised.iter().map(|p| p.0.clone()).collect();
	got.sort();
	assert_eq!(got, expected);
	let members: Vec<scf_primitives::AccountId> =
		decode(&storage, &storage_key("Council", "Members"));
	assert_eq!(members.len(), 4);
	let timeout = storage.get(scf_runtime::AcceptanceTimeout::key().as_slice()).expect("set");
	assert_eq!(<u64 as codec::Decode>::decode(&mut &timeout[..]).unwrap(), 20_000);
	assert!(!storage.contains_key(scf_runtime::OverdueGrace::key().as_slice()), "default kept");

	// Start files: every validator but itself as bootnode, the supplier's
	// bank-a through its dial address, archive state, the install paths.
	let env = std::fs::read_to_string(dir.join("supplier-node/scf-node.env")).unwrap();
	assert!(
		env.contains(&format!(
			"/ip4/192.168.7.1/tcp/40001/p2p/{}",
			peers["bank-a"]["peer_id"].as_str().unwrap()
		)),
		"{env}"
	);
	assert!(env.contains("--state-pruning archive-canonical"), "{env}");
	assert!(env.contains("--rpc-external --rpc-cors all"), "{env}");
	assert!(env.contains("--network-backend libp2p"), "{env}");
	assert!(env.contains("--chain /srv/scf/supplier-node/chain-spec.json"), "{env}");
	assert_eq!(env.matches("--bootnodes").count(), 4, "{env}");
	let bank = std::fs::read_to_string(dir.join("bank-b/scf-node.env")).unwrap();
	assert_eq!(bank.matches("--bootnodes").count(), 3, "{bank}");
	assert!(!bank.contains("--rpc-external") && !bank.contains("--rpc-cors"), "{bank}");
	assert!(
		bank.contains("--validator")
			&& !bank.contains(peers["bank-b"]["peer_id"].as_str().unwrap())
	);
	let unit = std::fs::read_to_string(dir.join("bank-b/scf-node-bank-b.service")).unwrap();
	assert!(unit.contains("EnvironmentFile=/srv/scf/bank-b/scf-node.env"), "{unit}");

	// A second run never overwrites keys.
	let again = cmd.run().unwrap_err();
	assert!(again.contains("exists"), "{again}");
	std::fs::remove_dir_all(&dir).unwrap();
	std::fs::remove_file(&file).unwrap();
}

/// The raw genesis storage of a chain spec file, read back with the
/// node's own loader.
struct ChainSpecFile {
	id: String,
	storage: std::collections::BTreeMap<Vec<u8>, Vec<u8>>,
}

impl ChainSpecFile {
	fn load(path: &Path) -> Self {
		use sc_chain_spec::ChainSpec as _;
		let spec = crate::chain_spec::ChainSpec::from_json_file(path.to_path_buf()).unwrap();
		let storage = spec.as_storage_builder().build_storage().unwrap().top;
		ChainSpecFile { id: spec.id().to_string(), storage }
	}
}

fn storage_key(pallet: &str, item: &str) -> Vec<u8> {
	[sp_io::hashing::twox_128(pallet.as_bytes()), sp_io::hashing::twox_128(item.as_bytes())]
		.concat()
}

fn decode<T: codec::Decode>(
	storage: &std::collections::BTreeMap<Vec<u8>, Vec<u8>>,
	key: &[u8],
) -> T {
	let raw = storage.get(key).unwrap_or_else(|| panic!("no {}", crate::chain_spec::hex(key)));
	T::decode(&mut &raw[..]).unwrap()
}

/// Each refusal names its entry, and writes nothing.
#[test]
fn bad_descriptions_are_refused_by_name() {
	let refused = |d: Value, allow: bool| -> String {
		let e = check(d.to_string().as_bytes(), allow).unwrap_err();
		e.to_string()
	};
	let mut d = description();
	d["participants"][5]["account"] = d["participants"][4]["account"].clone();
	assert_eq!(refused(d, false), "participants \"core\" and \"supplier\" have the same account");

	let mut d = description();
	d["participants"][4]["roles"] = json!(["core_enterprise", "bank"]);
	let e = refused(d, false);
	assert!(e.starts_with("participant \"core\": unknown role \"bank\""), "{e}");
	let mut d = description();
	d["nodes"][4]["role"] = json!("observer");
	assert!(refused(d, false).starts_with("node \"supplier-node\": unknown role \"observer\""));

	let mut d = description();
	let mut code = uscc(301).into_bytes();
	code[17] = if code[17] == b'0' { b'1' } else { b'0' };
	d["participants"][5]["uscc"] = json!(String::from_utf8(code).unwrap());
	let e = refused(d, false);
	assert!(e.starts_with("participant \"supplier\": USCC"), "{e}");

	let mut d = description();
	d["nodes"].as_array_mut().unwrap().remove(3);
	let e = refused(d, false);
	assert!(e.starts_with("3 validator(s)") && e.contains("--allow-fewer-validators"), "{e}");
	let mut d = description();
	d["nodes"].as_array_mut().unwrap().remove(3);
	assert_eq!(check(d.to_string().as_bytes(), true).unwrap().nodes.len(), 4);

	let mut d = description();
	d["nodes"][4]["owner"] = json!("nobody");
	assert_eq!(
		refused(d, false),
		"node \"supplier-node\" names participant \"nobody\", which the description lacks"
	);
	let mut d = description();
	d["nodes"][0]["owner"] = json!("supplier");
	assert_eq!(
		refused(d, false),
		"node \"bank-a\": participant \"supplier\" is not a bank operator"
	);
	let mut d = description();
	d["credit_lines"][0]["core"] = json!("supplier");
	assert_eq!(
		refused(d, false),
		"credit line 1: participant \"supplier\" is not a core enterprise"
	);
	let mut d = description();
	d["nodes"][4]["dial"] = json!({ "bank-z": "10.0.0.9:1" });
	assert!(refused(d, false).contains("\"bank-z\""));
	let mut d = description();
	d["nodes"][1]["name"] = json!("bank b");
	assert!(refused(d, false).starts_with("node name \"bank b\""));
	let mut d = description();
	d["nodes"][1]["name"] = json!("bank-a");
	assert_eq!(refused(d, false), "node \"bank-a\" appears twice");
	let mut d = description();
	d["nodes"][2]["rpc_external"] = json!(true);
	assert!(refused(d, false).starts_with("node \"bank-c\": a validator's RPC stays on loopback"));
	let mut d = description();
	d["genesis_time"] = json!(0);
	assert!(refused(d, false).starts_with("genesis_time is 0"));
	let mut d = description();
	d["colour"] = json!("blue");
	assert!(refused(d, false).contains("unknown field `colour`"));

	// Through the command: nothing is written.
	let dir = scratch("refused");
	let file = dir.with_extension("json");
	let mut d = description();
	d["nodes"].as_array_mut().unwrap().truncate(2);
	std::fs::write(&file, d.to_string()).unwrap();
	let cmd = GenerateCmd {
		description: file.clone(),
		out: dir.clone(),
		install_dir: None,
		node_binary: "scf-node".into(),
		allow_fewer_validators: false,
	};
	assert!(cmd.run().unwrap_err().starts_with("2 validator(s)"));
	assert!(!dir.exists());
	std::fs::remove_file(&file).unwrap();
}

/// A fifth bank with a validator and a supplier with a full node join a
/// generated consortium: their bundles dial the existing validators, and
/// the motions decode to the calls that admit, authorise and add them.
#[test]
fn an_addition_gets_bundles_and_the_council_motions_that_admit_it() {
	use codec::Decode;
	use scf_runtime::RuntimeCall;
	let dir = scratch("add");
	let file = dir.with_extension("json");
	std::fs::write(&file, description().to_string()).unwrap();
	let generate = GenerateCmd {
		description: file.clone(),
		out: dir.join("consortium"),
		install_dir: None,
		node_binary: "scf-node".into(),
		allow_fewer_validators: false,
	};
	generate.run().unwrap();
	let peers: Value =
		serde_json::from_slice(&std::fs::read(dir.join("consortium/peers.json")).unwrap()).unwrap();
	let addition = dir.join("addition.json");
	let write_addition = |v: Value| std::fs::write(&addition, v.to_string()).unwrap();
	write_addition(json!({
		"participants": [participant("bank-e", K::One, 105, &["operator", "financier"]),
			participant("supplier-2", K::Two, 302, &["supplier"])],
		"nodes": [node("bank-e", "bank-e", "validator", 30500), node("supplier-2-node", "supplier-2", "full", 30600)],
	}));
	let add = |out: &str| AddCmd {
		consortium: dir.join("consortium"),
		addition: addition.clone(),
		out: dir.join(out),
		install_dir: None,
		node_binary: "scf-node".into(),
		council_size: None,
	};
	let summary = add("new").run().unwrap();

	let env = std::fs::read_to_string(dir.join("new/bank-e/scf-node.env")).unwrap();
	for bank in ["bank-a", "bank-b", "bank-c", "bank-d"] {
		assert!(env.contains(peers[bank]["peer_id"].as_str().unwrap()), "{bank} in {env}");
	}
	assert!(dir.join("new/bank-e/base/chains/scf_test_gen/keystore").is_dir());
	assert!(!dir.join("new/bank-a").exists(), "existing nodes get no new keys");

	let hexes: Vec<&str> =
		summary.lines().filter_map(|l| l.trim().strip_prefix("propose: ")).collect();
	assert_eq!(hexes.len(), 5, "2 admissions, 2 authorisations, 1 validator:\n{summary}");
	let calls: Vec<(u32, RuntimeCall)> = hexes
		.iter()
		.map(|h| {
			let bytes = sp_core::bytes::from_hex(h).unwrap();
			match RuntimeCall::decode(&mut &bytes[..]).unwrap() {
				RuntimeCall::Council(pallet_collective::Call::propose {
					threshold,
					proposal,
					..
				}) => (threshold, *proposal),
				other => panic!("not a council proposal: {other:?}"),
			}
		})
		.collect();
	assert!(
		matches!(&calls[0], (3, RuntimeCall::Participants(pallet_participants::Call::admit { who, .. })) if *who == K::One.to_account_id())
	);
	assert!(
		matches!(&calls[1], (3, RuntimeCall::Participants(pallet_participants::Call::admit { who, .. })) if *who == K::Two.to_account_id())
	);
	assert!(matches!(
		&calls[2],
		(
			3,
			RuntimeCall::NodeAuthorization(
				pallet_node_authorization::Call::add_well_known_node { .. }
			)
		)
	));
	match &calls[3] {
		(
			3,
			RuntimeCall::Validators(scf_runtime::validators::Call::add_validator { validator }),
		) => {
			assert_eq!(validator.bank, K::One.to_account_id());
			let on_disk =
				std::fs::read_dir(dir.join("new/bank-e/base/chains/scf_test_gen/keystore"))
					.unwrap()
					.map(|e| e.unwrap().file_name().into_string().unwrap())
					.collect::<Vec<_>>();
			let aura = format!(
				"61757261{}",
				crate::chain_spec::hex(AsRef::<[u8]>::as_ref(&validator.keys.aura))
					.trim_start_matches("0x")
			);
			assert!(on_disk.contains(&aura), "{aura} not in {on_disk:?}");
		},
		other => panic!("not add_validator: {other:?}"),
	}
	assert!(matches!(&calls[4], (3, RuntimeCall::NodeAuthorization(_))));

	// An addition that repeats an account is refused, and writes nothing.
	write_addition(json!({ "participants": [participant("again", K::Alice, 999, &["supplier"])] }));
	let e = add("refused").run().unwrap_err();
	assert_eq!(e, "participants \"bank-a\" and \"again\" have the same account");
	assert!(!dir.join("refused").exists());
	assert_eq!((governance::majority(4), governance::supermajority(4)), (3, 3));
	assert_eq!((governance::majority(7), governance::supermajority(7)), (4, 5));
	std::fs::remove_dir_all(&dir).unwrap();
	std::fs::remove_file(&file).unwrap();
}
