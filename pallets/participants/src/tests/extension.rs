//! `CheckParticipant`: who may submit, and how much of a block each may use.

use crate::{
	extension::{used_this_block, Pre, SUSPENDED_SIGNER},
	mock::*,
	CheckParticipant, SenderWeight, WeightInfo,
};
use frame_support::{assert_ok, dispatch::DispatchInfo, pallet_prelude::TransactionSource};
use sp_runtime::{
	traits::{DispatchTransaction, TransactionExtension, TxBaseImplication},
	transaction_validity::{InvalidTransaction, TransactionValidityError, ValidTransaction},
	Weight,
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

/// A transaction of this weight (call weight; no extension weight).
fn info(weight: Weight) -> DispatchInfo {
	DispatchInfo { call_weight: weight, ..Default::default() }
}

/// What block building and import do: validate, then prepare, for a
/// transaction of `weight`.
fn apply_weighing(who: u64, weight: Weight) -> Result<(), TransactionValidityError> {
	CheckParticipant::<Test>::new()
		.validate_and_prepare(RuntimeOrigin::signed(who), &call(), &info(weight), 0, 0)
		.map(|_| ())
}

/// [`apply_weighing`] with the tests' usual [`TX_WEIGHT`].
fn apply(who: u64) -> Result<(), TransactionValidityError> {
	apply_weighing(who, TX_WEIGHT)
}

/// What a transaction of call weight `weight` costs its sender's share.
fn charged(weight: Weight) -> Weight {
	weight.saturating_add(BASE_EXTRINSIC)
}

/// "Not in this block": the block builder leaves it for a later one.
fn wait() -> Option<TransactionValidityError> {
	Some(InvalidTransaction::Future.into())
}

#[test]
fn a_non_participant_is_refused_in_the_pool() {
	new_test(|| {
		assert_eq!(validate(OUTSIDER).err(), Some(InvalidTransaction::BadSigner.into()));
		assert_eq!(apply(OUTSIDER).err(), Some(InvalidTransaction::BadSigner.into()));
		assert!(!SenderWeight::<Test>::contains_key(OUTSIDER));
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
		assert!(!SenderWeight::<Test>::contains_key(SUPPLIER));
		assert_ok!(apply(SUPPLIER));
		assert_eq!(SenderWeight::<Test>::get(SUPPLIER), (1, charged(TX_WEIGHT)));
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
		assert_eq!(SenderWeight::<Test>::iter().count(), 0);
	});
}

#[test]
fn an_account_gets_its_share_of_a_block_and_waits_for_the_next() {
	new_test(|| {
		// The share holds three of the tests' transactions.
		assert_eq!(MAX_SENDER_WEIGHT, charged(TX_WEIGHT).saturating_mul(3));
		for n in 1..=3 {
			assert_ok!(apply(SUPPLIER));
			assert_eq!(used_this_block::<Test>(&SUPPLIER), charged(TX_WEIGHT).saturating_mul(n));
		}
		// The next one waits for another block, as `Future` (the pool keeps
		// it), not `ExhaustsResources` (which would end authoring early)...
		assert_eq!(apply(SUPPLIER).err(), wait());
		assert_eq!(SenderWeight::<Test>::get(SUPPLIER), (1, MAX_SENDER_WEIGHT));
		// ...but stays valid for the pool, which does not see this block.
		assert_ok!(validate(SUPPLIER));
		// Other accounts are not affected.
		assert_ok!(apply(CORE));
		assert_eq!(used_this_block::<Test>(&CORE), charged(TX_WEIGHT));

		System::set_block_number(2);
		assert_eq!(used_this_block::<Test>(&SUPPLIER), Weight::zero());
		assert_ok!(apply(SUPPLIER));
		assert_eq!(SenderWeight::<Test>::get(SUPPLIER), (2, charged(TX_WEIGHT)));
	});
}

#[test]
fn the_share_is_weight_not_a_count() {
	new_test(|| {
		// Light transactions: charged (600, 50), so five fit in (3300, 300)
		// where three of the usual ones do.
		let light = Weight::from_parts(500, 50);
		for _ in 0..5 {
			assert_ok!(apply_weighing(SUPPLIER, light));
		}
		assert_eq!(apply_weighing(SUPPLIER, light).err(), wait());
		// One that fills the share exactly is let in; one unit more is not.
		System::set_block_number(2);
		assert_ok!(apply_weighing(SUPPLIER, TX_WEIGHT));
		let rest =
			MAX_SENDER_WEIGHT.saturating_sub(charged(TX_WEIGHT)).saturating_sub(BASE_EXTRINSIC);
		assert_eq!(apply_weighing(SUPPLIER, rest.add_ref_time(1)).err(), wait());
		assert_ok!(apply_weighing(SUPPLIER, rest));
		assert_eq!(used_this_block::<Test>(&SUPPLIER), MAX_SENDER_WEIGHT);
	});
}

#[test]
fn the_base_extrinsic_weight_counts() {
	new_test(|| {
		// Three transactions whose own weight would leave room for a fourth
		// (3 × 1000 < 3300) but not once each is charged its base (3 × 1100).
		for _ in 0..3 {
			assert_ok!(apply_weighing(SUPPLIER, Weight::from_parts(1_000, 0)));
		}
		assert_eq!(apply_weighing(SUPPLIER, Weight::from_parts(200, 0)).err(), wait());
		assert_eq!(used_this_block::<Test>(&SUPPLIER), Weight::from_parts(3_300, 0));
	});
}

#[test]
fn proof_size_counts_as_much_as_ref_time() {
	new_test(|| {
		// Little computation but a large proof: the share's proof size binds.
		let proof_heavy = Weight::from_parts(10, 200);
		assert_ok!(apply_weighing(SUPPLIER, proof_heavy));
		assert_eq!(apply_weighing(SUPPLIER, proof_heavy).err(), wait());
		assert_ok!(apply_weighing(SUPPLIER, Weight::from_parts(10, 100)));
	});
}

#[test]
fn a_first_transaction_heavier_than_the_share_still_gets_in_alone() {
	new_test(|| {
		let heavy = MAX_SENDER_WEIGHT.saturating_mul(2);
		assert_ok!(apply_weighing(SUPPLIER, heavy));
		assert_eq!(used_this_block::<Test>(&SUPPLIER), charged(heavy));
		// Nothing else of this account in this block, however light.
		assert_eq!(apply_weighing(SUPPLIER, Weight::zero()).err(), wait());
		System::set_block_number(2);
		assert_ok!(apply_weighing(SUPPLIER, heavy));
	});
}

#[test]
fn a_refused_transaction_is_not_counted() {
	new_test(|| {
		assert_ok!(Participants::suspend(RuntimeOrigin::signed(OPERATOR), SUPPLIER));
		assert!(apply(SUPPLIER).is_err());
		assert!(!SenderWeight::<Test>::contains_key(SUPPLIER));
	});
}

#[test]
fn a_whole_dispatch_goes_through_for_an_active_participant() {
	new_test(|| {
		let res = CheckParticipant::<Test>::new()
			.dispatch_transaction(RuntimeOrigin::signed(SUPPLIER), call(), &info(TX_WEIGHT), 0, 0)
			.expect("valid transaction");
		assert_ok!(res);
		assert_eq!(SenderWeight::<Test>::get(SUPPLIER), (1, charged(TX_WEIGHT)));
	});
}
