//! The timer queues' upkeep: the genesis time, one entry per timed
//! certificate (deleted when it leaves the timed standing), and the page
//! index that lets a cursor far behind catch up.

use super::*;
use crate::{GenesisConfig, TimerCursor, TimerPages, TimerQueue, TIMER_PAGE};
use sp_runtime::BuildStorage;

fn o(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// The certificates with an entry in `timer`'s queue.
fn queued(timer: Timer) -> Vec<CertificateId> {
	let mut ids: Vec<_> = TimerQueue::<Test>::iter_keys()
		.filter(|((t, _), _)| *t == timer)
		.map(|(_, id)| id)
		.collect();
	ids.sort();
	ids
}

/// Storage built from a receivables genesis, with the timestamp at 0 as it
/// is before the first block.
fn genesis_ext(genesis_time: Moment, due: Moment) -> sp_io::TestExternalities {
	reset_mocks();
	set_now(0);
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		receivables: GenesisConfig { genesis_time, certificates: vec![(CORE, S1, 1_000, due)] },
	}
	.build_storage()
	.expect("the genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

#[test]
fn genesis_certificates_and_the_cursors_start_at_the_genesis_time() {
	let due = START + 30 * DAY;
	genesis_ext(START, due).execute_with(|| {
		let id = 1;
		assert_eq!(status(id), Status::Live(Standing::Active));
		// The cursor starts at the genesis time, not at 1970.
		assert_eq!(TimerCursor::<Test>::get(Timer::Maturity), Some(START / GRANULARITY));
		assert_eq!(queued(Timer::Maturity), vec![id]);
		// The first block (its `on_initialize` still sees timestamp 0, so
		// the genesis time) and a day later: not overdue.
		next_block();
		set_now(START + DAY);
		next_block();
		assert_eq!(status(id), Status::Live(Standing::Active));
		// After the due date and the grace, it is.
		advance_to(due + GRACE + GRANULARITY, DAY);
		assert!(matches!(status(id), Status::Live(Standing::Overdue { .. })));
		Receivables::do_try_state().expect("invariants hold");
	});
}

#[test]
#[should_panic(expected = "certificates need a genesis_time")]
fn genesis_certificates_without_a_genesis_time_are_refused() {
	genesis_ext(0, 30 * DAY);
}

#[test]
fn an_entry_goes_when_its_certificate_leaves_the_timed_standing() {
	run_test(|| {
		let root = issue_to(S1, 1_000);
		assert_eq!(queued(Timer::Acceptance), vec![root]);
		// Accepted: the acceptance entry goes, a maturity entry comes.
		assert_ok!(Receivables::accept(o(S1), root));
		assert_eq!(queued(Timer::Acceptance), Vec::<CertificateId>::new());
		assert_eq!(queued(Timer::Maturity), vec![root]);
		// Split: the parent's entry goes; the offer and the remainder get one.
		assert_ok!(Receivables::split_transfer(o(S1), root, parts(&[(S2, 400)]), docs(2)));
		let (offer, rest) = (root + 1, root + 2);
		assert_eq!(queued(Timer::Acceptance), vec![offer]);
		assert_eq!(queued(Timer::Maturity), vec![rest]);
		// Rejected: the offer goes back to S1, active, with a maturity entry.
		assert_ok!(Receivables::reject(o(S2), offer));
		assert_eq!(queued(Timer::Acceptance), Vec::<CertificateId>::new());
		assert_eq!(queued(Timer::Maturity), vec![offer, rest]);
		// Frozen: its entry goes; unfrozen: it comes back.
		assert_ok!(Receivables::freeze(o(REG), rest, reason(1)));
		assert_eq!(queued(Timer::Maturity), vec![offer]);
		Receivables::do_try_state().expect("invariants hold while frozen");
		assert_ok!(Receivables::unfreeze(o(REG), rest, reason(2)));
		assert_eq!(queued(Timer::Maturity), vec![offer, rest]);
		// Settled: every entry of the root goes.
		set_now(cert(root).due);
		assert_ok!(Receivables::settle(o(CORE), root, BoundedVec::truncate_from(b"P".to_vec())));
		assert_eq!(queued(Timer::Maturity), Vec::<CertificateId>::new());
		assert_eq!(TimerPages::<Test>::iter().count(), 0, "no page counts an entry");
	});
}

#[test]
fn a_revoked_root_leaves_no_entry() {
	run_test(|| {
		let root = issue_to(S1, 1_000);
		assert_ok!(Receivables::revoke(o(CORE), root));
		assert_eq!(queued(Timer::Acceptance), Vec::<CertificateId>::new());
		assert_eq!(TimerPages::<Test>::iter().count(), 0);
	});
}

#[test]
fn a_cursor_far_behind_passes_empty_pages_in_one_step_each() {
	run_test(|| {
		// Due 300 days ahead: about seven pages of hourly buckets lie
		// between the cursor and the maturity entry.
		let root = crate::NextCertificateId::<Test>::get();
		assert_ok!(Receivables::issue(o(CORE), S1, 1_000, due_in(300), docs(1)));
		assert_ok!(Receivables::accept(o(S1), root));
		let overdue_at = Receivables::overdue_at(cert(root).due);
		let cursor = TimerCursor::<Test>::get(Timer::Maturity).expect("the queue has a cursor");
		let entry_bucket = overdue_at.div_ceil(GRANULARITY);
		let buckets_between = entry_bucket - cursor;
		assert!(buckets_between > 2 * TIMER_PAGE, "the test spans several pages");
		// The chain was stopped until well after it.
		set_now(overdue_at + 10 * DAY);
		let mut steps = 0;
		let mut blocks = 0;
		while matches!(status(root), Status::Live(Standing::Active)) {
			let report = Receivables::sweep(now());
			steps += report.buckets;
			blocks += 1;
			assert!(blocks < 1_000, "the sweep makes progress");
		}
		assert!(matches!(status(root), Status::Live(Standing::Overdue { .. })));
		// At most one step per empty page (in either queue: the acceptance
		// queue is empty) and one per bucket of the page that holds the
		// entry: far fewer than the buckets in between.
		let pages = buckets_between / TIMER_PAGE + 1;
		assert!(
			(steps as u64) <= 2 * pages + TIMER_PAGE,
			"{steps} steps for {buckets_between} buckets ({pages} pages)"
		);
		// The queue goes on to the present through the empty pages after it.
		while !sweeps_caught_up() {
			next_block();
		}
		let cursor = TimerCursor::<Test>::get(Timer::Maturity).expect("cursor");
		assert!(cursor >= now() / GRANULARITY, "the cursor is at the present");
	});
}

#[test]
fn an_entry_scheduled_behind_the_cursor_is_swept_in_the_cursor_bucket() {
	run_test(|| {
		let root = active_root(S1, 1_000);
		let due = cert(root).due;
		// Frozen, then unfrozen after it fell due: scheduled again in the
		// current bucket, so the next sweep marks it overdue.
		assert_ok!(Receivables::freeze(o(REG), root, reason(1)));
		advance_to(Receivables::overdue_at(due) + 3 * GRANULARITY, DAY);
		assert_eq!(queued(Timer::Maturity), Vec::<CertificateId>::new());
		assert_ok!(Receivables::unfreeze(o(REG), root, reason(2)));
		assert_eq!(queued(Timer::Maturity), vec![root]);
		let cursor = TimerCursor::<Test>::get(Timer::Maturity).expect("cursor");
		assert!(TimerQueue::<Test>::contains_key((Timer::Maturity, cursor), root));
		set_now(now() + GRANULARITY);
		next_block();
		assert!(matches!(status(root), Status::Live(Standing::Overdue { .. })));
	});
}
