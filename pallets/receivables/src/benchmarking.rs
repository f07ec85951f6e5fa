//! Benchmarks (FRAME v2) for every call and for the sweep.
//!
//! The runtime provides participants, credit and time through
//! [`crate::BenchmarkHelper`]. Each benchmark sets up the worst case its
//! weight function covers (full document lists, roots rather than children
//! where a root costs more, a remainder in a split).

use super::*;
use crate::Pallet as Receivables;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{Get, Time},
	BoundedVec,
};
use frame_system::RawOrigin;
use scf_primitives::Role;
use sp_core::H256;

const SEED: u32 = 0;
/// A start time well after the epoch (ms).
/// The benchmarks' time: 2027-01-15, after the presets' genesis time
/// (2026-12-01), where the `dev` chain's timer cursors start: an entry due
/// before a queue's cursor is put in the cursor's bucket.
const T0: Moment = 1_800_000_000_000;

fn member<T: Config>(name: &'static str, i: u32, role: Role) -> T::AccountId {
	let who: T::AccountId = account(name, i, SEED);
	T::BenchmarkHelper::make_participant(&who, role);
	who
}

fn core<T: Config>() -> T::AccountId {
	let core = member::<T>("core", 0, Role::CoreEnterprise);
	T::BenchmarkHelper::grant_credit(&core, Amount::MAX / 4);
	core
}

fn full_docs<T: Config>() -> DocumentsOf<T> {
	let n = T::MaxInvoices::get();
	TradeDocuments {
		contract: H256::repeat_byte(0xc0),
		invoices: BoundedVec::truncate_from(
			(0..n).map(|i| H256::repeat_byte((i % 255) as u8 + 1)).collect::<Vec<_>>(),
		),
	}
}

fn due() -> Moment {
	T0 + 30 * 24 * 3_600_000
}

/// Issues a root of `amount` from `core` to `to`.
fn issued<T: Config>(core: &T::AccountId, to: &T::AccountId, amount: Amount) -> CertificateId {
	Receivables::<T>::do_issue(core.clone(), to.clone(), amount, due(), full_docs::<T>())
		.expect("issue works")
}

/// Issues and accepts a root of `amount` held by `to`.
fn active<T: Config>(core: &T::AccountId, to: &T::AccountId, amount: Amount) -> CertificateId {
	let id = issued::<T>(core, to, amount);
	Receivables::<T>::do_accept(to.clone(), id).expect("accept works");
	id
}

/// A root with `n` live certificates, all held by `holder`. Returns the root.
fn root_with_live<T: Config>(core: &T::AccountId, holder: &T::AccountId, n: u32) -> CertificateId {
	let min = T::MinAmount::get();
	let root = active::<T>(core, holder, min * (n as u128 + 1));
	let mut rest = root;
	for _ in 1..n {
		// One holder with n certificates of a root costs settlement and
		// unfreezing what n holders would: forget its share so far, or
		// `MaxLivePerHolder` would stop the set-up.
		LivePerHolder::<T>::remove(root, holder);
		let (_, r) =
			<Receivables<T> as ReceivableLedger<T::AccountId>>::split_off(holder, rest, min)
				.expect("split_off works");
		rest = r;
	}
	root
}

/// A root settled now (at its due date), queued for pruning, whose tree has
/// `n` certificates: the root and `n - 1` closed ones like it (pruning reads
/// only the tree's member list). Returns the root.
fn settled_tree<T: Config>(core: &T::AccountId, holder: &T::AccountId, n: u32) -> CertificateId {
	let root = active::<T>(core, holder, T::MinAmount::get());
	T::BenchmarkHelper::set_time(due());
	Receivables::<T>::do_settle(core.clone(), root, BoundedVec::default()).expect("settle works");
	let cert = Certificates::<T>::get(root).expect("the root exists");
	let first = NextCertificateId::<T>::get();
	for id in first..first + u64::from(n) - 1 {
		Certificates::<T>::insert(id, Certificate { id, parent: Some(root), ..cert.clone() });
		RootMembers::<T>::insert(root, id, ());
	}
	NextCertificateId::<T>::put(first + u64::from(n) - 1);
	root
}

/// Points the cursor of `timer` at the bucket holding `at` and moves time to
/// that bucket's end, so one sweep reaches it at once.
fn sweep_to<T: Config>(timer: Timer, at: Moment) {
	let g = T::TimerGranularity::get();
	let bucket = at.div_ceil(g);
	TimerCursor::<T>::insert(timer, bucket);
	T::BenchmarkHelper::set_time(bucket * g);
}

/// Set-ups for the benchmarks of pallets that use the ledger (financing),
/// which only see it through [`ReceivableLedger`].
impl<T: Config> Pallet<T> {
	/// An active root certificate of `amount` (at least `MinAmount`), due at
	/// `due` (in the future, within `MaxTenor`), held by `holder`, who is made
	/// an active supplier. The issuer is a fresh core enterprise with credit.
	pub fn benchmark_active_certificate(
		holder: &T::AccountId,
		amount: Amount,
		due: Moment,
	) -> CertificateId {
		let core: T::AccountId = account("ledger-core", 0, SEED);
		T::BenchmarkHelper::make_participant(&core, Role::CoreEnterprise);
		T::BenchmarkHelper::grant_credit(&core, amount);
		T::BenchmarkHelper::make_participant(holder, Role::Supplier);
		let id = Self::do_issue(core, holder.clone(), amount, due, full_docs::<T>())
			.expect("issue works");
		Self::do_accept(holder.clone(), id).expect("accept works");
		id
	}

	/// Moves time to the moment certificate `id` becomes overdue and marks it
	/// overdue, as the sweep would.
	pub fn benchmark_make_overdue(id: CertificateId) {
		let due = Certificates::<T>::get(id).expect("certificate exists").due;
		let at = Self::overdue_at(due);
		T::BenchmarkHelper::set_time(at);
		assert!(Self::mark_overdue(id, at), "the certificate falls overdue");
	}
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn issue() {
		T::BenchmarkHelper::set_time(T0);
		let core = core::<T>();
		let to = member::<T>("supplier", 1, Role::Supplier);
		let amount = T::MinAmount::get() * 1_000;

		#[extrinsic_call]
		_(RawOrigin::Signed(core.clone()), to.clone(), amount, due(), full_docs::<T>());

		let id = NextCertificateId::<T>::get() - 1;
		assert_eq!(Certificates::<T>::get(id).map(|c| c.holder), Some(to));
	}

	#[benchmark]
	fn accept() {
		T::BenchmarkHelper::set_time(T0);
		let core = core::<T>();
		let to = member::<T>("supplier", 1, Role::Supplier);
		let id = issued::<T>(&core, &to, T::MinAmount::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(to), id);

		assert_eq!(
			Certificates::<T>::get(id).map(|c| c.status),
			Some(Status::Live(Standing::Active))
		);
	}

	#[benchmark]
	fn reject() {
		T::BenchmarkHelper::set_time(T0);
		let core = core::<T>();
		let to = member::<T>("supplier", 1, Role::Supplier);
		let id = issued::<T>(&core, &to, T::MinAmount::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(to), id);

		assert_eq!(Certificates::<T>::get(id).map(|c| c.status), Some(Status::Returned));
	}

	#[benchmark]
	fn revoke() {
		T::BenchmarkHelper::set_time(T0);
		let core = core::<T>();
		let to = member::<T>("supplier", 1, Role::Supplier);
		let id = issued::<T>(&core, &to, T::MinAmount::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(core), id);

		assert_eq!(Certificates::<T>::get(id).map(|c| c.status), Some(Status::Revoked));
	}

	#[benchmark]
	fn split_transfer(n: Linear<1, { T::MaxChildren::get() }>) {
		T::BenchmarkHelper::set_time(T0);
		let core = core::<T>();
		let holder = member::<T>("supplier", 0, Role::Supplier);
		let min = T::MinAmount::get();
		// n receivers and a remainder.
		let id = active::<T>(&core, &holder, min * (n as u128 + 1));
		let parts: Vec<(T::AccountId, Amount)> =
			(0..n).map(|i| (member::<T>("receiver", i, Role::Supplier), min)).collect();
		let parts = BoundedVec::truncate_from(parts);

		#[extrinsic_call]
		_(RawOrigin::Signed(holder), id, parts, full_docs::<T>());

		assert_eq!(Certificates::<T>::get(id).map(|c| c.status), Some(Status::ClosedBySplit));
		assert_eq!(Roots::<T>::get(id).map(|r| r.live), Some(n + 1));
	}

	#[benchmark]
	fn settle(n: Linear<1, { T::MaxLivePerRoot::get() }>) {
		T::BenchmarkHelper::set_time(T0);
		let core = core::<T>();
		let holder = member::<T>("supplier", 0, Role::Supplier);
		let root = root_with_live::<T>(&core, &holder, n);
		T::BenchmarkHelper::set_time(due());
		let payment_ref = BoundedVec::truncate_from(vec![7u8; T::MaxPaymentRefLen::get() as usize]);

		#[extrinsic_call]
		_(RawOrigin::Signed(core), root, payment_ref);

		assert_eq!(Roots::<T>::get(root).map(|r| r.live), Some(0));
	}

	#[benchmark]
	fn freeze() {
		T::BenchmarkHelper::set_time(T0);
		let core = core::<T>();
		let holder = member::<T>("supplier", 0, Role::Supplier);
		let regulator = member::<T>("regulator", 0, Role::Regulator);
		let id = active::<T>(&core, &holder, T::MinAmount::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(regulator), id, H256::repeat_byte(1));

		assert!(matches!(
			Certificates::<T>::get(id).map(|c| c.status),
			Some(Status::Frozen { .. })
		));
	}

	#[benchmark]
	fn unfreeze() {
		T::BenchmarkHelper::set_time(T0);
		let core = core::<T>();
		let holder = member::<T>("supplier", 0, Role::Supplier);
		let regulator = member::<T>("regulator", 0, Role::Regulator);
		let id = active::<T>(&core, &holder, T::MinAmount::get());
		Receivables::<T>::do_freeze(regulator.clone(), id, H256::repeat_byte(1))
			.expect("freeze works");

		#[extrinsic_call]
		_(RawOrigin::Signed(regulator), id, H256::repeat_byte(2));

		assert_eq!(
			Certificates::<T>::get(id).map(|c| c.status),
			Some(Status::Live(Standing::Active))
		);
	}

	#[benchmark]
	fn freeze_root() {
		T::BenchmarkHelper::set_time(T0);
		let core = core::<T>();
		let holder = member::<T>("supplier", 0, Role::Supplier);
		let regulator = member::<T>("regulator", 0, Role::Regulator);
		let id = active::<T>(&core, &holder, T::MinAmount::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(regulator), id, H256::repeat_byte(1));

		assert!(Roots::<T>::get(id).is_some_and(|r| r.frozen.is_some()));
	}

	#[benchmark]
	fn unfreeze_root(n: Linear<1, { T::MaxLivePerRoot::get() }>) {
		T::BenchmarkHelper::set_time(T0);
		let core = core::<T>();
		let holder = member::<T>("supplier", 0, Role::Supplier);
		let regulator = member::<T>("regulator", 0, Role::Regulator);
		let root = root_with_live::<T>(&core, &holder, n);
		Receivables::<T>::do_freeze_root(regulator.clone(), root, H256::repeat_byte(1))
			.expect("freeze works");

		#[extrinsic_call]
		_(RawOrigin::Signed(regulator), root, H256::repeat_byte(2));

		assert!(Roots::<T>::get(root).is_some_and(|r| r.frozen.is_none()));
	}

	#[benchmark]
	fn sweep_idle() {
		T::BenchmarkHelper::set_time(T0);
		let core = core::<T>();
		let holder = member::<T>("supplier", 0, Role::Supplier);
		// Both queues exist and hold entries that are not due.
		active::<T>(&core, &holder, T::MinAmount::get());
		issued::<T>(&core, &holder, T::MinAmount::get());
		let report;

		#[block]
		{
			report = Receivables::<T>::sweep(T0);
		}

		assert_eq!(report.expired + report.overdue + report.stale, 0);
	}

	#[benchmark]
	fn sweep_expired(n: Linear<1, { T::MaxSweepPerBlock::get() }>) {
		T::BenchmarkHelper::set_time(T0);
		let core = core::<T>();
		let mut deadline = T0;
		for i in 0..n {
			let to = member::<T>("supplier", i, Role::Supplier);
			let id = issued::<T>(&core, &to, T::MinAmount::get());
			if let Some(Status::Live(Standing::PendingAcceptance { deadline: d, .. })) =
				Certificates::<T>::get(id).map(|c| c.status)
			{
				deadline = d;
			}
		}
		sweep_to::<T>(Timer::Acceptance, deadline);
		let now = T::Time::now();
		let report;

		#[block]
		{
			report = Receivables::<T>::sweep(now);
		}

		assert_eq!(report.expired, n);
	}

	#[benchmark]
	fn sweep_overdue(n: Linear<1, { T::MaxSweepPerBlock::get() }>) {
		T::BenchmarkHelper::set_time(T0);
		let core = core::<T>();
		for i in 0..n {
			let to = member::<T>("supplier", i, Role::Supplier);
			active::<T>(&core, &to, T::MinAmount::get());
		}
		sweep_to::<T>(Timer::Maturity, Receivables::<T>::overdue_at(due()));
		// Nothing left in the acceptance queue's way.
		TimerCursor::<T>::remove(Timer::Acceptance);
		let now = T::Time::now();
		let report;

		#[block]
		{
			report = Receivables::<T>::sweep(now);
		}

		assert_eq!(report.overdue, n);
	}

	#[benchmark]
	fn sweep_buckets(n: Linear<0, { T::MaxSweepPerBlock::get() }>) {
		let g = T::TimerGranularity::get();
		// The first bucket of a page, so the n buckets are all in it.
		let first = T0 / g / crate::TIMER_PAGE * crate::TIMER_PAGE;
		TimerCursor::<T>::insert(Timer::Maturity, first);
		// Nothing in the acceptance queue's way (the `dev` genesis starts
		// its cursor at the genesis time).
		TimerCursor::<T>::remove(Timer::Acceptance);
		// An entry in bucket first + n keeps the page counted non-empty, so
		// each empty bucket before it costs a page read and a bucket read
		// (an empty page would be passed in one step).
		TimerQueue::<T>::insert((Timer::Maturity, first + n as u64), CertificateId::MAX, ());
		Receivables::<T>::count_in_page(Timer::Maturity, first + n as u64, true);
		// Buckets first .. first + n - 1 are passable, first + n is not.
		let now = (first + n as u64) * g - 1;
		let report;

		#[block]
		{
			report = Receivables::<T>::sweep(now);
		}

		assert_eq!(report.buckets, n);
	}

	#[benchmark]
	fn prune_idle() {
		T::BenchmarkHelper::set_time(T0);
		let core = core::<T>();
		let holder = member::<T>("supplier", 0, Role::Supplier);
		// A closed root heads the queue, not due yet.
		settled_tree::<T>(&core, &holder, 1);
		let now = T::Time::now();
		let report;

		#[block]
		{
			report = Receivables::<T>::prune(now, 1);
		}

		assert_eq!(report, PruneReport::default());
	}

	#[benchmark]
	fn prune_tree(n: Linear<1, 1_000>) {
		T::BenchmarkHelper::set_time(T0);
		let core = core::<T>();
		let holder = member::<T>("supplier", 0, Role::Supplier);
		let root = settled_tree::<T>(&core, &holder, n);
		let now = T::Time::now().saturating_add(T::PruneAfter::get());
		let report;

		#[block]
		{
			report = Receivables::<T>::prune(now, n + 1);
		}

		assert_eq!(report, PruneReport { certificates: n, roots: 1 });
		assert!(Roots::<T>::get(root).is_none());
	}

	impl_benchmark_test_suite!(Receivables, crate::mock::new_test_ext(), crate::mock::Test);
}
