// What a financing offer means for the supplier, in the financing pallet's
// own arithmetic (pallets/financing/src/types.rs, `discount`, and the
// settlement rule in features/settlement.rs). Amounts are minor units
// (BigInt), times ms since the epoch.

/** A year as the pallet counts it: 365 days. */
export const YEAR_MS = 365n * 24n * 60n * 60n * 1000n;
const BPS_ONE = 10_000n;

/**
 * The discount on `advance` at `bps` a year from `from` to `to`, rounded
 * down as the pallet rounds it; 0 when `to <= from`.
 */
export function discount(advance, bps, from, to) {
	const elapsed = BigInt(to) - BigInt(from);
	if (elapsed <= 0n) return 0n;
	return (BigInt(advance) * BigInt(bps) * elapsed) / (BPS_ONE * YEAR_MS);
}

/**
 * What the holder of a certificate of `face` due at `due` receives if it
 * accepts `offer` ({advance, discountBps}) for `kind` ('factoring' or
 * 'pledge') and the payout comes at `payoutAt`: `now`, the advance paid
 * out; `atMaturity`, what settlement pays it when the core enterprise pays
 * (factoring sells the whole certificate, so nothing; a pledge repays the
 * financier the advance and its discount first); `cost`, what the deal
 * costs it against holding the certificate to maturity. A payout earlier
 * than `payoutAt` costs more: pass the earliest possible time.
 */
export function proceeds(offer, kind, face, due, payoutAt) {
	const advance = BigInt(offer.advance);
	const amount = BigInt(face);
	let atMaturity = 0n;
	if (kind === 'pledge') {
		const owed = advance + discount(advance, offer.discountBps, payoutAt, due);
		atMaturity = owed >= amount ? 0n : amount - owed;
	}
	return { now: advance, atMaturity, cost: amount - advance - atMaturity };
}
