//! Secrets: the ERP clients' API keys and the custodial signing keys.
//!
//! - **API keys** are `scf_<id>_<secret>`: `id` (8 random bytes, hex) names
//!   the key in listings and logs; `secret` (32 random bytes, hex) is shown
//!   once, at creation. The database keeps only the SM3 hash of the secret
//!   (a random 256-bit secret needs no slow password hash), compared in
//!   constant time.
//! - **Custodial keys** (the SM2 or sr25519 secret the bridge signs with for
//!   a participant) are sealed with SM4-GCM under a key derived from the
//!   bridge's master secret with PBKDF2-HMAC-SM3 (a fresh 16-byte salt per
//!   key, [`PBKDF2_ROUNDS`] rounds); the participant's account is the
//!   additional authenticated data, so a sealed key moved to another
//!   participant's row does not open. Layout: version (1) ‖ salt (16) ‖
//!   nonce (12) ‖ ciphertext and tag.

use crate::Error;
use aes_gcm::{
	aead::{consts::U12, Aead, KeyInit, Payload},
	AesGcm,
};
use scf_primitives::{sm2::Sm2Pair, AccountId};
use sm3::{Digest, Sm3};
use sp_core::Pair as _;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// SM4 in Galois/counter mode with a 96-bit nonce.
type Sm4Gcm = AesGcm<sm4::Sm4, U12>;

/// PBKDF2 rounds for the custodial key-encryption key (about 0.1 s here,
/// paid once per participant per process: opened keys are cached).
pub const PBKDF2_ROUNDS: u32 = 100_000;
const SEAL_VERSION: u8 = 1;

/// `n` random bytes from the operating system.
pub fn random<const N: usize>() -> Result<[u8; N], Error> {
	let mut out = [0u8; N];
	getrandom::getrandom(&mut out).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
	Ok(out)
}

/// SM3 of `data`, hex.
pub fn sm3_hex(data: &[u8]) -> String {
	hex::encode(Sm3::digest(data))
}

/// A new API key: (`id`, the full key to hand to the client once, the
/// stored digest).
pub fn new_api_key() -> Result<(String, Zeroizing<String>, String), Error> {
	let id = hex::encode(random::<8>()?);
	let secret = Zeroizing::new(hex::encode(random::<32>()?));
	let digest = sm3_hex(secret.as_bytes());
	Ok((id.clone(), Zeroizing::new(format!("scf_{id}_{}", secret.as_str())), digest))
}

/// An API key split into its id and secret, if it has the form.
pub fn parse_api_key(key: &str) -> Option<(&str, &str)> {
	let rest = key.strip_prefix("scf_")?;
	let (id, secret) = rest.split_once('_')?;
	(id.len() == 16 && secret.len() == 64).then_some((id, secret))
}

/// Whether `secret` hashes to `digest` (constant time).
pub fn secret_matches(secret: &str, digest: &str) -> bool {
	sm3_hex(secret.as_bytes()).as_bytes().ct_eq(digest.as_bytes()).into()
}

/// A key the bridge can sign with for a participant.
pub enum SigningKey {
	Sm2(Sm2Pair),
	Sr25519(sp_core::sr25519::Pair),
}

impl SigningKey {
	/// Parses a secret as the custody file holds it: `sm2:` + 64 hex digits
	/// (or an SM2 PKCS#8 PEM as OpenSSL writes it), or `sr25519:` + a secret
	/// URI (a 0x seed, or a development URI such as `//Alice`).
	pub fn parse(text: &str) -> Result<SigningKey, Error> {
		let text = text.trim();
		let bad = |e: String| Error::BadParams(format!("not a signing key: {e}"));
		if text.starts_with("-----BEGIN") {
			return Sm2Pair::from_pkcs8_pem(text)
				.map(SigningKey::Sm2)
				.map_err(|e| bad(e.to_string()));
		}
		if let Some(hex_secret) = text.strip_prefix("sm2:") {
			return Sm2Pair::from_secret_hex(hex_secret.trim_start_matches("0x"))
				.map(SigningKey::Sm2)
				.map_err(|e| bad(e.to_string()));
		}
		if let Some(uri) = text.strip_prefix("sr25519:") {
			return sp_core::sr25519::Pair::from_string(uri, None)
				.map(SigningKey::Sr25519)
				.map_err(|e| bad(format!("{e:?}")));
		}
		Err(bad("expected `sm2:HEX`, an SM2 PKCS#8 PEM, or `sr25519:URI`".into()))
	}

	/// The account it signs for.
	pub fn account(&self) -> AccountId {
		match self {
			SigningKey::Sm2(p) => p.account_id(),
			SigningKey::Sr25519(p) => AccountId::from(p.public()),
		}
	}
}

/// The bridge's master secret: the custodial keys open only with it.
pub struct MasterKey(Zeroizing<Vec<u8>>);

impl MasterKey {
	/// From the environment variable's or the file's contents (at least 16
	/// bytes once trimmed).
	pub fn new(secret: &[u8]) -> Result<MasterKey, Error> {
		let trimmed = secret.trim_ascii();
		if trimmed.len() < 16 {
			return Err(Error::Internal(
				"the custody master key is shorter than 16 bytes: use a long random secret".into(),
			));
		}
		Ok(MasterKey(Zeroizing::new(trimmed.to_vec())))
	}

	fn cipher(&self, salt: &[u8]) -> Result<Sm4Gcm, Error> {
		let mut key = Zeroizing::new([0u8; 16]);
		pbkdf2::pbkdf2_hmac::<Sm3>(&self.0, salt, PBKDF2_ROUNDS, &mut key[..]);
		Sm4Gcm::new_from_slice(&key[..]).map_err(|e| Error::Internal(format!("SM4 key: {e}")))
	}

	/// Seals the signing key `secret` (its text form, as
	/// [`SigningKey::parse`] reads it) for the account it signs for; returns
	/// that account and the sealed bytes.
	pub fn seal(&self, secret: &str) -> Result<(AccountId, Vec<u8>), Error> {
		let account = SigningKey::parse(secret)?.account();
		let salt = random::<16>()?;
		let nonce = random::<12>()?;
		let text = secret.trim();
		let sealed = self
			.cipher(&salt)?
			.encrypt(
				(&nonce).into(),
				Payload { msg: text.as_bytes(), aad: AsRef::<[u8]>::as_ref(&account) },
			)
			.map_err(|_| Error::Internal("SM4-GCM sealing failed".into()))?;
		let mut out = vec![SEAL_VERSION];
		out.extend_from_slice(&salt);
		out.extend_from_slice(&nonce);
		out.extend(sealed);
		Ok((account, out))
	}

	/// Opens a sealed key of `account`; refuses a wrong master key, a key of
	/// another account, or tampered bytes.
	pub fn open(&self, account: &AccountId, sealed: &[u8]) -> Result<SigningKey, Error> {
		let refused = || {
			Error::Internal(format!(
				"the custodial key of {account} does not open: wrong master key, or the stored \
				 key was altered"
			))
		};
		if sealed.len() < 1 + 16 + 12 + 16 || sealed[0] != SEAL_VERSION {
			return Err(refused());
		}
		let (salt, rest) = sealed[1..].split_at(16);
		let (nonce, body) = rest.split_at(12);
		let text = self
			.cipher(salt)?
			.decrypt(nonce.into(), Payload { msg: body, aad: AsRef::<[u8]>::as_ref(account) })
			.map(Zeroizing::new)
			.map_err(|_| refused())?;
		let text = std::str::from_utf8(&text).map_err(|_| refused())?;
		let key = SigningKey::parse(text)?;
		if &key.account() != account {
			return Err(refused());
		}
		Ok(key)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn api_keys_are_checked_by_their_digest_only() {
		let (id, key, digest) = new_api_key().unwrap();
		let (parsed_id, secret) = parse_api_key(&key).unwrap();
		assert_eq!(parsed_id, id);
		assert!(secret_matches(secret, &digest));
		assert!(!secret_matches(&"0".repeat(64), &digest));
		assert!(!digest.contains(secret), "the digest is not the secret");
		assert_eq!(parse_api_key("scf_short_key"), None);
		assert_eq!(parse_api_key(&key.replace("scf_", "xyz_")), None);
	}

	#[test]
	fn a_sealed_key_opens_only_with_its_master_key_and_account() {
		let master = MasterKey::new(b"a long enough master secret").unwrap();
		let pair = Sm2Pair::generate();
		let secret = format!("sm2:{}", pair.to_secret_hex().as_str());
		let (account, sealed) = master.seal(&secret).unwrap();
		assert_eq!(account, pair.account_id());
		let hex_secret = pair.to_secret_hex();
		assert!(
			!sealed.windows(8).any(|w| hex_secret.as_bytes().windows(8).any(|s| s == w)),
			"no part of the secret is stored in the clear"
		);
		assert_eq!(master.open(&account, &sealed).unwrap().account(), account);
		let other = MasterKey::new(b"another long master secret").unwrap();
		assert!(other.open(&account, &sealed).is_err(), "wrong master key");
		let elsewhere = Sm2Pair::generate().account_id();
		assert!(master.open(&elsewhere, &sealed).is_err(), "another participant's row");
		let mut tampered = sealed.clone();
		*tampered.last_mut().unwrap() ^= 1;
		assert!(master.open(&account, &tampered).is_err(), "altered bytes");
		assert!(MasterKey::new(b"short").is_err());
	}

	#[test]
	fn signing_keys_parse_from_their_text_forms() {
		let alice = SigningKey::parse("sr25519://Alice").unwrap();
		let seed = SigningKey::parse(
			"sr25519:0xe5be9a5092b81bca64be81d212e7f2f9eba183bb7a90954f7b76361f6edb5c0a",
		)
		.unwrap();
		assert_eq!(alice.account(), seed.account(), "//Alice is that seed");
		let pair = Sm2Pair::generate();
		let sm2 = SigningKey::parse(&format!("sm2:{}", pair.to_secret_hex().as_str())).unwrap();
		assert_eq!(sm2.account(), pair.account_id());
		let pem = SigningKey::parse(&pair.to_pkcs8_pem()).unwrap();
		assert_eq!(pem.account(), pair.account_id());
		assert!(SigningKey::parse("sm2:zz").is_err());
		assert!(SigningKey::parse("ed25519:00").is_err());
	}
}
