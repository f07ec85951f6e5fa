//! The node's service: client, import queue, networking, Aura authoring,
//! GRANDPA voting, offchain workers and RPC.

use std::{sync::Arc, time::Duration};

use futures::FutureExt;
use sc_client_api::{Backend, BlockBackend, ExecutorProvider, UsageProvider};
use sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams};
use sc_consensus_grandpa::SharedVoterState;
use sc_service::{error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig};
use sc_telemetry::{Telemetry, TelemetryWorker};
use sc_transaction_pool_api::OffchainTransactionPoolFactory;
use scf_runtime::{apis::RuntimeApi, opaque::Block};
use sp_consensus_aura::sr25519::{AuthorityId as AuraId, AuthorityPair as AuraPair};

use crate::{pool::WideChainApi, sm2_verifier, sm2_verifier::Sm2Service};
pub use sc_transaction_pool::Options as PoolOptions;

/// The host functions the runtime may call: Substrate's, SM2 verification,
/// and the benchmarking ones so `benchmark pallet` runs on the same executor.
pub type HostFunctions = (
	sp_io::SubstrateHostFunctions,
	scf_primitives::sm2::sm2_crypto::HostFunctions,
	frame_benchmarking::benchmarking::HostFunctions,
);

/// The client: always executes the runtime's Wasm code.
pub type FullClient =
	sc_service::TFullClient<Block, RuntimeApi, sc_executor::WasmExecutor<HostFunctions>>;
type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;

/// Blocks between two GRANDPA justifications kept in the database.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// The transaction pool: fork-aware, validating on [`WideChainApi`]'s threads.
pub type TxPool = sc_transaction_pool::ForkAwareTxPool<WideChainApi<FullClient, Block>, Block>;

/// What `new_partial` builds: enough for the import/export subcommands.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	TxPool,
	(
		sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>,
		sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>,
		Option<Telemetry>,
		Sm2Service,
	),
>;

/// Node settings beyond Substrate's own: SM2 verification and pool width.
#[derive(Debug, Clone, clap::Args)]
pub struct NodeParams {
	/// Threads verifying SM2 signatures during block import (0: one per core).
	#[arg(long, global = true, default_value_t = 0)]
	pub sm2_threads: usize,
	/// Entries in the cache of SM2 signatures already verified (0: no cache).
	#[arg(long, global = true, default_value_t = sm2_verifier::DEFAULT_CACHE_ENTRIES)]
	pub sm2_cache_entries: u32,
	/// Threads validating transactions for the pool (0: one per core, at
	/// least two).
	#[arg(long, global = true, default_value_t = 0)]
	pub pool_validation_threads: usize,
}

impl Default for NodeParams {
	fn default() -> Self {
		Self {
			sm2_threads: 0,
			sm2_cache_entries: sm2_verifier::DEFAULT_CACHE_ENTRIES,
			pool_validation_threads: 0,
		}
	}
}

/// The pool's limits from the standard `--pool-limit`, `--pool-kbytes` and
/// `--tx-ban-seconds` options, as `sc-transaction-pool` derives them (its own
/// options type keeps them private). `--pool-type` is not used: the pool is
/// always the fork-aware one.
pub fn pool_options(params: &sc_cli::TransactionPoolParams, is_dev: bool) -> PoolOptions {
	let bytes = params.pool_kbytes * 1024;
	PoolOptions {
		ready: sc_transaction_pool::PoolLimit { count: params.pool_limit, total_bytes: bytes },
		future: sc_transaction_pool::PoolLimit {
			count: params.pool_limit / 10,
			total_bytes: bytes / 10,
		},
		reject_future_transactions: false,
		ban_time: Duration::from_secs(params.tx_ban_seconds.unwrap_or(if is_dev {
			0
		} else {
			30 * 60
		})),
	}
}

/// Builds the client, the database, the pool and the import queue.
///
/// The client gets the SM2 verifier ([`Sm2Service`]) as an extension of
/// every runtime call.
pub fn new_partial(
	config: &Configuration,
	params: &NodeParams,
	pool: PoolOptions,
) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|x| !x.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor::<HostFunctions>(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			// No block is kept from pruning beyond what the pruning mode keeps.
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let sm2 = Sm2Service::new(params.sm2_threads, params.sm2_cache_entries);
	client.execution_extensions().set_extensions_factory(sm2.clone());
	log::info!(
		"SM2 verification: {} import threads, cache of {} signatures",
		sm2.threads(),
		sm2.cache().bound()
	);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let pool_api = WideChainApi::new(
		sc_transaction_pool::FullChainApi::new(
			client.clone(),
			config.prometheus_registry(),
			&task_manager.spawn_essential_handle(),
		),
		params.pool_validation_threads,
	);
	log::info!("Transaction pool validates on {} threads", pool_api.threads());
	let chain = client.usage_info().chain;
	let transaction_pool = Arc::new(TxPool::new_with_background_worker(
		pool,
		config.role.is_authority().into(),
		Arc::new(pool_api),
		config.prometheus_registry(),
		task_manager.spawn_essential_handle(),
		chain.best_hash,
		chain.finalized_hash,
	));

	let (grandpa_block_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&client,
		select_chain.clone(),
		telemetry.as_ref().map(|x| x.handle()),
	)?;

	let cidp_client = client.clone();
	let import_queue =
		sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
			block_import: grandpa_block_import.clone(),
			justification_import: Some(Box::new(grandpa_block_import.clone())),
			client: client.clone(),
			create_inherent_data_providers: move |parent_hash, _| {
				let cidp_client = cidp_client.clone();
				async move {
					let slot_duration = sc_consensus_aura::standalone::slot_duration_at(
						&*cidp_client,
						parent_hash,
					)?;
					let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
					let slot =
						sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
							*timestamp,
							slot_duration,
						);
					Ok((slot, timestamp))
				}
			},
			spawner: &task_manager.spawn_essential_handle(),
			registry: config.prometheus_registry(),
			check_for_equivocation: Default::default(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			compatibility_mode: Default::default(),
		})?;

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa_block_import, grandpa_link, telemetry, sm2),
	})
}

/// Builds and starts a full node.
///
/// Offchain workers always run, whatever `--offchain-worker` says: the
/// node-authorization pallet's worker is what applies the authorised peer set
/// from the chain to this node's networking (reserved-only peering), so a node
/// without it would accept any peer.
pub fn new_full<
	N: sc_network::NetworkBackend<Block, <Block as sp_runtime::traits::Block>::Hash>,
>(
	mut config: Configuration,
	params: &NodeParams,
	pool: PoolOptions,
) -> Result<TaskManager, ServiceError> {
	config.offchain_worker.enabled = true;

	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (block_import, grandpa_link, mut telemetry, _sm2),
	} = new_partial(&config, params, pool)?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as sp_runtime::traits::Block>::Hash,
		N,
	>::new(&config.network, config.prometheus_registry().cloned());
	let metrics = N::register_notification_metrics(config.prometheus_registry());

	let peer_store_handle = net_config.peer_store_handle();
	let grandpa_protocol_name = sc_consensus_grandpa::protocol_standard_name(
		&client.block_hash(0).ok().flatten().expect("the genesis block exists; qed"),
		&config.chain_spec,
	);
	let (grandpa_protocol_config, grandpa_notification_service) =
		sc_consensus_grandpa::grandpa_peers_set_config::<_, N>(
			grandpa_protocol_name.clone(),
			metrics.clone(),
			peer_store_handle,
		);
	net_config.add_notification_protocol(grandpa_protocol_config);

	let warp_sync = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		grandpa_link.shared_authority_set().clone(),
		Vec::default(),
	));

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config: Some(WarpSyncConfig::WithProvider(warp_sync)),
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	let offchain_workers = sc_offchain::OffchainWorkers::new(sc_offchain::OffchainWorkerOptions {
		runtime_api_provider: client.clone(),
		is_validator: config.role.is_authority(),
		keystore: Some(keystore_container.keystore()),
		offchain_db: backend.offchain_storage(),
		transaction_pool: Some(OffchainTransactionPoolFactory::new(transaction_pool.clone())),
		network_provider: Arc::new(network.clone()),
		enable_http_requests: false,
		custom_extensions: |_| vec![],
	})?;
	task_manager.spawn_handle().spawn(
		"offchain-workers-runner",
		"offchain-worker",
		offchain_workers.run(client.clone(), task_manager.spawn_handle()).boxed(),
	);

	let role = config.role;
	let force_authoring = config.force_authoring;
	let name = config.network.node_name.clone();
	let enable_grandpa = !config.disable_grandpa;
	let prometheus_registry = config.prometheus_registry().cloned();

	let rpc_extensions_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		Box::new(move |_| {
			let deps = crate::rpc::FullDeps { client: client.clone(), pool: pool.clone() };
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	let _rpc_handlers = sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: Arc::new(network.clone()),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder: rpc_extensions_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	if role.is_authority() {
		let mut proposer_factory = sc_basic_authorship::ProposerFactory::new(
			task_manager.spawn_handle(),
			client.clone(),
			transaction_pool.clone(),
			prometheus_registry.as_ref(),
			telemetry.as_ref().map(|x| x.handle()),
		);
		// The proposer's own default is 4 MiB; the runtime allows 5 MiB
		// (`scf_runtime::MAXIMUM_BLOCK_LENGTH`). A runtime upgrade's code
		// travels in one transaction and needs the room: the benchmark
		// build's Wasm is 4.7 MB compressed.
		proposer_factory.set_default_block_size_limit(scf_runtime::MAXIMUM_BLOCK_LENGTH as usize);

		let slot_duration = sc_consensus_aura::slot_duration::<AuraId, _, _>(&*client)?;

		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(
			StartAuraParams {
				slot_duration,
				client,
				select_chain,
				block_import,
				proposer_factory,
				create_inherent_data_providers: move |_, ()| async move {
					let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
					let slot =
						sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
							*timestamp,
							slot_duration,
						);
					Ok((slot, timestamp))
				},
				force_authoring,
				backoff_authoring_blocks: Option::<()>::None,
				keystore: keystore_container.keystore(),
				sync_oracle: sync_service.clone(),
				justification_sync_link: sync_service.clone(),
				// Author in the first two thirds of the 2 s slot; the last third
				// leaves time for the block to reach and be imported by the others.
				block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
				max_block_proposal_slot_portion: None,
				telemetry: telemetry.as_ref().map(|x| x.handle()),
				compatibility_mode: Default::default(),
			},
		)?;

		// Authoring is essential: if it fails, the node stops.
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa {
		// Only an authority votes; others follow finality with no keystore.
		let keystore = if role.is_authority() { Some(keystore_container.keystore()) } else { None };

		let grandpa_config = sc_consensus_grandpa::Config {
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(name),
			observer_enabled: false,
			keystore,
			local_role: role,
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			protocol_name: grandpa_protocol_name,
		};

		let grandpa_params = sc_consensus_grandpa::GrandpaParams {
			config: grandpa_config,
			link: grandpa_link,
			network,
			sync: Arc::new(sync_service),
			notification_service: grandpa_notification_service,
			// No voting rule: validators vote on their best block. The default
			// rules (vote 2 blocks behind best, and within three quarters of
			// the unfinalized chain) make finality trail by 2 blocks more; a
			// voting rule restricts only what a voter targets, never what
			// finality needs (over two thirds of the votes on one chain), so
			// it bears on liveness, not safety. See node/README.md.
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::new().build(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry.as_ref().map(|x| x.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		};

		// The voter is essential too: a validator that stops voting stops.
		task_manager.spawn_essential_handle().spawn_blocking(
			"grandpa-voter",
			None,
			sc_consensus_grandpa::run_grandpa_voter(grandpa_params)?,
		);
	}

	Ok(task_manager)
}
