//! The node's side of SM2 verification: a thread pool, a bounded cache of
//! signatures already verified, and the externalities extension that gives
//! both to the runtime's `sm2_crypto` host functions.
//!
//! Every runtime call gets a fresh [`CallVerifier`] (through
//! [`Sm2Service`]'s [`ExtensionsFactory`]). Outside a batch it verifies at
//! once, on the calling thread: that is how block authoring and pool
//! validation see signatures, never deferred. The runtime opens a batch only
//! in `Core::execute_block`, which is where a block import runs: while the
//! batch is open, each signature not already in the cache is handed to the
//! pool and the runtime goes on executing; `finish_batch` waits for the pool
//! and reports whether every signature held. The runtime panics on `false`,
//! so the block is rejected.
//!
//! The cache holds the SM3 digest of (public key, signature, message) for
//! signatures that passed a real verification, so a hit means "this exact
//! triple verified before". It never holds failures, and a bad signature can
//! only hit if it is byte for byte a triple that verified.

use parking_lot::{Condvar, Mutex};
use rayon::{ThreadPool, ThreadPoolBuilder};
use sc_client_api::execution_extensions::ExtensionsFactory;
use scf_primitives::sm2::{verify_native, Sm2Verifier, Sm2VerifierExt};
use schnellru::{ByLength, LruMap};
use sp_externalities::Extensions;
use sp_runtime::traits::{Block as BlockT, NumberFor};
use std::sync::{
	atomic::{AtomicBool, AtomicU64, Ordering},
	Arc,
};

/// Default bound of the verified-signature cache: enough for several full
/// blocks' worth of transactions passing through the pool.
pub const DEFAULT_CACHE_ENTRIES: u32 = 65_536;

/// Counters, for tests, benchmarks and logs.
#[derive(Default, Debug)]
pub struct Sm2Stats {
	/// Signatures actually verified (on any thread).
	pub verified: AtomicU64,
	/// Signatures answered from the cache.
	pub cache_hits: AtomicU64,
	/// Signatures that failed verification.
	pub failures: AtomicU64,
}

/// The cache key of a (public key, signature, message) triple.
fn cache_key(sig: &[u8; 64], public: &[u8; 33], msg: &[u8]) -> [u8; 32] {
	use sm3::Digest;
	let mut h = sm3::Sm3::new();
	h.update(public);
	h.update(sig);
	h.update((msg.len() as u64).to_le_bytes());
	h.update(msg);
	h.finalize().into()
}

/// A bounded cache of triples that passed verification.
pub struct VerifiedCache {
	map: Mutex<LruMap<[u8; 32], ()>>,
	bound: u32,
}

impl VerifiedCache {
	/// An empty cache holding at most `bound` entries (`0` turns it off).
	pub fn new(bound: u32) -> Self {
		Self { map: Mutex::new(LruMap::new(ByLength::new(bound.max(1)))), bound }
	}

	/// Whether the triple verified before.
	pub fn contains(&self, key: &[u8; 32]) -> bool {
		self.bound > 0 && self.map.lock().get(key).is_some()
	}

	/// Records a triple that just passed a real verification.
	fn insert_verified(&self, key: [u8; 32]) {
		if self.bound > 0 {
			self.map.lock().insert(key, ());
		}
	}

	/// How many entries it holds.
	pub fn len(&self) -> usize {
		if self.bound == 0 {
			0
		} else {
			self.map.lock().len()
		}
	}

	/// Whether it holds nothing.
	pub fn is_empty(&self) -> bool {
		self.len() == 0
	}

	/// Its bound.
	pub fn bound(&self) -> u32 {
		self.bound
	}
}

/// Shared by every runtime call of the node: the pool, the cache, counters.
#[derive(Clone)]
pub struct Sm2Service {
	pool: Arc<ThreadPool>,
	cache: Arc<VerifiedCache>,
	stats: Arc<Sm2Stats>,
	/// When false, batches are verified at once (one thread): for benchmarks
	/// that compare the two.
	parallel: bool,
}

impl Sm2Service {
	/// A service with `threads` verifier threads (0: one per core) and a cache
	/// of `cache_entries` (0: no cache).
	pub fn new(threads: usize, cache_entries: u32) -> Self {
		let threads = if threads == 0 {
			std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
		} else {
			threads
		};
		let pool = ThreadPoolBuilder::new()
			.num_threads(threads)
			.thread_name(|i| format!("sm2-verify-{i}"))
			.build()
			.expect("the SM2 verifier threads start");
		Self {
			pool: Arc::new(pool),
			cache: Arc::new(VerifiedCache::new(cache_entries)),
			stats: Default::default(),
			parallel: true,
		}
	}

	/// The same service, but verifying batches on the calling thread.
	pub fn sequential(mut self) -> Self {
		self.parallel = false;
		self
	}

	/// Its counters.
	pub fn stats(&self) -> &Sm2Stats {
		&self.stats
	}

	/// Its cache.
	pub fn cache(&self) -> &VerifiedCache {
		&self.cache
	}

	/// How many verifier threads it runs.
	pub fn threads(&self) -> usize {
		self.pool.current_num_threads()
	}

	/// The extension for one runtime call.
	pub fn call_verifier(&self) -> CallVerifier {
		CallVerifier { service: self.clone(), batch: None }
	}

	/// Verifies now, on this thread, through the cache; fills the cache on
	/// success.
	fn verify_now(&self, key: [u8; 32], sig: &[u8; 64], public: &[u8; 33], msg: &[u8]) -> bool {
		if self.cache.contains(&key) {
			self.stats.cache_hits.fetch_add(1, Ordering::Relaxed);
			return true;
		}
		self.stats.verified.fetch_add(1, Ordering::Relaxed);
		if verify_native(sig, public, msg) {
			self.cache.insert_verified(key);
			true
		} else {
			self.stats.failures.fetch_add(1, Ordering::Relaxed);
			false
		}
	}
}

impl<Block: BlockT> ExtensionsFactory<Block> for Sm2Service {
	fn extensions_for(&self, _: Block::Hash, _: NumberFor<Block>) -> Extensions {
		let mut extensions = Extensions::new();
		extensions.register(Sm2VerifierExt::new(Box::new(self.call_verifier())));
		extensions
	}
}

/// The jobs of one open batch.
#[derive(Default)]
struct Batch {
	/// Jobs not finished yet.
	pending: Mutex<usize>,
	/// Signalled when `pending` reaches zero.
	done: Condvar,
	/// Set by any job whose signature failed.
	failed: AtomicBool,
}

impl Batch {
	fn finish_job(&self, ok: bool) {
		if !ok {
			self.failed.store(true, Ordering::SeqCst);
		}
		let mut pending = self.pending.lock();
		*pending -= 1;
		if *pending == 0 {
			self.done.notify_all();
		}
	}

	fn wait(&self) -> bool {
		let mut pending = self.pending.lock();
		while *pending > 0 {
			self.done.wait(&mut pending);
		}
		!self.failed.load(Ordering::SeqCst)
	}
}

/// The verifier of one runtime call.
pub struct CallVerifier {
	service: Sm2Service,
	batch: Option<Arc<Batch>>,
}

impl Sm2Verifier for CallVerifier {
	fn verify(&mut self, sig: &[u8; 64], public: &[u8; 33], msg: &[u8]) -> bool {
		let key = cache_key(sig, public, msg);
		let Some(batch) = &self.batch else {
			return self.service.verify_now(key, sig, public, msg);
		};
		if !self.service.parallel {
			let ok = self.service.verify_now(key, sig, public, msg);
			if !ok {
				batch.failed.store(true, Ordering::SeqCst);
			}
			return true;
		}
		if self.service.cache.contains(&key) {
			self.service.stats.cache_hits.fetch_add(1, Ordering::Relaxed);
			return true;
		}
		*batch.pending.lock() += 1;
		let (batch, service, sig, public, msg) =
			(batch.clone(), self.service.clone(), *sig, *public, msg.to_vec());
		self.service.pool.spawn(move || {
			let ok = service.verify_now(key, &sig, &public, &msg);
			batch.finish_job(ok);
		});
		// Deferred: the answer is given by `finish_batch`.
		true
	}

	fn start_batch(&mut self) {
		// A batch left open (a runtime that did not finish it) is waited for
		// and dropped: its jobs must not leak into the new one.
		if let Some(old) = self.batch.take() {
			old.wait();
		}
		self.batch = Some(Arc::new(Batch::default()));
	}

	fn finish_batch(&mut self) -> bool {
		match self.batch.take() {
			Some(batch) => batch.wait(),
			None => true,
		}
	}
}

impl Drop for CallVerifier {
	fn drop(&mut self) {
		// Never leave jobs running past the call that started them.
		if let Some(batch) = self.batch.take() {
			batch.wait();
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use scf_primitives::sm2::Sm2Pair;

	fn signed(msg: &[u8]) -> ([u8; 64], [u8; 33]) {
		let pair = Sm2Pair::generate();
		let sig = pair.sign(msg);
		(sig.signature, sig.public.0)
	}

	#[test]
	fn verifies_at_once_outside_a_batch() {
		let service = Sm2Service::new(2, 16);
		let mut v = service.call_verifier();
		let (sig, pk) = signed(b"payload");
		assert!(v.verify(&sig, &pk, b"payload"));
		assert!(!v.verify(&sig, &pk, b"other payload"));
		assert_eq!(service.stats().verified.load(Ordering::Relaxed), 2);
		assert_eq!(service.stats().failures.load(Ordering::Relaxed), 1);
	}

	#[test]
	fn a_batch_fails_when_any_signature_fails() {
		for parallel in [true, false] {
			let service = Sm2Service::new(2, 0);
			let service = if parallel { service } else { service.sequential() };
			let mut v = service.call_verifier();
			v.start_batch();
			for i in 0..8u8 {
				let (sig, pk) = signed(&[i]);
				assert!(v.verify(&sig, &pk, &[i]));
			}
			assert!(v.finish_batch(), "all good (parallel: {parallel})");
			v.start_batch();
			let (sig, pk) = signed(b"a");
			assert!(v.verify(&sig, &pk, b"a"));
			// Deferred: answered "true" now, the batch carries the failure.
			assert!(v.verify(&sig, &pk, b"b"));
			assert!(!v.finish_batch(), "one bad (parallel: {parallel})");
		}
	}

	#[test]
	fn the_cache_never_turns_a_bad_signature_good() {
		let service = Sm2Service::new(2, 16);
		let mut v = service.call_verifier();
		let (sig, pk) = signed(b"payload");
		assert!(v.verify(&sig, &pk, b"payload"));
		assert_eq!(service.cache().len(), 1);
		// Same key and signature, other message; same message, flipped bit.
		assert!(!v.verify(&sig, &pk, b"payload!"));
		let mut flipped = sig;
		flipped[10] ^= 1;
		assert!(!v.verify(&flipped, &pk, b"payload"));
		// Nor inside a batch.
		v.start_batch();
		assert!(v.verify(&flipped, &pk, b"payload"));
		assert!(!v.finish_batch());
		// A failure is never cached.
		assert_eq!(service.cache().len(), 1);
		// The good one hits.
		let hits = service.stats().cache_hits.load(Ordering::Relaxed);
		assert!(v.verify(&sig, &pk, b"payload"));
		assert_eq!(service.stats().cache_hits.load(Ordering::Relaxed), hits + 1);
	}

	#[test]
	fn the_cache_stays_within_its_bound() {
		let service = Sm2Service::new(1, 4);
		let mut v = service.call_verifier();
		for i in 0..10u8 {
			let (sig, pk) = signed(&[i]);
			assert!(v.verify(&sig, &pk, &[i]));
			assert!(service.cache().len() <= 4);
		}
		assert_eq!(service.cache().len(), 4);
	}
}
