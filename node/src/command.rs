//! Runs what the command line asks for.

use crate::{
	benchmarking, chain_spec,
	cli::{Cli, Subcommand},
	service,
};
use frame_benchmarking_cli::{BenchmarkCmd, SUBSTRATE_REFERENCE_HARDWARE};
use sc_cli::SubstrateCli;
use sc_service::PartialComponents;
use scf_runtime::opaque::Block;

impl SubstrateCli for Cli {
	fn impl_name() -> String {
		"SCF Node".into()
	}

	fn impl_version() -> String {
		env!("SUBSTRATE_CLI_IMPL_VERSION").into()
	}

	fn description() -> String {
		env!("CARGO_PKG_DESCRIPTION").into()
	}

	fn author() -> String {
		env!("CARGO_PKG_AUTHORS").into()
	}

	fn support_url() -> String {
		"the consortium's operators".into()
	}

	fn copyright_start_year() -> i32 {
		2026
	}

	fn load_spec(&self, id: &str) -> Result<Box<dyn sc_service::ChainSpec>, String> {
		Ok(match id {
			"dev" => Box::new(chain_spec::development()?),
			"" | "local" => Box::new(chain_spec::local()?),
			"local-test" => Box::new(chain_spec::local_test()?),
			path => {
				Box::new(chain_spec::ChainSpec::from_json_file(std::path::PathBuf::from(path))?)
			},
		})
	}
}

/// Parses the command line and runs it.
pub fn run() -> sc_cli::Result<()> {
	let cli = Cli::from_args();
	let pool = service::pool_options(&cli.run.pool_config, cli.run.shared_params.is_dev());

	match &cli.subcommand {
		Some(Subcommand::Key(cmd)) => cmd.run(&cli),
		Some(Subcommand::Sm2(cmd)) => cmd.run().map_err(sc_cli::Error::Input),
		Some(Subcommand::Consortium(cmd)) => cmd.run().map_err(sc_cli::Error::Input),
		Some(Subcommand::ExportChainSpec(cmd)) => {
			let chain_spec = cli.load_spec(&cmd.chain)?;
			cmd.run(chain_spec)
		},
		Some(Subcommand::CheckBlock(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config, &cli.node, pool.clone())?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::ExportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } =
					service::new_partial(&config, &cli.node, pool.clone())?;
				Ok((cmd.run(client, config.database), task_manager))
			})
		},
		Some(Subcommand::ExportState(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, .. } =
					service::new_partial(&config, &cli.node, pool.clone())?;
				Ok((cmd.run(client, config.chain_spec), task_manager))
			})
		},
		Some(Subcommand::ImportBlocks(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, import_queue, .. } =
					service::new_partial(&config, &cli.node, pool.clone())?;
				Ok((cmd.run(client, import_queue), task_manager))
			})
		},
		Some(Subcommand::PurgeChain(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run(config.database))
		},
		Some(Subcommand::Revert(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.async_run(|config| {
				let PartialComponents { client, task_manager, backend, .. } =
					service::new_partial(&config, &cli.node, pool.clone())?;
				let aux_revert = Box::new(|client, _, blocks| {
					sc_consensus_grandpa::revert(client, blocks)?;
					Ok(())
				});
				Ok((cmd.run(client, backend, Some(aux_revert)), task_manager))
			})
		},
		Some(Subcommand::Benchmark(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| match cmd {
				BenchmarkCmd::Pallet(cmd) => {
					if !cfg!(feature = "runtime-benchmarks") {
						return Err("pallet benchmarks need a node built with \
							`--features runtime-benchmarks`"
							.into());
					}
					cmd.run_with_spec::<sp_runtime::traits::HashingFor<Block>, service::HostFunctions>(
						Some(config.chain_spec),
					)
				},
				BenchmarkCmd::Block(cmd) => {
					let PartialComponents { client, .. } =
						service::new_partial(&config, &cli.node, pool.clone())?;
					cmd.run(client)
				},
				#[cfg(not(feature = "runtime-benchmarks"))]
				BenchmarkCmd::Storage(_) => Err("storage benchmarks need a node built with \
					`--features runtime-benchmarks`"
					.into()),
				#[cfg(feature = "runtime-benchmarks")]
				BenchmarkCmd::Storage(cmd) => {
					let PartialComponents { client, backend, .. } =
						service::new_partial(&config, &cli.node, pool.clone())?;
					let db = backend.expose_db();
					let storage = backend.expose_storage();
					let shared_cache = backend.expose_shared_trie_cache();
					cmd.run(config, client, db, storage, shared_cache)
				},
				// Remarks from 14 signers, not the default builder's one (Alice):
				// one account may use only 1/8 of a block.
				BenchmarkCmd::Overhead(cmd) => cmd
					.run_with_extrinsic_builder_and_spec::<Block, scf_primitives::sm2::sm2_crypto::HostFunctions>(
						Box::new(|_metadata, genesis, _version| {
							Box::new(benchmarking::RemarkBuilder::for_genesis(genesis)) as Box<_>
						}),
						Some(config.chain_spec),
					),
				BenchmarkCmd::Extrinsic(cmd) => {
					let PartialComponents { client, .. } =
						service::new_partial(&config, &cli.node, pool.clone())?;
					let mut builders: Vec<Box<dyn frame_benchmarking_cli::ExtrinsicBuilder>> =
						vec![Box::new(benchmarking::RemarkBuilder::new(&client))];
					// The SM2 signers hold certificates in the `dev` preset only.
					match benchmarking::Sm2SplitBuilder::new(&client) {
						Ok(builder) => builders.push(Box::new(builder)),
						Err(e) => log::warn!("no SM2 split-transfer builder: {e}"),
					}
					cmd.run(
						client,
						benchmarking::inherent_benchmark_data().map_err(sc_cli::Error::Input)?,
						Vec::new(),
						&frame_benchmarking_cli::ExtrinsicFactory(builders),
					)
				},
				BenchmarkCmd::Machine(cmd) => {
					cmd.run(&config, SUBSTRATE_REFERENCE_HARDWARE.clone())
				},
			})
		},
		#[cfg(feature = "runtime-benchmarks")]
		Some(Subcommand::Sm2Bench(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| {
				let PartialComponents { client, .. } =
					service::new_partial(&config, &cli.node, pool.clone())?;
				benchmarking::sm2_bench::verify_rates(&client, cmd.verifications)
					.and_then(|()| {
						benchmarking::sm2_bench::import_ratios(&client, cmd.block_size, cmd.repeat)
					})
					.map_err(sc_cli::Error::Input)
			})
		},
		Some(Subcommand::ChainInfo(cmd)) => {
			let runner = cli.create_runner(cmd)?;
			runner.sync_run(|config| cmd.run::<Block>(&config))
		},
		None => {
			let runner = cli.create_runner(&cli.run)?;
			runner.run_node_until_exit(|config| async move {
				match config.network.network_backend {
					sc_network::config::NetworkBackendType::Libp2p => {
						service::new_full::<
							sc_network::NetworkWorker<
								Block,
								<Block as sp_runtime::traits::Block>::Hash,
							>,
						>(config, &cli.node, pool)
						.map_err(sc_cli::Error::Service)
					},
					sc_network::config::NetworkBackendType::Litep2p => {
						service::new_full::<sc_network::Litep2pNetworkBackend>(
							config, &cli.node, pool,
						)
						.map_err(sc_cli::Error::Service)
					},
				}
			})
		},
	}
}
