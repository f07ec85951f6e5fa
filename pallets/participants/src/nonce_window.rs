//! The nonce check with a window: `frame_system::CheckNonce`, plus a bound
//! on how far ahead of its account's nonce a transaction may be when it
//! enters the pool.
//!
//! `frame_system::CheckNonce` admits any nonce at or above the account's:
//! with no fees, one participant could fill the pool with a million future
//! transactions. [`CheckNonce`] refuses, at pool validation only, a nonce
//! above `account nonce +` [`Config::NonceWindow`] with
//! `UnknownTransaction::Custom(`[`NONCE_BEYOND_WINDOW`]`)`. "Unknown"
//! rather than "invalid" on purpose: the pool bans the hash of a
//! transaction it found invalid (for 30 minutes), but not one whose
//! validity is unknown, so a client may submit the very same bytes again
//! once its earlier transactions are in blocks. Block building and import
//! never apply the window (a transaction in a block has the account's
//! nonce), and everything else — `Stale`, `Future`, the `provides`/`requires`
//! tags, the weight — is `frame_system`'s own.
//!
//! **Clients: keep to half the window, from the finalized nonce.** The
//! check runs wherever the pool validates, and the node's fork-aware pool
//! revalidates a transaction that has waited some blocks against an older
//! state (the finalized block, or a view on a fork). A transaction within
//! the window of the best block can be beyond it there; it is then
//! `Unknown`, and the pool drops it with every later nonce of its sender
//! (sc-transaction-pool 48, `tx_mem_pool.rs`, `revalidate_inner`).
//! `node/tests/consortium.rs` measured it under full blocks: senders keeping
//! to the whole window beyond their finalized nonce lost 1,214 of 45,217
//! taken transactions, keeping to half of it none. The bridge keeps to half
//! (`scf-bridge`'s `chain::bridge_window`).
//!
//! The extension keeps `frame_system`'s identifier, `"CheckNonce"`, and its
//! encoding (`Compact<Nonce>`, signed, nothing implicit), so subxt,
//! polkadot.js and the workspace's signers build transactions unchanged.
//! Put it where `frame_system::CheckNonce` was, after
//! [`crate::CheckParticipant`].

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode};
use frame_support::{dispatch::DispatchInfo, pallet_prelude::TransactionSource, traits::Get};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{
		AsSystemOriginSigner, DispatchInfoOf, Dispatchable, Implication, PostDispatchInfoOf,
		TransactionExtension, ValidateResult,
	},
	transaction_validity::{
		TransactionLongevity, TransactionValidityError, UnknownTransaction, ValidTransaction,
	},
	DispatchResult, Saturating, Weight,
};

/// `UnknownTransaction::Custom` code: the nonce is more than
/// [`Config::NonceWindow`] ahead of the account's.
pub const NONCE_BEYOND_WINDOW: u8 = 2;

type SystemCheckNonce<T> = frame_system::CheckNonce<T>;

/// `frame_system::CheckNonce` that admits to the pool no nonce beyond
/// [`Config::NonceWindow`] ahead of the account's. See the
/// [module documentation](self).
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckNonce<T: Config>(#[codec(compact)] pub T::Nonce);

impl<T: Config> CheckNonce<T> {
	/// The extension for a transaction with this nonce.
	pub fn from(nonce: T::Nonce) -> Self {
		Self(nonce)
	}

	/// Whether `nonce` lies within the window of `who`'s account, refusing
	/// it with [`NONCE_BEYOND_WINDOW`] if not.
	pub fn check_window(
		who: &T::AccountId,
		nonce: T::Nonce,
	) -> Result<(), TransactionValidityError> {
		let next = frame_system::Pallet::<T>::account_nonce(who);
		let last = next.saturating_add(T::NonceWindow::get().into());
		if nonce > last {
			return Err(UnknownTransaction::Custom(NONCE_BEYOND_WINDOW).into());
		}
		Ok(())
	}
}

impl<T: Config> core::fmt::Debug for CheckNonce<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckNonce({:?})", self.0)
	}
}

/// What `validate` hands to `prepare`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val<AccountId> {
	/// A signed transaction of this account.
	Signed(AccountId),
	/// Not signed: nothing to check, this weight is refunded.
	Refund(Weight),
}

impl<T: Config> TransactionExtension<T::RuntimeCall> for CheckNonce<T>
where
	T::RuntimeCall: Dispatchable<Info = DispatchInfo>,
	<T::RuntimeCall as Dispatchable>::RuntimeOrigin: AsSystemOriginSigner<T::AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "CheckNonce";
	type Implicit = ();
	type Val = Val<T::AccountId>;
	/// The weight to refund.
	type Pre = Weight;

	fn weight(&self, _call: &T::RuntimeCall) -> Weight {
		// One read of the account, which `frame_system`'s check reads anyway.
		<T::ExtensionsWeightInfo as frame_system::ExtensionsWeightInfo>::check_nonce()
	}

	fn validate(
		&self,
		origin: <T as frame_system::Config>::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Implication,
		source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		let Some(who) = origin.as_system_origin_signer() else {
			return Ok((ValidTransaction::default(), Val::Refund(self.weight(call)), origin));
		};
		// frame_system's checks first (so its errors win), then the window:
		// for the pool only, a block's transactions are checked with
		// `TransactionSource::InBlock`.
		let info = SystemCheckNonce::<T>::validate_nonce_for_account(who, self.0)?;
		if source != TransactionSource::InBlock {
			Self::check_window(who, self.0)?;
		}
		let validity = ValidTransaction {
			priority: 0,
			requires: info.requires,
			provides: info.provides,
			longevity: TransactionLongevity::MAX,
			propagate: true,
		};
		let who = who.clone();
		Ok((validity, Val::Signed(who), origin))
	}

	fn prepare(
		self,
		val: Self::Val,
		_origin: &<T as frame_system::Config>::RuntimeOrigin,
		_call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
	) -> Result<Self::Pre, TransactionValidityError> {
		match val {
			Val::Refund(weight) => Ok(weight),
			Val::Signed(who) => {
				SystemCheckNonce::<T>::prepare_nonce_for_account(&who, self.0)?;
				Ok(Weight::zero())
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
		Ok(pre)
	}
}
