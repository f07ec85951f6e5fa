//! What the workspace's property tests share (std only).

/// SplitMix64: a small, seedable generator, good enough for choosing calls
/// and arguments in property tests, so a seed replays a sequence exactly.
/// Not for anything secret.
pub struct Rng(pub u64);

impl Rng {
	/// The next 64 random bits.
	pub fn next(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
		z ^ (z >> 31)
	}

	/// A number below `n` (0 when `n` is 0).
	pub fn below(&mut self, n: u64) -> u64 {
		if n == 0 {
			0
		} else {
			self.next() % n
		}
	}

	/// True `percent` times in a hundred.
	pub fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}

	/// One of `v`, which must not be empty.
	pub fn pick<T: Clone>(&mut self, v: &[T]) -> T {
		self.try_pick(v).expect("pick from an empty list")
	}

	/// One of `v`, if it has any.
	pub fn try_pick<T: Clone>(&mut self, v: &[T]) -> Option<T> {
		(!v.is_empty()).then(|| v[self.below(v.len() as u64) as usize].clone())
	}
}

#[cfg(test)]
mod tests {
	use super::Rng;

	#[test]
	fn a_seed_replays_and_picks_stay_in_range() {
		let (mut a, mut b) = (Rng(7), Rng(7));
		let first: Vec<u64> = (0..5).map(|_| a.next()).collect();
		assert_eq!(first, (0..5).map(|_| b.next()).collect::<Vec<_>>());
		assert_ne!(first[0], first[1]);
		assert!((0..1000).all(|_| a.below(3) < 3));
		assert_eq!(a.try_pick::<u8>(&[]), None);
		assert!([4, 5].contains(&a.pick(&[4, 5])));
	}
}
