//! Interoperability with OpenSSL 3, an independent SM2 implementation.
//!
//! These tests need the `openssl` command and fail (they do not skip) when it
//! is missing: `scripts/test.sh` installs it.

use super::*;
use codec::Encode;
use std::{
	path::{Path, PathBuf},
	process::{Command, Output},
};

/// A scratch directory, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
	fn new(name: &str) -> Self {
		let dir = std::env::temp_dir().join(format!("scf-sm2-{name}-{}", std::process::id()));
		let _ = std::fs::remove_dir_all(&dir);
		std::fs::create_dir_all(&dir).unwrap();
		Self(dir)
	}

	fn path(&self, file: &str) -> PathBuf {
		self.0.join(file)
	}

	/// The path as the argument `openssl` gets.
	fn arg(&self, file: &str) -> String {
		self.path(file).to_str().unwrap().to_owned()
	}
}

impl Drop for Scratch {
	fn drop(&mut self) {
		let _ = std::fs::remove_dir_all(&self.0);
	}
}

/// Runs `openssl` with `args`; panics when it cannot be started.
fn openssl(args: &[&str]) -> Output {
	Command::new("openssl").args(args).output().unwrap_or_else(|e| {
		panic!("these tests need the `openssl` command (OpenSSL 3) on PATH: {e}")
	})
}

/// Runs `openssl` with `args` and panics unless it succeeds.
fn openssl_ok(args: &[&str]) -> Output {
	let out = openssl(args);
	assert!(
		out.status.success(),
		"openssl {args:?} failed: {}",
		String::from_utf8_lossy(&out.stderr)
	);
	out
}

/// The hex bytes printed under `label:` by `openssl pkey -text`.
fn printed_field(text: &str, label: &str) -> Vec<u8> {
	let mut lines = text.lines().skip_while(|line| line.trim() != label).skip(1);
	let mut digits = String::new();
	for line in lines.by_ref() {
		if !line.starts_with(char::is_whitespace) {
			break;
		}
		digits.extend(line.chars().filter(|c| c.is_ascii_hexdigit()));
	}
	hex::decode(digits).expect("openssl prints hex")
}

/// A transaction-like SCALE payload to sign: call index, nonce, amount,
/// account, era and the genesis hash, as an extrinsic's signed payload holds
/// them.
fn payload() -> Vec<u8> {
	(
		[7u8, 3u8],
		codec::Compact(42u32),
		1_000_000_000u128,
		[0x11u8; 32],
		0u8,
		sp_core::H256::repeat_byte(0x5a),
	)
		.encode()
}

/// `r ‖ s` from an ASN.1 DER signature, through the public conversion.
fn raw_from_der(der: &[u8]) -> [u8; 64] {
	let any_key = Sm2Public([2; 33]);
	Sm2Signature::from_der(der, any_key).expect("openssl writes DER signatures").signature
}

/// ASN.1 DER from `r ‖ s`, through the public conversion.
fn der_from_raw(raw: &[u8; 64]) -> Vec<u8> {
	Sm2Signature::new(*raw, Sm2Public([2; 33])).to_der().expect("r and s in range")
}

/// Signs `msg_file` with OpenSSL; `distid` is the `-sigopt distid:` value,
/// `None` for OpenSSL's default (an empty id).
fn openssl_sign(dir: &Scratch, key: &str, msg_file: &str, distid: Option<&str>) -> [u8; 64] {
	let out = dir.arg("openssl.sig");
	let key = dir.arg(key);
	let msg = dir.arg(msg_file);
	let opt = distid.map(|id| format!("distid:{id}"));
	let mut args = vec!["dgst", "-sm3", "-sign", &key];
	if let Some(opt) = &opt {
		args.extend(["-sigopt", opt]);
	}
	args.extend(["-out", &out, &msg]);
	openssl_ok(&args);
	raw_from_der(&std::fs::read(dir.path("openssl.sig")).unwrap())
}

/// Whether OpenSSL accepts the signature `raw` over `msg_file` by `public_pem`.
fn openssl_verifies(
	dir: &Scratch,
	public_pem: &str,
	msg_file: &str,
	raw: &[u8; 64],
	distid: &str,
) -> bool {
	std::fs::write(dir.path("ours.sig"), der_from_raw(raw)).unwrap();
	let out = openssl(&[
		"dgst",
		"-sm3",
		"-verify",
		&dir.arg(public_pem),
		"-sigopt",
		&format!("distid:{distid}"),
		"-signature",
		&dir.arg("ours.sig"),
		&dir.arg(msg_file),
	]);
	let stdout = String::from_utf8_lossy(&out.stdout);
	assert_eq!(out.status.success(), stdout.contains("Verified OK"), "openssl said: {stdout}");
	out.status.success()
}

/// A fresh OpenSSL SM2 key in `key.pem`, its public key in `pub.pem`, and the
/// payload in `msg.bin`.
fn openssl_setup(dir: &Scratch) {
	let version = String::from_utf8_lossy(&openssl_ok(&["version"]).stdout).into_owned();
	assert!(version.starts_with("OpenSSL 3."), "OpenSSL 3 is needed, found {version}");
	openssl_ok(&["genpkey", "-algorithm", "SM2", "-out", &dir.arg("key.pem")]);
	openssl_ok(&["pkey", "-in", &dir.arg("key.pem"), "-pubout", "-out", &dir.arg("pub.pem")]);
	std::fs::write(dir.path("msg.bin"), payload()).unwrap();
}

fn read(path: &Path) -> String {
	std::fs::read_to_string(path).unwrap()
}

#[test]
fn openssl_key_imports_with_the_same_keys_and_account() {
	let dir = Scratch::new("import");
	openssl_setup(&dir);
	let pair = Sm2Pair::from_pkcs8_pem(&read(&dir.path("key.pem"))).unwrap();

	let text = openssl_ok(&["pkey", "-in", &dir.arg("key.pem"), "-noout", "-text"]).stdout;
	let text = String::from_utf8(text).unwrap();
	let printed_public = printed_field(&text, "pub:");
	assert_eq!(printed_public.len(), 65, "openssl prints the uncompressed point");
	assert_eq!(Sm2Public::from_sec1(&printed_public).unwrap(), pair.public());
	assert_eq!(pair.public().0[1..], printed_public[1..33]);
	let printed_secret = printed_field(&text, "priv:");
	assert_eq!(hex::decode(pair.to_secret_hex().as_str()).unwrap(), printed_secret);

	assert_eq!(Sm2Public::from_spki_pem(&read(&dir.path("pub.pem"))).unwrap(), pair.public());

	// The account id: SM3 of the compressed key, as OpenSSL computes it.
	std::fs::write(dir.path("public.bin"), pair.public().0).unwrap();
	let digest = openssl_ok(&["dgst", "-sm3", "-binary", &dir.arg("public.bin")]).stdout;
	assert_eq!(&<[u8; 32]>::from(pair.account_id())[..], &digest[..]);
}

#[test]
fn openssl_signature_is_accepted() {
	let dir = Scratch::new("theirs");
	openssl_setup(&dir);
	let public = Sm2Public::from_spki_pem(&read(&dir.path("pub.pem"))).unwrap();
	let msg = payload();

	let sig = openssl_sign(&dir, "key.pem", "msg.bin", Some("1234567812345678"));
	assert!(verify_native(&sig, &public.0, &msg));
	// Through the runtime's signature type and the host function.
	let signature = Signature::Sm2(Sm2Signature::new(sig, public));
	sp_io::TestExternalities::default().execute_with(|| {
		assert!(signature.verify(&msg[..], &public.account_id()));
		assert!(!signature.verify(&msg[..], &Sm2Pair::generate().account_id()));
	});
	// Flipped bits, n - s, another key: refused.
	assert_tampering_refused(&sig, &public.0, &msg);
}

#[test]
fn openssl_signature_with_another_user_id_is_refused() {
	let dir = Scratch::new("userid");
	openssl_setup(&dir);
	let public = Sm2Public::from_spki_pem(&read(&dir.path("pub.pem"))).unwrap();
	let msg = payload();

	// OpenSSL 3 signs with an empty id unless told otherwise.
	let default_id = openssl_sign(&dir, "key.pem", "msg.bin", None);
	assert!(!verify_native(&default_id, &public.0, &msg));
	let other_id = openssl_sign(&dir, "key.pem", "msg.bin", Some("ALICE123@YAHOO.COM"));
	assert!(!verify_native(&other_id, &public.0, &msg));
	// OpenSSL itself holds those to their ids, so the difference is the id.
	assert!(openssl_verifies(&dir, "pub.pem", "msg.bin", &other_id, "ALICE123@YAHOO.COM"));
	assert!(!openssl_verifies(&dir, "pub.pem", "msg.bin", &other_id, "1234567812345678"));
}

#[test]
fn our_signature_verifies_under_openssl() {
	let dir = Scratch::new("ours");
	openssl_setup(&dir);
	let msg = payload();

	// With OpenSSL's key, imported.
	let pair = Sm2Pair::from_pkcs8_pem(&read(&dir.path("key.pem"))).unwrap();
	let sig = pair.sign(&msg);
	assert!(openssl_verifies(&dir, "pub.pem", "msg.bin", &sig.signature, "1234567812345678"));
	assert!(!openssl_verifies(&dir, "pub.pem", "msg.bin", &sig.signature, "1234567812345679"));
	assert!(!openssl_verifies(
		&dir,
		"pub.pem",
		"msg.bin",
		&negate_s(&sig.signature),
		"1234567812345678"
	));

	// With a key of ours, exported: OpenSSL reads both PEM documents, verifies
	// our signature, and signs with our key so that we verify its signature.
	let ours = Sm2Pair::generate();
	std::fs::write(dir.path("our-key.pem"), ours.to_pkcs8_pem().as_bytes()).unwrap();
	std::fs::write(dir.path("our-pub.pem"), ours.public_pem()).unwrap();
	let sig = ours.sign(&msg);
	assert!(openssl_verifies(&dir, "our-pub.pem", "msg.bin", &sig.signature, "1234567812345678"));
	let theirs = openssl_sign(&dir, "our-key.pem", "msg.bin", Some("1234567812345678"));
	assert!(verify_native(&theirs, &ours.public().0, &msg));
	// The public key OpenSSL derives from our private key is ours.
	let derived = openssl_ok(&["pkey", "-in", &dir.arg("our-key.pem"), "-pubout"]).stdout;
	let derived = Sm2Public::from_spki_pem(std::str::from_utf8(&derived).unwrap()).unwrap();
	assert_eq!(derived, ours.public());
}
