//! `CheckNonce`: `frame_system`'s nonce check, with a window at pool
//! admission.

use crate::{mock::*, nonce_window::NONCE_BEYOND_WINDOW, CheckNonce};
use codec::Encode;
use frame_support::{dispatch::DispatchInfo, pallet_prelude::TransactionSource};
use sp_runtime::{
	traits::{DispatchTransaction, TransactionExtension},
	transaction_validity::{
		InvalidTransaction, TransactionValidityError, UnknownTransaction, ValidTransaction,
	},
};

fn call() -> RuntimeCall {
	RuntimeCall::System(frame_system::Call::remark { remark: vec![1, 2, 3] })
}

fn validate_from(
	who: u64,
	nonce: u32,
	source: TransactionSource,
) -> Result<ValidTransaction, TransactionValidityError> {
	CheckNonce::<Test>::from(nonce)
		.validate_only(RuntimeOrigin::signed(who), &call(), &DispatchInfo::default(), 0, source, 0)
		.map(|(valid, _, _)| valid)
}

/// Pool validation.
fn validate(who: u64, nonce: u32) -> Result<ValidTransaction, TransactionValidityError> {
	validate_from(who, nonce, TransactionSource::External)
}

/// Validate and prepare, as block building and import do.
fn apply(who: u64, nonce: u32) -> Result<(), TransactionValidityError> {
	CheckNonce::<Test>::from(nonce)
		.validate_and_prepare(RuntimeOrigin::signed(who), &call(), &DispatchInfo::default(), 0, 0)
		.map(|_| ())
}

fn beyond() -> Option<TransactionValidityError> {
	Some(UnknownTransaction::Custom(NONCE_BEYOND_WINDOW).into())
}

#[test]
fn the_pool_admits_nonces_up_to_the_window() {
	new_test(|| {
		assert_eq!(System::account_nonce(SUPPLIER), 0);
		for nonce in 0..=NONCE_WINDOW {
			let valid = validate(SUPPLIER, nonce).expect("within the window");
			// frame_system's tags: each nonce provides itself and requires
			// the one before it.
			assert_eq!(valid.provides, vec![(SUPPLIER, nonce).encode()]);
			let before = nonce.checked_sub(1).map(|n| (SUPPLIER, n).encode());
			assert_eq!(valid.requires, before.into_iter().collect::<Vec<_>>());
		}
		// One more is refused as "unknown", which the pool does not ban.
		let too_far = NONCE_WINDOW + 1;
		assert_eq!(validate(SUPPLIER, too_far).err(), beyond());
		assert_eq!(validate_from(SUPPLIER, too_far, TransactionSource::Local).err(), beyond());
	});
}

#[test]
fn the_window_moves_with_the_account_nonce() {
	new_test(|| {
		let too_far = NONCE_WINDOW + 1;
		assert_eq!(validate(SUPPLIER, too_far).err(), beyond());
		assert_eq!(apply(SUPPLIER, 0), Ok(()));
		assert_eq!(System::account_nonce(SUPPLIER), 1);
		assert!(validate(SUPPLIER, too_far).is_ok());
		assert_eq!(validate(SUPPLIER, too_far + 1).err(), beyond());
		// Other accounts have windows of their own.
		assert_eq!(validate(CORE, too_far).err(), beyond());
	});
}

#[test]
fn a_block_is_not_held_to_the_window() {
	new_test(|| {
		// In a block a transaction has the account's nonce; a far one is
		// only "not yet", as frame_system says.
		let far = NONCE_WINDOW + 10;
		assert!(validate_from(SUPPLIER, far, TransactionSource::InBlock).is_ok());
		assert_eq!(apply(SUPPLIER, far).err(), Some(InvalidTransaction::Future.into()));
		assert_eq!(System::account_nonce(SUPPLIER), 0);
	});
}

#[test]
fn stale_and_future_are_frame_systems() {
	new_test(|| {
		assert_eq!(apply(SUPPLIER, 0), Ok(()));
		assert_eq!(apply(SUPPLIER, 1), Ok(()));
		assert_eq!(System::account_nonce(SUPPLIER), 2);
		assert_eq!(validate(SUPPLIER, 1).err(), Some(InvalidTransaction::Stale.into()));
		assert_eq!(apply(SUPPLIER, 3).err(), Some(InvalidTransaction::Future.into()));
		// Refusals leave the nonce alone.
		assert_eq!(System::account_nonce(SUPPLIER), 2);
		// An account with no provider (not a participant) cannot pay, as in
		// frame_system.
		assert_eq!(validate(OUTSIDER, 0).err(), Some(InvalidTransaction::Payment.into()));
		// frame_system's refusals come before the window's.
		let far = NONCE_WINDOW + 10;
		assert_eq!(validate(OUTSIDER, far).err(), Some(InvalidTransaction::Payment.into()));
	});
}

#[test]
fn unsigned_transactions_pass_and_are_refunded() {
	new_test(|| {
		let ext = CheckNonce::<Test>::from(0);
		let weight = ext.weight(&call());
		let (valid, val, origin) = ext
			.validate(
				RuntimeOrigin::none(),
				&call(),
				&DispatchInfo::default(),
				0,
				(),
				&sp_runtime::traits::TxBaseImplication(()),
				TransactionSource::External,
			)
			.unwrap();
		assert_eq!(valid, ValidTransaction::default());
		let pre = ext.prepare(val, &origin, &call(), &DispatchInfo::default(), 0).unwrap();
		assert_eq!(pre, weight);
	});
}

#[test]
fn clients_sign_it_as_frame_systems_check_nonce() {
	// Same identifier and bytes, so subxt and every client sign unchanged.
	assert_eq!(
		<CheckNonce<Test> as TransactionExtension<RuntimeCall>>::IDENTIFIER,
		<frame_system::CheckNonce<Test> as TransactionExtension<RuntimeCall>>::IDENTIFIER,
	);
	for nonce in [0u32, 63, 64, 16_383, 16_384, u32::MAX] {
		assert_eq!(
			CheckNonce::<Test>::from(nonce).encode(),
			frame_system::CheckNonce::<Test>::from(nonce).encode()
		);
	}
}
