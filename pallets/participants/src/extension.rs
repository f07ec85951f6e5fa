//! The permission gate: only active participants may submit transactions,
//! and each account's transactions may use at most
//! [`Config::MaxSenderWeight`] of a block.
//!
//! The chain charges no fees, so this extension is its spam defence (with
//! [`crate::CheckNonce`]'s window, which bounds what one account holds in
//! the pool):
//!
//! - **Pool validation** (and again when a block is built or imported): a
//!   signed transaction whose signer is not a participant is invalid with
//!   [`InvalidTransaction::BadSigner`] ("Invalid signing address"); one
//!   whose signer is suspended is invalid with
//!   `InvalidTransaction::Custom(`[`SUSPENDED_SIGNER`]`)`. Either way the
//!   pool drops it before it is gossiped or costs block space.
//! - **Block building and execution** (`prepare`): the weight each account's
//!   signed transactions use in the current block (each as `CheckWeight`
//!   counts it: call, extensions and the base extrinsic weight) is kept in
//!   [`SenderWeight`] as `(block number, weight)`. A transaction that would
//!   take its sender past [`Config::MaxSenderWeight`] is refused with
//!   [`InvalidTransaction::Future`]. The block builder then leaves it (and
//!   the sender's later nonces, which depend on it) for a later block and
//!   goes on with other senders; the fork-aware pool keeps a transaction
//!   refused as `Future` or `Stale` and drops, with every later nonce of the
//!   sender, one refused for any other reason
//!   (`sc-transaction-pool` 48, `fork_aware_txpool/view_store.rs`). Two
//!   other errors would be wrong here: `ExhaustsResources` counts towards
//!   the eight "block is full" skips after which authoring ends the block,
//!   so a few busy senders would end blocks early, and a `Custom` error
//!   evicts the sender's queue. A block whose author let an account go past
//!   its share fails to import. The pool never sees the figure of a block
//!   under construction, so the share does not affect admission.
//! - An account's first transaction in a block is never refused for the
//!   share, so a call heavier than the share still gets in (alone).
//! - A transaction counts at its declared weight; a refund after dispatch
//!   does not give the share back (the figure is an upper bound, read and
//!   written once per transaction).
//! - Unsigned transactions and inherents pass through untouched (and the
//!   extension's weight is refunded).
//!
//! Place it in the runtime's `TxExtension` tuple *before*
//! [`crate::CheckNonce`]: a non-participant's account has no provider
//! reference (the chain has no balances), and the nonce check would refuse
//! it first with the misleading `InvalidTransaction::Payment`. Whatever the
//! order, a transaction refused in `prepare` during block building is
//! rolled back as a whole, so the figure never includes it.
//!
//! The extension carries no data, explicit or implicit: it adds nothing to
//! a transaction's bytes or to what is signed. Clients that build
//! transactions from metadata (subxt, polkadot.js) must still know its
//! identifier, `CheckParticipant`, as an extension with nothing to encode.

use crate::{Config, Pallet, SenderWeight, WeightInfo};
use codec::{Decode, DecodeWithMemTracking, Encode};
use frame_support::{dispatch::DispatchInfo, pallet_prelude::TransactionSource, traits::Get};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{
		AsSystemOriginSigner, DispatchInfoOf, Dispatchable, Implication, PostDispatchInfoOf,
		TransactionExtension, ValidateResult,
	},
	transaction_validity::{TransactionValidityError, ValidTransaction},
	DispatchResult, Weight,
};

/// `InvalidTransaction::Custom` code: the signer is a participant but is
/// suspended.
pub const SUSPENDED_SIGNER: u8 = 1;

/// Refuses signed transactions from anyone but an active participant, and
/// those that would take an account past [`Config::MaxSenderWeight`] in a
/// block. See the [module documentation](self).
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckParticipant<T: Config + Send + Sync>(core::marker::PhantomData<T>);

impl<T: Config + Send + Sync> CheckParticipant<T> {
	/// The extension (it carries no data).
	pub fn new() -> Self {
		Self(core::marker::PhantomData)
	}
}

impl<T: Config + Send + Sync> Default for CheckParticipant<T> {
	fn default() -> Self {
		Self::new()
	}
}

impl<T: Config + Send + Sync> core::fmt::Debug for CheckParticipant<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckParticipant")
	}
}

/// What `prepare` hands to `post_dispatch_details`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pre {
	/// A signed transaction was checked and its weight counted.
	Counted,
	/// Not signed: nothing was done, this weight is refunded.
	Skipped(Weight),
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for CheckParticipant<T>
where
	T::RuntimeCall: Dispatchable<Info = DispatchInfo>,
	<T::RuntimeCall as Dispatchable>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "CheckParticipant";
	type Implicit = ();
	/// The signer, if signed.
	type Val = Option<T::AccountId>;
	type Pre = Pre;

	fn weight(&self, _call: &T::RuntimeCall) -> Weight {
		<T as Config>::WeightInfo::check_participant()
	}

	fn validate(
		&self,
		origin: <T as frame_system::Config>::RuntimeOrigin,
		_call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Implication,
		_source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		let Some(who) = origin.as_system_origin_signer() else {
			return Ok((ValidTransaction::default(), None, origin));
		};
		Pallet::<T>::check_signer(who)?;
		let who = who.clone();
		Ok((ValidTransaction::default(), Some(who), origin))
	}

	fn prepare(
		self,
		val: Self::Val,
		_origin: &<T as frame_system::Config>::RuntimeOrigin,
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		match val {
			None => Ok(Pre::Skipped(self.weight(call))),
			Some(who) => {
				// What the transaction costs the block: as `CheckWeight` counts
				// it, with the class's base extrinsic weight.
				let base =
					<T as frame_system::Config>::BlockWeights::get().get(info.class).base_extrinsic;
				Pallet::<T>::note_transaction(&who, info.total_weight().saturating_add(base))
					.map(|()| Pre::Counted)
			},
		}
	}

	fn post_dispatch_details(
		pre: Self::Pre,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_post_info: &PostDispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_result: &DispatchResult,
	) -> Result<Weight, TransactionValidityError> {
		Ok(match pre {
			Pre::Counted => Weight::zero(),
			Pre::Skipped(weight) => weight,
		})
	}
}

/// The weight the account's transactions have used in the current block
/// (read-only; for RPC helpers and tests).
pub fn used_this_block<T: Config>(who: &T::AccountId) -> Weight {
	let (block, used) = SenderWeight::<T>::get(who);
	if block == frame_system::Pallet::<T>::block_number() {
		used
	} else {
		Weight::zero()
	}
}
