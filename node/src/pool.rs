//! Transaction pool admission on as many threads as the machine has.
//!
//! `sc-transaction-pool`'s `FullChainApi` validates incoming transactions on
//! two fixed threads. An SM2 signature costs far more to verify than an
//! sr25519 one, so on a bank's many-core server admission would be bound by
//! those two threads. [`WideChainApi`] wraps `FullChainApi`, delegates every
//! query to it, and runs `validate_transaction` on its own pool of threads
//! (one per core, at least two; `--pool-validation-threads` overrides it).
//! On a two-core machine it is no wider than the stock one.

use async_trait::async_trait;
use sc_transaction_pool::{ChainApi, FullChainApi, ValidateTransactionPriority};
use sp_blockchain::TreeRoute;
use sp_runtime::{
	generic::BlockId,
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
};
use std::sync::Arc;

/// `FullChainApi` with transaction validation on a wider thread pool.
pub struct WideChainApi<Client, Block: BlockT> {
	inner: Arc<FullChainApi<Client, Block>>,
	threads: Arc<rayon::ThreadPool>,
}

impl<Client, Block: BlockT> WideChainApi<Client, Block> {
	/// Wraps `inner`, validating on `threads` threads (0: one per core, at
	/// least two).
	pub fn new(inner: FullChainApi<Client, Block>, threads: usize) -> Self {
		let threads = if threads == 0 {
			std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).max(2)
		} else {
			threads
		};
		let pool = rayon::ThreadPoolBuilder::new()
			.num_threads(threads)
			.thread_name(|i| format!("txpool-validate-{i}"))
			.build()
			.expect("the validation threads start");
		Self { inner: Arc::new(inner), threads: Arc::new(pool) }
	}

	/// How many threads validate.
	pub fn threads(&self) -> usize {
		self.threads.current_num_threads()
	}
}

type Inner<C, B> = FullChainApi<C, B>;
type ErrorOf<C, B> = <Inner<C, B> as ChainApi>::Error;

#[async_trait]
impl<Client, Block> ChainApi for WideChainApi<Client, Block>
where
	Block: BlockT,
	Inner<Client, Block>: ChainApi<Block = Block> + 'static,
	ErrorOf<Client, Block>: From<sp_blockchain::Error>,
	Client: Send + Sync + 'static,
{
	type Block = Block;
	type Error = ErrorOf<Client, Block>;

	async fn validate_transaction(
		&self,
		at: Block::Hash,
		source: TransactionSource,
		uxt: Arc<Block::Extrinsic>,
		_priority: ValidateTransactionPriority,
	) -> Result<TransactionValidity, Self::Error> {
		let (tx, rx) = futures::channel::oneshot::channel();
		let inner = self.inner.clone();
		self.threads.spawn(move || {
			let _ = tx.send(inner.validate_transaction_blocking(at, source, uxt));
		});
		rx.await.unwrap_or_else(|_| {
			Err(sp_blockchain::Error::Backend("transaction validation was cancelled".into()).into())
		})
	}

	fn validate_transaction_blocking(
		&self,
		at: Block::Hash,
		source: TransactionSource,
		uxt: Arc<Block::Extrinsic>,
	) -> Result<TransactionValidity, Self::Error> {
		self.inner.validate_transaction_blocking(at, source, uxt)
	}

	fn block_id_to_number(
		&self,
		at: &BlockId<Block>,
	) -> Result<Option<NumberFor<Block>>, Self::Error> {
		self.inner.block_id_to_number(at)
	}

	fn block_id_to_hash(&self, at: &BlockId<Block>) -> Result<Option<Block::Hash>, Self::Error> {
		self.inner.block_id_to_hash(at)
	}

	fn hash_and_length(&self, uxt: &Block::Extrinsic) -> (Block::Hash, usize) {
		self.inner.hash_and_length(uxt)
	}

	async fn block_body(
		&self,
		at: Block::Hash,
	) -> Result<Option<Vec<Block::Extrinsic>>, Self::Error> {
		self.inner.block_body(at).await
	}

	fn block_header(&self, at: Block::Hash) -> Result<Option<Block::Header>, Self::Error> {
		self.inner.block_header(at)
	}

	fn tree_route(
		&self,
		from: Block::Hash,
		to: Block::Hash,
	) -> Result<TreeRoute<Block>, Self::Error> {
		self.inner.tree_route(from, to)
	}
}
