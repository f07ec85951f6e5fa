//! The wallet's SM2 against the runtime's verifier and OpenSSL 3: a
//! signature made here verifies in both, one made by OpenSSL verifies here,
//! and a tampered message or signature is refused by all.

use scf_primitives::sm2::{verify_native, Sm2Pair};
use scf_wallet_crypto as wallet;
use std::{path::PathBuf, process::Command};

const SECRET: [u8; 32] = [7u8; 32];

fn scratch(name: &str) -> PathBuf {
	let dir = std::env::temp_dir().join(format!("scf-wallet-crypto-{name}-{}", std::process::id()));
	std::fs::create_dir_all(&dir).unwrap();
	dir
}

fn openssl(args: &[&str]) -> std::process::Output {
	let out = Command::new("openssl").args(args).output().expect("the `openssl` command runs");
	assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
	out
}

#[test]
fn the_public_key_and_account_are_the_runtimes() {
	let pair = Sm2Pair::from_secret_bytes(&SECRET).unwrap();
	let public = wallet::public_key(&SECRET).unwrap();
	assert_eq!(&public, AsRef::<[u8]>::as_ref(&pair.public()));
	assert_eq!(&wallet::sm3(&public), AsRef::<[u8; 32]>::as_ref(&pair.account_id()));
}

#[test]
fn a_wallet_signature_verifies_in_the_runtime_and_not_when_tampered() {
	let public = wallet::public_key(&SECRET).unwrap();
	let msg = b"a transaction payload".to_vec();
	let sig = wallet::sign(&SECRET, &msg).unwrap();
	assert!(verify_native(&sig, &public, &msg));
	assert_eq!(wallet::verify(&public, &msg, &sig), Ok(()));
	let mut tampered = msg.clone();
	tampered[0] ^= 1;
	assert!(!verify_native(&sig, &public, &tampered));
	assert_eq!(wallet::verify(&public, &tampered, &sig), Err(wallet::Error::Signature));
	let mut bad_sig = sig;
	bad_sig[63] ^= 1;
	assert!(!verify_native(&bad_sig, &public, &msg));
	assert_eq!(wallet::verify(&public, &msg, &bad_sig), Err(wallet::Error::Signature));
}

#[test]
fn a_wallet_signature_verifies_under_openssl_with_the_standard_user_id() {
	let dir = scratch("to-openssl");
	let pair = Sm2Pair::from_secret_bytes(&SECRET).unwrap();
	let (public_pem, msg_file, sig_file) =
		(dir.join("public.pem"), dir.join("msg.bin"), dir.join("msg.sig"));
	std::fs::write(&public_pem, pair.public_pem()).unwrap();
	let msg = b"scf-wallet-login\nhttp://127.0.0.1:1\nnonce\n1";
	std::fs::write(&msg_file, msg).unwrap();
	// OpenSSL takes DER; the wallet signs r || s.
	let rs = wallet::sign(&SECRET, msg).unwrap();
	let der = scf_primitives::sm2::Sm2Signature::new(rs, pair.public()).to_der().unwrap();
	std::fs::write(&sig_file, &der).unwrap();
	let verify = |file: &PathBuf| {
		Command::new("openssl")
			.args(["dgst", "-sm3", "-sigopt", "distid:1234567812345678", "-verify"])
			.arg(&public_pem)
			.arg("-signature")
			.arg(&sig_file)
			.arg(file)
			.output()
			.unwrap()
	};
	let out = verify(&msg_file);
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
	std::fs::write(&msg_file, b"something else").unwrap();
	assert!(!verify(&msg_file).status.success(), "OpenSSL accepted a tampered message");
	std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_openssl_key_and_signature_are_read_and_verified_by_the_wallet() {
	let dir = scratch("from-openssl");
	let (key, der_key, msg_file, sig_file) =
		(dir.join("key.pem"), dir.join("key.der"), dir.join("msg.bin"), dir.join("msg.sig"));
	let path = |p: &PathBuf| p.to_str().unwrap().to_string();
	openssl(&["genpkey", "-algorithm", "SM2", "-out", &path(&key)]);
	// PKCS#8 DER, the PEM document without its armour (what the page reads).
	openssl(&[
		"pkcs8",
		"-topk8",
		"-nocrypt",
		"-in",
		&path(&key),
		"-outform",
		"DER",
		"-out",
		&path(&der_key),
	]);
	let secret = wallet::secret_from_pkcs8(&std::fs::read(&der_key).unwrap()).unwrap();
	let pair = Sm2Pair::from_pkcs8_pem(&std::fs::read_to_string(&key).unwrap()).unwrap();
	assert_eq!(hex::encode(secret), pair.to_secret_hex().as_str());
	let public = wallet::public_key(&secret).unwrap();

	let msg = b"an offer's terms".to_vec();
	std::fs::write(&msg_file, &msg).unwrap();
	openssl(&[
		"dgst",
		"-sm3",
		"-sign",
		&path(&key),
		"-sigopt",
		"distid:1234567812345678",
		"-out",
		&path(&sig_file),
		&path(&msg_file),
	]);
	let der = std::fs::read(&sig_file).unwrap();
	assert_eq!(wallet::verify(&public, &msg, &der), Ok(()));
	assert_eq!(
		wallet::verify(&public, b"an offer's other terms", &der),
		Err(wallet::Error::Signature)
	);
	assert_eq!(wallet::secret_from_pkcs8(b"not a key"), Err(wallet::Error::Pkcs8));
	std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn scalars_that_are_no_key_and_points_off_the_curve_are_refused() {
	assert_eq!(wallet::public_key(&[0u8; 32]), Err(wallet::Error::Secret));
	assert_eq!(wallet::sign(&[0xff; 32], b"x"), Err(wallet::Error::Secret));
	// x = 2^256 - 1 is above the field's prime: no point.
	let mut public = [0xffu8; 33];
	public[0] = 0x02;
	assert_eq!(wallet::verify(&public, b"x", &[1u8; 64]), Err(wallet::Error::Public));
}

#[test]
fn blake2_256_is_blake2b_with_a_32_byte_digest() {
	// Python's hashlib.blake2b(bytes([42]) * 300, digest_size=32).
	let long = vec![42u8; 300];
	assert_eq!(
		hex::encode(wallet::blake2_256(&long)),
		"bc401333eb1779b1d670712ae68ede15c473d5d96129a11fecc2006c1a76234d"
	);
}

#[test]
fn the_exports_round_trip_through_linear_memory() {
	unsafe {
		let (secret, public, msg, sig) = (
			wallet::wallet_alloc(32),
			wallet::wallet_alloc(33),
			wallet::wallet_alloc(5),
			wallet::wallet_alloc(64),
		);
		std::ptr::copy_nonoverlapping(SECRET.as_ptr(), secret, 32);
		std::ptr::copy_nonoverlapping(b"hello".as_ptr(), msg, 5);
		assert_eq!(wallet::wallet_sm2_public(secret, public), wallet::OK);
		assert_eq!(wallet::wallet_sm2_sign(secret, msg, 5, sig), wallet::OK);
		assert_eq!(wallet::wallet_sm2_verify(public, msg, 5, sig, 64), wallet::OK);
		*msg ^= 1;
		assert_eq!(wallet::wallet_sm2_verify(public, msg, 5, sig, 64), wallet::BAD_SIGNATURE);
		std::ptr::write_bytes(secret, 0, 32);
		assert_eq!(wallet::wallet_sm2_public(secret, public), wallet::BAD_SECRET);
		for (p, n) in [(secret, 32), (public, 33), (msg, 5), (sig, 64)] {
			wallet::wallet_free(p, n);
		}
	}
}
