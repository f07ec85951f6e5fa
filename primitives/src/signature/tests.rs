//! Compatibility of [`Signature`] and [`Signer`] with Substrate's
//! `MultiSignature` and `MultiSigner`, and verification of every variant.

use super::*;
use crate::{sm2::Sm2Pair, AccountId};
use codec::{Decode, Encode, MaxEncodedLen};
use sp_core::crypto::Pair as _;
use sp_io::hashing::blake2_256;

const MSG: &[u8] = b"a signed payload";

fn sr25519() -> sr25519::Pair {
	sr25519::Pair::from_string("//Alice", None).unwrap()
}

fn ed25519() -> ed25519::Pair {
	ed25519::Pair::from_string("//Alice", None).unwrap()
}

fn ecdsa() -> ecdsa::Pair {
	ecdsa::Pair::from_string("//Alice", None).unwrap()
}

#[test]
fn account_id_is_account_id32() {
	fn same<T>(_: T, _: T) {}
	same::<AccountId>(AccountId32::new([0; 32]), AccountId32::new([0; 32]));
}

#[test]
fn substrate_variants_encode_as_multi_signature() {
	let sr = sr25519().sign(MSG);
	let ed = ed25519().sign(MSG);
	let ec = ecdsa().sign(MSG);
	for (ours, theirs) in [
		(Signature::Sr25519(sr), MultiSignature::Sr25519(sr)),
		(Signature::Ed25519(ed), MultiSignature::Ed25519(ed)),
		(Signature::Ecdsa(ec), MultiSignature::Ecdsa(ec)),
	] {
		let bytes = ours.encode();
		assert_eq!(bytes, theirs.encode());
		assert_eq!(Signature::decode(&mut &bytes[..]).unwrap(), ours);
		assert_eq!(MultiSignature::decode(&mut &bytes[..]).unwrap(), theirs);
		assert_eq!(Signature::try_from(theirs).unwrap(), ours);
	}
	assert_eq!(Signature::Sr25519(sr).encode()[0], 1);

	for (ours, theirs) in [
		(Signer::Sr25519(sr25519().public()), MultiSigner::Sr25519(sr25519().public())),
		(Signer::Ed25519(ed25519().public()), MultiSigner::Ed25519(ed25519().public())),
		(Signer::Ecdsa(ecdsa().public()), MultiSigner::Ecdsa(ecdsa().public())),
	] {
		assert_eq!(ours.encode(), theirs.encode());
		assert_eq!(ours.clone().into_account(), theirs.clone().into_account());
		assert_eq!(Signer::try_from(theirs).unwrap(), ours);
	}
}

#[test]
fn sm2_variant_has_index_3_and_its_own_layout() {
	let sig = Sm2Pair::generate().sign(MSG);
	let bytes = Signature::Sm2(sig).encode();
	assert_eq!(bytes[0], 3);
	assert_eq!(bytes[1..], sig.encode());
	assert_eq!(bytes.len(), 1 + 64 + 33);
	assert_eq!(Signature::max_encoded_len(), bytes.len());
	assert_eq!(Signature::decode(&mut &bytes[..]).unwrap(), Signature::Sm2(sig));
	// `MultiSignature`'s index 3 (Ethereum) is too short to be read as SM2.
	let eth = MultiSignature::Eth(ecdsa::KeccakSignature::from_raw([1; 65])).encode();
	assert!(Signature::decode(&mut &eth[..]).is_err());
	assert!(Signature::try_from(MultiSignature::Eth(ecdsa::KeccakSignature::from_raw([1; 65])))
		.is_err());

	let public = sig.public;
	let signer_bytes = Signer::Sm2(public).encode();
	assert_eq!(signer_bytes[0], 3);
	assert_eq!(signer_bytes[1..], public.0);
}

#[test]
fn accounts_derive_as_substrate_does() {
	let sr = sr25519().public();
	assert_eq!(Signer::from(sr).into_account(), AccountId32::new(sr.0));
	let ed = ed25519().public();
	assert_eq!(Signer::from(ed).into_account(), AccountId32::new(ed.0));
	let ec = ecdsa().public();
	assert_eq!(Signer::from(ec).into_account(), AccountId32::new(blake2_256(ec.as_ref())));
	let sm2 = Sm2Pair::generate().public();
	assert_eq!(Signer::from(sm2).into_account(), sm2.account_id());
	// The well-known development account.
	assert_eq!(
		Signer::from(sr).into_account().to_string(),
		"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
	);
}

/// Checks that `good` verifies for `account` and not for another account nor
/// another message, inside and outside externalities.
fn assert_verifies(good: Signature, account: AccountId32) {
	let check = || {
		assert!(good.verify(MSG, &account), "{good:?} verifies");
		assert!(!good.verify(&b"another payload"[..], &account), "wrong message");
		assert!(!good.verify(MSG, &AccountId32::new([7; 32])), "wrong account");
		// Same answer as `MultiSignature` would give for its variants.
		if let Ok(multi) = MultiSignature::try_from(good.clone()) {
			assert!(multi.verify(MSG, &account));
		}
	};
	sp_io::TestExternalities::default().execute_with(check);
	check();
}

#[test]
fn every_variant_verifies() {
	let sr = sr25519();
	assert_verifies(sr.sign(MSG).into(), Signer::from(sr.public()).into_account());
	let ed = ed25519();
	assert_verifies(ed.sign(MSG).into(), Signer::from(ed.public()).into_account());
	let ec = ecdsa();
	assert_verifies(ec.sign(MSG).into(), Signer::from(ec.public()).into_account());
	let sm2 = Sm2Pair::generate();
	assert_verifies(sm2.sign(MSG).into(), Signer::from(sm2.public()).into_account());
}

#[test]
fn sm2_signature_must_carry_the_accounts_key() {
	let alice = Sm2Pair::generate();
	let mallory = Sm2Pair::generate();
	let by_mallory = mallory.sign(MSG);
	// Mallory's valid signature does not authorise Alice's account.
	assert!(!Signature::Sm2(by_mallory).verify(MSG, &alice.account_id()));
	// Nor does it once it claims Alice's key.
	let relabelled = Sm2Signature::new(by_mallory.signature, alice.public());
	assert!(!Signature::Sm2(relabelled).verify(MSG, &alice.account_id()));
	// An sr25519 signature cannot pass for an SM2 account either.
	let sr = Signature::from(sr25519().sign(MSG));
	assert!(!sr.verify(MSG, &alice.account_id()));
}

#[test]
fn signer_display_and_serde() {
	let sm2 = Sm2Pair::generate().public();
	let shown = Signer::from(sm2).to_string();
	assert_eq!(shown, format!("sm2: 0x{}", hex::encode(sm2.0)));
	let sig = Signature::from(Sm2Pair::generate().sign(MSG));
	let json = serde_json::to_string(&sig).unwrap();
	assert_eq!(serde_json::from_str::<Signature>(&json).unwrap(), sig);
	let signer = Signer::from(sm2);
	let json = serde_json::to_string(&signer).unwrap();
	assert_eq!(serde_json::from_str::<Signer>(&json).unwrap(), signer);
}
