//! The figures of a workload: rates, latency percentiles, refusals, and the
//! CPU the nodes and the generator used (from `/proc`).

use crate::{follow::Seen, workload::Submitted};
use serde_json::{json, Value as Json};
use std::time::{Duration, Instant};

/// Clock ticks per second of `/proc/*/stat` (`getconf CLK_TCK`: 100 on
/// Linux x86_64 and aarch64).
const TICKS: f64 = 100.0;

/// User + system CPU ticks of a process, from `/proc/PID/stat`.
fn ticks(pid: &str) -> Option<u64> {
	let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
	// The command may hold spaces: fields count from after its ')'.
	let rest = stat.rsplit_once(')')?.1;
	let f: Vec<&str> = rest.split_whitespace().collect();
	Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

/// The local `scf-node` processes serving one of `ports` as RPC, by name.
pub fn node_processes(ports: &[u16]) -> Vec<(String, String)> {
	let mut out = Vec::new();
	let Ok(dir) = std::fs::read_dir("/proc") else { return out };
	for entry in dir.flatten() {
		let pid = entry.file_name().to_string_lossy().to_string();
		if !pid.bytes().all(|b| b.is_ascii_digit()) {
			continue;
		}
		let Ok(raw) = std::fs::read(format!("/proc/{pid}/cmdline")) else { continue };
		let args: Vec<String> =
			raw.split(|b| *b == 0).map(|a| String::from_utf8_lossy(a).to_string()).collect();
		if !args.first().is_some_and(|a| a.ends_with("scf-node")) {
			continue;
		}
		let port = args.iter().position(|a| a == "--rpc-port").and_then(|i| args.get(i + 1));
		let name = args.iter().position(|a| a == "--name").and_then(|i| args.get(i + 1));
		if let Some(port) = port.and_then(|p| p.parse::<u16>().ok()) {
			if ports.contains(&port) {
				out.push((name.cloned().unwrap_or_else(|| format!("rpc {port}")), pid));
			}
		}
	}
	out.sort();
	out
}

/// CPU use over a window: ticks at its start.
pub struct Cpu {
	start: Instant,
	nodes: Vec<(String, String, u64)>,
	me: u64,
}

impl Cpu {
	pub fn start(nodes: &[(String, String)]) -> Cpu {
		Cpu {
			start: Instant::now(),
			nodes: nodes
				.iter()
				.filter_map(|(n, p)| Some((n.clone(), p.clone(), ticks(p)?)))
				.collect(),
			me: ticks("self").unwrap_or(0),
		}
	}

	/// Per cent of one core, per node and for the generator.
	pub fn stop(&self) -> Json {
		let wall = self.start.elapsed().as_secs_f64().max(1e-3);
		let pct = |now: Option<u64>, then: u64| {
			now.map(|t| ((t.saturating_sub(then)) as f64 / TICKS / wall * 1000.0).round() / 10.0)
		};
		let nodes: serde_json::Map<String, Json> = self
			.nodes
			.iter()
			.map(|(name, pid, t)| (name.clone(), json!(pct(ticks(pid), *t))))
			.collect();
		json!({ "nodes": nodes, "generator": pct(ticks("self"), self.me) })
	}
}

fn percentile(sorted: &[Duration], p: f64) -> Option<u64> {
	if sorted.is_empty() {
		return None;
	}
	let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
	Some(sorted[i].as_millis() as u64)
}

/// A workload's figures.
pub fn figures(name: &str, submitted: &Submitted, seen: &[Seen], cpu: Json) -> Json {
	let mut latencies: Vec<Duration> = seen.iter().map(|s| s.latency).collect();
	latencies.sort();
	let ok = seen.iter().filter(|s| s.ok).count();
	// From the first to the last finalized block that held one of them,
	// plus one slot: all in one block is that block's share of time.
	let slot = scf_runtime::SLOT_DURATION_MS as f64 / 1000.0;
	let window = match (seen.iter().map(|s| s.at).min(), seen.iter().map(|s| s.at).max()) {
		(Some(a), Some(b)) => b.duration_since(a).as_secs_f64() + slot,
		_ => 0.0,
	};
	let per_s = |n: usize, secs: f64| {
		if secs > 0.0 {
			(n as f64 / secs * 10.0).round() / 10.0
		} else {
			0.0
		}
	};
	json!({
		"workload": name,
		"submitted": submitted.count,
		"submitSeconds": (submitted.elapsed.as_secs_f64() * 10.0).round() / 10.0,
		"submittedPerSecond": per_s(submitted.count, submitted.elapsed.as_secs_f64()),
		"finalized": seen.len(),
		"finalizedOk": ok,
		"failedInBlock": seen.len() - ok,
		"steadyWindowSeconds": (window * 10.0).round() / 10.0,
		"finalizedPerSecond": per_s(seen.len(), window),
		// From the first submission to the last finalized: what a run of
		// this size sustains end to end (for flows, all four steps).
		"endToEndPerSecond": per_s(seen.len(), seen.iter().map(|s| s.at).max()
			.map_or(0.0, |last| last.duration_since(submitted.started).as_secs_f64())),
		"latencyMs": { "p50": percentile(&latencies, 0.50), "p95": percentile(&latencies, 0.95),
			"p99": percentile(&latencies, 0.99) },
		"refused": submitted.refused,
		"cpuPercentOfOneCore": cpu,
	})
}

/// One line for a person.
pub fn line(f: &Json) -> String {
	format!(
		"{:<8} submitted {} ({}/s)  finalized {} ok {} failed {}  finalized/s {} over {}s  end to end {}/s  latency p50 {} p95 {} p99 {} ms  refused {}  cpu {}",
		f["workload"].as_str().unwrap_or("?"),
		f["submitted"], f["submittedPerSecond"], f["finalized"], f["finalizedOk"], f["failedInBlock"],
		f["finalizedPerSecond"], f["steadyWindowSeconds"], f["endToEndPerSecond"],
		f["latencyMs"]["p50"], f["latencyMs"]["p95"], f["latencyMs"]["p99"],
		f["refused"], f["cpuPercentOfOneCore"],
	)
}
