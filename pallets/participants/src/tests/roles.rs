//! `set_roles`.

use crate::{
	mock::*, Authority, Error, Event, ParticipantRegistry, Participants as ParticipantsMap, Role,
};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

fn roles_of(who: u64) -> Vec<Role> {
	ParticipantsMap::<Test>::get(who).unwrap().roles.to_vec()
}

#[test]
fn operator_changes_roles() {
	new_test(|| {
		assert_ok!(Participants::set_roles(
			RuntimeOrigin::signed(OPERATOR),
			SUPPLIER,
			roles(&[Role::Supplier, Role::CoreEnterprise])
		));
		assert_eq!(roles_of(SUPPLIER), vec![Role::CoreEnterprise, Role::Supplier]);
		assert!(Participants::has_role(&SUPPLIER, Role::CoreEnterprise));
		assert_eq!(
			last_event(),
			Event::RolesChanged {
				who: SUPPLIER,
				old: roles(&[Role::Supplier]),
				new: roles(&[Role::CoreEnterprise, Role::Supplier]),
				by: Authority::Operator(OPERATOR),
			}
		);
	});
}

#[test]
fn roles_of_a_suspended_participant_can_change() {
	new_test(|| {
		assert_ok!(Participants::suspend(RuntimeOrigin::signed(OPERATOR), SUPPLIER));
		assert_ok!(Participants::set_roles(
			RuntimeOrigin::root(),
			SUPPLIER,
			roles(&[Role::Regulator])
		));
		assert_eq!(roles_of(SUPPLIER), vec![Role::Regulator]);
		// Holding a role is not acting in it while suspended.
		assert!(!Participants::has_role(&SUPPLIER, Role::Regulator));
	});
}

#[test]
fn only_governance_grants_or_removes_the_operator_role() {
	new_test(|| {
		assert_noop!(
			Participants::set_roles(
				RuntimeOrigin::signed(OPERATOR),
				BANK_A,
				roles(&[Role::Financier, Role::Operator])
			),
			Error::<Test>::GovernanceRequired
		);
		assert_noop!(
			Participants::set_roles(
				RuntimeOrigin::signed(OPERATOR),
				OPERATOR_2,
				roles(&[Role::Financier])
			),
			Error::<Test>::GovernanceRequired
		);
		// Not even an operator's other roles.
		assert_noop!(
			Participants::set_roles(
				RuntimeOrigin::signed(OPERATOR),
				OPERATOR_2,
				roles(&[Role::Operator])
			),
			Error::<Test>::GovernanceRequired
		);
		// Nor its own.
		assert_noop!(
			Participants::set_roles(
				RuntimeOrigin::signed(OPERATOR),
				OPERATOR,
				roles(&[Role::Supplier])
			),
			Error::<Test>::GovernanceRequired
		);

		assert_ok!(Participants::set_roles(
			RuntimeOrigin::root(),
			BANK_A,
			roles(&[Role::Financier, Role::Operator])
		));
		assert!(Participants::has_role(&BANK_A, Role::Operator));
		assert_ok!(Participants::set_roles(
			RuntimeOrigin::root(),
			OPERATOR_2,
			roles(&[Role::Financier])
		));
		assert!(!Participants::has_role(&OPERATOR_2, Role::Operator));
		assert_noop!(
			Participants::suspend(RuntimeOrigin::signed(OPERATOR_2), SUPPLIER),
			Error::<Test>::NotOperator
		);
	});
}

#[test]
fn refusals() {
	new_test(|| {
		assert_noop!(
			Participants::set_roles(RuntimeOrigin::none(), SUPPLIER, roles(&[Role::Regulator])),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Participants::set_roles(
				RuntimeOrigin::signed(REGULATOR),
				SUPPLIER,
				roles(&[Role::Regulator])
			),
			Error::<Test>::NotOperator
		);
		assert_noop!(
			Participants::set_roles(
				RuntimeOrigin::signed(OPERATOR),
				OUTSIDER,
				roles(&[Role::Regulator])
			),
			Error::<Test>::NotAdmitted
		);
		assert_noop!(
			Participants::set_roles(RuntimeOrigin::signed(OPERATOR), SUPPLIER, roles(&[])),
			Error::<Test>::NoRoles
		);
		assert_noop!(
			Participants::set_roles(
				RuntimeOrigin::signed(OPERATOR),
				SUPPLIER,
				roles(&[Role::Supplier, Role::Supplier])
			),
			Error::<Test>::RolesUnchanged
		);
	});
}

#[test]
fn a_role_backing_credit_lines_cannot_be_removed() {
	new_test(|| {
		let expiry = START_MS + DAY_MS;
		assert_ok!(Participants::grant_credit_line(
			RuntimeOrigin::signed(BANK_A),
			CORE,
			1_000,
			expiry
		));
		assert_noop!(
			Participants::set_roles(RuntimeOrigin::root(), BANK_A, roles(&[Role::Supplier])),
			Error::<Test>::HasCreditLines
		);
		assert_noop!(
			Participants::set_roles(
				RuntimeOrigin::signed(OPERATOR),
				CORE,
				roles(&[Role::Supplier])
			),
			Error::<Test>::HasCreditLines
		);
		// Adding a role is fine.
		assert_ok!(Participants::set_roles(
			RuntimeOrigin::signed(OPERATOR),
			CORE,
			roles(&[Role::CoreEnterprise, Role::Supplier])
		));
		// Once the line is closed, the roles can go.
		assert_ok!(Participants::revoke_credit_line(RuntimeOrigin::signed(BANK_A), CORE));
		assert_ok!(Participants::set_roles(
			RuntimeOrigin::root(),
			BANK_A,
			roles(&[Role::Supplier])
		));
		assert_ok!(Participants::set_roles(
			RuntimeOrigin::signed(OPERATOR),
			CORE,
			roles(&[Role::Supplier])
		));
	});
}

/// A financier with open financing deals keeps its role: otherwise a deal
/// would be left with a party that can no longer pay out, decline or
/// confirm a repayment.
#[test]
fn the_financier_role_cannot_be_dropped_under_open_deals() {
	new_test(|| {
		OpenDeals::set(1);
		assert_noop!(
			Participants::set_roles(RuntimeOrigin::root(), BANK_A, roles(&[Role::Supplier])),
			Error::<Test>::HasOpenDeals
		);
		// Other roles may still change: keeping `Financier` is fine.
		assert_ok!(Participants::set_roles(
			RuntimeOrigin::root(),
			BANK_A,
			roles(&[Role::Financier, Role::Supplier])
		));
		OpenDeals::set(0);
		assert_ok!(Participants::set_roles(
			RuntimeOrigin::root(),
			BANK_A,
			roles(&[Role::Supplier])
		));
	});
}

/// One bank's operator must not mint a regulator (who could freeze every
/// root) or a financier, take those roles away, or suspend their holders (a
/// competitor): only governance may.
#[test]
fn only_governance_grants_removes_or_suspends_regulators_and_financiers() {
	new_test(|| {
		let op = RuntimeOrigin::signed(OPERATOR);
		for role in [Role::Regulator, Role::Financier] {
			assert_noop!(
				Participants::set_roles(op.clone(), SUPPLIER, roles(&[Role::Supplier, role])),
				Error::<Test>::GovernanceRequired
			);
			assert_noop!(
				Participants::admit(op.clone(), 77, name("新银行"), uscc_of(77), roles(&[role])),
				Error::<Test>::GovernanceRequired
			);
		}
		// Not taken away, nor their holders suspended.
		assert_noop!(
			Participants::set_roles(op.clone(), REGULATOR, roles(&[Role::Supplier])),
			Error::<Test>::GovernanceRequired
		);
		assert_noop!(
			Participants::suspend(op.clone(), REGULATOR),
			Error::<Test>::GovernanceRequired
		);
		assert_noop!(Participants::suspend(op.clone(), BANK_B), Error::<Test>::GovernanceRequired);
		// Governance may.
		assert_ok!(Participants::set_roles(
			RuntimeOrigin::root(),
			SUPPLIER,
			roles(&[Role::Supplier, Role::Regulator])
		));
		assert!(Participants::has_role(&SUPPLIER, Role::Regulator));
		assert_ok!(Participants::suspend(RuntimeOrigin::root(), BANK_B));
		assert!(matches!(last_event(), Event::Suspended { by: Authority::Governance, .. }));
	});
}
