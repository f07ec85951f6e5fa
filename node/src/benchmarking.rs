//! What the node's benchmark commands need: signed-extrinsic builders for
//! `benchmark extrinsic` and `benchmark overhead`, the inherent data of a
//! benchmark block, and `scf-node sm2-bench`, which prints SM2 figures.
//!
//! Builders (`benchmark extrinsic --list`; `--chain dev`):
//! - `system remark`: an empty `system.remark` signed with sr25519 by the 14
//!   keyring accounts in turn (also `benchmark overhead`'s builder);
//! - `receivables split_transfer_sm2`: 13 SM2 signers (Grace and the
//!   `development` preset's bench keys) in turn each split the minimum
//!   amount off their opening certificate to Heidi and keep the rest, then
//!   split that remainder again with their next nonce, and so on.
//!
//! Why several signers: the participant gate lets one account use only
//! `MaxSenderWeight` (1/8) of a block and refuses the rest with `Future`,
//! while these benchmarks end a block only on `ExhaustsResources` and fail
//! on any other refusal. Spread round-robin over more than eight accounts,
//! a block fills by weight before any account reaches its share. Build
//! index `n` is signer `n % S`'s transaction with nonce `n / S`.

use crate::{service::FullClient, sm2_verifier::Sm2Service};
use codec::{Decode, Encode};
use frame_benchmarking_cli::ExtrinsicBuilder;
use pallet_receivables::runtime_api::ReceivablesApi;
use pallet_receivables::{CertificateId, Standing, Status};
use sc_client_api::ExecutorProvider;
use scf_primitives::{sm2::Sm2Pair, AccountId, Signature};
use scf_runtime::{
	genesis::{DEV_SM2_BENCH, DEV_SM2_GRACE, DEV_SM2_HEIDI},
	signing::signed_extrinsic,
	Runtime, RuntimeCall,
};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::Get;
use sp_core::{Pair, H256};
use sp_inherents::{InherentData, InherentDataProvider};
use sp_runtime::OpaqueExtrinsic;
use std::{sync::Arc, time::Duration};

fn opaque(xt: scf_runtime::UncheckedExtrinsic) -> OpaqueExtrinsic {
	OpaqueExtrinsic::decode(&mut &xt.encode()[..]).expect("an extrinsic re-decodes opaque; qed")
}

fn genesis_hash(client: &FullClient) -> H256 {
	client.info().genesis_hash
}

/// The signer and nonce of build index `n` over `signers` accounts.
fn spread(n: u32, signers: usize) -> (usize, u32) {
	let signers = signers.max(1) as u32;
	((n % signers) as usize, n / signers)
}

/// Empty `system.remark`s signed with sr25519 by the keyring's 14 accounts
/// in turn (all participants of the `development` preset).
pub struct RemarkBuilder {
	genesis: H256,
	signers: Vec<sp_core::sr25519::Pair>,
}

impl RemarkBuilder {
	/// A builder for the chain `client` holds.
	pub fn new(client: &FullClient) -> Self {
		Self::for_genesis(genesis_hash(client))
	}

	/// A builder for the chain with this genesis hash (`benchmark overhead`
	/// builds its own client and hands over the hash).
	pub fn for_genesis(genesis: H256) -> Self {
		Self { genesis, signers: sp_keyring::Sr25519Keyring::iter().map(|k| k.pair()).collect() }
	}
}

impl ExtrinsicBuilder for RemarkBuilder {
	fn pallet(&self) -> &str {
		"system"
	}

	fn extrinsic(&self) -> &str {
		"remark"
	}

	fn build(&self, n: u32) -> Result<OpaqueExtrinsic, &'static str> {
		let (s, nonce) = spread(n, self.signers.len());
		let pair = &self.signers[s];
		let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		let xt = signed_extrinsic(call, pair.public().into(), nonce, self.genesis, |payload| {
			Signature::Sr25519(pair.sign(payload))
		});
		Ok(opaque(xt))
	}
}

/// One SM2 signer of split-transfers and the certificate its first split
/// spends.
struct Sm2Splitter {
	pair: Sm2Pair,
	opening: CertificateId,
}

/// SM2-signed split-transfers by Grace and the bench keys in turn, each
/// chained through its own remainders.
pub struct Sm2SplitBuilder {
	genesis: H256,
	signers: Vec<Sm2Splitter>,
	heidi: AccountId,
	/// The id the block's first split gives its first child.
	next: CertificateId,
	min: scf_primitives::Amount,
}

impl Sm2SplitBuilder {
	/// A builder for the chain `client` holds: each signer splits its
	/// largest active certificate (the `development` preset gives each one
	/// at genesis).
	pub fn new(client: &Arc<FullClient>) -> Result<Self, String> {
		let api = client.runtime_api();
		let min = <Runtime as pallet_receivables::Config>::MinAmount::get();
		let at = client.info().best_hash;
		let mut signers = Vec::new();
		for key in core::iter::once(&DEV_SM2_GRACE).chain(DEV_SM2_BENCH.iter()) {
			let pair = Sm2Pair::from_secret_hex(key.secret).map_err(|e| e.to_string())?;
			let holdings = ReceivablesApi::holdings(&*api, at, pair.account_id())
				.map_err(|e| e.to_string())?;
			// `benchmark extrinsic` executes its blocks on the genesis state,
			// so the certificate must be there: the `development` preset's.
			let opening = holdings
				.into_iter()
				.filter(|c| c.status == Status::Live(Standing::Active))
				.max_by_key(|c| c.amount)
				.ok_or_else(|| {
					format!("{} holds no active certificate: use `--chain dev`", key.name)
				})?;
			if opening.amount < 200 * min {
				return Err(format!(
					"{}'s certificate is too small for a block of splits",
					key.name
				));
			}
			signers.push(Sm2Splitter { pair, opening: opening.id });
		}
		// The first unused id: ids are given out in order.
		let mut next = signers.iter().map(|s| s.opening).max().unwrap_or_default() + 1;
		while ReceivablesApi::certificate(&*api, at, next).map_err(|e| e.to_string())?.is_some() {
			next += 1;
		}
		Ok(Self {
			genesis: genesis_hash(client),
			signers,
			heidi: AccountId::from(DEV_SM2_HEIDI.account),
			next,
			min,
		})
	}

	/// The certificate build index `n` splits: its signer's opening one,
	/// then the remainder of that signer's previous split (index `n - S`).
	/// The block's `i`-th split creates ids `next + 2i` (Heidi's part) and
	/// `next + 2i + 1` (the remainder).
	fn certificate(&self, n: u32) -> CertificateId {
		let count = self.signers.len() as u32;
		let (s, round) = spread(n, self.signers.len());
		if round == 0 {
			self.signers[s].opening
		} else {
			self.next + 2 * CertificateId::from(n - count) + 1
		}
	}
}

impl ExtrinsicBuilder for Sm2SplitBuilder {
	fn pallet(&self) -> &str {
		"receivables"
	}

	fn extrinsic(&self) -> &str {
		"split_transfer_sm2"
	}

	fn build(&self, n: u32) -> Result<OpaqueExtrinsic, &'static str> {
		let (s, nonce) = spread(n, self.signers.len());
		let signer = &self.signers[s].pair;
		let parts =
			vec![(self.heidi.clone(), self.min)].try_into().map_err(|_| "one part fits; qed")?;
		let call = RuntimeCall::Receivables(pallet_receivables::Call::split_transfer {
			id: self.certificate(n),
			parts,
			documents: Default::default(),
		});
		let xt = signed_extrinsic(call, signer.account_id(), nonce, self.genesis, |payload| {
			Signature::Sm2(signer.sign(payload))
		});
		Ok(opaque(xt))
	}
}

/// The inherent data of a benchmark block: timestamp 0, so Aura's slot check
/// passes on top of genesis.
pub fn inherent_benchmark_data() -> Result<InherentData, String> {
	let mut data = InherentData::new();
	let timestamp = sp_timestamp::InherentDataProvider::new(Duration::ZERO.into());
	futures::executor::block_on(timestamp.provide_inherent_data(&mut data))
		.map_err(|e| format!("creating the inherent data: {e:?}"))?;
	Ok(data)
}

/// `scf-node sm2-bench`: SM2 figures as ratios measured in one run.
#[cfg(feature = "runtime-benchmarks")]
pub mod sm2_bench {
	use super::*;
	use sc_block_builder::BlockBuilderBuilder;
	use sp_api::Core;
	use std::{sync::atomic::Ordering, time::Instant};

	/// Verifications per second: natively, through the host function from
	/// the Wasm runtime, and compiled into the Wasm runtime.
	pub fn verify_rates(client: &FullClient, n: u32) -> Result<(), String> {
		// The runtime caps one call's verifications.
		let n = n.min(scf_runtime::apis::MAX_SM2_BENCH_VERIFICATIONS);
		let pair = Sm2Pair::from_secret_hex(DEV_SM2_GRACE.secret).map_err(|e| e.to_string())?;
		let msg = [7u8; 128];
		let sig = pair.sign(&msg);

		let start = Instant::now();
		for _ in 0..n {
			assert!(scf_primitives::sm2::verify_native(&sig.signature, &sig.public.0, &msg));
		}
		let native = f64::from(n) / start.elapsed().as_secs_f64();

		// No cache: every call verifies for real.
		client.execution_extensions().set_extensions_factory(Sm2Service::new(0, 0));
		let at = client.info().best_hash;
		let rate = |in_wasm: bool| -> Result<f64, String> {
			let api = client.runtime_api();
			let start = Instant::now();
			let ok = scf_runtime::apis::Sm2BenchApi::verify_many(
				&*api,
				at,
				sig.signature,
				sig.public.0,
				msg.to_vec(),
				n,
				in_wasm,
			)
			.map_err(|e| e.to_string())?;
			if ok != n {
				return Err(format!("only {ok} of {n} verified"));
			}
			Ok(f64::from(n) / start.elapsed().as_secs_f64())
		};
		let host = rate(false)?;
		let wasm = rate(true)?;
		println!("SM2 verifications per second ({n} each, one thread):");
		println!("  native:                     {native:>9.0}");
		println!("  host function from runtime: {host:>9.0}  ({:.2}x native)", host / native);
		println!(
			"  compiled into Wasm:         {wasm:>9.0}  ({:.2}x native, host function {:.1}x faster)",
			wasm / native,
			host / wasm
		);
		Ok(())
	}

	/// Imports (executes) one block of up to `n` SM2-signed remarks (Grace's
	/// and Heidi's in turn) on top of the best block: verifying on
	/// one thread, on the verifier threads, and with every signature already
	/// in the cache.
	pub fn import_ratios(client: &Arc<FullClient>, n: u32, repeat: u32) -> Result<(), String> {
		let info = client.info();
		let genesis = info.genesis_hash;
		// Two signers, each well within its share of a block (1/8: about 200
		// remarks).
		let mut signers = Vec::new();
		for key in [DEV_SM2_GRACE, DEV_SM2_HEIDI] {
			let pair = Sm2Pair::from_secret_hex(key.secret).map_err(|e| e.to_string())?;
			let nonce: u32 = frame_system_rpc_runtime_api::AccountNonceApi::account_nonce(
				&*client.runtime_api(),
				info.best_hash,
				pair.account_id(),
			)
			.map_err(|e| e.to_string())?;
			signers.push((pair, nonce));
		}

		// Build the block with no cache, so building does not fill the one
		// measured below.
		client.execution_extensions().set_extensions_factory(Sm2Service::new(0, 0));
		let mut builder = BlockBuilderBuilder::new(&**client)
			.on_parent_block(info.best_hash)
			.with_parent_block_number(info.best_number)
			.build()
			.map_err(|e| e.to_string())?;
		for inherent in
			builder.create_inherents(inherent_benchmark_data()?).map_err(|e| e.to_string())?
		{
			builder.push(inherent).map_err(|e| e.to_string())?;
		}
		let mut included = 0;
		for i in 0..n {
			// Distinct remarks, so every signature is distinct.
			let call = RuntimeCall::System(frame_system::Call::remark {
				remark: i.to_le_bytes().to_vec(),
			});
			let (pair, nonce) = &signers[(i % 2) as usize];
			let xt = signed_extrinsic(call, pair.account_id(), nonce + i / 2, genesis, |p| {
				Signature::Sm2(pair.sign(p))
			});
			match builder.push(opaque(xt)) {
				Ok(()) => included += 1,
				Err(_) => break,
			}
		}
		let block = builder.build().map_err(|e| e.to_string())?.block;

		let time = |service: Sm2Service| -> Result<f64, String> {
			client.execution_extensions().set_extensions_factory(service);
			let mut best = f64::MAX;
			for _ in 0..repeat {
				let start = Instant::now();
				client
					.runtime_api()
					.execute_block(info.best_hash, block.clone().into())
					.map_err(|e| e.to_string())?;
				best = best.min(start.elapsed().as_secs_f64());
			}
			Ok(best)
		};
		let one = time(Sm2Service::new(1, 0).sequential())?;
		let parallel_service = Sm2Service::new(0, 0);
		let threads = parallel_service.threads();
		let parallel = time(parallel_service)?;
		let cached_service = Sm2Service::new(0, 65_536);
		// Fill the cache the way the pool and the author do: verify each
		// signature once, for real, before the block arrives.
		time(cached_service.clone())?;
		let stats = cached_service.stats();
		let before =
			(stats.verified.load(Ordering::Relaxed), stats.cache_hits.load(Ordering::Relaxed));
		let cached = time(cached_service.clone())?;
		let (verified, hits) = (
			stats.verified.load(Ordering::Relaxed) - before.0,
			stats.cache_hits.load(Ordering::Relaxed) - before.1,
		);
		if verified != 0 || cached_service.cache().is_empty() {
			return Err(format!("the cached imports verified {verified} signatures again"));
		}
		client.execution_extensions().set_extensions_factory(Sm2Service::new(0, 0));

		println!("Import of a block of {included} SM2-signed remarks (best of {repeat}):");
		println!("  one thread, no cache:     {:>8.1} ms", one * 1e3);
		println!(
			"  {threads} verifier threads:      {:>8.1} ms  ({:.2}x faster)",
			parallel * 1e3,
			one / parallel
		);
		println!(
			"  signatures in the cache:  {:>8.1} ms  ({:.2}x faster; {hits} cache hits, none verified again)",
			cached * 1e3,
			one / cached
		);
		Ok(())
	}
}

/// `scf-node sm2-bench`: prints SM2 verification rates and block-import
/// ratios measured in one run (`--chain dev`).
#[derive(Debug, clap::Parser)]
pub struct Sm2BenchCmd {
	#[allow(missing_docs)]
	#[clap(flatten)]
	pub shared_params: sc_cli::SharedParams,

	#[allow(missing_docs)]
	#[clap(flatten)]
	pub import_params: sc_cli::ImportParams,

	/// Verifications per rate measurement.
	#[arg(long, default_value_t = 2_000)]
	pub verifications: u32,

	/// SM2-signed transactions in the imported block (at most 200).
	#[arg(long, default_value_t = 200)]
	pub block_size: u32,

	/// Imports measured per setting (the best is kept).
	#[arg(long, default_value_t = 5)]
	pub repeat: u32,
}

impl sc_cli::CliConfiguration for Sm2BenchCmd {
	fn shared_params(&self) -> &sc_cli::SharedParams {
		&self.shared_params
	}

	fn import_params(&self) -> Option<&sc_cli::ImportParams> {
		Some(&self.import_params)
	}
}
