//! Amounts in SQL without losing a fen.
//!
//! On chain an amount is a `u128`. Neither engine sums that: SQLite's `SUM`
//! raises an overflow past `i64`, PostgreSQL's `SUM(bigint)` returns
//! `numeric`, which sqlx's `Any` driver cannot decode. So each amount is
//! stored as four 32-bit limbs, lowest first, in `BIGINT` columns: a limb's
//! sum over up to 2³¹ rows fits in an `i64`, each is summed with
//! `CAST(SUM(limb) AS BIGINT)` on both engines, and [`combine`] adds the
//! four sums back together with their carries.

use crate::Error;

/// The four 32-bit limbs of `amount`, lowest first.
pub fn limbs(amount: u128) -> [i64; 4] {
	[0, 1, 2, 3].map(|i| ((amount >> (32 * i)) & 0xffff_ffff) as i64)
}

/// The total of many amounts from the sums of their limbs (each sum as SQL
/// returned it, `None` for no rows). Refuses a negative sum (not limbs) and
/// a total beyond `u128`.
pub fn combine(sums: [Option<i64>; 4]) -> Result<u128, Error> {
	let mut total: u128 = 0;
	for (i, sum) in sums.into_iter().enumerate() {
		let sum = sum.unwrap_or(0);
		let sum = u128::try_from(sum)
			.map_err(|_| Error::Corrupt(format!("a negative sum of amount limbs: {sum}")))?;
		let part = sum
			.checked_mul(1u128 << (32 * i))
			.ok_or_else(|| Error::Corrupt("a total beyond u128".into()))?;
		total =
			total.checked_add(part).ok_or_else(|| Error::Corrupt("a total beyond u128".into()))?;
	}
	Ok(total)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn limbs_round_trip_at_the_edges() {
		for a in [0, 1, u32::MAX as u128, 1 << 32, u64::MAX as u128, u128::MAX, u128::MAX - 1] {
			let l = limbs(a);
			assert!(l.iter().all(|x| (0..=u32::MAX as i64).contains(x)));
			assert_eq!(combine(l.map(Some)).unwrap(), a, "{a}");
		}
	}

	#[test]
	fn sums_of_many_rows_carry_between_limbs() {
		let amounts = [u32::MAX as u128; 1000].to_vec();
		let mut sums = [0i64; 4];
		for a in &amounts {
			for (s, l) in sums.iter_mut().zip(limbs(*a)) {
				*s += l;
			}
		}
		assert_eq!(combine(sums.map(Some)).unwrap(), amounts.iter().sum::<u128>());
		// Two halves of u128::MAX.
		let half = u128::MAX / 2;
		let (a, b) = (limbs(half), limbs(half + 1));
		let sums = [0, 1, 2, 3].map(|i| Some(a[i] + b[i]));
		assert_eq!(combine(sums).unwrap(), u128::MAX);
	}

	#[test]
	fn a_total_beyond_u128_is_an_error_not_a_wrap() {
		let m = limbs(u128::MAX);
		let sums = [0, 1, 2, 3].map(|i| Some(m[i] * 2));
		assert!(combine(sums).is_err());
		assert!(combine([Some(-1), None, None, None]).is_err());
		assert_eq!(combine([None; 4]).unwrap(), 0);
	}
}
