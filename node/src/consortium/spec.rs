//! The raw chain spec of a generated consortium: a full genesis config
//! (validators, Aura, GRANDPA, the authorised peers, the council, the cast,
//! the lines, the genesis time) and, on top, the time parameters the
//! description sets, as the raw storage entries they are.

use super::{description::Checked, keys::Identity, NodeRole};
use codec::Encode;
use scf_runtime::{validators, RuntimeGenesisConfig};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::OpaquePeerId;

/// The genesis config of `checked` with the nodes' `identities`.
pub fn genesis_config(checked: &Checked, identities: &[Identity]) -> RuntimeGenesisConfig {
	let mut config = RuntimeGenesisConfig::default();
	let mut set = Vec::new();
	for ((_, role, owner), identity) in checked.nodes.iter().zip(identities) {
		let peer = OpaquePeerId(identity.peer_id.to_bytes());
		config.node_authorization.nodes.push((peer.clone(), owner.clone()));
		if let (NodeRole::Validator, Some((aura, grandpa))) = (role, identity.session.as_ref()) {
			set.push(validators::Validator {
				bank: owner.clone(),
				keys: validators::ValidatorKeys {
					aura: AuraId::from(*aura),
					grandpa: GrandpaId::from(*grandpa),
				},
				node: peer,
			});
		}
	}
	config.aura.authorities = set.iter().map(|v| v.keys.aura.clone()).collect();
	config.grandpa.authorities = set.iter().map(|v| (v.keys.grandpa.clone(), 1)).collect();
	config.validators.validators = set;
	config.council.members = checked.council.clone();
	config.participants.participants = checked
		.participants
		.iter()
		.map(|p| pallet_participants::GenesisParticipant {
			account: p.account.clone(),
			name: p.name.clone(),
			uscc: p.uscc.clone(),
			roles: p.roles.clone(),
		})
		.collect();
	config.participants.credit_lines = checked
		.credit_lines
		.iter()
		.map(|(financier, core, limit, expires_at)| pallet_participants::GenesisCreditLine {
			financier: financier.clone(),
			core: core.clone(),
			limit: *limit,
			expires_at: *expires_at,
		})
		.collect();
	config.receivables.genesis_time = checked.genesis_time;
	config
}

/// The raw chain spec (JSON text).
pub fn raw_chain_spec(checked: &Checked, identities: &[Identity]) -> Result<String, String> {
	let config = serde_json::to_value(genesis_config(checked, identities))
		.map_err(|e| format!("the genesis config: {e}"))?;
	let plain = crate::chain_spec::ChainSpec::builder(crate::chain_spec::wasm()?, None)
		.with_name(&checked.name)
		.with_id(&checked.id)
		.with_chain_type(sc_service::ChainType::Live)
		.with_genesis_config(config)
		.with_properties(crate::chain_spec::properties())
		.build();
	let json = crate::chain_spec::raw_with_entries(&plain, time_entries(checked))?;
	serde_json::to_string_pretty(&json).map_err(|e| e.to_string())
}

/// The raw (key, value) entries of the time parameters the description sets.
pub fn time_entries(checked: &Checked) -> Vec<(Vec<u8>, Vec<u8>)> {
	use scf_runtime::{AcceptanceTimeout, MaxTenor, OverdueGrace, TimerGranularity};
	let t = &checked.time;
	[
		(AcceptanceTimeout::key().to_vec(), t.acceptance_timeout),
		(OverdueGrace::key().to_vec(), t.overdue_grace),
		(TimerGranularity::key().to_vec(), t.timer_granularity),
		(MaxTenor::key().to_vec(), t.max_tenor),
	]
	.into_iter()
	.filter_map(|(key, value)| value.map(|v| (key, v.encode())))
	.collect()
}
