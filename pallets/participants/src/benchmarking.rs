//! Benchmarks of every call and of the [`CheckParticipant`] extension, each
//! in its worst case.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use crate::Pallet as Participants;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	dispatch::{DispatchInfo, PostDispatchInfo},
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::traits::{
	AsSystemOriginSigner, AsTransactionAuthorizedOrigin, DispatchTransaction, Dispatchable,
};
use sp_runtime::Weight;

/// A line expiry far in the future of any benchmark clock.
const FAR_FUTURE: u64 = u64::MAX / 2;

/// A valid USCC for benchmark participant `n`, out of the range genesis
/// presets and tests use for their synthetic codes.
fn bench_uscc(n: u32) -> UsccBytes {
	uscc::synthetic(900_000_000 + n)
}

/// Admits `who` with the benchmark USCC numbered `n`, bypassing origins.
fn admit_as<T: Config>(who: &T::AccountId, n: u32, roles: &[Role]) {
	let name: BoundedVec<u8, T::MaxNameLen> =
		vec![b'n'; T::MaxNameLen::get().min(8) as usize].try_into().expect("fits the bound");
	Participants::<T>::do_admit(
		Authority::Governance,
		who.clone(),
		name,
		bench_uscc(n),
		roles.to_vec().try_into().expect("at most five roles"),
	)
	.expect("benchmark admission succeeds");
}

/// An active operator.
fn operator<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("operator", 0, 0);
	admit_as::<T>(&who, 1, &[Role::Operator]);
	who
}

/// A core enterprise holding `MaxLinesPerCore - 1` open lines, each from a
/// different financier; returns the core.
fn core_with_lines<T: Config>() -> T::AccountId {
	let core: T::AccountId = account("core", 0, 0);
	admit_as::<T>(&core, 2, &[Role::CoreEnterprise]);
	for i in 0..T::MaxLinesPerCore::get().saturating_sub(1) {
		let bank: T::AccountId = account("other-bank", i, 0);
		admit_as::<T>(&bank, 1_000 + i, &[Role::Financier]);
		Participants::<T>::do_grant_credit_line(bank, core.clone(), 1_000_000, FAR_FUTURE)
			.expect("room for the line");
	}
	core
}

/// An active financier.
fn financier<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("bank", 0, 0);
	admit_as::<T>(&who, 3, &[Role::Financier]);
	who
}

#[benchmarks(where
	T: Send + Sync,
	T::RuntimeCall: Dispatchable<Info = DispatchInfo, PostInfo = PostDispatchInfo>,
	<T::RuntimeCall as Dispatchable>::RuntimeOrigin:
		AsSystemOriginSigner<T::AccountId> + AsTransactionAuthorizedOrigin + Clone,
)]
mod benchmarks {
	use super::*;

	/// An operator admits a participant (the operator's record is read;
	/// governance admitting one with governed roles reads less).
	#[benchmark]
	fn admit() {
		let op = operator::<T>();
		let who: T::AccountId = account("new", 0, 0);
		let name: BoundedVec<u8, T::MaxNameLen> =
			vec![b'a'; T::MaxNameLen::get() as usize].try_into().expect("exactly the bound");
		let roles: RoleSet =
			vec![Role::Supplier, Role::CoreEnterprise].try_into().expect("two roles");

		#[extrinsic_call]
		_(RawOrigin::Signed(op), who.clone(), name, bench_uscc(7), roles);

		assert!(Participants::<T>::is_active(&who));
	}

	#[benchmark]
	fn suspend() {
		let op = operator::<T>();
		let who: T::AccountId = account("target", 0, 0);
		admit_as::<T>(&who, 7, &[Role::Supplier]);

		#[extrinsic_call]
		_(RawOrigin::Signed(op), who.clone());

		assert!(!Participants::<T>::is_active(&who));
	}

	#[benchmark]
	fn readmit() {
		let op = operator::<T>();
		let who: T::AccountId = account("target", 0, 0);
		admit_as::<T>(&who, 7, &[Role::Supplier]);
		Participants::<T>::do_suspend(Authority::Governance, who.clone()).expect("active");

		#[extrinsic_call]
		_(RawOrigin::Signed(op), who.clone());

		assert!(Participants::<T>::is_active(&who));
	}

	/// Dropping the financier role: only governance may.
	#[benchmark]
	fn set_roles() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("target", 0, 0);
		// Dropping both Financier and CoreEnterprise reads both line indexes.
		admit_as::<T>(&who, 7, &[Role::CoreEnterprise, Role::Financier]);
		let roles: RoleSet = vec![Role::Supplier].try_into().expect("one role");

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), roles);

		assert!(Participants::<T>::has_role(&who, Role::Supplier));
		Ok(())
	}

	#[benchmark]
	fn grant_credit_line() {
		let core = core_with_lines::<T>();
		let bank = financier::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(bank.clone()), core.clone(), 1_000_000u128, FAR_FUTURE);

		assert_eq!(Lines::<T>::get(&core).len() as u32, T::MaxLinesPerCore::get());
		assert_eq!(LinesGranted::<T>::get(&bank), 1);
	}

	#[benchmark]
	fn amend_credit_line() {
		let core = core_with_lines::<T>();
		let bank = financier::<T>();
		Participants::<T>::do_grant_credit_line(bank.clone(), core.clone(), 1_000, FAR_FUTURE)
			.expect("room for the line");

		#[extrinsic_call]
		_(RawOrigin::Signed(bank.clone()), core.clone(), 2_000u128, FAR_FUTURE - 1);

		let lines = Lines::<T>::get(&core);
		assert!(lines.iter().any(|l| l.financier == bank && l.limit == 2_000));
	}

	#[benchmark]
	fn revoke_credit_line() {
		let core = core_with_lines::<T>();
		let bank = financier::<T>();
		Participants::<T>::do_grant_credit_line(bank.clone(), core.clone(), 1_000, FAR_FUTURE)
			.expect("room for the line");

		#[extrinsic_call]
		_(RawOrigin::Signed(bank.clone()), core.clone());

		assert_eq!(LinesGranted::<T>::get(&bank), 0);
	}

	#[benchmark]
	fn check_participant() -> Result<(), BenchmarkError> {
		let who = financier::<T>();
		// The worst case: the account has used some of its share in this
		// block already (so the share is checked), and this one fits. The
		// runtime's benchmark harness runs the measured block at block 1 (it
		// sets the number after setup), so set it here: the figure must be
		// of the block the extension sees.
		frame_system::Pallet::<T>::set_block_number(1u32.into());
		let now = frame_system::Pallet::<T>::block_number();
		let used = Weight::from_parts(1, 0);
		SenderWeight::<T>::insert(&who, (now, used));
		let call: T::RuntimeCall = frame_system::Call::remark { remark: Vec::new() }.into();
		let weight = Weight::from_parts(1_000, 0);
		let info = DispatchInfo { call_weight: weight, ..Default::default() };

		#[block]
		{
			CheckParticipant::<T>::new()
				.test_run(RawOrigin::Signed(who.clone()).into(), &call, &info, 0, 0, |_| {
					Ok(().into())
				})
				.map_err(|_| BenchmarkError::Stop("the extension refused an active participant"))?
				.map_err(|_| BenchmarkError::Stop("the substituted call failed"))?;
		}

		let base = <T as frame_system::Config>::BlockWeights::get()
			.get(frame_support::dispatch::DispatchClass::Normal)
			.base_extrinsic;
		assert_eq!(
			SenderWeight::<T>::get(&who),
			(now, used.saturating_add(weight).saturating_add(base))
		);
		Ok(())
	}

	impl_benchmark_test_suite!(
		Participants,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
