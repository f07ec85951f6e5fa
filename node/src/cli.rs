//! Command line of the node: `scf-node [SUBCOMMAND] [OPTIONS]`.

/// The node's command line: the standard `run` options, or a subcommand.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	#[clap(flatten)]
	pub node: crate::service::NodeParams,
}

/// What the node can do besides running.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect, insert keys, and the node key.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// SM2 keys: generate one, print its account id, sign a message.
	#[command(subcommand)]
	Sm2(crate::sm2_cmd::Sm2Cmd),

	/// Print SM2 figures: verifications per second (native, host function,
	/// Wasm) and block-import time (one thread, verifier threads, cache).
	/// Benchmark builds only (`--features runtime-benchmarks`).
	#[cfg(feature = "runtime-benchmarks")]
	Sm2Bench(crate::benchmarking::Sm2BenchCmd),

	/// A consortium of your own: `consortium generate --description FILE
	/// --out DIR` writes fresh node and session keys, the raw chain spec and
	/// one start file per node.
	#[command(subcommand)]
	Consortium(crate::consortium::ConsortiumCmd),

	/// Export a chain spec (`--chain dev|local|FILE`) as JSON, plain or `--raw`.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Benchmarks: pallets (for weights), storage, blocks and the machine.
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
