#![doc = include_str!("../README.md")]

use blake2::{digest::consts::U32, Blake2b};
use sm2::{
	dsa::{
		signature::{Signer as _, Verifier as _},
		Signature, SigningKey, VerifyingKey,
	},
	elliptic_curve::sec1::ToSec1Point,
	pkcs8::DecodePrivateKey,
	SecretKey,
};

/// The user id that enters SM2's digest (`Z_A`): GB/T 32918's default.
pub const USER_ID: &str = "1234567812345678";

/// An export succeeded.
pub const OK: i32 = 0;
/// A secret key that is zero or not below the group order.
pub const BAD_SECRET: i32 = 1;
/// A public key that is not a compressed point of the curve.
pub const BAD_PUBLIC: i32 = 2;
/// A signature that is neither 64 bytes `r ‖ s` nor DER, or does not verify.
pub const BAD_SIGNATURE: i32 = 3;
/// A document that is not a PKCS#8 SM2 private key.
pub const BAD_PKCS8: i32 = 4;

/// Why an operation refused its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
	Secret,
	Public,
	Signature,
	Pkcs8,
}

impl Error {
	/// The export's status code.
	pub fn code(self) -> i32 {
		match self {
			Error::Secret => BAD_SECRET,
			Error::Public => BAD_PUBLIC,
			Error::Signature => BAD_SIGNATURE,
			Error::Pkcs8 => BAD_PKCS8,
		}
	}
}

fn signing_key(secret: &[u8; 32]) -> Result<SigningKey, Error> {
	let secret = SecretKey::from_slice(secret).map_err(|_| Error::Secret)?;
	SigningKey::new(USER_ID, &secret).map_err(|_| Error::Secret)
}

/// The compressed (33-byte) public key of the secret scalar `secret`.
pub fn public_key(secret: &[u8; 32]) -> Result<[u8; 33], Error> {
	let secret = SecretKey::from_slice(secret).map_err(|_| Error::Secret)?;
	let point = secret.public_key().to_sec1_point(true);
	let mut out = [0u8; 33];
	out.copy_from_slice(point.as_bytes());
	Ok(out)
}

/// The SM2 signature `r ‖ s` of `msg` by `secret`.
pub fn sign(secret: &[u8; 32], msg: &[u8]) -> Result<[u8; 64], Error> {
	let signature: Signature = signing_key(secret)?.sign(msg);
	Ok(signature.to_bytes().into())
}

/// Whether `signature` (64 bytes `r ‖ s`, or DER as OpenSSL writes it) is
/// `public`'s over `msg`.
pub fn verify(public: &[u8; 33], msg: &[u8], signature: &[u8]) -> Result<(), Error> {
	let key = VerifyingKey::from_sec1_bytes(USER_ID, public).map_err(|_| Error::Public)?;
	let signature = if signature.len() == 64 {
		Signature::from_slice(signature)
	} else {
		Signature::from_der(signature)
	}
	.map_err(|_| Error::Signature)?;
	key.verify(msg, &signature).map_err(|_| Error::Signature)
}

/// The secret scalar of a PKCS#8 `PRIVATE KEY` document (DER), as
/// `openssl genpkey -algorithm SM2` writes it.
pub fn secret_from_pkcs8(der: &[u8]) -> Result<[u8; 32], Error> {
	let secret = SecretKey::from_pkcs8_der(der).map_err(|_| Error::Pkcs8)?;
	Ok(secret.to_bytes().into())
}

/// SM3 of `msg`.
pub fn sm3(msg: &[u8]) -> [u8; 32] {
	use sm3::Digest as _;
	sm3::Sm3::digest(msg).into()
}

/// BLAKE2b-256 of `msg`.
pub fn blake2_256(msg: &[u8]) -> [u8; 32] {
	use blake2::Digest as _;
	Blake2b::<U32>::digest(msg).into()
}

// --- the C-ABI exports ---

/// # Safety
/// `len` bytes at `ptr` must be readable (the caller's buffer).
unsafe fn input<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
	if len == 0 {
		&[]
	} else {
		core::slice::from_raw_parts(ptr, len)
	}
}

/// # Safety
/// `N` bytes at `ptr` must be readable.
unsafe fn fixed<const N: usize>(ptr: *const u8) -> [u8; N] {
	let mut out = [0u8; N];
	out.copy_from_slice(core::slice::from_raw_parts(ptr, N));
	out
}

/// # Safety
/// `bytes.len()` bytes at `ptr` must be writable.
unsafe fn output(ptr: *mut u8, bytes: &[u8]) {
	core::ptr::copy_nonoverlapping(bytes.as_ptr(), ptr, bytes.len());
}

/// A buffer of `len` bytes for the page to fill; give it back with
/// [`wallet_free`].
#[no_mangle]
pub extern "C" fn wallet_alloc(len: usize) -> *mut u8 {
	let mut buffer = Vec::<u8>::with_capacity(len.max(1));
	let ptr = buffer.as_mut_ptr();
	core::mem::forget(buffer);
	ptr
}

/// Zeroes and frees a buffer of [`wallet_alloc`] (secrets pass through them).
///
/// # Safety
/// `ptr` and `len` must be those of one [`wallet_alloc`] call.
#[no_mangle]
pub unsafe extern "C" fn wallet_free(ptr: *mut u8, len: usize) {
	core::ptr::write_bytes(ptr, 0, len);
	drop(Vec::from_raw_parts(ptr, 0, len.max(1)));
}

/// 33 bytes at `out`: the compressed public key of the 32-byte secret at
/// `secret`. [`BAD_SECRET`] for a scalar that is no key.
///
/// # Safety
/// The pointers must point at buffers of the sizes named.
#[no_mangle]
pub unsafe extern "C" fn wallet_sm2_public(secret: *const u8, out: *mut u8) -> i32 {
	match public_key(&fixed::<32>(secret)) {
		Ok(public) => {
			output(out, &public);
			OK
		},
		Err(e) => e.code(),
	}
}

/// 64 bytes `r ‖ s` at `out`: the signature of the `len` bytes at `msg` by
/// the 32-byte secret at `secret`.
///
/// # Safety
/// The pointers must point at buffers of the sizes named.
#[no_mangle]
pub unsafe extern "C" fn wallet_sm2_sign(
	secret: *const u8,
	msg: *const u8,
	len: usize,
	out: *mut u8,
) -> i32 {
	match sign(&fixed::<32>(secret), input(msg, len)) {
		Ok(signature) => {
			output(out, &signature);
			OK
		},
		Err(e) => e.code(),
	}
}

/// [`OK`] when the `sig_len` bytes at `sig` (`r ‖ s` or DER) are the
/// signature of the `len` bytes at `msg` by the 33-byte key at `public`.
///
/// # Safety
/// The pointers must point at buffers of the sizes named.
#[no_mangle]
pub unsafe extern "C" fn wallet_sm2_verify(
	public: *const u8,
	msg: *const u8,
	len: usize,
	sig: *const u8,
	sig_len: usize,
) -> i32 {
	match verify(&fixed::<33>(public), input(msg, len), input(sig, sig_len)) {
		Ok(()) => OK,
		Err(e) => e.code(),
	}
}

/// 32 bytes at `out`: the secret of the PKCS#8 DER document at `der`.
///
/// # Safety
/// The pointers must point at buffers of the sizes named.
#[no_mangle]
pub unsafe extern "C" fn wallet_sm2_secret_from_pkcs8(
	der: *const u8,
	len: usize,
	out: *mut u8,
) -> i32 {
	match secret_from_pkcs8(input(der, len)) {
		Ok(secret) => {
			output(out, &secret);
			OK
		},
		Err(e) => e.code(),
	}
}

/// 32 bytes at `out`: SM3 of the `len` bytes at `msg`.
///
/// # Safety
/// The pointers must point at buffers of the sizes named.
#[no_mangle]
pub unsafe extern "C" fn wallet_sm3(msg: *const u8, len: usize, out: *mut u8) {
	output(out, &sm3(input(msg, len)));
}

/// 32 bytes at `out`: BLAKE2b-256 of the `len` bytes at `msg`.
///
/// # Safety
/// The pointers must point at buffers of the sizes named.
#[no_mangle]
pub unsafe extern "C" fn wallet_blake2_256(msg: *const u8, len: usize, out: *mut u8) {
	output(out, &blake2_256(input(msg, len)));
}
