//! Benchmarks (FRAME v2) for every call and for the settlement hook.
//!
//! The runtime provides participants, certificates and time through
//! [`crate::BenchmarkHelper`]. Each benchmark sets up the worst case its
//! weight covers: factoring where the certificate changes hands, releases of
//! a live reservation, a full-length payment reference.

use super::*;
use crate::Pallet as Financing;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{traits::Get, BoundedVec};
use frame_system::RawOrigin;
use pallet_receivables::{OnCertificateSettled, ReceivableLedger, Standing, Status};
use scf_primitives::Role;

const SEED: u32 = 0;
/// A start time well after the epoch (ms).
/// The benchmarks' time: 2027-01-15, after the presets' genesis time
/// (2026-12-01), where the `dev` chain's timer cursors start: an entry due
/// before a queue's cursor is put in the cursor's bucket.
const T0: Moment = 1_800_000_000_000;
/// The certificates' amount: large enough to split in two above any minimum.
const AMOUNT: Amount = 1 << 40;

fn due() -> Moment {
	T0 + 30 * 24 * 3_600_000
}

fn holder<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("holder", 0, SEED);
	T::BenchmarkHelper::make_participant(&who, Role::Supplier);
	who
}

fn financier<T: Config>() -> T::AccountId {
	let who: T::AccountId = account("financier", 0, SEED);
	T::BenchmarkHelper::make_participant(&who, Role::Financier);
	who
}

fn full_ref<T: Config>() -> PaymentRefOf<T> {
	BoundedVec::truncate_from(vec![7u8; T::MaxPaymentRefLen::get() as usize])
}

/// The offer of every benchmark: expiring after 10 days, to be paid out
/// within 20 (the certificate is due in 30).
fn terms<T: Config>(recourse: bool) -> Terms {
	Terms {
		advance: AMOUNT / 2,
		discount_bps: T::MaxDiscountBps::get(),
		recourse,
		expires: T0 + 10 * 24 * 3_600_000,
		payout_by: T0 + 20 * 24 * 3_600_000,
	}
}

/// A request of `kind` from a fresh holder to a fresh financier on a fresh
/// certificate, at time `T0`. Returns (request, holder, financier).
fn requested<T: Config>(kind: FinancingKind) -> (RequestId, T::AccountId, T::AccountId) {
	T::BenchmarkHelper::set_time(T0);
	let (h, f) = (holder::<T>(), financier::<T>());
	let cert = T::BenchmarkHelper::active_certificate(&h, AMOUNT, due());
	let id = Financing::<T>::do_request(h.clone(), cert, f.clone(), AMOUNT / 2, kind, None)
		.expect("request works");
	(id, h, f)
}

/// As [`requested`], then offered.
fn offered<T: Config>(
	kind: FinancingKind,
	recourse: bool,
) -> (RequestId, T::AccountId, T::AccountId) {
	let (id, h, f) = requested::<T>(kind);
	Financing::<T>::do_offer(f.clone(), id, terms::<T>(recourse)).expect("offer works");
	(id, h, f)
}

/// As [`offered`], then accepted.
fn accepted<T: Config>(
	kind: FinancingKind,
	recourse: bool,
) -> (RequestId, T::AccountId, T::AccountId) {
	let (id, h, f) = offered::<T>(kind, recourse);
	Financing::<T>::do_accept_offer(h.clone(), id, terms::<T>(recourse)).expect("accept works");
	(id, h, f)
}

/// As [`accepted`], then paid out.
fn funded<T: Config>(
	kind: FinancingKind,
	recourse: bool,
) -> (RequestId, T::AccountId, T::AccountId) {
	let (id, h, f) = accepted::<T>(kind, recourse);
	Financing::<T>::do_confirm_payout(f.clone(), id, full_ref::<T>()).expect("payout works");
	(id, h, f)
}

fn state<T: Config>(id: RequestId) -> Stage {
	Requests::<T>::get(id).expect("request exists").state.stage()
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn request() {
		T::BenchmarkHelper::set_time(T0);
		let (h, f) = (holder::<T>(), financier::<T>());
		let cert = T::BenchmarkHelper::active_certificate(&h, AMOUNT, due());

		#[extrinsic_call]
		_(RawOrigin::Signed(h), cert, f, AMOUNT / 2, FinancingKind::Factoring);

		assert!(OpenRequest::<T>::get(cert).is_some());
	}

	#[benchmark]
	fn request_part() {
		T::BenchmarkHelper::set_time(T0);
		let (h, f) = (holder::<T>(), financier::<T>());
		let cert = T::BenchmarkHelper::active_certificate(&h, AMOUNT, due());

		#[extrinsic_call]
		_(RawOrigin::Signed(h), cert, AMOUNT / 2, f, AMOUNT / 4, FinancingKind::Factoring);

		let id = NextRequestId::<T>::get() - 1;
		assert_eq!(state::<T>(id), Stage::Requested);
	}

	#[benchmark]
	fn offer() {
		let (id, _h, f) = requested::<T>(FinancingKind::Factoring);
		let t = terms::<T>(true);

		#[extrinsic_call]
		_(RawOrigin::Signed(f), id, t);

		assert_eq!(state::<T>(id), Stage::Offered);
	}

	#[benchmark]
	fn withdraw_offer() {
		let (id, _h, f) = offered::<T>(FinancingKind::Factoring, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(f), id);

		assert_eq!(state::<T>(id), Stage::Requested);
	}

	#[benchmark]
	fn decline() {
		let (id, _h, f) = offered::<T>(FinancingKind::Factoring, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(f), id);

		assert_eq!(state::<T>(id), Stage::Closed);
	}

	#[benchmark]
	fn accept_offer() {
		let (id, h, _f) = offered::<T>(FinancingKind::Factoring, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(h), id, terms::<T>(true));

		assert_eq!(state::<T>(id), Stage::Accepted);
	}

	#[benchmark]
	fn confirm_payout() {
		let (id, _h, f) = accepted::<T>(FinancingKind::Factoring, true);

		#[extrinsic_call]
		_(RawOrigin::Signed(f), id, full_ref::<T>());

		assert_eq!(state::<T>(id), Stage::Funded);
	}

	#[benchmark]
	fn cancel() {
		// An accepted deal whose payout deadline has passed.
		let (id, h, _f) = accepted::<T>(FinancingKind::Factoring, true);
		T::BenchmarkHelper::set_time(terms::<T>(true).payout_by);

		#[extrinsic_call]
		_(RawOrigin::Signed(h), id);

		assert_eq!(state::<T>(id), Stage::Closed);
	}

	#[benchmark]
	fn exercise_recourse() {
		let (id, _h, f) = funded::<T>(FinancingKind::Factoring, true);
		let cert = Requests::<T>::get(id).expect("request exists").certificate;
		T::BenchmarkHelper::make_overdue(cert);

		#[extrinsic_call]
		_(RawOrigin::Signed(f), id);

		assert_eq!(state::<T>(id), Stage::InRecourse);
	}

	#[benchmark]
	fn confirm_repayment() {
		// A pledge: its release is the ledger step on top.
		let (id, _h, f) = funded::<T>(FinancingKind::Pledge, true);
		let cert = Requests::<T>::get(id).expect("request exists").certificate;
		T::BenchmarkHelper::make_overdue(cert);
		Financing::<T>::do_exercise_recourse(f.clone(), id).expect("recourse works");

		#[extrinsic_call]
		_(RawOrigin::Signed(f), id, full_ref::<T>());

		assert_eq!(state::<T>(id), Stage::Closed);
	}

	#[benchmark]
	fn release_pledge() {
		let (id, h, f) = funded::<T>(FinancingKind::Pledge, true);
		let cert = Requests::<T>::get(id).expect("request exists").certificate;

		#[extrinsic_call]
		_(RawOrigin::Signed(f), id, full_ref::<T>());

		assert_eq!(state::<T>(id), Stage::Closed);
		let view = T::Ledger::view(cert).expect("certificate exists");
		assert_eq!((view.holder, view.status), (h, Status::Live(Standing::Active)));
	}

	#[benchmark]
	fn on_settled() {
		// A pledge in recourse: its claim is cleared on top.
		let (id, h, f) = funded::<T>(FinancingKind::Pledge, true);
		let cert = Requests::<T>::get(id).expect("request exists").certificate;
		T::BenchmarkHelper::make_overdue(cert);
		Financing::<T>::do_exercise_recourse(f.clone(), id).expect("recourse works");
		let view = T::Ledger::view(cert).expect("certificate exists");
		let standing = Standing::Overdue {
			encumbrance: Some(pallet_receivables::Encumbrance::Pledged { pledgee: f }),
		};
		assert_eq!(view.status, Status::Live(standing.clone()));

		#[block]
		{
			<Financing<T> as OnCertificateSettled<T::AccountId>>::on_settled(
				cert,
				&h,
				view.amount,
				&standing,
			);
		}

		assert_eq!(state::<T>(id), Stage::Closed);
	}

	#[benchmark]
	fn prune_requests(n: Linear<0, 1_000>) {
		// One real closed request; `n` copies of it due before it, and it
		// not due yet, so the pruner also reads the next head.
		let (id, h, _f) = requested::<T>(FinancingKind::Factoring);
		Financing::<T>::do_cancel(h, id).expect("cancel works");
		let req = Requests::<T>::get(id).expect("request exists");
		let now = T0.saturating_add(T::PruneAfter::get());
		for i in 0..u64::from(n) {
			let copy = id + 1 + i;
			Requests::<T>::insert(copy, req.clone());
			PruneQueue::<T>::insert(i, (copy, now));
		}
		PruneQueue::<T>::insert(u64::from(n), (id, now + 1));
		PruneQueueRange::<T>::put((0, u64::from(n) + 1));
		let pruned;

		#[block]
		{
			pruned = Financing::<T>::prune(now, n + 1);
		}

		assert_eq!(pruned, n);
		assert!(Requests::<T>::get(id).is_some());
	}

	impl_benchmark_test_suite!(Financing, crate::mock::new_test_ext(), crate::mock::Test);
}
