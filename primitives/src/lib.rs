#![doc = include_str!("../README.md")]
//!
//! Types shared by the runtime, the node and the clients of the
//! supply-chain-finance chain.
//!
//! Keep this crate small and `no_std`: the runtime, the node, the indexer and
//! the web bridge all depend on it, so a type defined here means the same
//! thing everywhere.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use sp_runtime::{
	generic,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	OpaqueExtrinsic,
};

/// Block number: a `u32` lasts 272 years at 2-second slots.
pub type BlockNumber = u32;

pub mod signature;
pub mod sm2;
#[cfg(feature = "std")]
pub mod testing;

/// The signature a transaction carries: ed25519, sr25519, ecdsa (as
/// Substrate's `MultiSignature`, so development keys work) or SM2.
pub use signature::{Signature, Signer};

/// The SM2 host functions; the node registers `sm2_crypto::HostFunctions`.
pub use sm2::sm2_crypto;

/// An account: derived from the signer's public key (`AccountId32`).
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// A money amount in the currency's minor unit (fen for CNY).
pub type Amount = u128;

/// Per-account transaction counter.
pub type Nonce = u32;

/// Hash of a block or of a piece of state.
pub type Hash = sp_core::H256;

/// Milliseconds since the Unix epoch, as kept by the timestamp pallet.
pub type Moment = u64;

/// Block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// A block whose extrinsics are opaque: what the node sees without knowing
/// the runtime's call types.
pub type OpaqueBlock = generic::Block<Header, OpaqueExtrinsic>;

/// Time constants. Blocks are authored every `SLOT_DURATION_MS`.
pub mod time {
	use super::BlockNumber;

	/// Aura slot: one block every two seconds.
	pub const SLOT_DURATION_MS: u64 = 2_000;
	/// Blocks per minute, hour and day at that slot length.
	pub const MINUTES: BlockNumber = 60_000 / (SLOT_DURATION_MS as BlockNumber);
	pub const HOURS: BlockNumber = MINUTES * 60;
	pub const DAYS: BlockNumber = HOURS * 24;
}

pub mod traits;
pub use traits::Role;

#[cfg(test)]
mod tests {
	use super::time::*;

	#[test]
	fn thirty_blocks_a_minute_at_two_second_slots() {
		assert_eq!(MINUTES, 30);
		assert_eq!(DAYS, 30 * 60 * 24);
	}
}
