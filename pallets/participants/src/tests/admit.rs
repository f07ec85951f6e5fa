//! `admit`.

use crate::{
	mock::*, Authority, Error, Event, ParticipantInfo, ParticipantStatus,
	Participants as ParticipantsMap, Role, Uscc, UsccOwner,
};
use frame_support::{assert_noop, assert_ok, traits::ConstU32};
use sp_runtime::DispatchError;

const NEW: u64 = 50;
const HUAWEI: &[u8; 18] = b"914403001922038216";

fn admit(
	origin: RuntimeOrigin,
	who: u64,
	uscc: [u8; 18],
	r: &[Role],
) -> sp_runtime::DispatchResult {
	Participants::admit(origin, who, name("新供应商有限公司"), uscc, roles(r))
}

#[test]
fn operator_admits_a_supplier() {
	new_test(|| {
		assert_eq!(System::providers(&NEW), 0);
		assert_ok!(admit(RuntimeOrigin::signed(OPERATOR), NEW, *HUAWEI, &[Role::Supplier]));

		let info: ParticipantInfo<ConstU32<64>> = ParticipantsMap::<Test>::get(NEW).unwrap();
		assert_eq!(info.name.to_vec(), "新供应商有限公司".as_bytes().to_vec());
		assert_eq!(info.uscc, Uscc(*HUAWEI));
		assert_eq!(info.roles.to_vec(), vec![Role::Supplier]);
		assert_eq!(info.status, ParticipantStatus::Active);
		assert_eq!(UsccOwner::<Test>::get(Uscc(*HUAWEI)), Some(NEW));
		// The account now exists without a balance.
		assert_eq!(System::providers(&NEW), 1);
		assert_eq!(
			last_event(),
			Event::Admitted {
				who: NEW,
				name: name("新供应商有限公司"),
				uscc: Uscc(*HUAWEI),
				roles: roles(&[Role::Supplier]),
				by: Authority::Operator(OPERATOR),
			}
		);
	});
}

#[test]
fn roles_are_sorted_and_deduplicated() {
	new_test(|| {
		assert_ok!(admit(
			RuntimeOrigin::root(),
			NEW,
			*HUAWEI,
			&[Role::Financier, Role::Supplier, Role::Financier, Role::CoreEnterprise]
		));
		assert_eq!(
			ParticipantsMap::<Test>::get(NEW).unwrap().roles.to_vec(),
			vec![Role::CoreEnterprise, Role::Supplier, Role::Financier]
		);
	});
}

#[test]
fn governance_admits_an_operator() {
	new_test(|| {
		assert_ok!(admit(RuntimeOrigin::root(), NEW, *HUAWEI, &[Role::Operator, Role::Financier]));
		assert!(matches!(last_event(), Event::Admitted { by: Authority::Governance, .. }));
		// The new operator can admit at once.
		assert_ok!(admit(RuntimeOrigin::signed(NEW), 51, uscc_of(51), &[Role::Supplier]));
	});
}

#[test]
fn only_governance_admits_operators() {
	new_test(|| {
		assert_noop!(
			admit(RuntimeOrigin::signed(OPERATOR), NEW, *HUAWEI, &[Role::Operator]),
			Error::<Test>::GovernanceRequired
		);
		assert_noop!(
			admit(RuntimeOrigin::signed(OPERATOR), NEW, *HUAWEI, &[Role::Supplier, Role::Operator]),
			Error::<Test>::GovernanceRequired
		);
	});
}

#[test]
fn refuses_bad_origins() {
	new_test(|| {
		assert_noop!(
			admit(RuntimeOrigin::none(), NEW, *HUAWEI, &[Role::Supplier]),
			DispatchError::BadOrigin
		);
		assert_noop!(
			admit(RuntimeOrigin::signed(OUTSIDER), NEW, *HUAWEI, &[Role::Supplier]),
			Error::<Test>::NotOperator
		);
		// Participants without the Operator role, even a regulator or a bank.
		for who in [SUPPLIER, REGULATOR, BANK_A, CORE] {
			assert_noop!(
				admit(RuntimeOrigin::signed(who), NEW, *HUAWEI, &[Role::Supplier]),
				Error::<Test>::NotOperator
			);
		}
	});
}

#[test]
fn suspended_operator_cannot_admit() {
	new_test(|| {
		assert_ok!(Participants::suspend(RuntimeOrigin::root(), OPERATOR));
		assert_noop!(
			admit(RuntimeOrigin::signed(OPERATOR), NEW, *HUAWEI, &[Role::Supplier]),
			Error::<Test>::Suspended
		);
	});
}

#[test]
fn refuses_an_existing_participant() {
	new_test(|| {
		assert_noop!(
			admit(RuntimeOrigin::signed(OPERATOR), SUPPLIER, *HUAWEI, &[Role::Supplier]),
			Error::<Test>::AlreadyAdmitted
		);
	});
}

#[test]
fn refuses_an_invalid_uscc() {
	new_test(|| {
		for bad in [
			*b"914403001922038217",
			*b"91440300I922038216",
			*b"91230184ma1buflt44",
			*b"91350211M00013FA1N",
		] {
			assert_noop!(
				admit(RuntimeOrigin::signed(OPERATOR), NEW, bad, &[Role::Supplier]),
				Error::<Test>::InvalidUscc
			);
		}
	});
}

#[test]
fn refuses_a_uscc_held_by_another_participant() {
	new_test(|| {
		assert_noop!(
			admit(RuntimeOrigin::signed(OPERATOR), NEW, uscc_of(SUPPLIER), &[Role::Supplier]),
			Error::<Test>::UsccTaken
		);
	});
}

#[test]
fn refuses_an_empty_or_non_utf8_name() {
	new_test(|| {
		assert_noop!(
			Participants::admit(
				RuntimeOrigin::signed(OPERATOR),
				NEW,
				name(""),
				*HUAWEI,
				roles(&[Role::Supplier])
			),
			Error::<Test>::InvalidName
		);
		let not_utf8 = vec![0xff, 0xfe, 0x41].try_into().unwrap();
		assert_noop!(
			Participants::admit(
				RuntimeOrigin::signed(OPERATOR),
				NEW,
				not_utf8,
				*HUAWEI,
				roles(&[Role::Supplier])
			),
			Error::<Test>::InvalidName
		);
	});
}

#[test]
fn refuses_no_roles() {
	new_test(|| {
		assert_noop!(
			admit(RuntimeOrigin::signed(OPERATOR), NEW, *HUAWEI, &[]),
			Error::<Test>::NoRoles
		);
	});
}
