//! The governance calls that bring a new participant, node or validator
//! into a running consortium, as a council member would propose them:
//! each call SCALE-encoded, and the `council.propose` that carries it with
//! the threshold its origin needs.

use super::{description::Participant, keys::Identity, NodeRole};
use codec::Encode;
use scf_primitives::{AccountId, Role};
use scf_runtime::{validators, Runtime, RuntimeCall};
use sp_runtime::traits::StaticLookup;

/// One motion to put to the council.
pub struct Motion {
	/// What it does, for people.
	pub what: String,
	/// Seats that must vote aye (of `seats`).
	pub threshold: u32,
	/// The call, SCALE, 0x-hex.
	pub call: String,
	/// `council.propose(threshold, call, length_bound)`, SCALE, 0x-hex: the
	/// extrinsic call a council member signs.
	pub propose: String,
}

/// More than half of `seats` (the banks' majority: node authorization,
/// admitting a governed role).
pub fn majority(seats: u32) -> u32 {
	seats / 2 + 1
}

/// At least two thirds of `seats` (the validator set).
pub fn supermajority(seats: u32) -> u32 {
	(2 * seats).div_ceil(3)
}

fn motion(what: String, threshold: u32, call: RuntimeCall) -> Motion {
	let encoded = call.encode();
	let propose = RuntimeCall::Council(pallet_collective::Call::propose {
		threshold,
		length_bound: encoded.len() as u32,
		proposal: Box::new(call),
	});
	Motion {
		what,
		threshold,
		call: crate::chain_spec::hex(&encoded),
		propose: crate::chain_spec::hex(&propose.encode()),
	}
}

/// The motions for `participants` (admitted first), then each of `nodes`
/// (authorised, and a validator added after its node), for a council of
/// `seats`.
pub fn motions(
	seats: u32,
	participants: &[Participant],
	nodes: &[(String, NodeRole, AccountId, &Identity)],
) -> Result<Vec<Motion>, String> {
	let mut out = Vec::new();
	for p in participants {
		let roles: pallet_participants::RoleSet = p
			.roles
			.clone()
			.try_into()
			.map_err(|_| format!("participant {:?}: too many roles", p.key))?;
		let name = p
			.name
			.as_bytes()
			.to_vec()
			.try_into()
			.map_err(|_| format!("participant {:?}: the name is too long", p.key))?;
		let uscc: pallet_participants::UsccBytes = p
			.uscc
			.as_bytes()
			.try_into()
			.map_err(|_| format!("participant {:?}: the USCC is not 18 characters", p.key))?;
		let governed =
			p.roles.iter().any(|r| matches!(r, Role::Operator | Role::Financier | Role::Regulator));
		let call = RuntimeCall::Participants(pallet_participants::Call::admit {
			who: p.account.clone(),
			name,
			uscc,
			roles,
		});
		let what = if governed {
			format!("admit participant {:?} ({})", p.key, p.name)
		} else {
			format!(
				"admit participant {:?} ({}); any bank operator may also submit the call itself",
				p.key, p.name
			)
		};
		out.push(motion(what, majority(seats), call));
	}
	for (name, role, owner, identity) in nodes {
		let peer = sp_core::OpaquePeerId(identity.peer_id.to_bytes());
		out.push(motion(
			format!("authorise node {name:?} (peer {})", identity.peer_id.to_base58()),
			majority(seats),
			RuntimeCall::NodeAuthorization(pallet_node_authorization::Call::add_well_known_node {
				node: peer.clone(),
				owner: <Runtime as frame_system::Config>::Lookup::unlookup(owner.clone()),
			}),
		));
		if let (NodeRole::Validator, Some((aura, grandpa))) = (role, identity.session.as_ref()) {
			out.push(motion(
				format!("add node {name:?} to the validators (after it is authorised and synced)"),
				supermajority(seats),
				RuntimeCall::Validators(validators::Call::add_validator {
					validator: validators::Validator {
						bank: owner.clone(),
						keys: validators::ValidatorKeys {
							aura: (*aura).into(),
							grandpa: (*grandpa).into(),
						},
						node: peer,
					},
				}),
			));
		}
	}
	Ok(out)
}
