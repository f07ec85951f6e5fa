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
/// one more than the `voters`, votes for it (a proposal starts with no
/// votes, not even the proposer's), each voter votes aye, and the proposer
/// closes it, which executes it. Whether `call` succeeded is for the caller
/// to check in state.
fn council_motion(
	node: &Node,
	proposer: Sr25519Keyring,
	voters: &[Sr25519Keyring],
	call: RuntimeCall,
) {
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
	for voter in std::iter::once(&proposer).chain(voters) {
		let vote = RuntimeCall::Council(pallet_collective::Call::vote {
			proposal: hash,
			index,
			approve: true,
		});
		submit_and_include(node, &voter.pair(), vote);
	}
	let close = RuntimeCall::Council(pallet_collective::Call::close {
		proposal_hash: hash,
		index,
		proposal_weight_bound: sp_runtime::Weight::from_parts(10_000_000_000, 100_000),
		length_bound: length,
	});
	submit_and_include(node, &proposer.pair(), close);
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
