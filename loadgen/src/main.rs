//! `scf-loadgen`: see the crate's README.

use clap::Parser;
use std::time::Duration;

/// Sets up a cast on a running consortium, runs workloads and prints the
/// figures (and writes them as JSON with --output).
#[derive(Parser, Debug)]
#[command(version, about)]
struct Options {
	/// A validator's WebSocket RPC URL; give one per validator (transactions
	/// are spread over them).
	#[arg(long = "node", required = true)]
	nodes: Vec<String>,
	/// Core enterprises issuing the opening certificates.
	#[arg(long, default_value_t = 4)]
	cores: usize,
	/// SM2 suppliers that split.
	#[arg(long, default_value_t = 100)]
	suppliers: usize,
	/// Opening certificates per supplier: one per split of the window.
	#[arg(long, default_value_t = 50)]
	certificates: usize,
	/// sr25519 accounts for the remark baseline.
	#[arg(long, default_value_t = 40)]
	remarkers: usize,
	/// Workloads: split and remark in the order given, flow (financing
	/// flows) last; split and flow share the opening certificates.
	#[arg(long, value_delimiter = ',', default_value = "split,remark,flow")]
	workloads: Vec<String>,
	/// Seconds of submission per workload.
	#[arg(long, default_value_t = 30)]
	duration: u64,
	/// Transactions per second overall; 0 is flat out.
	#[arg(long, default_value_t = 0.0)]
	rate: f64,
	/// Seconds to wait for stragglers after nothing new is finalized.
	#[arg(long, default_value_t = 30)]
	settle: u64,
	/// Write the figures here as JSON.
	#[arg(long)]
	output: Option<std::path::PathBuf>,
}

#[tokio::main]
async fn main() {
	let o = Options::parse();
	let run = scf_loadgen::Run {
		nodes: o.nodes,
		size: scf_loadgen::cast::Size {
			cores: o.cores.max(1),
			suppliers: o.suppliers.max(2),
			certificates: o.certificates.max(1),
			remarkers: o.remarkers,
		},
		workloads: o.workloads,
		duration: Duration::from_secs(o.duration),
		rate: o.rate,
		settle: Duration::from_secs(o.settle),
	};
	let t0 = std::time::Instant::now();
	let say = move |s: String| println!("[{:6.1}s] {s}", t0.elapsed().as_secs_f64());
	match scf_loadgen::run(run, say).await {
		Ok(figures) => {
			let text = serde_json::to_string_pretty(&figures).unwrap_or_default();
			println!("{text}");
			if let Some(path) = o.output {
				if let Err(e) = std::fs::write(&path, text + "\n") {
					eprintln!("error: cannot write {}: {e}", path.display());
					std::process::exit(1);
				}
			}
		},
		Err(e) => {
			eprintln!("error: {e}");
			std::process::exit(1);
		},
	}
}
