#![doc = include_str!("../README.md")]

pub mod cast;
pub mod chain;
pub mod error;
pub mod flows;
pub mod follow;
pub mod report;
pub mod rpc;
pub mod workload;

use error::{Error, Result};
use serde_json::{json, Value as Json};
use std::{sync::Arc, time::Duration};

/// What to run.
#[derive(Clone, Debug)]
pub struct Run {
	/// The validators' WebSocket RPC URLs (transactions are spread over
	/// them; blocks are followed on the first).
	pub nodes: Vec<String>,
	pub size: cast::Size,
	/// Which workloads: `split` and `remark` in the order given, `flow`
	/// (financing flows) last.
	pub workloads: Vec<String>,
	/// Submission time per workload.
	pub duration: Duration,
	/// Transactions per second overall; 0 is flat out.
	pub rate: f64,
	/// How long to wait for the last submitted transactions to finalize.
	pub settle: Duration,
}

/// Refuses a run in which one account would pre-sign more transactions
/// than the chain's nonce window lets into the pool at once (the pool would
/// turn the rest away).
fn check_window(run: &Run) -> Result<()> {
	let window = cast::nonce_window();
	if run.size.certificates > window {
		return Err(Error::Options(format!(
			"--certificates {} is more than the chain's nonce window ({window}): each supplier \
			 pre-signs one split per certificate, and the pool admits at most {window} of one \
			 account's transactions ahead of its nonce; add suppliers instead",
			run.size.certificates
		)));
	}
	if run.workloads.iter().any(|w| w == "remark") {
		let total = run.size.suppliers * run.size.certificates;
		let each = total / run.size.remarkers.max(1);
		if each > window {
			return Err(Error::Options(format!(
				"{total} remarks over {} remarkers is {each} each, more than the chain's nonce \
				 window ({window}); give --remarkers {} or more",
				run.size.remarkers,
				total.div_ceil(window)
			)));
		}
	}
	Ok(())
}

fn port_of(url: &str) -> Option<u16> {
	url.rsplit(':').next()?.trim_end_matches('/').parse().ok()
}

/// Sets up the cast, runs each workload and returns the figures.
pub async fn run(run: Run, say: impl Fn(String) + Clone) -> Result<Json> {
	if run.nodes.is_empty() {
		return Err(Error::Options("give at least one node (--node ws://127.0.0.1:9944)".into()));
	}
	check_window(&run)?;
	let mut nodes = Vec::new();
	for url in &run.nodes {
		nodes.push(rpc::Endpoint::connect(url).await?);
	}
	let nodes = Arc::new(nodes);
	let chain = chain::Chain::of(&nodes[0]).await?;
	let setup_started = std::time::Instant::now();
	let mut cast = cast::build(&nodes, &chain, &run.size, say.clone()).await?;
	let setup_seconds = setup_started.elapsed().as_secs_f64();
	let processes =
		report::node_processes(&run.nodes.iter().filter_map(|u| port_of(u)).collect::<Vec<_>>());
	// Each split passes on the ledger's minimum (this build's runtime constant).
	let minimum =
		<<scf_runtime::Runtime as pallet_receivables::Config>::MinAmount as sp_core::Get<
			scf_runtime::Amount,
		>>::get();
	// The opening certificates are shared out between the workloads that
	// spend them.
	let spenders = run.workloads.iter().filter(|w| *w == "split" || *w == "flow").count().max(1);
	let each = (run.size.certificates / spenders).max(1);
	let mut results = Vec::new();
	for name in run.workloads.iter().filter(|w| *w != "flow") {
		let txs = match name.as_str() {
			"split" => workload::splits(&chain, &mut cast, minimum, nodes.len(), each),
			"remark" => {
				let each = run.size.suppliers * run.size.certificates / run.size.remarkers.max(1);
				workload::remarks(&chain, &mut cast, each.max(1), nodes.len())
			},
			other => {
				return Err(Error::Options(format!("no workload {other:?} (split, remark, flow)")))
			},
		};
		say(format!("{name}: {} transactions pre-signed; submitting", txs.len()));
		let sent: workload::Sent = Default::default();
		let head = nodes[0].finalized_head().await?;
		let from = nodes[0].header_number(&head).await?;
		let submitted_count = Arc::new(std::sync::Mutex::new(None::<usize>));
		let cpu = report::Cpu::start(&processes);
		let follower = {
			let (nodes, sent, count, settle) =
				(nodes.clone(), sent.clone(), submitted_count.clone(), run.settle);
			tokio::spawn(async move {
				let expected = move || *count.lock().unwrap_or_else(|e| e.into_inner());
				follow::follow(&nodes[0], sent, from, expected, settle).await
			})
		};
		let submitted = workload::submit(nodes.clone(), txs, run.rate, run.duration, sent).await;
		*submitted_count.lock().unwrap_or_else(|e| e.into_inner()) = Some(submitted.count);
		let (seen, _) = follower
			.await
			.map_err(|e| Error::Setup(format!("the block follower stopped: {e}")))??;
		let f = report::figures(name, &submitted, &seen, cpu.stop());
		say(report::line(&f));
		results.push(f);
	}
	if run.workloads.iter().any(|w| w == "flow") {
		say(format!("flow: up to {each} financing flows per supplier; submitting the requests"));
		let cpu = report::Cpu::start(&processes);
		let f = flows::run(nodes.clone(), chain, cast, each, run.rate, run.duration, run.settle)
			.await?;
		let mut figures = report::figures("flow", &f.requests, &f.completed, cpu.stop());
		figures["followUps"] = json!(f.steps);
		figures["followUpsRefused"] = json!(f.refused);
		say(report::line(&figures));
		results.push(figures);
	}
	let ratio = match (find(&results, "split"), find(&results, "remark")) {
		(Some(s), Some(r)) => {
			let (s, r) = (s["finalizedPerSecond"].as_f64(), r["finalizedPerSecond"].as_f64());
			s.zip(r).filter(|(_, r)| *r > 0.0).map(|(s, r)| (s / r * 1000.0).round() / 1000.0)
		},
		_ => None,
	};
	Ok(json!({
		"setupSeconds": (setup_seconds * 10.0).round() / 10.0,
		"cast": { "cores": run.size.cores, "suppliers": run.size.suppliers,
			"certificatesPerSupplier": run.size.certificates, "remarkers": run.size.remarkers },
		"nodes": run.nodes,
		"durationSeconds": run.duration.as_secs_f64(),
		"rate": run.rate,
		"workloads": results,
		"splitToRemarkRatio": ratio,
	}))
}

fn find<'a>(results: &'a [Json], name: &str) -> Option<&'a Json> {
	results.iter().find(|r| r["workload"] == name)
}
