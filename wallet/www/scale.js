// Decodes the transaction payload the bridge asks the wallet to sign — the
// call, then the signed extensions as the runtime's TxExtension lays them
// out — for the calls this page offers, and checks it against what the
// supplier asked for and what the page expects of the chain. Anything it
// cannot decode completely is refused: the page signs only what it shows.

import { blake2_256, equalBytes, fromHex, toHex } from './crypto.js';

/** Pallet and call indices, checked against the runtime's metadata by node/tests/wallet_browser.rs. */
export let CALLS = {};

export async function loadCalls(url = 'calls.json') {
	CALLS = await (await fetch(url)).json();
}

/** The mortal era every bridge transaction carries (chain::ERA_BLOCKS). */
export const ERA_PERIOD = 64;

class Reader {
	constructor(bytes) {
		this.bytes = bytes;
		this.at = 0;
	}
	take(n) {
		if (this.at + n > this.bytes.length) throw new Error('the payload ends too early');
		const out = this.bytes.subarray(this.at, this.at + n);
		this.at += n;
		return out;
	}
	uint(n) {
		let v = 0n;
		const b = this.take(n);
		for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
		return v;
	}
	u8() {
		return Number(this.uint(1));
	}
	bool() {
		const b = this.u8();
		if (b > 1) throw new Error('a boolean that is neither 0 nor 1');
		return b === 1;
	}
	compact() {
		const first = this.bytes[this.at];
		switch (first & 3) {
			case 0:
				return this.uint(1) >> 2n;
			case 1:
				return this.uint(2) >> 2n;
			case 2:
				return this.uint(4) >> 2n;
			default:
				this.take(1);
				return this.uint((first >> 2) + 4);
		}
	}
	hash() {
		return '0x' + toHex(this.take(32));
	}
	done() {
		return this.at === this.bytes.length;
	}
}

const ARGS = {
	'Receivables.accept': (r) => ({ id: r.uint(8) }),
	'Receivables.reject': (r) => ({ id: r.uint(8) }),
	'Receivables.split_transfer': (r) => {
		const id = r.uint(8);
		const n = Number(r.compact());
		const parts = [];
		for (let i = 0; i < n; i++) parts.push({ to: r.hash(), amount: r.uint(16) });
		const contract = r.hash();
		const invoices = [];
		const k = Number(r.compact());
		for (let i = 0; i < k; i++) invoices.push(r.hash());
		return { id, parts, documents: { contract, invoices } };
	},
	'Financing.request': (r) => {
		const certificate = r.uint(8);
		const financier = r.hash();
		const wantedAdvance = r.uint(16);
		const kind = ['factoring', 'pledge'][r.u8()];
		if (!kind) throw new Error('an unknown financing kind');
		return { certificate, financier, wantedAdvance, kind };
	},
	'Financing.accept_offer': (r) => ({
		request: r.uint(8),
		terms: {
			advance: r.uint(16),
			discountBps: r.uint(4),
			recourse: r.bool(),
			expires: r.uint(8),
			payoutBy: r.uint(8),
		},
	}),
};

/** The call and extensions of an unhashed payload. */
export function decodePayload(bytes) {
	const r = new Reader(bytes);
	const [pallet, index] = [r.u8(), r.u8()];
	const name = Object.keys(CALLS).find((k) => CALLS[k][0] === pallet && CALLS[k][1] === index);
	if (!name || !ARGS[name]) {
		throw new Error(`the payload's call (${pallet}, ${index}) is not one this wallet signs`);
	}
	const args = ARGS[name](r);
	// CheckEra: a mortal era is two bytes (an immortal one, a single 0).
	const era = Number(r.uint(2));
	const period = 2 ** ((era % 16) + 1);
	const quantum = Math.max(period >> 12, 1);
	const phase = (era >> 4) * quantum;
	const nonce = r.compact();
	const specVersion = Number(r.uint(4));
	const transactionVersion = Number(r.uint(4));
	const genesisHash = r.hash();
	const birthHash = r.hash();
	if (!r.done()) throw new Error('the payload has bytes this wallet cannot account for');
	return { call: name, args, era: { period, phase }, nonce, specVersion, transactionVersion, genesisHash, birthHash };
}

// JSON with BigInts as decimal strings, keys sorted: to compare values.
function canonical(v) {
	if (typeof v === 'bigint') return JSON.stringify(v.toString());
	if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
	if (v && typeof v === 'object') {
		return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
	}
	if (typeof v === 'number') return JSON.stringify(String(v));
	return JSON.stringify(v);
}

/**
 * Checks a prepared transaction before it is signed, and gives the bytes to
 * sign. `intent` is what the supplier asked for ({call, args}); `prepared`
 * the bridge's scf_prepare answer; `pins` what this browser remembers
 * ({genesisHash, specVersion, lastNonce, seenBlock}: the chain it first
 * signed for, the newest runtime, the highest nonce of its own it saw
 * finalized and the highest block it saw finalized). Besides checking the
 * payload against what the bridge states, the nonce and era are checked
 * against that memory, which the bridge cannot change: a nonce already
 * used, or an era that ended before a block this browser saw finalized,
 * is refused. Throws with the reason on any mismatch.
 */
export function checkPrepared(prepared, intent, pins) {
	const fail = (what) => {
		throw new Error(`refused to sign: ${what}`);
	};
	let payload;
	let decoded;
	try {
		payload = fromHex(prepared.payload);
		decoded = decodePayload(payload);
	} catch (e) {
		fail(e.message);
	}
	const x = prepared.extra;
	if (decoded.call !== intent.call) fail(`the payload is ${decoded.call}, not ${intent.call}`);
	if (canonical(decoded.args) !== canonical(intent.args)) {
		fail(`the payload's ${decoded.call} values are not the ones you entered`);
	}
	if (pins.genesisHash && decoded.genesisHash !== pins.genesisHash) fail('it is for another chain (genesis hash)');
	if (decoded.genesisHash !== x.genesisHash) fail('the genesis hash is not the one stated');
	if (decoded.specVersion !== x.specVersion || decoded.transactionVersion !== x.transactionVersion) {
		fail('the runtime versions are not the ones stated');
	}
	if (pins.specVersion && decoded.specVersion < pins.specVersion) fail('it is for an older runtime');
	if (decoded.nonce !== BigInt(x.nonce)) fail('the nonce is not the one stated');
	if (decoded.era.period !== ERA_PERIOD || decoded.era.phase !== x.era.birthBlock % ERA_PERIOD) {
		fail('the era is not the 64-block era from the stated block');
	}
	if (decoded.birthHash !== x.era.birthBlockHash) fail("the era's block hash is not the one stated");
	if (pins.lastNonce !== undefined && decoded.nonce <= BigInt(pins.lastNonce)) {
		fail(`nonce ${decoded.nonce} is already used: this account's nonce ${pins.lastNonce} was finalized`);
	}
	if (pins.seenBlock !== undefined && x.era.birthBlock + ERA_PERIOD <= pins.seenBlock) {
		fail(`the era from block ${x.era.birthBlock} ended before block ${pins.seenBlock}, already finalized`);
	}
	// What is signed: the payload, or its BLAKE2-256 over 256 bytes —
	// computed here, not taken from the bridge.
	const signing = payload.length > 256 ? blake2_256(payload) : payload;
	if (!equalBytes(signing, fromHex(prepared.signingPayload))) fail('the bytes to sign are not the payload');
	return { decoded, signing };
}
