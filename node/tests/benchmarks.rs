//! The node's block benchmarks still fill their blocks under the
//! participant gate's per-account share (`MaxSenderWeight`, 1/8 of a
//! block): `benchmark extrinsic` for `system remark` and `receivables
//! split_transfer_sm2`, and `benchmark overhead`, each run briefly
//! (`--warmup 1 --repeat 1`) on `--chain dev` in a scratch folder.
//!
//! These commands end a block only on `ExhaustsResources` and fail on any
//! other refusal, so with a single signer they would stop at its share
//! with `Future`. Each test checks that the command succeeds and that its
//! block holds more transactions than one account's share allows.
//!
//! And `benchmark pallet` runs the receivables benchmarks whose set-up
//! depends on the chain (two steps, one repeat), so a set-up that no longer
//! fits it fails in CI rather than when the weights are next regenerated.

mod common;

use frame_support::dispatch::DispatchClass;
use pallet_receivables::WeightInfo as _;
use std::{
	process::{Command, Stdio},
	time::{Duration, Instant},
};

/// Longest any one of these commands may take here.
const LIMIT: Duration = Duration::from_secs(600);

/// Runs `scf-node benchmark ARGS --chain dev` in a scratch folder, bounded
/// in time; returns what it printed (stdout and stderr).
fn benchmark(test: &str, args: &[&str]) -> String {
	let dir = common::scratch_dir(test);
	let out = dir.join("out.txt");
	let file = std::fs::File::create(&out).unwrap();
	let mut child = Command::new(common::node_binary())
		.arg("benchmark")
		.args(args)
		.args(["--chain", "dev", "--base-path"])
		.arg(dir.join("db"))
		.current_dir(&dir)
		.stdout(file.try_clone().unwrap())
		.stderr(file)
		.stdin(Stdio::null())
		.spawn()
		.expect("scf-node starts");
	let started = Instant::now();
	let status = loop {
		if let Some(status) = child.try_wait().unwrap() {
			break Some(status);
		}
		if started.elapsed() > LIMIT {
			let _ = child.kill();
			let _ = child.wait();
			break None;
		}
		std::thread::sleep(Duration::from_millis(200));
	};
	let printed = std::fs::read_to_string(&out).unwrap_or_default();
	common::remove_dir(&dir);
	let tail: String = printed
		.lines()
		.rev()
		.take(30)
		.collect::<Vec<_>>()
		.into_iter()
		.rev()
		.collect::<Vec<_>>()
		.join("\n");
	match status {
		None => panic!("`benchmark {}` ran over {LIMIT:?}:\n{tail}", args.join(" ")),
		Some(s) if !s.success() => panic!("`benchmark {}` failed ({s}):\n{tail}", args.join(" ")),
		Some(_) => printed,
	}
}

/// The transactions per block the command reported
/// ("Extrinsics per block: N").
fn per_block(printed: &str) -> u64 {
	printed
		.lines()
		.filter_map(|l| l.split("Extrinsics per block: ").nth(1))
		.filter_map(|n| n.trim().parse().ok())
		.max()
		.unwrap_or_else(|| panic!("no \"Extrinsics per block\" line in:\n{printed}"))
}

/// The most transactions one account can have in a block if each costs at
/// least `call` plus the base extrinsic weight (extension weights come on
/// top, so the real figure is lower).
fn share_allows(call: sp_runtime::Weight) -> u64 {
	let base = <scf_runtime::Runtime as frame_system::Config>::BlockWeights::get()
		.get(DispatchClass::Normal)
		.base_extrinsic;
	let share = scf_runtime::MaxSenderWeight::get();
	share.ref_time() / (call.ref_time() + base.ref_time()).max(1)
}

/// An empty remark's call weight, as the runtime charges it.
fn remark_weight() -> sp_runtime::Weight {
	<<scf_runtime::Runtime as frame_system::Config>::SystemWeightInfo as frame_system::WeightInfo>::remark(0)
}

#[test]
fn benchmark_extrinsic_fills_a_block_of_remarks() {
	let printed = benchmark(
		"bench-remark",
		&[
			"extrinsic",
			"--pallet",
			"system",
			"--extrinsic",
			"remark",
			"--warmup",
			"1",
			"--repeat",
			"1",
		],
	);
	let n = per_block(&printed);
	let one = share_allows(remark_weight());
	assert!(n > one, "{n} remarks per block: no more than one account's share ({one})");
}

#[test]
fn benchmark_extrinsic_fills_a_block_of_sm2_splits() {
	let printed = benchmark(
		"bench-split",
		&[
			"extrinsic",
			"--pallet",
			"receivables",
			"--extrinsic",
			"split_transfer_sm2",
			"--warmup",
			"1",
			"--repeat",
			"1",
		],
	);
	let n = per_block(&printed);
	let split = <scf_runtime::Runtime as pallet_receivables::Config>::WeightInfo::split_transfer(1);
	let one = share_allows(split);
	assert!(n > one, "{n} splits per block: no more than one account's share ({one})");
}

#[test]
fn benchmark_overhead_fills_its_block() {
	let printed = benchmark("bench-overhead", &["overhead", "--warmup", "1", "--repeat", "1"]);
	let n = per_block(&printed);
	let one = share_allows(remark_weight());
	assert!(n > one, "{n} remarks per block: no more than one account's share ({one})");
}

/// The receivables benchmarks whose set-up depends on the chain (the timer
/// cursors the `dev` genesis starts at its genesis time, the per-holder
/// share of a root) run on the `dev` genesis, briefly (`--steps 2 --repeat
/// 1`), as `runtime/src/weights` is regenerated: a set-up that no longer
/// fits the chain fails here, not first when someone regenerates the
/// weights. (All four pallets' benchmarks take about 6.5 min here at these
/// settings, too long for every run.)
#[test]
fn the_timer_and_settlement_benchmarks_run_on_the_dev_chain() {
	let extrinsics = ["sweep_expired", "sweep_overdue", "sweep_buckets", "settle"];
	let list = extrinsics.join(",");
	let printed = benchmark(
		"pallet-benchmarks",
		&[
			"pallet",
			"--pallet",
			"pallet_receivables",
			"--extrinsic",
			&list,
			"--steps",
			"2",
			"--repeat",
			"1",
		],
	);
	for extrinsic in extrinsics {
		let result = format!("Pallet: \"pallet_receivables\", Extrinsic: \"{extrinsic}\"");
		assert!(printed.contains(&result), "no result for {extrinsic}:\n{printed}");
	}
}
