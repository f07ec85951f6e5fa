//! The permission gate: only active participants may submit transactions,
//! and each at most [`Config::MaxTxPerBlock`] per block.
//!
//! The chain charges no fees, so this extension is its spam defence:
//!
//! - **Pool validation** (and again when a block is built or imported): a
//!   signed transaction whose signer is not a participant is invalid with
//!   [`InvalidTransaction::BadSigner`] ("Invalid signing address"); one
//!   whose signer is suspended is invalid with
//!   `InvalidTransaction::Custom(`[`SUSPENDED_SIGNER`]`)`. Either way the
//!   pool drops it before it is gossiped or costs block space.
//! - **Block building and execution** (`prepare`): each account's signed
//!   transactions in the current block are counted in [`TxCount`] as
//!   `(block number, count)`; past [`Config::MaxTxPerBlock`] the transaction
//!   is refused with [`InvalidTransaction::ExhaustsResources`], which block
//!   authorship treats as "does not fit in this block": it stays in the pool
//!   and is tried again in the next block. The pool never sees the count of
//!   a block under construction, so the limit does not affect admission to
//!   the pool.
//! - Unsigned transactions and inherents pass through untouched (and the
//!   extension's weight is refunded).
//!
//! Place it in the runtime's `TxExtension` tuple *before*
//! `frame_system::CheckNonce`: a non-participant's account has no provider
//! reference (the chain has no balances), and `CheckNonce` would refuse it
//! first with the misleading `InvalidTransaction::Payment`. Whatever the
//! order, a transaction refused in `prepare` during block building is
//! rolled back as a whole, so the count never includes it.
//!
//! The extension carries no data, explicit or implicit: it adds nothing to
//! a transaction's bytes or to what is signed. Clients that build
//! transactions from metadata (subxt, polkadot.js) must still know its
//! identifier, `CheckParticipant`, as an extension with nothing to encode.

use crate::{Config, Pallet, TxCount, WeightInfo};
use codec::{Decode, DecodeWithMemTracking, Encode};
use frame_support::{dispatch::DispatchInfo, pallet_prelude::TransactionSource};
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
/// more than [`Config::MaxTxPerBlock`] of them per account and block. See
/// the [module documentation](self).
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
	/// A signed transaction was checked and counted.
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
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		match val {
			None => Ok(Pre::Skipped(self.weight(call))),
			Some(who) => Pallet::<T>::note_transaction(&who).map(|()| Pre::Counted),
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

/// Whether the account may have one more transaction in the current block
/// (read-only; for RPC helpers and tests).
pub fn has_room_this_block<T: Config>(who: &T::AccountId) -> bool {
	use frame_support::traits::Get;
	let (block, count) = TxCount::<T>::get(who);
	block != frame_system::Pallet::<T>::block_number() || count < T::MaxTxPerBlock::get()
}
