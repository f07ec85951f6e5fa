//! The GB 32100-2015 check, against published codes and constructed bad ones.

use crate::uscc::{self, Uscc, UsccError, ALPHABET};

/// Codes published by their holders or in public test suites:
/// - 914403001922038216: Huawei Technologies Co., Ltd. (华为技术有限公司),
///   as given on its Chinese Wikipedia page;
/// - 91310110666007217T and 91310115591693856A: the valid examples of
///   hutool's `CreditCodeUtilTest`;
/// - 91230184MA1BUFLT44 and 92371000MA3MXH0E3W: the examples in the
///   documentation of winjs-dev/cloud-utils `isUnifiedSocialCreditCode`.
const PUBLISHED: [&str; 5] = [
	"914403001922038216",
	"91310110666007217T",
	"91310115591693856A",
	"91230184MA1BUFLT44",
	"92371000MA3MXH0E3W",
];

fn parse(s: &str) -> Result<Uscc, UsccError> {
	Uscc::try_from_slice(s.as_bytes())
}

#[test]
fn published_codes_are_valid() {
	for code in PUBLISHED {
		let parsed = parse(code).unwrap_or_else(|e| panic!("{code} refused: {e:?}"));
		assert_eq!(parsed.as_str(), code);
	}
}

#[test]
fn early_pilot_code_without_a_standard_check_character_is_refused() {
	// hutool's negative example: issued by a pilot region before the
	// standard; its check character would be 3 under GB 32100-2015.
	assert_eq!(parse("91350211M00013FA1N"), Err(UsccError::CheckCharacter(b'3')));
}

#[test]
fn wrong_check_character_is_refused() {
	assert_eq!(parse("914403001922038217"), Err(UsccError::CheckCharacter(b'6')));
	assert_eq!(parse("91310110666007217U"), Err(UsccError::CheckCharacter(b'T')));
}

#[test]
fn check_value_31_maps_to_zero() {
	// A weighted sum divisible by 31 gives check value 31, written 0.
	assert_eq!(uscc::check_char(b"00000000000000000"), Ok(b'0'));
	assert!(parse("000000000000000000").is_ok());
	// The same body with a check character of Y (value 30) is wrong.
	assert_eq!(parse("00000000000000000Y"), Err(UsccError::CheckCharacter(b'0')));
}

#[test]
fn letters_outside_the_alphabet_are_refused() {
	// I, O, Z, S and V are not in the alphabet, wherever they appear.
	for bad in [b'I', b'O', b'Z', b'S', b'V'] {
		let mut code = *b"91230184MA1BUFLT44";
		code[9] = bad;
		assert_eq!(Uscc::parse(code), Err(UsccError::Character(10)), "{}", bad as char);
	}
	// Lower case is not accepted either.
	assert_eq!(parse("91230184ma1buflt44"), Err(UsccError::Character(9)));
	assert_eq!(parse("91310110666007217t"), Err(UsccError::Character(18)));
	// Nor punctuation, spaces or non-ASCII bytes.
	assert_eq!(parse("9144030019220382-6"), Err(UsccError::Character(17)));
	assert_eq!(parse(" 14403001922038216"), Err(UsccError::Character(1)));
	let mut code = *b"914403001922038216";
	code[4] = 0xE5;
	assert_eq!(Uscc::parse(code), Err(UsccError::Character(5)));
}

#[test]
fn wrong_length_is_refused() {
	assert_eq!(parse(""), Err(UsccError::Length(0)));
	assert_eq!(parse("91440300192203821"), Err(UsccError::Length(17)));
	assert_eq!(parse("9144030019220382160"), Err(UsccError::Length(19)));
	// 18 characters of a multi-byte script are more than 18 bytes.
	assert_eq!(parse("华为技术有限公司"), Err(UsccError::Length(24)));
}

#[test]
fn every_single_character_substitution_is_detected() {
	// The weights are non-zero modulo the prime 31, so changing any one
	// character to any other alphabet character changes the check value.
	for code in PUBLISHED {
		let original: [u8; 18] = code.as_bytes().try_into().unwrap();
		for pos in 0..18 {
			for &c in ALPHABET.iter().filter(|c| **c != original[pos]) {
				let mut changed = original;
				changed[pos] = c;
				assert!(
					matches!(Uscc::parse(changed), Err(UsccError::CheckCharacter(_))),
					"{} accepted",
					core::str::from_utf8(&changed).unwrap()
				);
			}
		}
	}
}

#[test]
fn synthetic_codes_are_valid_and_distinct() {
	let mut seen = std::collections::BTreeSet::new();
	for n in (0..2_000).chain([999_999_999, 900_000_000]) {
		let code = uscc::synthetic(n);
		assert!(Uscc::parse(code).is_ok(), "{n}");
		assert!(seen.insert(code), "{n} repeats a code");
	}
	assert_eq!(&uscc::synthetic(42)[..17], b"91110000000000042");
}
