//! `suspend` and `readmit`.

use crate::{
	mock::*, Authority, Error, Event, ParticipantRegistry, ParticipantStatus,
	Participants as ParticipantsMap, Role,
};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

fn status(who: u64) -> ParticipantStatus {
	ParticipantsMap::<Test>::get(who).unwrap().status
}

#[test]
fn operator_suspends_and_readmits_a_participant() {
	new_test(|| {
		assert_ok!(Participants::suspend(RuntimeOrigin::signed(OPERATOR), SUPPLIER));
		assert_eq!(status(SUPPLIER), ParticipantStatus::Suspended);
		assert!(!Participants::is_active(&SUPPLIER));
		assert!(!Participants::has_role(&SUPPLIER, Role::Supplier));
		assert_eq!(
			last_event(),
			Event::Suspended { who: SUPPLIER, by: Authority::Operator(OPERATOR) }
		);

		assert_ok!(Participants::readmit(RuntimeOrigin::signed(OPERATOR_2), SUPPLIER));
		assert_eq!(status(SUPPLIER), ParticipantStatus::Active);
		assert!(Participants::has_role(&SUPPLIER, Role::Supplier));
		assert_eq!(
			last_event(),
			Event::Readmitted { who: SUPPLIER, by: Authority::Operator(OPERATOR_2) }
		);
	});
}

#[test]
fn suspension_keeps_the_record() {
	new_test(|| {
		let before = ParticipantsMap::<Test>::get(CORE).unwrap();
		assert_ok!(Participants::suspend(RuntimeOrigin::signed(OPERATOR), CORE));
		let after = ParticipantsMap::<Test>::get(CORE).unwrap();
		assert_eq!((after.name, after.uscc, after.roles), (before.name, before.uscc, before.roles));
	});
}

#[test]
fn operators_cannot_suspend_operators_or_themselves() {
	new_test(|| {
		assert_noop!(
			Participants::suspend(RuntimeOrigin::signed(OPERATOR), OPERATOR_2),
			Error::<Test>::GovernanceRequired
		);
		assert_noop!(
			Participants::suspend(RuntimeOrigin::signed(OPERATOR), OPERATOR),
			Error::<Test>::GovernanceRequired
		);
	});
}

#[test]
fn governance_suspends_and_readmits_an_operator() {
	new_test(|| {
		assert_ok!(Participants::suspend(RuntimeOrigin::root(), OPERATOR_2));
		assert_eq!(last_event(), Event::Suspended { who: OPERATOR_2, by: Authority::Governance });
		// A suspended operator can do nothing, including re-admit itself.
		assert_noop!(
			Participants::readmit(RuntimeOrigin::signed(OPERATOR_2), OPERATOR_2),
			Error::<Test>::Suspended
		);
		assert_noop!(
			Participants::suspend(RuntimeOrigin::signed(OPERATOR_2), SUPPLIER),
			Error::<Test>::Suspended
		);
		// Another operator may not re-admit it either.
		assert_noop!(
			Participants::readmit(RuntimeOrigin::signed(OPERATOR), OPERATOR_2),
			Error::<Test>::GovernanceRequired
		);
		assert_ok!(Participants::readmit(RuntimeOrigin::root(), OPERATOR_2));
		assert_eq!(status(OPERATOR_2), ParticipantStatus::Active);
	});
}

#[test]
fn suspend_refusals() {
	new_test(|| {
		assert_noop!(
			Participants::suspend(RuntimeOrigin::none(), SUPPLIER),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Participants::suspend(RuntimeOrigin::signed(OUTSIDER), SUPPLIER),
			Error::<Test>::NotOperator
		);
		assert_noop!(
			Participants::suspend(RuntimeOrigin::signed(BANK_A), SUPPLIER),
			Error::<Test>::NotOperator
		);
		assert_noop!(
			Participants::suspend(RuntimeOrigin::signed(OPERATOR), OUTSIDER),
			Error::<Test>::NotAdmitted
		);
		assert_ok!(Participants::suspend(RuntimeOrigin::signed(OPERATOR), SUPPLIER));
		assert_noop!(
			Participants::suspend(RuntimeOrigin::signed(OPERATOR), SUPPLIER),
			Error::<Test>::AlreadySuspended
		);
	});
}

#[test]
fn readmit_refusals() {
	new_test(|| {
		assert_noop!(
			Participants::readmit(RuntimeOrigin::none(), SUPPLIER),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Participants::readmit(RuntimeOrigin::signed(SUPPLIER), SUPPLIER),
			Error::<Test>::NotOperator
		);
		assert_noop!(
			Participants::readmit(RuntimeOrigin::signed(OPERATOR), OUTSIDER),
			Error::<Test>::NotAdmitted
		);
		assert_noop!(
			Participants::readmit(RuntimeOrigin::signed(OPERATOR), SUPPLIER),
			Error::<Test>::NotSuspended
		);
	});
}
