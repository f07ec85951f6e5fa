// The SM2 secret key at rest in this browser: encrypted with AES-256-GCM
// under a key derived from the supplier's passphrase by PBKDF2-SHA-256
// (WebCrypto; only in secure contexts: http://127.0.0.1 or the bridge's
// TLS). The account is the GCM additional data, so a stored key cannot be
// swapped under another account's name. Neither the key nor the
// passphrase is ever sent anywhere.

const STORE = 'scf-wallet-key';
// OWASP's 2023 figure for PBKDF2-HMAC-SHA-256.
const ITERATIONS = 600000;

const utf8 = new TextEncoder();
const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

function requireWebCrypto() {
	if (!globalThis.crypto?.subtle) {
		throw new Error('WebCrypto is missing: open the wallet over https:// or at http://127.0.0.1');
	}
}

async function derive(passphrase, salt, iterations) {
	const base = await crypto.subtle.importKey('raw', utf8.encode(passphrase), 'PBKDF2', false, [
		'deriveKey',
	]);
	return crypto.subtle.deriveKey(
		{ name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
		base,
		{ name: 'AES-GCM', length: 256 },
		false,
		['encrypt', 'decrypt'],
	);
}

/** The stored key's public record ({account, publicKey, pins}), or null. */
export function stored() {
	try {
		const record = JSON.parse(localStorage.getItem(STORE) ?? 'null');
		return record && record.v === 1 ? record : null;
	} catch {
		return null;
	}
}

/** Encrypts and stores `secret` (32 bytes) for `account`. */
export async function save(secret, passphrase, account, publicKeyHex) {
	requireWebCrypto();
	if (passphrase.length < 8) throw new Error('choose a passphrase of at least 8 characters');
	const salt = crypto.getRandomValues(new Uint8Array(16));
	const iv = crypto.getRandomValues(new Uint8Array(12));
	const key = await derive(passphrase, salt, ITERATIONS);
	const sealed = await crypto.subtle.encrypt(
		{ name: 'AES-GCM', iv, additionalData: utf8.encode(account) },
		key,
		secret,
	);
	localStorage.setItem(
		STORE,
		JSON.stringify({
			v: 1,
			account,
			publicKey: publicKeyHex,
			kdf: { name: 'PBKDF2-SHA-256', iterations: ITERATIONS, salt: b64(salt) },
			iv: b64(iv),
			sealed: b64(new Uint8Array(sealed)),
			pins: {},
		}),
	);
}

/** The stored secret, decrypted with `passphrase`. */
export async function unlock(passphrase) {
	requireWebCrypto();
	const record = stored();
	if (!record) throw new Error('no key is stored in this browser');
	const key = await derive(passphrase, unb64(record.kdf.salt), record.kdf.iterations);
	try {
		const plain = await crypto.subtle.decrypt(
			{ name: 'AES-GCM', iv: unb64(record.iv), additionalData: utf8.encode(record.account) },
			key,
			unb64(record.sealed),
		);
		return new Uint8Array(plain);
	} catch {
		throw new Error('wrong passphrase');
	}
}

/**
 * What this browser remembers of the chain for the stored key: the genesis
 * hash (pinned the first time a payload is signed) and the highest spec
 * version seen (a payload for an older runtime is refused).
 */
export function pins() {
	return stored()?.pins ?? {};
}

export function setPins(p) {
	const record = stored();
	if (!record) return;
	record.pins = p;
	localStorage.setItem(STORE, JSON.stringify(record));
}

export function forget() {
	localStorage.removeItem(STORE);
}
