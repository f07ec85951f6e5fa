//! The unified social credit code (统一社会信用代码) of GB 32100-2015.
//!
//! A code is 18 characters from a 31-character alphabet: the digits and the
//! upper-case Latin letters without I, O, Z, S and V. The 18th character is a
//! check character over the first 17:
//!
//! - each character has a value, its position in [`ALPHABET`] (`0` is 0, `A`
//!   is 10, `Y` is 30);
//! - the values of positions 1 to 17 are multiplied by the weights
//!   [`WEIGHTS`] (3^(i-1) mod 31) and summed;
//! - the check value is `31 - (sum mod 31)`, where 31 becomes 0;
//! - the check character is the alphabet character of that value.
//!
//! Only upper-case characters are valid: the standard prints codes in upper
//! case and a registry that accepted both would hold two spellings of one
//! code. Clients should upper-case user input before submitting it.
//!
//! The structure fields of the code (registration authority, organisation
//! type, region) are not checked beyond the alphabet: their code lists change
//! over time and a wrong one is caught by the check character as often as any
//! other typing error.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Number of characters in a code.
pub const USCC_LEN: usize = 18;

/// The code's alphabet, in value order.
pub const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1 to 17.
pub const WEIGHTS: [u32; USCC_LEN - 1] =
	[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Why a code is not a valid unified social credit code.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum UsccError {
	/// The code does not have 18 characters; holds the length found.
	Length(usize),
	/// The character at this position (1-based) is not in the alphabet.
	Character(usize),
	/// The 18th character is not the check character of the first 17; holds
	/// the expected check character.
	CheckCharacter(u8),
}

/// A validated unified social credit code, kept as its 18 ASCII bytes.
///
/// Construct it with [`Uscc::parse`] or [`Uscc::try_from_slice`]; decoding
/// from SCALE does not validate, so only codes that went through one of those
/// are ever stored by the pallet.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
)]
pub struct Uscc(pub [u8; USCC_LEN]);

impl Uscc {
	/// Validates `code` and wraps it.
	pub fn parse(code: [u8; USCC_LEN]) -> Result<Self, UsccError> {
		let mut sum: u32 = 0;
		for (i, c) in code.iter().enumerate() {
			let value = char_value(*c).ok_or(UsccError::Character(i + 1))?;
			if i < USCC_LEN - 1 {
				sum += value * WEIGHTS[i];
			}
		}
		let expected = check_char_of_sum(sum);
		if code[USCC_LEN - 1] != expected {
			return Err(UsccError::CheckCharacter(expected));
		}
		Ok(Self(code))
	}

	/// Validates a code of any length (for example one read from a genesis
	/// file or typed by a user) and wraps it.
	pub fn try_from_slice(code: &[u8]) -> Result<Self, UsccError> {
		let fixed: [u8; USCC_LEN] = code.try_into().map_err(|_| UsccError::Length(code.len()))?;
		Self::parse(fixed)
	}

	/// The code as text (always ASCII).
	pub fn as_str(&self) -> &str {
		// Only validated codes are constructed, and the alphabet is ASCII.
		core::str::from_utf8(&self.0).unwrap_or("")
	}
}

impl core::fmt::Debug for Uscc {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		match core::str::from_utf8(&self.0) {
			Ok(s) => write!(f, "Uscc({s})"),
			Err(_) => write!(f, "Uscc({:?})", self.0),
		}
	}
}

/// The value of an alphabet character, or `None` outside the alphabet.
pub fn char_value(c: u8) -> Option<u32> {
	ALPHABET.iter().position(|a| *a == c).map(|p| p as u32)
}

fn check_char_of_sum(sum: u32) -> u8 {
	let value = (31 - sum % 31) % 31;
	ALPHABET[value as usize]
}

/// The check character for the first 17 characters of a code, or the
/// position (1-based) of the first character outside the alphabet.
pub fn check_char(body: &[u8; USCC_LEN - 1]) -> Result<u8, usize> {
	let mut sum = 0u32;
	for (i, c) in body.iter().enumerate() {
		sum += char_value(*c).ok_or(i + 1)? * WEIGHTS[i];
	}
	Ok(check_char_of_sum(sum))
}

/// A valid code whose first 17 characters are `91` (enterprise registered
/// by market regulation), the region `110000`, and `n` written in nine
/// decimal digits; the 18th is its check character. Deterministic and
/// distinct for distinct `n < 10^9`: benchmarks, tests and genesis presets
/// use it to make codes for synthetic participants.
pub fn synthetic(n: u32) -> [u8; USCC_LEN] {
	let mut code = *b"91110000000000000X";
	let mut rest = n;
	for i in (8..17).rev() {
		code[i] = b'0' + (rest % 10) as u8;
		rest /= 10;
	}
	let body: [u8; USCC_LEN - 1] = code[..USCC_LEN - 1].try_into().expect("17 bytes; qed");
	code[USCC_LEN - 1] = check_char(&body).expect("all characters are digits; qed");
	code
}
