//! `do_try_state` catches broken invariants (so the check in every other
//! test means something).

use crate::{
	mock::*, CreditLine, LineStatus, Lines, LinesGranted, Participants as ParticipantsMap, Role,
};
use frame_support::assert_ok;

const EXPIRY: u64 = START_MS + DAY_MS;

fn with_line(test: impl FnOnce()) {
	ExtBuilder::default().with_line(BANK_A, CORE, 1_000, EXPIRY).build().execute_with(|| {
		assert_ok!(Participants::do_try_state());
		test();
	});
}

fn corrupt_line(f: impl FnOnce(&mut CreditLine<u64>)) {
	Lines::<Test>::mutate(CORE, |lines| f(&mut lines[0]));
}

#[test]
fn usage_above_the_limit_is_caught() {
	with_line(|| {
		corrupt_line(|l| l.used = 1_001);
		assert_eq!(Participants::do_try_state(), Err("credit line usage exceeds its limit".into()));
	});
}

#[test]
fn a_line_from_a_non_financier_is_caught() {
	with_line(|| {
		ParticipantsMap::<Test>::mutate(BANK_A, |p| {
			p.as_mut().unwrap().roles = roles(&[Role::Supplier]);
		});
		assert_eq!(Participants::do_try_state(), Err("line granted by a non-financier".into()));
	});
}

#[test]
fn a_line_to_a_non_core_enterprise_is_caught() {
	with_line(|| {
		ParticipantsMap::<Test>::mutate(CORE, |p| {
			p.as_mut().unwrap().roles = roles(&[Role::Supplier]);
		});
		assert_eq!(Participants::do_try_state(), Err("line held by a non-core enterprise".into()));
	});
}

#[test]
fn a_wrong_line_count_is_caught() {
	with_line(|| {
		LinesGranted::<Test>::insert(BANK_A, 2);
		assert_eq!(
			Participants::do_try_state(),
			Err("LinesGranted out of step with the lines".into())
		);
	});
}

#[test]
fn a_closed_winding_down_line_left_behind_is_caught() {
	with_line(|| {
		corrupt_line(|l| l.status = LineStatus::WindingDown);
		assert_eq!(
			Participants::do_try_state(),
			Err("winding-down line with nothing in use".into())
		);
	});
}

#[test]
fn a_participant_without_a_provider_is_caught() {
	with_line(|| {
		assert_ok!(frame_system::Pallet::<Test>::dec_providers(&SUPPLIER));
		assert_eq!(
			Participants::do_try_state(),
			Err("participant account without a provider".into())
		);
	});
}
