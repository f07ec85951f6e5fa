// Amounts are minor units (分) as decimal strings; times ms since the epoch.

export function money(minor) {
	const v = BigInt(String(minor));
	const yuan = v / 100n;
	const fen = (v % 100n).toString().padStart(2, '0');
	return `¥${yuan.toLocaleString('en-US')}.${fen}`;
}

/** Yuan as typed ("1234.5") → minor units (BigInt); throws on anything else. */
export function parseMoney(text) {
	const m = String(text).trim().match(/^(\d{1,30})(?:\.(\d{1,2}))?$/);
	if (!m) throw new Error(`not an amount in yuan: "${text}"`);
	return BigInt(m[1]) * 100n + BigInt((m[2] ?? '').padEnd(2, '0'));
}

export function when(ms) {
	return new Date(Number(ms)).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

export function short(account) {
	return account ? `${account.slice(0, 8)}…${account.slice(-4)}` : '';
}
