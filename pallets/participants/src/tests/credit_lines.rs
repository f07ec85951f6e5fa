//! `grant_credit_line`, `amend_credit_line` and `revoke_credit_line`.

use crate::{
	mock::*, CreditLine, CreditLines, Error, Event, LineStatus, Lines, LinesGranted, Role,
};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

const EXPIRY: u64 = START_MS + 30 * DAY_MS;

/// The line of `financier` for `core`, if any.
pub fn line(core: u64, financier: u64) -> Option<CreditLine<u64>> {
	Lines::<Test>::get(core).into_iter().find(|l| l.financier == financier)
}

fn grant(financier: u64, core: u64, limit: u128, expires_at: u64) -> sp_runtime::DispatchResult {
	Participants::grant_credit_line(RuntimeOrigin::signed(financier), core, limit, expires_at)
}

#[test]
fn financier_grants_a_line() {
	new_test(|| {
		assert_ok!(grant(BANK_A, CORE, 1_000_000, EXPIRY));
		assert_eq!(
			line(CORE, BANK_A),
			Some(CreditLine {
				financier: BANK_A,
				limit: 1_000_000,
				used: 0,
				expires_at: EXPIRY,
				status: LineStatus::Open
			})
		);
		assert_eq!(LinesGranted::<Test>::get(BANK_A), 1);
		assert_eq!(
			last_event(),
			Event::CreditLineGranted {
				financier: BANK_A,
				core: CORE,
				limit: 1_000_000,
				expires_at: EXPIRY,
				used: 0
			}
		);
	});
}

#[test]
fn lines_are_kept_sorted_by_financier() {
	new_test(|| {
		assert_ok!(grant(BANK_C, CORE, 3, EXPIRY));
		assert_ok!(grant(BANK_A, CORE, 1, EXPIRY));
		assert_ok!(grant(BANK_B, CORE, 2, EXPIRY));
		let order: Vec<u64> = Lines::<Test>::get(CORE).iter().map(|l| l.financier).collect();
		assert_eq!(order, vec![BANK_A, BANK_B, BANK_C]);
	});
}

#[test]
fn grant_refusals_on_the_signer() {
	new_test(|| {
		assert_noop!(
			Participants::grant_credit_line(RuntimeOrigin::none(), CORE, 1, EXPIRY),
			DispatchError::BadOrigin
		);
		assert_noop!(grant(OUTSIDER, CORE, 1, EXPIRY), Error::<Test>::NotAdmitted);
		assert_noop!(grant(SUPPLIER, CORE, 1, EXPIRY), Error::<Test>::NotFinancier);
		assert_noop!(grant(OPERATOR, CORE, 1, EXPIRY), Error::<Test>::NotFinancier);
		assert_ok!(Participants::suspend(RuntimeOrigin::root(), BANK_A));
		assert_noop!(grant(BANK_A, CORE, 1, EXPIRY), Error::<Test>::Suspended);
	});
}

#[test]
fn grant_refusals_on_the_grantee() {
	new_test(|| {
		assert_noop!(grant(BANK_A, OUTSIDER, 1, EXPIRY), Error::<Test>::NotAdmitted);
		assert_noop!(grant(BANK_A, SUPPLIER, 1, EXPIRY), Error::<Test>::NotCoreEnterprise);
		assert_noop!(grant(BANK_A, BANK_B, 1, EXPIRY), Error::<Test>::NotCoreEnterprise);
		assert_ok!(Participants::suspend(RuntimeOrigin::signed(OPERATOR), CORE));
		assert_noop!(grant(BANK_A, CORE, 1, EXPIRY), Error::<Test>::CoreSuspended);
	});
}

#[test]
fn a_financier_cannot_grant_itself_a_line() {
	new_test(|| {
		assert_ok!(Participants::set_roles(
			RuntimeOrigin::root(),
			BANK_A,
			roles(&[Role::Financier, Role::CoreEnterprise])
		));
		assert_noop!(grant(BANK_A, BANK_A, 1, EXPIRY), Error::<Test>::OwnLine);
	});
}

#[test]
fn grant_refusals_on_the_terms() {
	new_test(|| {
		assert_noop!(grant(BANK_A, CORE, 0, EXPIRY), Error::<Test>::ZeroLimit);
		assert_noop!(grant(BANK_A, CORE, 1, START_MS), Error::<Test>::ExpiryInPast);
		assert_noop!(grant(BANK_A, CORE, 1, START_MS - 1), Error::<Test>::ExpiryInPast);
		assert_ok!(grant(BANK_A, CORE, 1, START_MS + 1));
		assert_noop!(grant(BANK_A, CORE, 5, EXPIRY), Error::<Test>::LineExists);
	});
}

#[test]
fn a_core_holds_at_most_max_lines() {
	new_test(|| {
		assert_eq!(MAX_LINES, 3);
		assert_ok!(grant(BANK_A, CORE, 1, EXPIRY));
		assert_ok!(grant(BANK_B, CORE, 1, EXPIRY));
		assert_ok!(grant(BANK_C, CORE, 1, EXPIRY));
		assert_noop!(grant(BANK_D, CORE, 1, EXPIRY), Error::<Test>::TooManyLines);
		// Another core is not affected.
		assert_ok!(grant(BANK_D, CORE_2, 1, EXPIRY));
	});
}

#[test]
fn amend_raises_lowers_and_extends() {
	new_test(|| {
		assert_ok!(grant(BANK_A, CORE, 1_000, EXPIRY));
		assert_eq!(Participants::reserve(&CORE, 600, START_MS, 1), Ok(BANK_A));

		assert_ok!(Participants::amend_credit_line(
			RuntimeOrigin::signed(BANK_A),
			CORE,
			5_000,
			EXPIRY + DAY_MS
		));
		let l = line(CORE, BANK_A).unwrap();
		assert_eq!((l.limit, l.used, l.expires_at), (5_000, 600, EXPIRY + DAY_MS));
		assert_eq!(
			last_event(),
			Event::CreditLineAmended {
				financier: BANK_A,
				core: CORE,
				limit: 5_000,
				expires_at: EXPIRY + DAY_MS,
				used: 600
			}
		);

		// Lowering exactly to the amount in use is allowed...
		assert_ok!(Participants::amend_credit_line(
			RuntimeOrigin::signed(BANK_A),
			CORE,
			600,
			EXPIRY
		));
		assert_eq!(line(CORE, BANK_A).unwrap().limit, 600);
		// ...one below is not.
		assert_noop!(
			Participants::amend_credit_line(RuntimeOrigin::signed(BANK_A), CORE, 599, EXPIRY),
			Error::<Test>::LimitBelowUsage
		);
	});
}

#[test]
fn amend_refusals() {
	new_test(|| {
		assert_ok!(grant(BANK_A, CORE, 1_000, EXPIRY));
		let amend = |who: u64, core: u64, limit: u128, expires_at: u64| {
			Participants::amend_credit_line(RuntimeOrigin::signed(who), core, limit, expires_at)
		};
		assert_noop!(
			Participants::amend_credit_line(RuntimeOrigin::none(), CORE, 1, EXPIRY),
			DispatchError::BadOrigin
		);
		assert_noop!(amend(SUPPLIER, CORE, 1, EXPIRY), Error::<Test>::NotFinancier);
		// Only the granting financier: another bank has no such line.
		assert_noop!(amend(BANK_B, CORE, 1, EXPIRY), Error::<Test>::NoCreditLine);
		assert_noop!(amend(BANK_A, CORE_2, 1, EXPIRY), Error::<Test>::NoCreditLine);
		assert_noop!(amend(BANK_A, CORE, 0, EXPIRY), Error::<Test>::ZeroLimit);
		assert_noop!(amend(BANK_A, CORE, 1, START_MS), Error::<Test>::ExpiryInPast);

		assert_eq!(Participants::reserve(&CORE, 10, START_MS, 1), Ok(BANK_A));
		assert_ok!(Participants::revoke_credit_line(RuntimeOrigin::signed(BANK_A), CORE));
		assert_noop!(amend(BANK_A, CORE, 100, EXPIRY), Error::<Test>::LineRevoked);

		assert_ok!(Participants::suspend(RuntimeOrigin::root(), BANK_A));
		assert_noop!(amend(BANK_A, CORE, 100, EXPIRY), Error::<Test>::Suspended);
	});
}

#[test]
fn revoking_an_unused_line_closes_it() {
	new_test(|| {
		assert_ok!(grant(BANK_A, CORE, 1_000, EXPIRY));
		assert_ok!(Participants::revoke_credit_line(RuntimeOrigin::signed(BANK_A), CORE));
		assert_eq!(line(CORE, BANK_A), None);
		assert!(!Lines::<Test>::contains_key(CORE));
		assert!(!LinesGranted::<Test>::contains_key(BANK_A));
		let ev = events();
		assert_eq!(
			ev[ev.len() - 2..].to_vec(),
			vec![
				Event::CreditLineRevoked { financier: BANK_A, core: CORE, used: 0 },
				Event::CreditLineClosed { financier: BANK_A, core: CORE },
			]
		);
		// A new line may be granted afresh.
		assert_ok!(grant(BANK_A, CORE, 7, EXPIRY));
	});
}

#[test]
fn revoking_a_line_in_use_winds_it_down() {
	new_test(|| {
		assert_ok!(grant(BANK_A, CORE, 1_000, EXPIRY));
		assert_eq!(Participants::reserve(&CORE, 300, START_MS, 1), Ok(BANK_A));
		assert_eq!(Participants::reserve(&CORE, 200, START_MS, 1), Ok(BANK_A));
		assert_ok!(Participants::revoke_credit_line(RuntimeOrigin::signed(BANK_A), CORE));
		assert_eq!(
			last_event(),
			Event::CreditLineRevoked { financier: BANK_A, core: CORE, used: 500 }
		);
		let l = line(CORE, BANK_A).unwrap();
		assert_eq!((l.status, l.used), (LineStatus::WindingDown, 500));

		// Certificates already issued keep their backing; nothing new is.
		assert_noop!(Participants::reserve(&CORE, 1, START_MS, 1), Error::<Test>::NoCreditLine);
		assert_noop!(
			Participants::revoke_credit_line(RuntimeOrigin::signed(BANK_A), CORE),
			Error::<Test>::LineRevoked
		);

		Participants::release(&CORE, &BANK_A, 300, 1);
		assert_eq!(line(CORE, BANK_A).unwrap().used, 200);
		Participants::release(&CORE, &BANK_A, 200, 1);
		// The last release closes the line.
		assert_eq!(line(CORE, BANK_A), None);
		assert_eq!(LinesGranted::<Test>::get(BANK_A), 0);
		assert_eq!(last_event(), Event::CreditLineClosed { financier: BANK_A, core: CORE });
	});
}

#[test]
fn granting_again_reopens_a_winding_down_line() {
	new_test(|| {
		assert_ok!(grant(BANK_A, CORE, 1_000, EXPIRY));
		assert_eq!(Participants::reserve(&CORE, 400, START_MS, 1), Ok(BANK_A));
		assert_ok!(Participants::revoke_credit_line(RuntimeOrigin::signed(BANK_A), CORE));
		assert_noop!(grant(BANK_A, CORE, 399, EXPIRY), Error::<Test>::LimitBelowUsage);
		assert_ok!(grant(BANK_A, CORE, 2_000, EXPIRY + DAY_MS));
		assert_eq!(
			last_event(),
			Event::CreditLineGranted {
				financier: BANK_A,
				core: CORE,
				limit: 2_000,
				expires_at: EXPIRY + DAY_MS,
				used: 400
			}
		);
		assert_eq!(LinesGranted::<Test>::get(BANK_A), 1);
		assert_eq!(Participants::reserve(&CORE, 1_600, START_MS, 1), Ok(BANK_A));
	});
}

#[test]
fn revoke_refusals() {
	new_test(|| {
		assert_noop!(
			Participants::revoke_credit_line(RuntimeOrigin::none(), CORE),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Participants::revoke_credit_line(RuntimeOrigin::signed(BANK_A), CORE),
			Error::<Test>::NoCreditLine
		);
		assert_ok!(grant(BANK_A, CORE, 1_000, EXPIRY));
		assert_noop!(
			Participants::revoke_credit_line(RuntimeOrigin::signed(BANK_B), CORE),
			Error::<Test>::NoCreditLine
		);
		assert_noop!(
			Participants::revoke_credit_line(RuntimeOrigin::signed(CORE), CORE),
			Error::<Test>::NotFinancier
		);
		assert_ok!(Participants::suspend(RuntimeOrigin::root(), BANK_A));
		assert_noop!(
			Participants::revoke_credit_line(RuntimeOrigin::signed(BANK_A), CORE),
			Error::<Test>::Suspended
		);
	});
}
