//! The `WeightInfo` trait of `pallet_participants`, and hand-written fallback
//! weights.
//!
//! The runtime does NOT use the numbers in this file: it uses
//! `runtime/src/weights/pallet_participants.rs`, generated from this crate's
//! benchmarks by `scf-node benchmark pallet` on the project's machine kind
//! (see `runtime/src/weights/mod.rs`). `SubstrateWeight` and `()` below are
//! conservative hand estimates for mocks and for other runtimes; do not read
//! throughput figures off them.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_participants`.
pub trait WeightInfo {
	fn admit() -> Weight;
	fn suspend() -> Weight;
	fn readmit() -> Weight;
	fn set_roles() -> Weight;
	fn grant_credit_line() -> Weight;
	fn amend_credit_line() -> Weight;
	fn revoke_credit_line() -> Weight;
	fn check_participant() -> Weight;
}

/// Weights for `pallet_participants` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Participants::Participants` (r:2 w:1)
	/// Storage: `Participants::UsccOwner` (r:1 w:1)
	/// Storage: `System::Account` (r:1 w:1)
	fn admit() -> Weight {
		Weight::from_parts(60_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Participants::Participants` (r:2 w:1)
	fn suspend() -> Weight {
		Weight::from_parts(40_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Participants::Participants` (r:2 w:1)
	fn readmit() -> Weight {
		Weight::from_parts(40_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Participants::Participants` (r:2 w:1)
	/// Storage: `Participants::LinesGranted` (r:1 w:0)
	/// Storage: `Participants::Lines` (r:1 w:0)
	fn set_roles() -> Weight {
		Weight::from_parts(50_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Storage: `Participants::Participants` (r:2 w:0)
	/// Storage: `Participants::Lines` (r:1 w:1)
	/// Storage: `Participants::LinesGranted` (r:1 w:1)
	fn grant_credit_line() -> Weight {
		Weight::from_parts(60_000_000, 12_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Timestamp::Now` (r:1 w:0)
	/// Storage: `Participants::Participants` (r:1 w:0)
	/// Storage: `Participants::Lines` (r:1 w:1)
	fn amend_credit_line() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Participants::Participants` (r:1 w:0)
	/// Storage: `Participants::Lines` (r:1 w:1)
	/// Storage: `Participants::LinesGranted` (r:1 w:1)
	fn revoke_credit_line() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Participants::Participants` (r:1 w:0)
	/// Storage: `Participants::SenderWeight` (r:1 w:1)
	fn check_participant() -> Weight {
		Weight::from_parts(20_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn admit() -> Weight {
		Weight::from_parts(60_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn suspend() -> Weight {
		Weight::from_parts(40_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn readmit() -> Weight {
		Weight::from_parts(40_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn set_roles() -> Weight {
		Weight::from_parts(50_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn grant_credit_line() -> Weight {
		Weight::from_parts(60_000_000, 12_000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn amend_credit_line() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn revoke_credit_line() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn check_participant() -> Weight {
		Weight::from_parts(20_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
}
