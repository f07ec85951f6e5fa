// SM2, SM3 and BLAKE2-256 from the workspace's own Rust code, compiled to
// Wasm (wallet/crypto): the scheme the runtime verifies. Plain C-ABI
// exports: bytes are copied into buffers the module allocates, and every
// buffer is zeroed when it is freed (secret keys pass through them).

let wasm = null;

const CODES = {
	1: 'not an SM2 secret key (zero or not below the group order)',
	2: 'not a compressed SM2 public key',
	3: 'the signature does not verify',
	4: 'not an unencrypted PKCS#8 SM2 private key',
};

export async function load(url = 'scf_wallet_crypto.wasm') {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`the wallet's Wasm module did not load (${response.status})`);
	const { instance } = await WebAssembly.instantiate(await response.arrayBuffer(), {});
	wasm = instance.exports;
}

// Runs `f` with each of `inputs` copied into a module buffer and `outLen`
// bytes for the result; returns [status, output].
function call(inputs, outLen, f) {
	const buffers = inputs.map((bytes) => {
		const ptr = wasm.wallet_alloc(bytes.length);
		new Uint8Array(wasm.memory.buffer, ptr, bytes.length).set(bytes);
		return [ptr, bytes.length];
	});
	const out = wasm.wallet_alloc(outLen);
	try {
		const status = f(buffers, out);
		return [status ?? 0, new Uint8Array(wasm.memory.buffer, out, outLen).slice()];
	} finally {
		for (const [ptr, len] of buffers) wasm.wallet_free(ptr, len);
		wasm.wallet_free(out, outLen);
	}
}

function check(status) {
	if (status !== 0) throw new Error(CODES[status] ?? `crypto error ${status}`);
}

/** The 33-byte compressed public key of a 32-byte secret. */
export function publicKey(secret) {
	const [status, out] = call([secret], 33, ([[s]], o) => wasm.wallet_sm2_public(s, o));
	check(status);
	return out;
}

/** The SM2 signature r‖s (64 bytes) of `msg` (SM3, user id 1234567812345678). */
export function sign(secret, msg) {
	const [status, out] = call([secret, msg], 64, ([[s], [m, len]], o) =>
		wasm.wallet_sm2_sign(s, m, len, o));
	check(status);
	return out;
}

/** Whether `signature` (r‖s or DER) is `publicKey`'s over `msg`. */
export function verify(publicKeyBytes, msg, signature) {
	const [status] = call([publicKeyBytes, msg, signature], 1, ([[p], [m, len], [s, slen]]) =>
		wasm.wallet_sm2_verify(p, m, len, s, slen));
	return status === 0;
}

export function sm3(msg) {
	return call([msg], 32, ([[m, len]], o) => wasm.wallet_sm3(m, len, o))[1];
}

export function blake2_256(msg) {
	return call([msg], 32, ([[m, len]], o) => wasm.wallet_blake2_256(m, len, o))[1];
}

/** A new secret key from the browser's generator. */
export function generateSecret() {
	for (;;) {
		const secret = crypto.getRandomValues(new Uint8Array(32));
		try {
			publicKey(secret);
			return secret;
		} catch {
			// A scalar that is no key (probability about 2^-224): draw again.
		}
	}
}

/**
 * A secret key from what a supplier pastes: 64 hex digits (with or without
 * 0x), or a PKCS#8 PEM document as `openssl genpkey -algorithm SM2` writes.
 */
export function importSecret(text) {
	const t = text.trim();
	const digits = t.replace(/^0x/, '');
	if (/^[0-9a-fA-F]{64}$/.test(digits)) {
		const secret = fromHex(digits);
		publicKey(secret);
		return secret;
	}
	if (t.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) {
		throw new Error('this PEM key is encrypted: export it unencrypted (openssl pkey -in key.pem)');
	}
	const m = t.match(/-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/);
	if (!m) throw new Error('paste 64 hex digits or a PKCS#8 PEM document (-----BEGIN PRIVATE KEY-----)');
	let der;
	try {
		der = Uint8Array.from(atob(m[1].replace(/\s+/g, '')), (c) => c.charCodeAt(0));
	} catch {
		throw new Error('the PEM document is not valid base64');
	}
	const [status, secret] = call([der], 32, ([[d, len]], o) =>
		wasm.wallet_sm2_secret_from_pkcs8(d, len, o));
	der.fill(0);
	check(status);
	return secret;
}

export function toHex(bytes) {
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(text) {
	const digits = text.replace(/^0x/, '');
	if (digits.length % 2 || /[^0-9a-fA-F]/.test(digits)) throw new Error(`not hex: ${text.slice(0, 20)}…`);
	return Uint8Array.from(digits.match(/../g) ?? [], (h) => parseInt(h, 16));
}

export function equalBytes(a, b) {
	return a.length === b.length && a.every((x, i) => x === b[i]);
}
