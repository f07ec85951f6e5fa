//! The validators pallet on the real runtime, from the `local_testnet`
//! genesis: four bank validators. Every change moves Aura, GRANDPA and the
//! peer set together; every refusal leaves all three as they were.

use frame_support::{assert_noop, assert_ok, traits::OnFinalize};
use scf_runtime::{
	validators::{Error, Event, Validator, ValidatorKeys, Validators as ValidatorList},
	AccountId, Grandpa, Runtime, RuntimeEvent, RuntimeOrigin, System, Validators,
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::{OpaquePeerId, Pair};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

mod common;

/// The state of the `local_testnet` genesis, at block 1.
fn local_chain() -> sp_io::TestExternalities {
	let mut ext = common::local_genesis();
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn root() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

fn keys(seed: &str) -> ValidatorKeys<AuraId> {
	ValidatorKeys {
		aura: sp_core::sr25519::Pair::from_string(&format!("//{seed}"), None)
			.unwrap()
			.public()
			.into(),
		grandpa: sp_core::ed25519::Pair::from_string(&format!("//{seed}"), None)
			.unwrap()
			.public()
			.into(),
	}
}

fn dev_keys(who: Sr25519Keyring, grandpa: Ed25519Keyring) -> ValidatorKeys<AuraId> {
	ValidatorKeys { aura: who.public().into(), grandpa: GrandpaId::from(grandpa.public()) }
}

/// A fifth bank's validator: Eve's keys, a node of its own.
fn bank_e() -> Validator<AccountId, AuraId> {
	Validator {
		bank: Sr25519Keyring::Eve.to_account_id(),
		keys: dev_keys(Sr25519Keyring::Eve, Ed25519Keyring::Eve),
		node: OpaquePeerId(vec![7; 38]),
	}
}

fn aura_keys() -> Vec<AuraId> {
	pallet_aura::Authorities::<Runtime>::get().into_inner()
}

/// Ends the block: GRANDPA enacts the change scheduled in it.
fn end_block() {
	Grandpa::on_finalize(System::block_number());
	System::set_block_number(System::block_number() + 1);
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

fn invariants() {
	Validators::check_invariants().expect("the invariants hold");
}

#[test]
fn genesis_has_the_four_banks_in_aura_grandpa_and_the_peer_set() {
	local_chain().execute_with(|| {
		let set = ValidatorList::<Runtime>::get();
		assert_eq!(set.len(), 4);
		assert_eq!(set[1].bank, Sr25519Keyring::Bob.to_account_id());
		assert_eq!(set[1].keys, dev_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob));
		invariants();
	});
}

#[test]
fn add_validator_moves_aura_grandpa_and_the_peer_set_together() {
	local_chain().execute_with(|| {
		let e = bank_e();
		assert_ok!(Validators::add_validator(root(), e.clone()));
		assert_eq!(aura_keys().len(), 5);
		assert_eq!(aura_keys()[4], e.keys.aura);
		let pending = pallet_grandpa::PendingChange::<Runtime>::get().expect("a GRANDPA change");
		assert_eq!(pending.next_authorities.len(), 5);
		assert_eq!(pending.delay, 0);
		assert!(pallet_node_authorization::WellKnownNodes::<Runtime>::get().contains(&e.node));
		assert_eq!(
			pallet_node_authorization::Owners::<Runtime>::get(&e.node),
			Some(e.bank.clone())
		);
		assert_eq!(
			last_event(),
			RuntimeEvent::Validators(Event::ValidatorAdded {
				bank: e.bank,
				keys: e.keys.clone(),
				node: e.node,
				count: 5
			})
		);
		end_block();
		assert_eq!(Grandpa::grandpa_authorities().len(), 5);
		assert_eq!(Grandpa::grandpa_authorities()[4].0, e.keys.grandpa);
		invariants();
	});
}

#[test]
fn add_validator_refusals_change_nothing() {
	local_chain().execute_with(|| {
		let bob = sp_keyring::Sr25519Keyring::Bob.to_account_id();
		// A bank alone, or half of the council, is not the council's two thirds.
		assert_noop!(
			Validators::add_validator(RuntimeOrigin::signed(bob.clone()), bank_e()),
			sp_runtime::DispatchError::BadOrigin
		);
		let half = RuntimeOrigin::from(pallet_collective::RawOrigin::<
			AccountId,
			scf_runtime::BankCouncil,
		>::Members(2, 4));
		assert_noop!(
			Validators::add_validator(half, bank_e()),
			sp_runtime::DispatchError::BadOrigin
		);
		// Bob's keys are Bob's validator's.
		let mut reused = bank_e();
		reused.keys.grandpa = GrandpaId::from(Ed25519Keyring::Bob.public());
		assert_noop!(Validators::add_validator(root(), reused), Error::<Runtime>::KeyInUse);
		// Bank B's node is bank B's validator's.
		let mut same_node = bank_e();
		same_node.node = ValidatorList::<Runtime>::get()[1].node.clone();
		assert_noop!(Validators::add_validator(root(), same_node), Error::<Runtime>::NodeInUse);
		// The supplier node is in the peer set, but Ferdie's, not Eve's.
		let supplier = scf_runtime::genesis::LOCAL_NODE_KEYS[4].peer_id_bytes.to_vec();
		let mut others = bank_e();
		others.node = OpaquePeerId(supplier);
		assert_noop!(
			Validators::add_validator(root(), others),
			Error::<Runtime>::NodeOfAnotherOwner
		);
		// One change a block: the first is still pending.
		assert_ok!(Validators::add_validator(root(), bank_e()));
		let mut sixth = bank_e();
		sixth.keys = keys("bank-f");
		sixth.node = OpaquePeerId(vec![8; 38]);
		assert_noop!(Validators::add_validator(root(), sixth), Error::<Runtime>::ChangePending);
		end_block();
		invariants();
	});
}

#[test]
fn the_council_supermajority_changes_the_set() {
	local_chain().execute_with(|| {
		let three_of_four = RuntimeOrigin::from(pallet_collective::RawOrigin::<
			AccountId,
			scf_runtime::BankCouncil,
		>::Members(3, 4));
		assert_ok!(Validators::add_validator(three_of_four, bank_e()));
		assert_eq!(aura_keys().len(), 5);
	});
}

#[test]
fn remove_validator_keeps_four_unless_the_motion_allows_fewer() {
	local_chain().execute_with(|| {
		let dave = dev_keys(Sr25519Keyring::Dave, Ed25519Keyring::Dave);
		assert_noop!(
			Validators::remove_validator(root(), dave.aura.clone(), false),
			Error::<Runtime>::TooFewValidators
		);
		assert_noop!(
			Validators::remove_validator(root(), keys("nobody").aura, true),
			Error::<Runtime>::NotValidator
		);
		let node = ValidatorList::<Runtime>::get()[3].node.clone();
		assert_ok!(Validators::remove_validator(root(), dave.aura.clone(), true));
		assert_eq!(aura_keys().len(), 3);
		assert!(!aura_keys().contains(&dave.aura));
		assert!(!pallet_node_authorization::WellKnownNodes::<Runtime>::get().contains(&node));
		assert!(matches!(
			last_event(),
			RuntimeEvent::Validators(Event::ValidatorRemoved { count: 3, .. })
		));
		end_block();
		assert!(!Grandpa::grandpa_authorities().iter().any(|(k, _)| *k == dave.grandpa));
		invariants();
		// Never none, whatever the motion says.
		for who in [Sr25519Keyring::Alice, Sr25519Keyring::Bob] {
			assert_ok!(Validators::remove_validator(root(), who.public().into(), true));
			end_block();
		}
		assert_noop!(
			Validators::remove_validator(root(), Sr25519Keyring::Charlie.public().into(), true),
			Error::<Runtime>::TooFewValidators
		);
		invariants();
	});
}

#[test]
fn rotate_keys_replaces_one_validators_keys_and_keeps_its_node() {
	local_chain().execute_with(|| {
		let bob = dev_keys(Sr25519Keyring::Bob, Ed25519Keyring::Bob);
		let charlie = dev_keys(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie);
		assert_noop!(
			Validators::rotate_keys(root(), bob.aura.clone(), charlie),
			Error::<Runtime>::KeyInUse
		);
		assert_noop!(
			Validators::rotate_keys(root(), bob.aura.clone(), bob.clone()),
			Error::<Runtime>::KeyInUse
		);
		assert_noop!(
			Validators::rotate_keys(root(), keys("nobody").aura, keys("new")),
			Error::<Runtime>::NotValidator
		);
		let node = ValidatorList::<Runtime>::get()[1].node.clone();
		let new = keys("bank-b rotated");
		assert_ok!(Validators::rotate_keys(root(), bob.aura.clone(), new.clone()));
		assert_eq!(aura_keys()[1], new.aura);
		assert_eq!(ValidatorList::<Runtime>::get()[1].node, node);
		assert_eq!(
			last_event(),
			RuntimeEvent::Validators(Event::KeysRotated {
				bank: Sr25519Keyring::Bob.to_account_id(),
				old: bob,
				new: new.clone()
			})
		);
		end_block();
		assert_eq!(Grandpa::grandpa_authorities()[1].0, new.grandpa);
		invariants();
	});
}

/// `author_rotateKeys` returns the runtime's `SessionKeys` encoded; the call
/// takes it as `ValidatorKeys`: the same bytes.
#[test]
fn session_keys_encode_as_validator_keys() {
	use codec::{Decode, Encode};
	let k = keys("bank-b rotated");
	let session =
		scf_runtime::opaque::SessionKeys { aura: k.aura.clone(), grandpa: k.grandpa.clone() };
	assert_eq!(ValidatorKeys::<AuraId>::decode(&mut &session.encode()[..]).unwrap(), k);
}
