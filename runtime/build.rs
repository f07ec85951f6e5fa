//! Builds the runtime's Wasm twice: the runtime itself (`wasm_binary.rs`,
//! which the node embeds) and the end-to-end tests' upgrade target
//! (`wasm_binary_upgrade_test.rs`: the same crate with the `upgrade-test`
//! feature, spec version + 1 and one event with a field more). The second
//! build enables the feature only in its own Wasm project; nothing changes
//! the features of the shared target, whose blob the node embeds.
fn main() {
	#[cfg(feature = "std")]
	{
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_feature("upgrade-test")
			.set_file_name("wasm_binary_upgrade_test.rs")
			.build();
	}
}
