//! Placeholder until the benchmark run: counted reads and writes.
use frame_support::{traits::Get, weights::Weight};
use core::marker::PhantomData;
use crate::validators;

pub struct WeightInfo<T>(PhantomData<T>);
impl<T: frame_system::Config> validators::WeightInfo for WeightInfo<T> {
	fn add_validator() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(7, 7))
	}
	fn remove_validator() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(7, 7))
	}
	fn rotate_keys() -> Weight {
		Weight::from_parts(50_000_000, 10_000).saturating_add(T::DbWeight::get().reads_writes(4, 4))
	}
}
