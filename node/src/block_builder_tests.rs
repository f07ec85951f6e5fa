//! The participant gate's count is rolled back with a refused transaction.
//!
//! `CheckParticipant::prepare` adds a transaction's weight to its sender's
//! `SenderWeight` before `CheckNonce` and `CheckWeight` prepare. When one of
//! them refuses, the block builder (`sc_block_builder::BlockBuilder::push`,
//! as the node authors) runs the transaction in a storage transaction and
//! rolls it back, count included. These tests push transactions through it
//! on the `development` genesis, with the node's own client, and read the
//! count from the block's storage changes. (A runtime-only
//! `Executive::apply_extrinsic` call does not roll back; that is expected.)

use crate::{benchmarking::inherent_benchmark_data, cli::Cli, service};
use clap::Parser;
use codec::{Decode, Encode};
use frame_support::weights::Weight;
use sc_block_builder::{BlockBuilderBuilder, BuiltBlock};
use sc_cli::CliConfiguration;
use scf_primitives::{AccountId, Signature};
use scf_runtime::{opaque::Block, signing::signed_extrinsic, RuntimeCall};
use sp_blockchain::{ApplyExtrinsicFailed, Error as ClientError, HeaderBackend};
use sp_core::{sr25519, Pair};
use sp_runtime::{
	transaction_validity::{InvalidTransaction, TransactionValidityError},
	OpaqueExtrinsic,
};
use std::collections::HashMap;

/// An empty remark signed by `pair` with `nonce`.
fn remark(pair: &sr25519::Pair, nonce: u32, genesis: sp_core::H256) -> OpaqueExtrinsic {
	let call = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
	let xt = signed_extrinsic(call, pair.public().into(), nonce, genesis, |payload| {
		Signature::Sr25519(pair.sign(payload))
	});
	OpaqueExtrinsic::decode(&mut &xt.encode()[..]).expect("an extrinsic re-decodes opaque")
}

/// The refusal `push` reports for an invalid transaction.
fn invalid(err: &ClientError) -> Option<InvalidTransaction> {
	match err {
		ClientError::ApplyExtrinsicFailed(ApplyExtrinsicFailed::Validity(
			TransactionValidityError::Invalid(e),
		)) => Some(*e),
		_ => None,
	}
}

/// `SenderWeight` of `who` as the block leaves it (weight used, zero when
/// the block did not write it).
fn sender_weight(built: &BuiltBlock<Block>, who: &AccountId) -> Weight {
	let key = pallet_participants::SenderWeight::<scf_runtime::Runtime>::hashed_key_for(who);
	let changes: HashMap<&[u8], &Option<Vec<u8>>> =
		built.storage_changes.main_storage_changes.iter().map(|(k, v)| (&k[..], v)).collect();
	match changes.get(&key[..]) {
		Some(Some(value)) => {
			<(u32, Weight)>::decode(&mut &value[..]).expect("SenderWeight decodes").1
		},
		_ => Weight::zero(),
	}
}

#[test]
fn the_gate_count_is_rolled_back_when_check_nonce_or_check_weight_refuses() {
	let tokio = tokio::runtime::Runtime::new().expect("a tokio runtime");
	let cli = Cli::parse_from(["scf-node", "--chain", "dev", "--tmp"]);
	let config =
		cli.run.create_configuration(&cli, tokio.handle().clone()).expect("a configuration");
	let pool = service::pool_options(&cli.run.pool_config, true);
	let parts = service::new_partial(&config, &cli.node, pool).expect("the node's client");
	let client = parts.client;
	let info = client.info();
	let genesis = info.genesis_hash;
	// The keyring's 14 accounts: all participants of the preset. At 1/8 of
	// a block each, the block fills by weight before any reaches its share.
	let signers: Vec<sr25519::Pair> =
		sp_keyring::Sr25519Keyring::iter().map(|k| k.pair()).collect();
	let accounts: Vec<AccountId> = signers.iter().map(|p| p.public().into()).collect();

	let mut builder = BlockBuilderBuilder::new(&*client)
		.on_parent_block(info.best_hash)
		.with_parent_block_number(info.best_number)
		.build()
		.expect("a block builder on genesis");
	for inherent in builder
		.create_inherents(inherent_benchmark_data().expect("inherent data"))
		.expect("inherents")
	{
		builder.push(inherent).expect("inherents apply");
	}

	let mut included = vec![0u32; signers.len()];
	// A nonce gap: the gate passes and counts it, then `CheckNonce` refuses.
	builder.push(remark(&signers[0], 0, genesis)).expect("the first remark fits");
	included[0] += 1;
	let gap = builder.push(remark(&signers[0], 5, genesis)).expect_err("nonce 5 is ahead");
	assert_eq!(invalid(&gap), Some(InvalidTransaction::Future), "{gap}");

	// Round-robin until `CheckWeight` finds the block full.
	let mut n = 0usize;
	let full = loop {
		let s = n % signers.len();
		match builder.push(remark(&signers[s], included[s], genesis)) {
			Ok(()) => included[s] += 1,
			Err(e) => break (s, e),
		}
		n += 1;
		assert!(n < 100_000, "the block never filled");
	};
	assert_eq!(invalid(&full.1), Some(InvalidTransaction::ExhaustsResources), "{}", full.1);
	assert!(included.iter().all(|c| *c > 1), "every signer got several in: {included:?}");

	let built = builder.build().expect("the block builds");
	// Every remark weighs the same, so each count is its sender's included
	// remarks times one remark: the refused ones left nothing behind.
	let last = signers.len() - 1;
	let one = sender_weight(&built, &accounts[last]);
	let per = Weight::from_parts(
		one.ref_time() / u64::from(included[last]),
		one.proof_size() / u64::from(included[last]),
	);
	assert!(per.ref_time() > 0, "the gate counted the remarks");
	for (s, who) in accounts.iter().enumerate() {
		let expected = per.saturating_mul(u64::from(included[s]));
		assert_eq!(
			sender_weight(&built, who),
			expected,
			"signer {s} (refused: {}) has {} remarks in the block",
			s == 0 || s == full.0,
			included[s]
		);
	}
}
