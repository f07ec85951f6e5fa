//! Governance on the shared test consortium (see `common`): the roles only
//! the banks' council may grant. One bank's operator alone cannot make a
//! participant a regulator; a council motion carried by three of the four
//! banks can.

mod common;

use codec::{Decode, Encode};
use common::{cast::*, tx::*, *};
use scf_primitives::Role;
use scf_runtime::{AccountId, RuntimeCall};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Dave};
use sp_runtime::traits::{BlakeTwo256, Hash};

/// The roles `who` holds, read from `Participants::Participants`.
fn roles_of(node: &Node, who: &AccountId) -> Vec<Role> {
	let key = blake2_map_key("Participants", "Participants", who);
	let bytes = storage(node, &key).expect("a participant");
	let info =
		pallet_participants::ParticipantInfo::<
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

#[test]
fn only_the_council_grants_the_regulator_role() {
	let node = shared().node();
	let who = account(&admit_fresh(node, Dave, "governance", &[Role::Supplier]).remove(0));
	let make_regulator = RuntimeCall::Participants(pallet_participants::Call::set_roles {
		who: who.clone(),
		roles: vec![Role::Supplier, Role::Regulator].try_into().unwrap(),
	});

	// Bank D's operator alone: the call is included but refused.
	submit_and_include(node, &Dave.pair(), make_regulator.clone());
	assert_eq!(roles_of(node, &who), vec![Role::Supplier], "one operator minted a regulator");

	// A council motion: bank D proposes (its vote counts), banks A and B
	// vote for it, bank D closes it and it is executed.
	let index = proposal_count(node);
	let length = make_regulator.encoded_size() as u32;
	let hash = BlakeTwo256::hash_of(&make_regulator);
	let propose = RuntimeCall::Council(pallet_collective::Call::propose {
		threshold: 3,
		proposal: Box::new(make_regulator),
		length_bound: length,
	});
	submit_and_include(node, &Dave.pair(), propose);
	assert_eq!(proposal_count(node), index + 1, "the motion was not made");
	for bank in [Alice, Bob] {
		let vote = RuntimeCall::Council(pallet_collective::Call::vote {
			proposal: hash,
			index,
			approve: true,
		});
		submit_and_include(node, &bank.pair(), vote);
	}
	let close = RuntimeCall::Council(pallet_collective::Call::close {
		proposal_hash: hash,
		index,
		proposal_weight_bound: sp_runtime::Weight::from_parts(10_000_000_000, 100_000),
		length_bound: length,
	});
	submit_and_include(node, &Dave.pair(), close);
	assert_eq!(roles_of(node, &who), vec![Role::Supplier, Role::Regulator]);
}
