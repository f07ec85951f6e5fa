//! The `WeightInfo` trait of `pallet_financing`, and hand-written fallback
//! weights.
//!
//! The runtime does NOT use the numbers in this file: it uses weights
//! generated from this crate's benchmarks by `scf-node benchmark pallet` on
//! the project's machine kind (`runtime/src/weights/pallet_financing.rs`).
//! `SubstrateWeight` and `()` below are conservative hand estimates for
//! mocks and for other runtimes; do not read throughput figures off them.
//!
//! `on_settled` is not a call: it is the weight of
//! `OnCertificateSettled::on_settled` for one certificate, which the
//! receivables pallet's `settle` adds once per certificate it pays.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]
#![allow(dead_code)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_financing`.
pub trait WeightInfo {
	/// Request financing of a whole certificate (reserves it).
	fn request() -> Weight;
	/// Split a part off a certificate and request financing of it.
	fn request_part() -> Weight;
	/// Make an offer.
	fn offer() -> Weight;
	/// Withdraw an offer.
	fn withdraw_offer() -> Weight;
	/// Decline a request (releases the reservation).
	fn decline() -> Weight;
	/// Accept an offer.
	fn accept_offer() -> Weight;
	/// Confirm a payout (worst case: factoring, the certificate changes hands).
	fn confirm_payout() -> Weight;
	/// Cancel a request (releases the reservation).
	fn cancel() -> Weight;
	/// Exercise recourse (worst case: factoring, the certificate goes back to the seller).
	fn exercise_recourse() -> Weight;
	/// Confirm a repayment after recourse (worst case: a pledge, released).
	fn confirm_repayment() -> Weight;
	/// Release a pledge repaid early.
	fn release_pledge() -> Weight;
	/// The settlement hook for one certificate (worst case: a pledge in recourse, whose claim is cleared).
	fn on_settled() -> Weight;
	/// Pruning `n` closed requests (and reading the queue).
	fn prune_requests(n: u32, ) -> Weight;
}

/// Weights for `pallet_financing` using the Substrate node and recommended hardware.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn request() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(30_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn request_part() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(70_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(9_u64))
			.saturating_add(T::DbWeight::get().writes(12_u64))
	}
	fn offer() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(22_000_000, 5_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn withdraw_offer() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(15_000_000, 3_500)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn decline() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(28_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn accept_offer() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(20_000_000, 5_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	fn confirm_payout() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(40_000_000, 7_000)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
	fn cancel() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(28_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn exercise_recourse() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(40_000_000, 7_000)
			.saturating_add(T::DbWeight::get().reads(7_u64))
			.saturating_add(T::DbWeight::get().writes(6_u64))
	}
	fn confirm_repayment() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(30_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn release_pledge() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(30_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().writes(4_u64))
	}
	fn on_settled() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(15_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	fn prune_requests(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(4_000_000, 3_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
			.saturating_add(Weight::from_parts(6_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(T::DbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
}

// For backwards compatibility and tests.
impl WeightInfo for () {
	fn request() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(30_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn request_part() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(70_000_000, 8_000)
			.saturating_add(RocksDbWeight::get().reads(9_u64))
			.saturating_add(RocksDbWeight::get().writes(12_u64))
	}
	fn offer() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(22_000_000, 5_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn withdraw_offer() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(15_000_000, 3_500)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn decline() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(28_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn accept_offer() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(20_000_000, 5_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn confirm_payout() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(40_000_000, 7_000)
			.saturating_add(RocksDbWeight::get().reads(7_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
	fn cancel() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(28_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn exercise_recourse() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(40_000_000, 7_000)
			.saturating_add(RocksDbWeight::get().reads(7_u64))
			.saturating_add(RocksDbWeight::get().writes(6_u64))
	}
	fn confirm_repayment() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(30_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn release_pledge() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(30_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().writes(4_u64))
	}
	fn on_settled() -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(15_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn prune_requests(n: u32, ) -> Weight {
		// Placeholder: not measured.
		Weight::from_parts(4_000_000, 3_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
			.saturating_add(Weight::from_parts(6_000_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads((1_u64).saturating_mul(n.into())))
			.saturating_add(RocksDbWeight::get().writes((2_u64).saturating_mul(n.into())))
			.saturating_add(Weight::from_parts(0, 2_000).saturating_mul(n.into()))
	}
}
