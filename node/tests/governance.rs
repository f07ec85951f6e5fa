//! Governance on the shared test consortium (see `common`): the banks'
//! council is the only authority. Root is reached only by a motion carried by
//! two thirds of the banks (`council_root`; there is no sudo), and the roles
//! that govern others (operator, regulator, financier) only the council may
//! grant: one bank's operator alone cannot make a participant a regulator.
//!
//! The tests run one after another (`exclusive`): council motions of the four
//! banks would otherwise race for their nonces.

mod common;

use codec::{Decode, Encode};
use common::{cast::*, tx::*, *};
use scf_primitives::Role;
use scf_runtime::{AccountId, RuntimeCall};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Dave};
use sp_runtime::traits::{BlakeTwo256, Hash};
use std::time::Duration;

/// The roles `who` holds, read from `Participants::Participants`.
fn roles_of(node: &Node, who: &AccountId) -> Vec<Role> {
	let key = blake2_map_key("Participants", "Participants", who);
	let bytes = storage(node, &key).expect("a participant");
	let info = pallet_participants::ParticipantInfo::<
		<scf_runtime::Runtime as pallet_participants::Config>::MaxNameLen,
	>::decode(&mut &bytes[..])
	.expect("a participant record decodes");
	info.roles.to_vec()
}

/// The council's next proposal index (`Council::ProposalCount`).
fn proposal_count(node: &Node) -> u32 {
	let mut key = sp_io::hashing::twox_128(b"Council").to_vec();
	key.extend(sp_io::hashing::twox_128(b"ProposalCount"));
	storage(node, &key).map(|b| u32::decode(&mut &b[..]).expect("a count")).unwrap_or(0)
}

/// A council motion of `call`: `proposer` proposes it with a threshold of
/// one more than the `voters`; the proposer (a proposal starts with no votes,
/// not even the proposer's) and each voter vote aye, in one block; the
/// proposer closes it, which executes it. Returns the blocks the close may
/// be in (the best block before it was submitted, exclusive, to the best
/// block once it was included). Whether `call` succeeded is for the caller
/// to check in state.
fn council_motion(
	node: &Node,
	proposer: Sr25519Keyring,
	voters: &[Sr25519Keyring],
	call: RuntimeCall,
) -> std::ops::RangeInclusive<u64> {
	let index = proposal_count(node);
	let length = call.encoded_size() as u32;
	let hash = BlakeTwo256::hash_of(&call);
	let propose = RuntimeCall::Council(pallet_collective::Call::propose {
		threshold: voters.len() as u32 + 1,
		proposal: Box::new(call),
		length_bound: length,
	});
	submit_and_include(node, &proposer.pair(), propose);
	assert_eq!(proposal_count(node), index + 1, "{proposer:?}'s motion was not made");
	let vote = RuntimeCall::Council(pallet_collective::Call::vote {
		proposal: hash,
		index,
		approve: true,
	});
	let ayes: Vec<Sr25519Keyring> =
		std::iter::once(proposer).chain(voters.iter().copied()).collect();
	let before: Vec<u32> = ayes.iter().map(|v| chain_nonce(node, &v.pair())).collect();
	for voter in &ayes {
		submit(node, &voter.pair(), vote.clone())
			.unwrap_or_else(|e| panic!("{voter:?}'s vote refused: {e}"));
	}
	wait_for("the votes to be included", Duration::from_secs(60), || {
		ayes.iter().zip(&before).all(|(v, n)| chain_nonce(node, &v.pair()) > *n).then_some(())
	});
	let close = RuntimeCall::Council(pallet_collective::Call::close {
		proposal_hash: hash,
		index,
		// 400 ms: within the council's bound (half a block), above any call here.
		proposal_weight_bound: sp_runtime::Weight::from_parts(400_000_000_000, 1_000_000),
		length_bound: length,
	});
	let from = node.best_number().expect("a best block") + 1;
	submit_and_include(node, &proposer.pair(), close);
	from..=node.best_number().expect("a best block")
}

#[test]
fn only_the_council_grants_the_regulator_role() {
	let _one = exclusive();
	let node = shared().node();
	let who = account(&admit_fresh(node, Dave, "governance", &[Role::Supplier]).remove(0));
	let make_regulator = RuntimeCall::Participants(pallet_participants::Call::set_roles {
		who: who.clone(),
		roles: vec![Role::Supplier, Role::Regulator].try_into().unwrap(),
	});

	// Bank D's operator alone: the call is included but refused.
	submit_and_include(node, &Dave.pair(), make_regulator.clone());
	assert_eq!(roles_of(node, &who), vec![Role::Supplier], "one operator minted a regulator");

	// A motion of three banks (a majority) does it.
	council_motion(node, Dave, &[Alice, Bob], make_regulator);
	assert_eq!(roles_of(node, &who), vec![Role::Supplier, Role::Regulator]);
}

/// Root through `council_root`: half the council is not enough, two thirds
/// are. The Root call writes a storage entry of the test's own
/// (`system.set_storage`), read back to see whether it ran.
#[test]
fn the_council_reaches_root_by_two_thirds_only() {
	let _one = exclusive();
	let node = shared().node();
	let key = format!(":scf-e2e:governance:{}:", std::process::id()).into_bytes();
	let as_root = |value: &[u8]| {
		let set = RuntimeCall::System(frame_system::Call::set_storage {
			items: vec![(key.clone(), value.to_vec())],
		});
		RuntimeCall::CouncilRoot(scf_runtime::council_root::Call::dispatch_as_root {
			call: Box::new(set),
		})
	};

	// Two of four banks: the motion executes, but not as Root.
	council_motion(node, Charlie, &[Dave], as_root(b"half"));
	assert_eq!(storage(node, &key), None, "half of the council reached Root");

	// Three of four: Root.
	council_motion(node, Charlie, &[Dave, Alice], as_root(b"two thirds"));
	assert_eq!(storage(node, &key), Some(b"two thirds".to_vec()));
}

/// The libp2p peer id (as `pallet-node-authorization` stores it) of the node
/// started with `--node-key` `seed`: the identity multihash of the
/// protobuf-encoded ed25519 public key.
fn peer_id_bytes(seed: [u8; 32]) -> Vec<u8> {
	use sp_core::Pair;
	let public = sp_core::ed25519::Pair::from_seed(&seed).public();
	let mut bytes = vec![0x00, 0x24, 0x08, 0x01, 0x12, 0x20];
	bytes.extend_from_slice(public.as_ref());
	bytes
}

/// Every entry of the ledger's pallets (participants, receivables,
/// financing) at block `at`, but for the two that change with every block
/// (`Participants::SenderWeight`, `Receivables::TimerCursor`).
fn ledger_state(node: &Node, at: &str) -> std::collections::BTreeMap<String, String> {
	use serde_json::json;
	let prefix = |pallet: &str, item: Option<&str>| {
		let mut key = sp_io::hashing::twox_128(pallet.as_bytes()).to_vec();
		if let Some(item) = item {
			key.extend(sp_io::hashing::twox_128(item.as_bytes()));
		}
		format!("0x{}", hex_encode(&key))
	};
	let skip =
		[prefix("Participants", Some("SenderWeight")), prefix("Receivables", Some("TimerCursor"))];
	let mut state = std::collections::BTreeMap::new();
	for pallet in ["Participants", "Receivables", "Financing"] {
		let mut start: Option<String> = None;
		loop {
			let keys = node
				.rpc("state_getKeysPaged", json!([prefix(pallet, None), 200, start, at]))
				.expect("keys");
			let keys: Vec<String> = serde_json::from_value(keys).expect("a list of keys");
			for key in &keys {
				if skip.iter().any(|s| key.starts_with(s.as_str())) {
					continue;
				}
				let value = node.rpc("state_getStorage", json!([key, at])).expect("a value");
				state.insert(key.clone(), value.as_str().expect("hex").to_string());
			}
			if keys.len() < 200 {
				break;
			}
			start = keys.last().cloned();
		}
	}
	state
}

/// The fields of every `CouncilRoot.DispatchedAsRoot` event in finalized
/// blocks `blocks`, decoded with each block's own metadata, as
/// (field name, the bytes of its value) pairs.
fn dispatched_as_root(
	node: &Node,
	blocks: std::ops::RangeInclusive<u64>,
) -> Vec<Vec<(String, Vec<u8>)>> {
	use scf_client::{OnlineClient, ScfConfig};
	use subxt::{
		dynamic::Value,
		ext::scale_value::{Composite, Primitive, ValueDef},
	};
	/// The bytes of a value made of `u8`s (a hash), else empty.
	fn bytes(v: &Value, out: &mut Vec<u8>) {
		match &v.value {
			ValueDef::Composite(Composite::Unnamed(vs)) => vs.iter().for_each(|v| bytes(v, out)),
			ValueDef::Composite(Composite::Named(vs)) => vs.iter().for_each(|(_, v)| bytes(v, out)),
			ValueDef::Primitive(Primitive::U128(n)) => out.push(*n as u8),
			_ => {},
		}
	}
	wait_finalized_on(std::slice::from_ref(node), *blocks.end(), Duration::from_secs(60));
	let url = format!("ws://127.0.0.1:{}", node.spec.rpc_port);
	let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
	rt.block_on(async {
		let api = OnlineClient::<ScfConfig>::from_insecure_url(&url).await.expect("connects");
		let mut found = Vec::new();
		for n in blocks {
			let at = api.at_block(n).await.unwrap_or_else(|e| panic!("block #{n}: {e}"));
			let events = at.events().fetch().await.unwrap_or_else(|e| panic!("#{n}'s events: {e}"));
			for event in events.iter() {
				let event = event.unwrap_or_else(|e| panic!("an event of #{n}: {e}"));
				if (event.pallet_name(), event.event_name()) != ("CouncilRoot", "DispatchedAsRoot")
				{
					continue;
				}
				let fields = event.decode_fields_unchecked_as::<Value>().expect("decodes");
				let ValueDef::Composite(Composite::Named(fields)) = fields.value else {
					panic!("DispatchedAsRoot has named fields: {fields:?}")
				};
				found.push(
					fields
						.iter()
						.map(|(name, v)| {
							let mut out = Vec::new();
							bytes(v, &mut out);
							(name.clone(), out)
						})
						.collect(),
				);
			}
		}
		found
	})
}

/// The Aura authorities at the best block.
fn aura_authorities(node: &Node) -> Vec<sp_consensus_aura::sr25519::AuthorityId> {
	runtime_call(node, "AuraApi_authorities", ())
}

/// The GRANDPA authorities at the best block.
fn grandpa_authorities(node: &Node) -> Vec<(sp_consensus_grandpa::AuthorityId, u64)> {
	runtime_call(node, "GrandpaApi_grandpa_authorities", ())
}

/// Waits until a finalized block after `after` was authored in a slot that
/// is `position`'s among `count` Aura authorities: only the holder of that
/// position's key can have made it.
fn wait_authored_by(node: &Node, position: u64, count: u64, after: u64, who: &str) -> u64 {
	wait_for(&format!("a finalized block by {who}"), Duration::from_secs(90), || {
		let head = node.finalized_number()?;
		(after + 1..=head).find(|n| {
			let hash = node.block_hash(*n);
			let header =
				hash.and_then(|h| node.rpc("chain_getHeader", serde_json::json!([h])).ok());
			header.and_then(|h| aura_slot(&h)).map_or(false, |slot| slot % count == position)
		})
	})
}

/// A live consortium's governance, on a private consortium (`--chain
/// local`): upgrading the runtime and changing the validators would change
/// the shared consortium under the other suites.
///
/// 1. Ledger state: a certificate issued, accepted and put up for financing.
/// 2. The council (three of four banks) authorises the upgrade runtime's
///    code hash through `council_root`; bank B applies it. Every node runs
///    the new version, finality goes on, the ledger reads back unchanged,
///    and `DispatchedAsRoot` has the new runtime's extra field after the
///    upgrade and not before.
/// 3. Bank B's node makes new session keys (`author_rotateKeys`); the council
///    rotates them in: Aura and GRANDPA hold the new keys and not the old,
///    and a block in bank B's slot is finalized (only the new key can have
///    made it).
/// 4. A fifth bank's node, not yet authorised, cannot sync; the council adds
///    it as a validator, keys and node in one motion; it syncs and authors.
/// 5. Bank D stops: five validators need four votes, so finality going on
///    shows that bank B's new key and bank E's key both vote.
#[test]
fn the_council_upgrades_the_runtime_and_changes_the_validators() {
	use pallet_financing::{Call as Fin, FinancingKind};
	use scf_runtime::validators::{Validator, ValidatorKeys};
	use serde_json::json;
	use sp_keyring::{Ed25519Keyring, Sr25519Keyring::Eve, Sr25519Keyring::Ferdie};

	let _one = exclusive();
	let mut c = Consortium::start("governance-live");
	c.wait_finalized_on_all(2, Duration::from_secs(120));
	let node = &c.nodes[0];

	// 1. Ledger state.
	type Certificate = pallet_receivables::CertificateOf<scf_runtime::Runtime>;
	let holdings = |who: &AccountId| -> Vec<Certificate> {
		runtime_call(node, "ReceivablesApi_holdings", who.clone())
	};
	let issue = pallet_receivables::Call::issue {
		receiver: Ferdie.to_account_id(),
		amount: 1_000_000_000,
		due: now_ms() + 30 * 24 * 3_600_000,
		documents: Default::default(),
	};
	submit_and_include(node, &Eve.pair(), RuntimeCall::Receivables(issue));
	let id = holdings(&Ferdie.to_account_id()).first().expect("Ferdie is offered it").id;
	let accept = pallet_receivables::Call::accept { id };
	submit_and_include(node, &Ferdie.pair(), RuntimeCall::Receivables(accept));
	let request = Fin::request_part {
		certificate: id,
		amount: 400_000_000,
		financier: Alice.to_account_id(),
		wanted_advance: 380_000_000,
		kind: FinancingKind::Pledge,
	};
	submit_and_include(node, &Ferdie.pair(), RuntimeCall::Financing(request));
	let has = |state: &std::collections::BTreeMap<String, String>, pallet: &str, item: &str| {
		let mut key = sp_io::hashing::twox_128(pallet.as_bytes()).to_vec();
		key.extend(sp_io::hashing::twox_128(item.as_bytes()));
		let key = format!("0x{}", hex_encode(&key));
		state.keys().any(|k| k.starts_with(&key))
	};
	let before_hash = node.block_hash(node.best_number().unwrap()).unwrap();
	let ledger_before = ledger_state(node, &before_hash);
	for (pallet, item) in [
		("Participants", "Participants"),
		("Receivables", "Certificates"),
		("Financing", "Requests"),
	] {
		assert!(has(&ledger_before, pallet, item), "no {pallet}::{item} before the upgrade");
	}

	// 2. The upgrade.
	let code = scf_runtime::upgrade_test::WASM_BINARY.expect("the upgrade runtime was built");
	assert_eq!(spec_version(node), scf_runtime::VERSION.spec_version);
	let authorize = RuntimeCall::System(frame_system::Call::authorize_upgrade {
		code_hash: BlakeTwo256::hash(code),
	});
	let as_root = |call| {
		RuntimeCall::CouncilRoot(scf_runtime::council_root::Call::dispatch_as_root {
			call: Box::new(call),
		})
	};
	let authorized = council_motion(node, Alice, &[Bob, Charlie], as_root(authorize));
	let mut key = sp_io::hashing::twox_128(b"System").to_vec();
	key.extend(sp_io::hashing::twox_128(b"AuthorizedUpgrade"));
	assert!(storage(node, &key).is_some(), "the council did not authorise the upgrade");
	let apply =
		RuntimeCall::System(frame_system::Call::apply_authorized_upgrade { code: code.to_vec() });
	submit(node, &Bob.pair(), apply).expect("the upgrade transaction is accepted");
	// Every node compiles the new Wasm before it builds or imports on top of
	// the upgrade block: five at once on two cores take a while, and their
	// RPC may not answer meanwhile.
	let new_version = scf_runtime::VERSION.spec_version + 1;
	let started = std::time::Instant::now();
	for n in &c.nodes {
		wait_for(
			&format!("{} to run the new runtime", n.spec.name),
			Duration::from_secs(240),
			|| {
				n.rpc("state_getRuntimeVersion", json!([]))
					.ok()
					.and_then(|v| v["specVersion"].as_u64())
					.filter(|v| *v == new_version as u64)
			},
		);
	}
	eprintln!("every node ran the new runtime {:?} after the upgrade", started.elapsed());
	let upgraded_at = (1..=node.best_number().unwrap())
		.rev()
		.find(|n| {
			let hash = node.block_hash(*n).unwrap();
			let v = node.rpc("state_getRuntimeVersion", json!([hash])).unwrap();
			v["specVersion"].as_u64() != Some(new_version as u64)
		})
		.expect("a block of the old runtime")
		+ 1;
	wait_finalized_on(&c.nodes, upgraded_at + 3, Duration::from_secs(120));
	let after_hash = c.nodes[2].block_hash(upgraded_at + 2).unwrap();
	assert_eq!(
		ledger_state(&c.nodes[2], &after_hash),
		ledger_before,
		"the upgrade changed the ledger"
	);
	let before = dispatched_as_root(node, authorized.clone());
	assert!(
		before.iter().any(|f| f.iter().map(|(n, _)| n.as_str()).eq(["result"])),
		"before the upgrade DispatchedAsRoot has one field: {before:?}"
	);

	// 3. Bank B's keys rotate.
	let bank_b = &c.nodes[1];
	let new_keys = bank_b.rpc("author_rotateKeys", json!([])).expect("author_rotateKeys");
	let new_keys: ValidatorKeys<sp_consensus_aura::sr25519::AuthorityId> =
		Decode::decode(&mut &hex_decode(new_keys.as_str().unwrap()).unwrap()[..])
			.expect("session keys are an Aura and a GRANDPA key");
	let old_aura = sp_consensus_aura::sr25519::AuthorityId::from(Bob.public());
	let old_grandpa = sp_consensus_grandpa::AuthorityId::from(Ed25519Keyring::Bob.public());
	let rotate = RuntimeCall::Validators(scf_runtime::validators::Call::rotate_keys {
		aura: old_aura.clone(),
		keys: new_keys.clone(),
	});
	let rotated = council_motion(node, Charlie, &[Dave, Alice], as_root(rotate.clone()));
	// The upgraded event: a field more, the hash of the call dispatched.
	let after = dispatched_as_root(node, rotated.clone());
	let names: Vec<Vec<&str>> =
		after.iter().map(|f| f.iter().map(|(n, _)| n.as_str()).collect()).collect();
	assert_eq!(names, vec![vec!["result", "call_hash"]], "after the upgrade");
	assert_eq!(after[0][1].1, BlakeTwo256::hash_of(&rotate).as_bytes().to_vec());
	let aura = aura_authorities(node);
	assert_eq!(aura.len(), 4);
	assert_eq!(aura[1], new_keys.aura, "Aura has bank B's new key");
	assert!(!aura.contains(&old_aura), "Aura still has bank B's old key");
	let grandpa: Vec<_> = grandpa_authorities(node).into_iter().map(|(k, _)| k).collect();
	assert!(grandpa.contains(&new_keys.grandpa) && !grandpa.contains(&old_grandpa), "{grandpa:?}");
	wait_authored_by(node, 1, 4, *rotated.end(), "bank B's new Aura key");

	// The indexer reads the chain across the upgrade: the upgrade block's
	// events (the old runtime's) and the event whose layout changed, in its
	// old form before and its new form after.
	let dir = c.dir.join("indexer");
	std::fs::create_dir_all(&dir).unwrap();
	let indexer = common::indexer::Indexer::start(&dir, &c.nodes[4], free_port());
	indexer.wait_indexed(*rotated.end());
	let events = |range: std::ops::RangeInclusive<u64>| -> Vec<serde_json::Value> {
		range
			.flat_map(|n| {
				let events = indexer.call("indexer_events", json!({ "number": n })).unwrap();
				events.as_array().unwrap().clone()
			})
			.collect()
	};
	let named = |events: &[serde_json::Value], name: &str| -> Vec<serde_json::Value> {
		events.iter().filter(|e| e["event"] == name).map(|e| e["fields"].clone()).collect()
	};
	assert_eq!(
		named(&events(upgraded_at..=upgraded_at), "System.CodeUpdated").len(),
		1,
		"the upgrade block, decoded with the old runtime's metadata\n{}",
		indexer.log()
	);
	let old_form = named(&events(authorized.clone()), "CouncilRoot.DispatchedAsRoot");
	assert!(
		old_form.iter().any(|f| f.get("result").is_some() && f.get("call_hash").is_none()),
		"{old_form:?}"
	);
	let new_form = named(&events(rotated.clone()), "CouncilRoot.DispatchedAsRoot");
	let hash = format!("{:?}", BlakeTwo256::hash_of(&rotate));
	assert_eq!(new_form.len(), 1, "{new_form:?}");
	assert_eq!(new_form[0]["call_hash"], hash.as_str(), "the new field, decoded");
	drop(indexer);

	// 4. A fifth bank's validator joins.
	let seed = [6u8; 32];
	assert_eq!(
		peer_id_bytes(
			hex_decode(scf_runtime::genesis::LOCAL_NODE_KEYS[0].node_key)
				.unwrap()
				.try_into()
				.unwrap()
		),
		scf_runtime::genesis::LOCAL_NODE_KEYS[0].peer_id_bytes.to_vec(),
		"the peer id derivation"
	);
	let spec = NodeSpec {
		name: "bank-e".into(),
		node_key: hex_encode(&seed),
		validator_key: Some("eve"),
		p2p_port: free_port(),
		rpc_port: free_port(),
	};
	let boots = c.bootnodes();
	c.nodes.push(Node::start(spec, "local", c.dir.join("bank-e"), &boots));
	let node = &c.nodes[0];
	let bank_e = &c.nodes[5];
	wait_for("bank E's node to answer", Duration::from_secs(30), || bank_e.best_number());
	std::thread::sleep(Duration::from_secs(6));
	assert_eq!(bank_e.best_number(), Some(0), "a node nobody authorised synced");
	let e_keys = ValidatorKeys {
		aura: sp_consensus_aura::sr25519::AuthorityId::from(Eve.public()),
		grandpa: sp_consensus_grandpa::AuthorityId::from(Ed25519Keyring::Eve.public()),
	};
	let add = RuntimeCall::Validators(scf_runtime::validators::Call::add_validator {
		validator: Validator {
			bank: account(&fresh_pair("bank-e")),
			keys: e_keys.clone(),
			node: sp_core::OpaquePeerId(peer_id_bytes(seed)),
		},
	});
	// Directly: the validators' origin is the council's two thirds itself.
	let added = council_motion(node, Dave, &[Alice, Bob], add);
	assert_eq!(aura_authorities(node).last(), Some(&e_keys.aura), "bank E is not a validator");
	wait_for("bank E's node to sync", Duration::from_secs(90), || {
		(bank_e.best_number()? >= *added.end()).then_some(())
	});
	let by_e = wait_authored_by(node, 4, 5, *added.end(), "bank E");

	// 5. Bank D stops: A, B (new keys), C and E finalize alone.
	c.nodes[3].kill_9();
	let running: Vec<&Node> = c.nodes.iter().filter(|n| n.is_running()).collect();
	let head = running.iter().filter_map(|n| n.finalized_number()).max().unwrap();
	wait_for("finality without bank D", Duration::from_secs(90), || {
		running
			.iter()
			.all(|n| n.finalized_number().map_or(false, |f| f >= head.max(by_e) + 4))
			.then_some(())
	});
}
