//! Tests of the SM2 formats, native verification, key handling and the host
//! functions. Interoperability with OpenSSL 3 is in `openssl.rs`.

use super::*;
use crate::{Signature, Signer};
use sm2::elliptic_curve::PrimeField;
use sp_runtime::traits::{IdentifyAccount, Verify};
use std::sync::{Arc, Mutex};

mod openssl;

/// Hex to bytes, for the constants below.
fn unhex<const N: usize>(digits: &str) -> [u8; N] {
	let digits: String = digits.split_whitespace().collect();
	let mut out = [0u8; N];
	hex::decode_to_slice(digits, &mut out).expect("test constant is hex of the right length");
	out
}

/// The order `n` of the base point of sm2p256v1 (GB/T 32918.5-2017, clause 2).
const ORDER_N: &str = "FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF 7203DF6B 21C6052B 53BBF409 39D54123";

/// The digital signature example on the recommended curve sm2p256v1:
/// GM/T 0003.5-2012 (= GB/T 32918.5-2017) "Public key cryptographic algorithm
/// SM2 based on elliptic curves, part 5: parameter definition", annex A
/// ("数字签名与验证示例"). Message "message digest", user id
/// "1234567812345678". (The examples in part 2 and in draft-shen-sm2-ecdsa use
/// a test curve instead, so they cannot be checked against sm2p256v1.)
mod gmt_0003_5 {
	pub const SECRET: &str =
		"3945208F 7B2144B1 3F36E38A C6D39F95 88939369 2860B51A 42FB81EF 4DF7C5B8";
	pub const PUBLIC_X: &str =
		"09F9DF31 1E5421A1 50DD7D16 1E4BC5C6 72179FAD 1833FC07 6BB08FF3 56F35020";
	pub const PUBLIC_Y: &str =
		"CCEA490C E26775A5 2DC6EA71 8CC1AA60 0AED05FB F35E084A 6632F607 2DA9AD13";
	pub const MESSAGE: &[u8] = b"message digest";
	/// `e = SM3(Z_A ‖ M)`.
	pub const DIGEST_E: &str =
		"F0B43E94 BA45ACCA ACE692ED 534382EB 17E6AB5A 19CE7B31 F4486FDF C0D28640";
	pub const R: &str = "F5A03B06 48D2C463 0EEAC513 E1BB81A1 5944DA38 27D5B741 43AC7EAC EEE720B3";
	pub const S: &str = "B1B6AA29 DF212FD8 763182BC 0D421CA1 BB9038FD 1F7F42D4 840B69C4 85BBC1AA";

	/// Curve parameters of sm2p256v1 (GB/T 32918.5-2017), for `Z_A`.
	pub const A: &str = "FFFFFFFE FFFFFFFF FFFFFFFF FFFFFFFF FFFFFFFF 00000000 FFFFFFFF FFFFFFFC";
	pub const B: &str = "28E9FA9E 9D9F5E34 4D5A9E4B CF6509A7 F39789F5 15AB8F92 DDBCBD41 4D940E93";
	pub const GX: &str = "32C4AE2C 1F198119 5F990446 6A39C994 8FE30BBF F2660BE1 715A4589 334C74C7";
	pub const GY: &str = "BC3736A2 F4F6779C 59BDCEE3 6B692153 D0A9877C C62A4740 02DF32E5 2139F0A0";
}

fn standard_public() -> Sm2Public {
	let mut uncompressed = [0u8; 65];
	uncompressed[0] = 4;
	uncompressed[1..33].copy_from_slice(&unhex::<32>(gmt_0003_5::PUBLIC_X));
	uncompressed[33..].copy_from_slice(&unhex::<32>(gmt_0003_5::PUBLIC_Y));
	Sm2Public::from_sec1(&uncompressed).expect("the standard's key is on the curve")
}

fn standard_signature() -> [u8; 64] {
	let mut sig = [0u8; 64];
	sig[..32].copy_from_slice(&unhex::<32>(gmt_0003_5::R));
	sig[32..].copy_from_slice(&unhex::<32>(gmt_0003_5::S));
	sig
}

#[test]
fn sm3_matches_gb_t_32905_example_1() {
	// GB/T 32905-2016, annex A, example 1: SM3("abc").
	assert_eq!(
		sm3_256(b"abc"),
		unhex::<32>("66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0")
	);
}

#[test]
fn standard_example_key_and_digest() {
	use gmt_0003_5::*;
	// The secret key gives the published public key, compressed with `03`
	// because the published `y` is odd.
	let pair = Sm2Pair::from_secret_hex(&SECRET.replace(' ', "")).unwrap();
	let public = standard_public();
	assert_eq!(pair.public(), public);
	assert_eq!(public.0[0], 0x03);
	assert_eq!(public.0[1..], unhex::<32>(PUBLIC_X));

	// Z_A = SM3(ENTL_A ‖ ID_A ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A), e = SM3(Z_A ‖ M):
	// the published e confirms what DEFAULT_USER_ID and the digest mean.
	let mut z_input = Vec::new();
	z_input.extend_from_slice(&((DEFAULT_USER_ID.len() * 8) as u16).to_be_bytes());
	z_input.extend_from_slice(DEFAULT_USER_ID);
	for part in [A, B, GX, GY, PUBLIC_X, PUBLIC_Y] {
		z_input.extend_from_slice(&unhex::<32>(part));
	}
	let z = sm3_256(&z_input);
	let e = sm3_256(&[&z[..], MESSAGE].concat());
	assert_eq!(e, unhex::<32>(DIGEST_E));
}

#[test]
fn standard_example_signature_verifies() {
	let public = standard_public();
	let sig = standard_signature();
	assert!(verify_native(&sig, &public.0, gmt_0003_5::MESSAGE));
	assert!(!verify_native(&sig, &public.0, b"message digesT"));
	// Our own signature with the same key verifies too (with another `k`).
	let pair = Sm2Pair::from_secret_hex(gmt_0003_5::SECRET.replace(' ', "").as_str()).unwrap();
	let ours = pair.sign(gmt_0003_5::MESSAGE);
	assert_eq!(ours.public, public);
	assert!(ours.verify_native(gmt_0003_5::MESSAGE));
}

#[test]
fn scalars_out_of_range_are_refused() {
	let public = standard_public().0;
	let msg = gmt_0003_5::MESSAGE;
	let good = standard_signature();
	let n = unhex::<32>(ORDER_N);
	let all_ones = [0xFF; 32];
	for (what, r, s) in [
		("r = 0", [0u8; 32], good[32..].try_into().unwrap()),
		("s = 0", good[..32].try_into().unwrap(), [0u8; 32]),
		("r = n", n, good[32..].try_into().unwrap()),
		("s = n", good[..32].try_into().unwrap(), n),
		("r > n", all_ones, good[32..].try_into().unwrap()),
		("s > n", good[..32].try_into().unwrap(), all_ones),
		("both zero", [0u8; 32], [0u8; 32]),
	] {
		let sig: [u8; 64] = [r, s].concat().try_into().unwrap();
		assert!(!verify_native(&sig, &public, msg), "{what} must be refused");
	}
}

#[test]
fn der_signatures_round_trip_and_bad_der_is_refused() {
	let sig = Sm2Signature::new(standard_signature(), standard_public());
	let der = sig.to_der().expect("r and s are in range");
	assert_eq!(der[0], 0x30, "a DER SEQUENCE");
	assert_eq!(Sm2Signature::from_der(&der, sig.public), Ok(sig));
	let truncated = &der[..der.len() - 1];
	let trailing = [der.clone(), vec![0]].concat();
	for (what, bytes) in [
		("truncated", truncated),
		("trailing byte", &trailing[..]),
		("raw r‖s", &sig.signature[..]),
	] {
		assert_eq!(Sm2Signature::from_der(bytes, sig.public), Err(Sm2KeyError::Der), "{what}");
	}
	// Out-of-range scalars have no DER form.
	assert_eq!(Sm2Signature::new([0; 64], sig.public).to_der(), None);
}

#[test]
fn malformed_public_keys_are_refused() {
	let sig = standard_signature();
	let msg = gmt_0003_5::MESSAGE;
	let good = standard_public().0;
	let mut keys = vec![("all zero", [0u8; 33])];
	let mut tag_04 = good;
	tag_04[0] = 0x04;
	keys.push(("uncompressed tag on 33 bytes", tag_04));
	let mut tag_00 = good;
	tag_00[0] = 0x00;
	keys.push(("tag 00", tag_00));
	let mut x_too_big = [0xFF; 33];
	x_too_big[0] = 0x02;
	keys.push(("x >= p", x_too_big));
	// An x with no point on the curve (about half of all x).
	let off_curve = (1u8..=255)
		.map(|i| {
			let mut key = [0u8; 33];
			key[0] = 0x02;
			key[32] = i;
			key
		})
		.find(|key| !Sm2Public(*key).is_valid())
		.expect("some small x is not on the curve");
	keys.push(("x not on the curve", off_curve));
	for (what, key) in keys {
		assert!(!Sm2Public(key).is_valid(), "{what}");
		assert!(!verify_native(&sig, &key, msg), "{what} must be refused");
	}
	// The other parity of the same x is a valid key, but not the signer's.
	let mut other_parity = good;
	other_parity[0] ^= 1;
	assert!(Sm2Public(other_parity).is_valid());
	assert!(!verify_native(&sig, &other_parity, msg));
	assert_eq!(Sm2Public::from_sec1(&[0u8]), Err(Sm2KeyError::PublicKey));
}

/// `n - s`, the "high-s" twin of `s` (what a low-s rule would normalise).
pub(super) fn negate_s(sig: &[u8; 64]) -> [u8; 64] {
	let s_bytes: [u8; 32] = sig[32..].try_into().unwrap();
	let s = Option::<sm2::Scalar>::from(sm2::Scalar::from_repr(s_bytes.into())).unwrap();
	let mut out = *sig;
	out[32..].copy_from_slice(&(-s).to_repr());
	out
}

/// Every way of tampering with a valid signature that the tests try.
pub(super) fn assert_tampering_refused(sig: &[u8; 64], public: &[u8; 33], msg: &[u8]) {
	assert!(verify_native(sig, public, msg), "the untampered signature verifies");
	for bit in 0..512 {
		let mut flipped = *sig;
		flipped[bit / 8] ^= 1 << (bit % 8);
		assert!(!verify_native(&flipped, public, msg), "signature bit {bit} flipped");
	}
	for bit in 0..msg.len() * 8 {
		let mut flipped = msg.to_vec();
		flipped[bit / 8] ^= 1 << (bit % 8);
		assert!(!verify_native(sig, public, &flipped), "message bit {bit} flipped");
	}
	let high_s = negate_s(sig);
	assert_ne!(&high_s, sig);
	assert!(!verify_native(&high_s, public, msg), "s replaced by n - s");
	let other = Sm2Pair::generate().public();
	assert!(!verify_native(sig, &other.0, msg), "another signer's key");
}

#[test]
fn tampered_signatures_are_refused() {
	let pair = Sm2Pair::generate();
	let msg = b"a transaction payload".to_vec();
	let sig = pair.sign(&msg);
	assert_tampering_refused(&sig.signature, &sig.public.0, &msg);
	assert_tampering_refused(&standard_signature(), &standard_public().0, gmt_0003_5::MESSAGE);
}

#[test]
fn sign_and_verify_many_messages() {
	let pair = Sm2Pair::generate();
	for len in [0usize, 1, 31, 32, 33, 1000] {
		let msg = vec![len as u8; len];
		let sig = pair.sign(&msg);
		assert_eq!(sig.public, pair.public());
		assert!(sig.verify_native(&msg));
		assert!(!sig.verify_native(&[msg.as_slice(), b"x"].concat()));
	}
}

#[test]
fn account_id_is_sm3_of_compressed_key() {
	let pair = Sm2Pair::generate();
	let public = pair.public();
	assert_eq!(public.account_id(), AccountId32::new(sm3_256(&public.0)));
	assert_eq!(pair.account_id(), public.account_id());
	assert_eq!(Signer::Sm2(public).into_account(), public.account_id());
	// Different keys, different accounts.
	assert_ne!(Sm2Pair::generate().account_id(), public.account_id());
	// The standard's key: SM3 over 03 ‖ x.
	let standard = standard_public();
	let mut bytes = vec![0x03];
	bytes.extend_from_slice(&unhex::<32>(gmt_0003_5::PUBLIC_X));
	assert_eq!(standard.account_id(), AccountId32::new(sm3_256(&bytes)));
}

#[test]
fn hex_and_pem_round_trips() {
	let pair = Sm2Pair::generate();
	let hex_secret = pair.to_secret_hex();
	assert_eq!(hex_secret.len(), 64);
	let again = Sm2Pair::from_secret_hex(&hex_secret).unwrap();
	assert_eq!(again.public(), pair.public());
	let prefixed = Sm2Pair::from_secret_hex(&format!("0x{}", hex_secret.as_str())).unwrap();
	assert_eq!(prefixed.public(), pair.public());

	let pem = pair.to_pkcs8_pem();
	assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
	assert_eq!(Sm2Pair::from_pkcs8_pem(&pem).unwrap().public(), pair.public());

	let public_pem = pair.public_pem();
	assert!(public_pem.starts_with("-----BEGIN PUBLIC KEY-----"));
	assert_eq!(Sm2Public::from_spki_pem(&public_pem).unwrap(), pair.public());
	assert_eq!(Sm2Public([0; 33]).to_spki_pem(), None);

	assert_eq!(Sm2Pair::from_secret_hex("xyz").unwrap_err(), Sm2KeyError::Hex);
	assert_eq!(Sm2Pair::from_secret_hex(&"00".repeat(31)).unwrap_err(), Sm2KeyError::Hex);
	assert_eq!(Sm2Pair::from_secret_hex(&"00".repeat(32)).unwrap_err(), Sm2KeyError::SecretKey);
	assert_eq!(
		Sm2Pair::from_secret_hex(&ORDER_N.replace(' ', "")).unwrap_err(),
		Sm2KeyError::SecretKey
	);
	assert_eq!(Sm2Pair::from_pkcs8_pem("not pem").unwrap_err(), Sm2KeyError::Pem);
	assert_eq!(Sm2Public::from_spki_pem(&pem).unwrap_err(), Sm2KeyError::Pem);
	assert!(!format!("{pair:?}").contains(hex_secret.as_str()));
}

#[test]
fn scale_and_serde_formats() {
	use codec::{Decode, Encode, MaxEncodedLen};
	let sig = Sm2Pair::generate().sign(b"m");
	let encoded = sig.encode();
	assert_eq!(encoded.len(), 97);
	assert_eq!(Sm2Signature::max_encoded_len(), 97);
	assert_eq!(encoded[..64], sig.signature);
	assert_eq!(encoded[64..], sig.public.0);
	assert_eq!(Sm2Signature::decode(&mut &encoded[..]).unwrap(), sig);
	assert!(Sm2Signature::decode(&mut &encoded[..96]).is_err());

	let json = serde_json::to_string(&sig).unwrap();
	assert!(json.contains(&format!("\"0x{}\"", hex::encode(sig.public.0))));
	assert_eq!(serde_json::from_str::<Sm2Signature>(&json).unwrap(), sig);
	assert!(serde_json::from_str::<Sm2Public>("\"0x02\"").is_err());
}

/// What the fake extension saw and how it answers.
#[derive(Default)]
struct FakeLog {
	verified: Vec<([u8; 64], [u8; 33], Vec<u8>)>,
	started: u32,
	finished: u32,
	answer: bool,
	batch_answer: bool,
}

/// A verifier that records calls and answers what it is told, so a test can
/// tell whether the host function asked it.
struct FakeVerifier(Arc<Mutex<FakeLog>>);

impl Sm2Verifier for FakeVerifier {
	fn verify(&mut self, sig: &[u8; 64], public: &[u8; 33], msg: &[u8]) -> bool {
		let mut log = self.0.lock().unwrap();
		log.verified.push((*sig, *public, msg.to_vec()));
		log.answer
	}

	fn start_batch(&mut self) {
		self.0.lock().unwrap().started += 1;
	}

	fn finish_batch(&mut self) -> bool {
		let mut log = self.0.lock().unwrap();
		log.finished += 1;
		log.batch_answer
	}
}

#[test]
fn host_functions_fall_back_to_native_without_extension() {
	let pair = Sm2Pair::generate();
	let sig = pair.sign(b"payload");
	let bad = negate_s(&sig.signature);
	let check = || {
		assert!(sm2_crypto::verify(&sig.signature, &sig.public.0, b"payload"));
		assert!(!sm2_crypto::verify(&sig.signature, &sig.public.0, b"other"));
		assert!(!sm2_crypto::verify(&bad, &sig.public.0, b"payload"));
		sm2_crypto::start_batch();
		// No extension: nothing is deferred, the answer is immediate.
		assert!(!sm2_crypto::verify(&bad, &sig.public.0, b"payload"));
		assert!(sm2_crypto::finish_batch());
	};
	sp_io::TestExternalities::default().execute_with(check);
	// Outside any externalities as well (clients, tools).
	check();
}

#[test]
fn host_functions_delegate_to_registered_extension() {
	let log = Arc::new(Mutex::new(FakeLog { answer: true, ..Default::default() }));
	let mut ext = sp_io::TestExternalities::default();
	ext.register_extension(Sm2VerifierExt::new(Box::new(FakeVerifier(log.clone()))));

	let pair = Sm2Pair::generate();
	let sig = pair.sign(b"payload");
	let bad = negate_s(&sig.signature);
	ext.execute_with(|| {
		// The fake answers `true` even for a bad signature: the extension
		// decided, not `verify_native`.
		assert!(sm2_crypto::verify(&bad, &sig.public.0, b"payload"));
		sm2_crypto::start_batch();
		assert!(sm2_crypto::verify(&sig.signature, &sig.public.0, b"payload"));
		assert!(!sm2_crypto::finish_batch());
	});
	{
		let log = log.lock().unwrap();
		assert_eq!(log.started, 1);
		assert_eq!(log.finished, 1);
		assert_eq!(
			log.verified,
			vec![
				(bad, sig.public.0, b"payload".to_vec()),
				(sig.signature, sig.public.0, b"payload".to_vec())
			]
		);
	}

	// The runtime's `Verify` goes through the host function too: a fake that
	// says no rejects even a good signature, and an account mismatch is
	// refused before the extension is asked.
	log.lock().unwrap().answer = false;
	ext.execute_with(|| {
		let signature = Signature::Sm2(sig);
		assert!(!signature.verify(&b"payload"[..], &pair.account_id()));
		let before = log.lock().unwrap().verified.len();
		assert!(!signature.verify(&b"payload"[..], &Sm2Pair::generate().account_id()));
		assert_eq!(log.lock().unwrap().verified.len(), before);
	});
}
