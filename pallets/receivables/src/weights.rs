//! The `WeightInfo` trait of `pallet_receivables`, and hand-written fallback
//! weights.
//!
//! The runtime does NOT use the numbers in this file: it uses
//! `runtime/src/weights/pallet_receivables.rs`, generated from this crate's
//! benchmarks by `scf-node benchmark pallet` on the project's machine kind
//! (see `runtime/src/weights/mod.rs`). `SubstrateWeight` and `()` below are
//! conservative hand estimates for mocks and for other runtimes; do not read
//! throughput figures off them.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_receivables`.
pub trait WeightInfo {
	/// Issue a root certificate.
	fn issue() -> Weight;
	/// Accept an offered certificate.
	fn accept() -> Weight;
	/// Reject an offered certificate (worst case: a root, cancelled and its credit released).
	fn reject() -> Weight;
	/// Revoke a pending root (its credit released).
	fn revoke() -> Weight;
	/// Split-transfer to `n` receivers (plus a remainder).
	fn split_transfer(n: u32, ) -> Weight;
	/// Settle a root with `n` live certificates.
	fn settle(n: u32, ) -> Weight;
	/// Freeze one certificate.
	fn freeze() -> Weight;
	/// Unfreeze one certificate.
	fn unfreeze() -> Weight;
	/// Freeze a root.
	fn freeze_root() -> Weight;
	/// Unfreeze a root with `n` live certificates.
	fn unfreeze_root(n: u32, ) -> Weight;
	/// The sweep when there is nothing to do (reads both cursors).
	fn sweep_idle() -> Weight;
	/// The sweep returning `n` lapsed offers (worst case: roots).
	fn sweep_expired(n: u32, ) -> Weight;
	/// The sweep marking `n` certificates overdue (also charged per stale entry).
	fn sweep_overdue(n: u32, ) -> Weight;
	/// The sweep stepping over `n` empty buckets.
	fn sweep_buckets(n: u32, ) -> Weight;
	/// Pruning with nothing due (reads the queue's range and head).
	fn prune_idle() -> Weight;
	/// Pruning one closed tree of `n` certificates whole.
	fn prune_tree(n: u32, ) -> Weight;
}

/// Weights for `pallet_receivables` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn issue() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(40_000_000, 8_800)
			.saturating_add(T::DbWeight::get().reads(8_u64))
			.saturating_add(T::DbWeight::get().writes(9_u64))
	}
	fn accept() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(25_000_000, 7_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn reject() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(40_000_000, 7_600)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(8_u64))
	}
	fn revoke() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(40_000_000, 7_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(7_u64))
	}
	fn split_transfer(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(45_000_000, 7_600)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
			.saturating_add(Weight::from_parts(12_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((5_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
	fn settle(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(35_000_000, 6_400)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(Weight::from_parts(14_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((4_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
	fn freeze() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(18_000_000, 5_200)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn unfreeze() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(22_000_000, 5_800)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn freeze_root() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(18_000_000, 5_200)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn unfreeze_root(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(22_000_000, 5_800)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
			.saturating_add(Weight::from_parts(6_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
	fn sweep_idle() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(6_000_000, 5_800)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
	}
	fn sweep_expired(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(0, 4_000)
			.saturating_add(T::DbWeight::get().reads(0_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
			.saturating_add(Weight::from_parts(40_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads((6_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((8_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
	fn sweep_overdue(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(0, 4_000)
			.saturating_add(T::DbWeight::get().reads(0_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
			.saturating_add(Weight::from_parts(18_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads((3_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
	fn sweep_buckets(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(0, 4_000)
			.saturating_add(T::DbWeight::get().reads(0_u64))
			.saturating_add(T::DbWeight::get().writes(0_u64))
			.saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
	fn prune_idle() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(4_000_000, 3_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
	}
	fn prune_tree(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(10_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
			.saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn issue() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(40_000_000, 8_800)
			.saturating_add(RocksDbWeight::get().reads(8_u64))
			.saturating_add(RocksDbWeight::get().writes(9_u64))
	}
	fn accept() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(25_000_000, 7_000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn reject() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(40_000_000, 7_600)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(8_u64))
	}
	fn revoke() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(40_000_000, 7_000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(7_u64))
	}
	fn split_transfer(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(45_000_000, 7_600)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
			.saturating_add(Weight::from_parts(12_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((5_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
	fn settle(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(35_000_000, 6_400)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
			.saturating_add(Weight::from_parts(14_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((4_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
	fn freeze() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(18_000_000, 5_200)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn unfreeze() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(22_000_000, 5_800)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn freeze_root() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(18_000_000, 5_200)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn unfreeze_root(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(22_000_000, 5_800)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
			.saturating_add(Weight::from_parts(6_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads((2_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
	fn sweep_idle() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(6_000_000, 5_800)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(0_u64))
	}
	fn sweep_expired(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(0, 4_000)
			.saturating_add(RocksDbWeight::get().reads(0_u64))
			.saturating_add(RocksDbWeight::get().writes(0_u64))
			.saturating_add(Weight::from_parts(40_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads((6_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((8_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
	fn sweep_overdue(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(0, 4_000)
			.saturating_add(RocksDbWeight::get().reads(0_u64))
			.saturating_add(RocksDbWeight::get().writes(0_u64))
			.saturating_add(Weight::from_parts(18_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads((3_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
	fn sweep_buckets(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(0, 4_000)
			.saturating_add(RocksDbWeight::get().reads(0_u64))
			.saturating_add(RocksDbWeight::get().writes(0_u64))
			.saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
	fn prune_idle() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(4_000_000, 3_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
	}
	fn prune_tree(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(10_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
			.saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
}
