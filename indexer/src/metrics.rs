//! Prometheus metrics: how far behind the finalized head the indexer is.

use substrate_prometheus_endpoint::{register, Counter, Gauge, PrometheusError, Registry, U64};

/// The indexer's gauges, registered in one registry.
#[derive(Clone)]
pub struct Metrics {
	indexed: Gauge<U64>,
	head: Gauge<U64>,
	lag_blocks: Gauge<U64>,
	lag_ms: Gauge<U64>,
	events: Counter<U64>,
}

impl Metrics {
	pub fn register(registry: &Registry) -> Result<Metrics, PrometheusError> {
		Ok(Metrics {
			indexed: register(
				Gauge::new("scf_indexer_indexed_block", "Number of the last indexed block")?,
				registry,
			)?,
			head: register(
				Gauge::new(
					"scf_indexer_finalized_head",
					"The node's finalized head, as last seen",
				)?,
				registry,
			)?,
			lag_blocks: register(
				Gauge::new("scf_indexer_lag_blocks", "Finalized blocks not indexed yet")?,
				registry,
			)?,
			lag_ms: register(
				Gauge::new(
					"scf_indexer_lag_milliseconds",
					"Wall-clock time since the last indexed block's timestamp",
				)?,
				registry,
			)?,
			events: register(
				Counter::new("scf_indexer_events_total", "Events indexed since start")?,
				registry,
			)?,
		})
	}

	/// Block `n` (of the head `head`, with timestamp `ts`) was indexed.
	pub fn indexed(&self, n: u64, head: u64, ts: u64, events: usize) {
		self.indexed.set(n);
		self.head.set(head);
		self.lag_blocks.set(head.saturating_sub(n));
		self.lag_ms.set(crate::now_ms().saturating_sub(ts));
		self.events.inc_by(events as u64);
	}
}
