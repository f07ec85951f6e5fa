//! What the runtime's integration tests share: the `local_testnet` genesis
//! state, built as a chain spec builds it.

use scf_runtime::{
	genesis::{get_preset, LOCAL_TESTNET},
	RuntimeGenesisConfig,
};
use serde_json::Value;

/// `patch` merged into `base`, objects key by key (how a chain spec applies
/// a preset to the default genesis).
fn merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (k, v) in patch {
				merge(base.entry(k).or_insert(Value::Null), v);
			}
		},
		(base, patch) => *base = patch,
	}
}

/// The state of the `local_testnet` genesis (block number 0).
pub fn local_genesis() -> sp_io::TestExternalities {
	let mut json = serde_json::to_value(RuntimeGenesisConfig::default()).expect("default genesis");
	merge(&mut json, serde_json::from_slice(&get_preset(&LOCAL_TESTNET.into()).unwrap()).unwrap());
	let mut ext = sp_io::TestExternalities::default();
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(
			serde_json::to_vec(&json).expect("json"),
		)
		.expect("the local genesis builds");
	});
	ext
}
