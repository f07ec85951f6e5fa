//! `CheckParticipant`: who may submit, and how many per block.

use crate::{
	extension::{has_room_this_block, Pre, SUSPENDED_SIGNER},
	mock::*,
	CheckParticipant, TxCount, WeightInfo,
};
use frame_support::{assert_ok, dispatch::DispatchInfo, pallet_prelude::TransactionSource};
use sp_runtime::{
	traits::{DispatchTransaction, TransactionExtension, TxBaseImplication},
	transaction_validity::{InvalidTransaction, TransactionValidityError, ValidTransaction},
};

fn call() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![1, 2, 3] })
}

/// Pool validation of a signed transaction.
fn validate(who: u64) -> Result<ValidTransaction, TransactionValidityError> {
	CheckParticipant::<Test>::new()
		.validate_only(
			RuntimeOrigin::signed(who),
			&call(),
			&DispatchInfo::default(),
			0,
			TransactionSource::External,
			0,
		)
		.map(|(valid, _, _)| valid)
}

/// What block building and import do: validate, then prepare.
fn apply(who: u64) -> Result<(), TransactionValidityError> {
	CheckParticipant::<Test>::new()
		.validate_and_prepare(RuntimeOrigin::signed(who), &call(), &DispatchInfo::default(), 0, 0)
		.map(|_| ())
}

#[test]
fn a_non_participant_is_refused_in_the_pool() {
	new_test(|| {
		assert_eq!(validate(OUTSIDER).err(), Some(InvalidTransaction::BadSigner.into()));
		assert_eq!(apply(OUTSIDER).err(), Some(InvalidTransaction::BadSigner.into()));
		assert!(!TxCount::<Test>::contains_key(OUTSIDER));
	});
}

#[test]
fn a_suspended_participant_is_refused() {
	new_test(|| {
		assert_ok!(Participants::suspend(RuntimeOrigin::signed(OPERATOR), SUPPLIER));
		let suspended = Some(InvalidTransaction::Custom(SUSPENDED_SIGNER).into());
		assert_eq!(validate(SUPPLIER).err(), suspended);
		assert_eq!(apply(SUPPLIER).err(), suspended);
		// Operators too.
		assert_ok!(Participants::suspend(RuntimeOrigin::root(), OPERATOR));
		assert_eq!(validate(OPERATOR).err(), suspended);
		// Re-admitted, it passes again.
		assert_ok!(Participants::readmit(RuntimeOrigin::signed(OPERATOR_2), SUPPLIER));
		assert_ok!(validate(SUPPLIER));
	});
}

#[test]
fn an_active_participant_passes() {
	new_test(|| {
		for who in [OPERATOR, BANK_A, CORE, SUPPLIER, REGULATOR] {
			assert_eq!(validate(who), Ok(ValidTransaction::default()));
		}
		// Validation alone counts nothing: only execution does.
		assert!(!TxCount::<Test>::contains_key(SUPPLIER));
		assert_ok!(apply(SUPPLIER));
		assert_eq!(TxCount::<Test>::get(SUPPLIER), (1, 1));
	});
}

#[test]
fn unsigned_and_inherent_origins_pass_and_are_refunded() {
	new_test(|| {
		let ext = CheckParticipant::<Test>::new();
		let (valid, val, origin) = ext
			.validate(
				RuntimeOrigin::none(),
				&call(),
				&DispatchInfo::default(),
				0,
				(),
				&TxBaseImplication(()),
				TransactionSource::InBlock,
			)
			.unwrap();
		assert_eq!(valid, ValidTransaction::default());
		assert_eq!(val, None);
		let pre = ext.prepare(val, &origin, &call(), &DispatchInfo::default(), 0).unwrap();
		assert_eq!(pre, Pre::Skipped(<() as WeightInfo>::check_participant()));
		assert_eq!(TxCount::<Test>::iter().count(), 0);
	});
}

#[test]
fn at_most_max_tx_per_block_per_account() {
	new_test(|| {
		assert_eq!(MAX_TX_PER_BLOCK, 3);
		for _ in 0..MAX_TX_PER_BLOCK {
			assert!(has_room_this_block::<Test>(&SUPPLIER));
			assert_ok!(apply(SUPPLIER));
		}
		assert!(!has_room_this_block::<Test>(&SUPPLIER));
		// The next one waits for another block...
		assert_eq!(apply(SUPPLIER).err(), Some(InvalidTransaction::ExhaustsResources.into()));
		assert_eq!(TxCount::<Test>::get(SUPPLIER), (1, MAX_TX_PER_BLOCK));
		// ...but stays valid for the pool, which does not see this block's count.
		assert_ok!(validate(SUPPLIER));
		// Other accounts are not affected.
		assert_ok!(apply(CORE));

		System::set_block_number(2);
		assert!(has_room_this_block::<Test>(&SUPPLIER));
		assert_ok!(apply(SUPPLIER));
		assert_eq!(TxCount::<Test>::get(SUPPLIER), (2, 1));
	});
}

#[test]
fn a_refused_transaction_is_not_counted() {
	new_test(|| {
		assert_ok!(Participants::suspend(RuntimeOrigin::signed(OPERATOR), SUPPLIER));
		assert!(apply(SUPPLIER).is_err());
		assert!(!TxCount::<Test>::contains_key(SUPPLIER));
	});
}

#[test]
fn a_whole_dispatch_goes_through_for_an_active_participant() {
	new_test(|| {
		let res = CheckParticipant::<Test>::new()
			.dispatch_transaction(
				RuntimeOrigin::signed(SUPPLIER),
				call(),
				&DispatchInfo::default(),
				0,
				0,
			)
			.expect("valid transaction");
		assert_ok!(res);
		assert_eq!(TxCount::<Test>::get(SUPPLIER), (1, 1));
	});
}
