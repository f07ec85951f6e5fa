//! SM2 signatures (GB/T 32918.2, SM3 digest) for transactions.
//!
//! The cryptography is the RustCrypto `sm2` crate's; this module only fixes the
//! on-chain formats and the rules around them:
//!
//! - a public key is the 33-byte compressed SEC1 point ([`Sm2Public`]);
//! - a signature is the 64-byte `r ‖ s` (big-endian) together with the
//!   signer's public key ([`Sm2Signature`]), because SM2 has no public-key
//!   recovery;
//! - the account of a key is the SM3 hash of its 33 compressed bytes
//!   ([`Sm2Public::account_id`]);
//! - the message digest is the standard's `e = SM3(Z_A ‖ M)` with the default
//!   user id [`DEFAULT_USER_ID`], so signatures interoperate with OpenSSL 3
//!   (`-sigopt distid:1234567812345678`) and other GB/T 32918 implementations.
//!
//! The runtime verifies through the [`sm2_crypto`] host functions, which the
//! node may back with an [`Sm2VerifierExt`] externalities extension (a thread
//! pool and a cache); without one they verify at once with [`verify_native`].

use alloc::boxed::Box;
// The host side of `#[runtime_interface]` names `Vec`.
#[cfg(not(substrate_runtime))]
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sm2::{
	dsa::{signature::Verifier, Signature as CrateSignature, VerifyingKey},
	elliptic_curve::sec1::ToSec1Point,
};
use sm3::{Digest, Sm3};
use sp_core::crypto::AccountId32;
use sp_runtime_interface::{
	pass_by::{PassFatPointerAndRead, PassPointerAndRead},
	runtime_interface,
};

/// The user id (distinguishing identifier, `ID_A` in GB/T 32918.2) that enters
/// the digest through `Z_A`: the standard's default, which GM/T 0009 and
/// OpenSSL (`distid:1234567812345678`) use too.
pub const DEFAULT_USER_ID: &[u8; 16] = b"1234567812345678";

/// [`DEFAULT_USER_ID`] as the `&str` the `sm2` crate takes.
const DEFAULT_DISTID: &str = match core::str::from_utf8(DEFAULT_USER_ID) {
	Ok(id) => id,
	Err(_) => panic!("the default user id is ASCII"),
};

/// Length of a compressed SEC1 public key.
pub const PUBLIC_KEY_LEN: usize = 33;

/// Length of a raw `r ‖ s` signature.
pub const SIGNATURE_LEN: usize = 64;

/// An SM2 public key: the compressed SEC1 encoding of the point (`02` or `03`
/// followed by the 32-byte big-endian `x`).
///
/// Decoding does not check that the bytes are a point on the curve;
/// verification does, and refuses keys that are not.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Hash,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Sm2Public(pub [u8; PUBLIC_KEY_LEN]);

impl Sm2Public {
	/// The account this key controls: the SM3 hash of the 33 compressed bytes.
	pub fn account_id(&self) -> AccountId32 {
		AccountId32::new(sm3_256(&self.0))
	}

	/// A key from its SEC1 encoding, compressed (33 bytes) or uncompressed (65
	/// bytes); fails unless the bytes are a valid point of the curve other than
	/// the identity.
	pub fn from_sec1(bytes: &[u8]) -> Result<Self, Sm2KeyError> {
		let key = sm2::PublicKey::from_sec1_bytes(bytes).map_err(|_| Sm2KeyError::PublicKey)?;
		Ok(Self::from_crate_key(&key))
	}

	/// Whether the bytes are a valid compressed point of the curve.
	pub fn is_valid(&self) -> bool {
		sm2::PublicKey::from_sec1_bytes(&self.0).is_ok()
	}

	/// The compressed encoding of a key of the `sm2` crate.
	fn from_crate_key(key: &sm2::PublicKey) -> Self {
		let point = key.to_sec1_point(true);
		let mut out = [0u8; PUBLIC_KEY_LEN];
		out.copy_from_slice(point.as_bytes());
		Self(out)
	}
}

impl From<[u8; PUBLIC_KEY_LEN]> for Sm2Public {
	fn from(bytes: [u8; PUBLIC_KEY_LEN]) -> Self {
		Self(bytes)
	}
}

impl AsRef<[u8]> for Sm2Public {
	fn as_ref(&self) -> &[u8] {
		&self.0
	}
}

/// An SM2 signature as a transaction carries it: the 64-byte `r ‖ s` (each a
/// 32-byte big-endian integer) and the signer's compressed public key. SCALE
/// encodes the two fields in that order, 97 bytes in all.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Hash,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Debug,
)]
pub struct Sm2Signature {
	/// `r ‖ s`, big-endian.
	pub signature: [u8; SIGNATURE_LEN],
	/// The signer's compressed public key.
	pub public: Sm2Public,
}

impl Sm2Signature {
	/// A signature from its parts.
	pub fn new(signature: [u8; SIGNATURE_LEN], public: Sm2Public) -> Self {
		Self { signature, public }
	}

	/// Verifies the signature over `msg` against the public key it carries,
	/// natively (without the host function).
	pub fn verify_native(&self, msg: &[u8]) -> bool {
		verify_native(&self.signature, &self.public.0, msg)
	}
}

/// SM3 hash of `data`.
pub fn sm3_256(data: &[u8]) -> [u8; 32] {
	Sm3::digest(data).into()
}

/// Verifies an SM2 signature `sig` (`r ‖ s`) over `msg` by the compressed key
/// `public`, with the digest `SM3(Z_A ‖ msg)` and [`DEFAULT_USER_ID`].
///
/// Pure: no host function, no externalities. Refuses a key that is not a
/// compressed point of the curve, `r` or `s` equal to zero or not below the
/// group order, and every signature that does not verify.
pub fn verify_native(sig: &[u8; SIGNATURE_LEN], public: &[u8; PUBLIC_KEY_LEN], msg: &[u8]) -> bool {
	// A 33-byte SEC1 string can only be a compressed point (`02`/`03`); the
	// crate checks the tag and that `x` gives a point of the curve.
	let Ok(key) = VerifyingKey::from_sec1_bytes(DEFAULT_DISTID, public) else {
		return false;
	};
	// Refuses r = 0, s = 0 and r, s >= n.
	let Ok(signature) = CrateSignature::from_slice(sig) else {
		return false;
	};
	key.verify(msg, &signature).is_ok()
}

/// Why a key could not be read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sm2KeyError {
	/// Not hexadecimal, or not 32 bytes.
	Hex,
	/// Zero or not below the group order.
	SecretKey,
	/// Not a valid point of the curve.
	PublicKey,
	/// Not a PEM document of the expected kind (PKCS#8 `PRIVATE KEY` or SPKI
	/// `PUBLIC KEY` for an SM2 key).
	Pem,
	/// Not an ASN.1 DER SM2 signature (`SEQUENCE { r INTEGER, s INTEGER }`
	/// with `r` and `s` in `[1, n-1]`).
	Der,
}

impl core::fmt::Display for Sm2KeyError {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str(match self {
			Self::Hex => "not a 32-byte hexadecimal SM2 secret key",
			Self::SecretKey => "not a valid SM2 secret key",
			Self::PublicKey => "not a valid SM2 public key",
			Self::Pem => "not a PEM-encoded SM2 key",
			Self::Der => "not a DER-encoded SM2 signature",
		})
	}
}

#[cfg(feature = "std")]
impl std::error::Error for Sm2KeyError {}

/// The node's side of SM2 verification, as the [`sm2_crypto`] host functions
/// see it (through the [`Sm2VerifierExt`] extension).
///
/// The contract:
/// - Outside a batch, [`Sm2Verifier::verify`] returns the real result.
/// - Between [`Sm2Verifier::start_batch`] and [`Sm2Verifier::finish_batch`]
///   it may return `true` at once and check later (for example on other
///   threads); [`Sm2Verifier::finish_batch`] then returns `true` only if every
///   signature passed to `verify` during the batch verified, and closes the
///   batch.
/// - Results must be those of [`verify_native`]: a cache may answer only for a
///   (signature, key, message) triple that really verified before.
pub trait Sm2Verifier: Send {
	/// Verifies, or (inside a batch) queues, the signature `sig` over `msg` by
	/// `public`.
	fn verify(
		&mut self,
		sig: &[u8; SIGNATURE_LEN],
		public: &[u8; PUBLIC_KEY_LEN],
		msg: &[u8],
	) -> bool;
	/// Opens a batch: from now on `verify` may defer its checks.
	fn start_batch(&mut self);
	/// Closes the batch and reports whether every deferred check passed.
	fn finish_batch(&mut self) -> bool;
}

sp_externalities::decl_extension! {
	/// Externalities extension through which the node supplies its
	/// [`Sm2Verifier`] to the [`sm2_crypto`] host functions.
	pub struct Sm2VerifierExt(Box<dyn Sm2Verifier>);
}

impl Sm2VerifierExt {
	/// The extension for `verifier`.
	pub fn new(verifier: Box<dyn Sm2Verifier>) -> Self {
		Self(verifier)
	}
}

/// Runs `f` on the registered [`Sm2VerifierExt`], if there are externalities and
/// the extension is registered in them.
#[cfg(not(substrate_runtime))]
fn with_verifier<R>(f: impl FnOnce(&mut dyn Sm2Verifier) -> R) -> Option<R> {
	use sp_externalities::ExternalitiesExt;
	sp_externalities::with_externalities(|mut ext| {
		ext.extension::<Sm2VerifierExt>().map(|verifier| f(&mut *verifier.0))
	})
	.flatten()
}

/// Host functions for SM2 verification. The runtime calls them; the node
/// registers [`sm2_crypto::HostFunctions`] with its executor.
#[runtime_interface]
pub trait SM2Crypto {
	/// Verifies the SM2 signature `sig` (`r ‖ s`) over `msg` by the compressed
	/// public key `public`, with the default user id.
	///
	/// With an [`Sm2VerifierExt`] registered the extension answers (inside a
	/// batch it may answer `true` and check later); without one this is
	/// [`verify_native`].
	fn verify(
		sig: PassPointerAndRead<&[u8; 64], 64>,
		public: PassPointerAndRead<&[u8; 33], 33>,
		msg: PassFatPointerAndRead<&[u8]>,
	) -> bool {
		with_verifier(|verifier| verifier.verify(sig, public, msg))
			.unwrap_or_else(|| verify_native(sig, public, msg))
	}

	/// Opens a batch: until [`finish_batch`] the
	/// extension may defer the checks of `verify`. A no-op without the
	/// extension.
	fn start_batch() {
		with_verifier(|verifier| verifier.start_batch());
	}

	/// Closes the batch; `true` when every signature checked since
	/// [`start_batch`] verified. `true` without the
	/// extension (nothing was deferred).
	fn finish_batch() -> bool {
		with_verifier(|verifier| verifier.finish_batch()).unwrap_or(true)
	}
}

#[cfg(feature = "std")]
pub use pair::Sm2Pair;

#[cfg(feature = "std")]
mod pair {
	use super::*;
	use sm2::{
		dsa::{signature::Signer as _, SigningKey},
		elliptic_curve::{zeroize::Zeroizing, Generate},
		pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding},
		SecretKey,
	};

	/// An SM2 key pair (std only): generation, import and export, signing.
	///
	/// Signing uses the crate's deterministic `k` (RFC 6979 with SM3), which the
	/// standard allows: `k` only has to be unpredictable and in `[1, n-1]`.
	#[derive(Clone)]
	pub struct Sm2Pair {
		signing: SigningKey,
		public: Sm2Public,
	}

	impl core::fmt::Debug for Sm2Pair {
		fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
			f.debug_struct("Sm2Pair").field("public", &self.public).finish_non_exhaustive()
		}
	}

	impl Sm2Pair {
		/// A new random key from the operating system's generator.
		pub fn generate() -> Self {
			Self::from_secret_key(&SecretKey::generate())
		}

		/// The pair of a secret key of the `sm2` crate.
		fn from_secret_key(secret: &SecretKey) -> Self {
			let signing = SigningKey::new(DEFAULT_DISTID, secret)
				.expect("the default user id is 16 bytes, well within the standard's limit");
			let public = Sm2Public::from_crate_key(&secret.public_key());
			Self { signing, public }
		}

		/// The key whose secret scalar is the 32 big-endian bytes `secret`.
		pub fn from_secret_bytes(secret: &[u8; 32]) -> Result<Self, Sm2KeyError> {
			let secret = SecretKey::from_slice(secret).map_err(|_| Sm2KeyError::SecretKey)?;
			Ok(Self::from_secret_key(&secret))
		}

		/// The key whose secret scalar is given as 64 hex digits, with or
		/// without a `0x` prefix.
		pub fn from_secret_hex(hex_secret: &str) -> Result<Self, Sm2KeyError> {
			let digits = hex_secret.trim();
			let digits = digits.strip_prefix("0x").unwrap_or(digits);
			let mut secret = Zeroizing::new([0u8; 32]);
			hex::decode_to_slice(digits, &mut secret[..]).map_err(|_| Sm2KeyError::Hex)?;
			Self::from_secret_bytes(&secret)
		}

		/// The secret scalar as 64 lower-case hex digits (no prefix).
		pub fn to_secret_hex(&self) -> Zeroizing<String> {
			Zeroizing::new(hex::encode(self.signing.to_bytes()))
		}

		/// The key from a PKCS#8 `PRIVATE KEY` PEM document, as
		/// `openssl genpkey -algorithm SM2` writes it.
		pub fn from_pkcs8_pem(pem: &str) -> Result<Self, Sm2KeyError> {
			let secret = SecretKey::from_pkcs8_pem(pem).map_err(|_| Sm2KeyError::Pem)?;
			Ok(Self::from_secret_key(&secret))
		}

		/// The key as a PKCS#8 `PRIVATE KEY` PEM document (readable by OpenSSL).
		pub fn to_pkcs8_pem(&self) -> Zeroizing<String> {
			let secret = SecretKey::from(self.signing.as_nonzero_scalar());
			secret
				.to_pkcs8_pem(LineEnding::LF)
				.expect("a valid secret key always encodes as PKCS#8")
		}

		/// The public key as an SPKI `PUBLIC KEY` PEM document (what
		/// `openssl pkey -pubout` writes).
		pub fn public_pem(&self) -> String {
			self.public.to_spki_pem().expect("the public key of a secret key is a valid point")
		}

		/// The public key.
		pub fn public(&self) -> Sm2Public {
			self.public
		}

		/// The account this key controls.
		pub fn account_id(&self) -> AccountId32 {
			self.public.account_id()
		}

		/// Signs `msg` (the digest is `SM3(Z_A ‖ msg)` with the default user id).
		pub fn sign(&self, msg: &[u8]) -> Sm2Signature {
			let signature: CrateSignature = self.signing.sign(msg);
			Sm2Signature { signature: signature.to_bytes().into(), public: self.public }
		}
	}

	impl Sm2Signature {
		/// A signature from the ASN.1 DER form (`SEQUENCE { r INTEGER, s
		/// INTEGER }`) that OpenSSL (`openssl dgst -sm3 -sign`), GmSSL and
		/// most HSMs write, made by `public`. Fails unless `r` and `s` are in
		/// `[1, n-1]`; whether it verifies is another matter.
		pub fn from_der(der: &[u8], public: Sm2Public) -> Result<Self, Sm2KeyError> {
			let signature = CrateSignature::from_der(der).map_err(|_| Sm2KeyError::Der)?;
			Ok(Self { signature: signature.to_bytes().into(), public })
		}

		/// `r ‖ s` in ASN.1 DER, for verifiers that want that form; `None`
		/// when `r` or `s` is out of range.
		pub fn to_der(&self) -> Option<Vec<u8>> {
			let signature = CrateSignature::from_slice(&self.signature).ok()?;
			Some(signature.to_der().as_bytes().to_vec())
		}
	}

	impl Sm2Public {
		/// The key from an SPKI `PUBLIC KEY` PEM document.
		pub fn from_spki_pem(pem: &str) -> Result<Self, Sm2KeyError> {
			let key = sm2::PublicKey::from_public_key_pem(pem).map_err(|_| Sm2KeyError::Pem)?;
			Ok(Self::from_crate_key(&key))
		}

		/// The key as an SPKI `PUBLIC KEY` PEM document; `None` when the bytes
		/// are not a valid point.
		pub fn to_spki_pem(&self) -> Option<String> {
			sm2::PublicKey::from_sec1_bytes(&self.0)
				.ok()
				.and_then(|key| key.to_public_key_pem(LineEnding::LF).ok())
		}
	}

	impl core::fmt::Display for Sm2Public {
		fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
			write!(f, "0x{}", hex::encode(self.0))
		}
	}

	/// Serde as a `0x`-prefixed hex string.
	impl serde::Serialize for Sm2Public {
		fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
			serializer.serialize_str(&self.to_string())
		}
	}

	impl<'de> serde::Deserialize<'de> for Sm2Public {
		fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
			Ok(Self(hex_array(deserializer)?))
		}
	}

	/// Serde as `{ "signature": "0x…", "public": "0x…" }`.
	impl serde::Serialize for Sm2Signature {
		fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
			use serde::ser::SerializeStruct;
			let mut s = serializer.serialize_struct("Sm2Signature", 2)?;
			s.serialize_field("signature", &format!("0x{}", hex::encode(self.signature)))?;
			s.serialize_field("public", &self.public)?;
			s.end()
		}
	}

	impl<'de> serde::Deserialize<'de> for Sm2Signature {
		fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
			#[derive(serde::Deserialize)]
			struct Fields {
				signature: HexSignature,
				public: Sm2Public,
			}
			struct HexSignature([u8; SIGNATURE_LEN]);
			impl<'de> serde::Deserialize<'de> for HexSignature {
				fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
					Ok(Self(hex_array(d)?))
				}
			}
			let fields = Fields::deserialize(deserializer)?;
			Ok(Self { signature: fields.signature.0, public: fields.public })
		}
	}

	/// Reads a `0x`-prefixed (or bare) hex string of exactly `N` bytes.
	fn hex_array<'de, D: serde::Deserializer<'de>, const N: usize>(
		deserializer: D,
	) -> Result<[u8; N], D::Error> {
		let text = <String as serde::Deserialize>::deserialize(deserializer)?;
		let digits = text.strip_prefix("0x").unwrap_or(&text);
		let mut out = [0u8; N];
		hex::decode_to_slice(digits, &mut out)
			.map_err(|e| serde::de::Error::custom(format_args!("bad hex of {N} bytes: {e}")))?;
		Ok(out)
	}
}

#[cfg(test)]
mod tests;
