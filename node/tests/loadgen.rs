//! A 10-second smoke of the load generator on the shared test consortium:
//! it sets up a small cast, runs the three workloads (splits, remarks,
//! financing flows) and must finalize something of each and report it. No timing is asserted here; the
//! figures come from `scripts/bench.sh` on a fresh consortium.
//!
//! The generator signs as the four banks (admissions, credit lines); test
//! binaries run one after another, so no other suite signs for them
//! meanwhile.

mod common;

use common::*;
use serde_json::Value;
use std::process::Command;

#[test]
fn the_load_generator_finalizes_splits_and_remarks_and_reports_them() {
	let shared = shared();
	let binary = node_binary().with_file_name("scf-loadgen");
	assert!(binary.exists(), "no {} (scripts/test.sh builds it)", binary.display());
	let dir = scratch_dir("loadgen");
	let output = dir.join("figures.json");
	// Bounded in time: coreutils' timeout kills it after 4 minutes.
	let mut cmd = Command::new("timeout");
	cmd.args(["--signal=KILL", "240"]).arg(&binary);
	// The four bank validators (the fifth node is the supplier's).
	for n in shared.nodes.iter().filter(|n| n.spec.name.starts_with("bank-")) {
		cmd.args(["--node", &format!("ws://127.0.0.1:{}", n.spec.rpc_port)]);
	}
	cmd.args(["--cores", "2", "--suppliers", "10", "--certificates", "8", "--remarkers", "4"])
		.args(["--duration", "10", "--settle", "20", "--workloads", "split,remark,flow"])
		.arg("--output")
		.arg(&output);
	let out = cmd.output().expect("timeout and scf-loadgen run");
	let log = format!(
		"{}\n{}",
		String::from_utf8_lossy(&out.stdout),
		String::from_utf8_lossy(&out.stderr)
	);
	eprintln!("{log}");
	assert!(out.status.success(), "scf-loadgen failed:\n{log}");
	let figures: Value = serde_json::from_str(&std::fs::read_to_string(&output).unwrap()).unwrap();
	let workload = |name: &str| -> Value {
		figures["workloads"]
			.as_array()
			.unwrap()
			.iter()
			.find(|w| w["workload"] == name)
			.cloned()
			.unwrap_or_else(|| panic!("no {name} figures in {figures}"))
	};
	let (split, remark) = (workload("split"), workload("remark"));
	assert!(split["finalizedOk"].as_u64().unwrap() > 0, "{split}");
	assert_eq!(split["failedInBlock"], 0, "the ledger refused splits: {split}");
	assert!(remark["finalizedOk"].as_u64().unwrap() > 0, "{remark}");
	// Financing flows: every step after the request answered from a block.
	let flow = workload("flow");
	assert!(flow["finalizedOk"].as_u64().unwrap() > 0, "no flow was completed: {flow}");
	for step in ["offer", "accept", "payout"] {
		assert!(flow["followUps"][step].as_u64().unwrap_or(0) > 0, "no {step} step: {flow}");
	}
	assert!(split["latencyMs"]["p50"].as_u64().is_some(), "{split}");
	assert!(figures["setupSeconds"].as_f64().unwrap() > 0.0, "{figures}");
}
