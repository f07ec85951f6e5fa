//! Pruning: closed requests are deleted `PruneAfter` after they closed, in
//! the order they closed, by `on_idle` within its weight; open ones never.

use super::*;
use crate::{PruneQueue, PruneQueueRange};
use frame_support::{traits::Hooks, weights::Weight};
use sp_runtime::DispatchError;

/// The mock's `PruneAfter` (the config prelude's default).
const PRUNE_AFTER: Moment = 90 * DAY;

fn pruned_events() -> Vec<RequestId> {
	events()
		.into_iter()
		.filter_map(|e| match e {
			Event::RequestPruned { request } => Some(request),
			_ => None,
		})
		.collect()
}

/// Both pallets' `on_idle` with plenty of weight, in the runtime's order.
fn idle() {
	let n = System::block_number();
	Receivables::on_idle(n, Weight::MAX);
	Financing::on_idle(n, Weight::MAX);
}

#[test]
fn closed_requests_go_in_the_order_they_closed_and_open_ones_stay() {
	run_test(|| {
		let (c1, c2, c3) = (certificate(S1, 1_000), certificate(S1, 1_000), certificate(S2, 1_000));
		let cancelled = request(S1, c1, BANK, FinancingKind::Factoring);
		let declined = request(S1, c2, BANK2, FinancingKind::Pledge);
		let open = request(S2, c3, BANK, FinancingKind::Factoring);
		assert_ok!(Financing::cancel(o(S1), cancelled));
		let first_closed = now();
		set_now(now() + DAY);
		assert_ok!(Financing::decline(o(BANK2), declined));
		assert_eq!(PruneQueue::<Test>::get(0), Some((cancelled, first_closed + PRUNE_AFTER)));
		let open_before = req(open);

		set_now(first_closed + PRUNE_AFTER - 1);
		System::reset_events();
		idle();
		assert_eq!(pruned_events(), Vec::<RequestId>::new());

		set_now(first_closed + PRUNE_AFTER);
		idle();
		assert_eq!(pruned_events(), vec![cancelled]);
		assert_eq!(Requests::<Test>::get(cancelled), None);
		assert!(Requests::<Test>::get(declined).is_some());
		check_invariants().expect("invariants hold between prunings");

		set_now(now() + DAY);
		idle();
		assert_eq!(pruned_events(), vec![cancelled, declined]);
		assert_eq!(Requests::<Test>::get(declined), None);
		assert_eq!(req(open), open_before, "an open request is never pruned");
		assert_eq!(PruneQueueRange::<Test>::get(), (2, 2));
	});
}

#[test]
fn a_settled_request_outlives_its_pruned_tree_by_a_block_without_breaking_invariants() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let id = funded(S1, cert, BANK, FinancingKind::Factoring, false);
		settle(cert);
		set_now(now() + PRUNE_AFTER);
		// The ledger's on_idle alone: the tree goes first.
		Receivables::on_idle(System::block_number(), Weight::MAX);
		assert!(pallet_receivables::Certificates::<Test>::get(cert).is_none());
		assert!(Requests::<Test>::get(id).is_some());
		check_invariants().expect("a closed request may outlive its pruned certificate");
		Financing::on_idle(System::block_number(), Weight::MAX);
		assert_eq!(Requests::<Test>::get(id), None);
	});
}

#[test]
fn on_idle_prunes_only_what_its_weight_pays_for() {
	run_test(|| {
		let ids: Vec<_> = (0..3)
			.map(|_| {
				let id = request(S1, certificate(S1, 1_000), BANK, FinancingKind::Factoring);
				assert_ok!(Financing::cancel(o(S1), id));
				id
			})
			.collect();
		set_now(now() + PRUNE_AFTER);
		let fixed = Financing::prune_weight(0);
		let step = Financing::prune_weight(1) - fixed;
		let n = System::block_number();
		assert_eq!(Financing::on_idle(n, fixed + step - Weight::from_parts(1, 0)), Weight::zero());
		assert_eq!(PruneQueueRange::<Test>::get(), (0, 3));
		let given = fixed + step + step;
		let used = Financing::on_idle(n, given);
		assert!(used.all_lte(given), "pruning stays within what it was given");
		assert_eq!(PruneQueueRange::<Test>::get(), (2, 3));
		assert_eq!(Requests::<Test>::get(ids[1]), None);
		assert!(Requests::<Test>::get(ids[2]).is_some());
	});
}

#[test]
fn a_broken_prune_queue_is_caught() {
	run_test(|| {
		let cert = certificate(S1, 1_000);
		let closed = request(S1, cert, BANK, FinancingKind::Factoring);
		assert_ok!(Financing::cancel(o(S1), closed));
		let open = request(S1, cert, BANK, FinancingKind::Factoring);
		let entry = PruneQueue::<Test>::get(0).expect("queued");
		let broken = |msg: &'static str, f: &dyn Fn()| {
			let _ = frame_support::storage::with_storage_layer::<(), DispatchError, _>(|| {
				f();
				assert_eq!(Financing::do_try_state(), Err(sp_runtime::TryRuntimeError::Other(msg)));
				Err(DispatchError::Other("undo"))
			});
			assert_eq!(Financing::do_try_state(), Ok(()));
		};
		broken("prune queue head past its tail", &|| PruneQueueRange::<Test>::put((2, 1)));
		broken("prune queue entries outside its range, or holes in it", &|| {
			PruneQueue::<Test>::insert(7, entry)
		});
		broken("a request queued twice for pruning", &|| {
			PruneQueue::<Test>::insert(1, entry);
			PruneQueueRange::<Test>::put((0, 2));
		});
		broken("prune queue differs from the closed requests", &|| {
			PruneQueue::<Test>::insert(0, (open, entry.1))
		});
	});
}
