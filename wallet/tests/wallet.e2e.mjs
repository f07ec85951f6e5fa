// The supplier wallet in headless Chromium (Debian's, driven by
// playwright-core; no browser download). Run by node/tests/wallet_browser.rs,
// which sets up the chain side and passes, in the environment:
//   WALLET_URL        the page, http://127.0.0.1:PORT/wallet/
//   SUPPLIER_KEY_PEM  the supplier's key, PKCS#8 PEM (imported in the page)
//   SUPPLIER_ACCOUNT  its account; PASSPHRASE the passphrase to store it under
//   RECEIVERS         two accounts, comma-separated; BANK the financier
//   OPENSSL_MESSAGE, OPENSSL_SIGNATURE  hex: a message OpenSSL 3 signed (DER)
//   SCREENSHOTS       a folder for PNGs; RESULT a file for what it saw
// It prints SIGNED-IN once the page is signed in (the test then issues
// the certificate) and exits non-zero on any failure.

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const env = (name) => {
	const v = process.env[name];
	if (!v) throw new Error(`${name} is not set (node/tests/wallet_browser.rs runs this script)`);
	return v;
};
const URL_ = env('WALLET_URL');
const PEM = env('SUPPLIER_KEY_PEM');
const ME = env('SUPPLIER_ACCOUNT');
const PASSPHRASE = env('PASSPHRASE');
const [R1, R2] = env('RECEIVERS').split(',');
const BANK = env('BANK');
const SHOTS = env('SCREENSHOTS');
const t0 = Date.now();
const log = (what) => console.log(`${((Date.now() - t0) / 1000).toFixed(1)}s ${what}`);

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic'],
});
const result = { leaks: [], progress: [] };
let failed = false;
try {
	const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
	const page = await context.newPage();
	page.setDefaultTimeout(30000);
	page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
	// Every request the page makes, to look for the key and the passphrase.
	const sent = [];
	page.on('request', (r) => sent.push({ url: r.url(), headers: JSON.stringify(r.headers()), body: r.postData() ?? '' }));
	page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push({ url: ws.url(), headers: '', body: String(f.payload) })));

	await page.goto(URL_);
	await page.waitForSelector('body[data-ready="true"]');

	// 1. Cross-checks with OpenSSL, in the page's own verifier.
	const checks = await page.evaluate(async ({ msg, sig, pem }) => {
		const m = await import('./crypto.js');
		const secret = m.importSecret(pem);
		const pub = m.publicKey(secret);
		const message = m.fromHex(msg);
		const tampered = message.slice();
		tampered[0] ^= 1;
		const mine = new TextEncoder().encode('signed in the browser by the wallet module');
		return {
			verified: m.verify(pub, message, m.fromHex(sig)),
			tamperedRefused: !m.verify(pub, tampered, m.fromHex(sig)),
			browserSignature: { message: m.toHex(mine), signature: m.toHex(m.sign(secret, mine)) },
		};
	}, { msg: env('OPENSSL_MESSAGE'), sig: env('OPENSSL_SIGNATURE'), pem: PEM });
	result.opensslVerified = checks.verified;
	result.opensslTamperedRefused = checks.tamperedRefused;
	result.browserSignature = checks.browserSignature;
	log(`OpenSSL's signature verified in the page: ${checks.verified}`);

	// 2. A hostile bridge hands out a transaction as the login challenge:
	// the page refuses to sign it and sends no login.
	await page.route('**/wallet/api/challenge', (route) =>
		route.fulfill({
			json: { challenge: '0b01' + '00'.repeat(40), origin: new URL(URL_).origin, nonce: 'ab'.repeat(16), expiresAt: Date.now() + 60000 },
		}),
	);
	await page.fill('#key-text', PEM);
	await page.fill('#new-pass', PASSPHRASE);
	await page.fill('#new-pass2', PASSPHRASE);
	await page.click('#import');
	await page.waitForSelector('#error:not([hidden])');
	const refusal = await page.textContent('#error');
	assert.match(refusal, /refused to sign/);
	assert.ok(!sent.some((r) => r.url.endsWith('/wallet/api/login')), 'a login was sent for a hostile challenge');
	result.hostileChallengeRefused = true;
	await page.unroute('**/wallet/api/challenge');
	log('a hostile challenge was refused');

	// 3. The key is stored encrypted: reload, unlock with the passphrase.
	await page.reload();
	await page.waitForSelector('body[data-ready="true"]');
	assert.equal(await page.textContent('#stored-account'), ME);
	await page.fill('#pass', 'not the passphrase');
	await page.click('#unlock');
	await page.waitForSelector('#error:not([hidden])');
	assert.match(await page.textContent('#error'), /wrong passphrase/);
	await page.fill('#pass', PASSPHRASE);
	await page.click('#unlock');
	await page.waitForSelector('#wallet:not([hidden])');
	log('signed in');
	console.log('SIGNED-IN');

	// The page re-renders its lists on its own (1.5 s and 4 s after each
	// finalized write), so an element handle can go stale between finding and
	// clicking it: callers act through the selector, which Playwright
	// resolves again at each attempt, never through a handle.
	const refreshUntil = async (selector, limit = 45000) => {
		const until = Date.now() + limit;
		for (;;) {
			if (await page.$(selector)) return selector;
			if (Date.now() > until) throw new Error(`timed out waiting for ${selector}`);
			await page.click('#refresh');
			await page.waitForTimeout(700);
		}
	};
	// Signs the open confirmation (after a look at it) and waits for the
	// newest activity line to be finalized.
	const signAndFollow = async (shot) => {
		await page.waitForSelector('#confirm[open]');
		const shown = await page.textContent('#confirm-body');
		if (shot) await page.screenshot({ path: join(SHOTS, `${shot}.png`) });
		await page.click('#confirm-sign');
		const line = await page.waitForSelector('#log li:first-child .progress[data-state="finalized"], #log li:first-child .progress[data-state="failed"]', { timeout: 60000 });
		const state = await line.getAttribute('data-state');
		assert.equal(state, 'finalized', `${shown}: ${await line.textContent()}`);
		const seen = await line.getAttribute('data-seen');
		assert.match(seen, /^submitted( in_block)? finalized$/, seen);
		result.progress.push(seen);
		return shown;
	};

	// 4. Accept the incoming certificate.
	const pending = await refreshUntil('tr[data-status="pending_acceptance"]');
	const root = Number(await page.getAttribute(pending, 'data-id'));
	result.root = root;
	await page.click(`tr[data-id="${root}"] button.accept`);
	const accepted = await signAndFollow('1-accept');
	assert.match(accepted, new RegExp(`#${root}`));
	log(`accepted #${root}`);

	// 5. Split to two receivers; the lineage then shows the parts.
	await refreshUntil(`tr[data-id="${root}"][data-status="active"]`);
	await page.click(`tr[data-id="${root}"] button.open`);
	await page.waitForSelector('#split-form:not([hidden])');
	await page.click('#add-part');
	const parts = await page.$$('#parts .part');
	assert.equal(parts.length, 2);
	await parts[0].$eval('.part-to', (s, v) => { s.value = v; }, R1);
	await (await parts[0].$('.part-amount')).fill('1000000');
	await parts[1].$eval('.part-to', (s, v) => { s.value = v; }, R2);
	await (await parts[1].$('.part-amount')).fill('2050000.5');
	// Bad input first: a part below the ledger's minimum is refused before
	// anything is prepared or signed.
	await (await parts[1].$('.part-amount')).fill('0.5');
	const before = sent.length;
	await page.click('#split');
	await page.waitForSelector('#error:not([hidden])');
	assert.match(await page.textContent('#error'), /each part at least/);
	assert.ok(!sent.slice(before).some((r) => r.body.includes('scf_prepare')), 'a refused split was prepared');
	await (await parts[1].$('.part-amount')).fill('2050000.5');
	// The real split; its prepared answer is kept for the tamper checks.
	const preparedSplit = page.waitForResponse((r) => (r.request().postData() ?? '').includes('"scf_prepare"'));
	await page.click('#split');
	const prepared = (await (await preparedSplit).json()).result;
	const split = await signAndFollow(null);
	assert.match(split, /¥1,000,000\.00/);
	assert.match(split, /¥2,050,000\.50/);
	log('split to two receivers');
	// A tampered payload is refused, however it is tampered: checkPrepared
	// on the real prepared split with one thing changed.
	const tamper = await page.evaluate(async ({ prepared, parts, root }) => {
		const scale = await import('./scale.js');
		const m = await import('./crypto.js');
		const intent = {
			call: 'Receivables.split_transfer',
			args: { id: root, parts: parts.map((p) => ({ to: p.to, amount: BigInt(p.amount) })), documents: { contract: '0x' + '00'.repeat(32), invoices: [] } },
		};
		const attempt = (change, pins = {}) => {
			const copy = JSON.parse(JSON.stringify(prepared));
			change(copy);
			try {
				scale.checkPrepared(copy, intent, pins);
				return 'signed';
			} catch (e) {
				return e.message;
			}
		};
		// Changes payload bytes and keeps signingPayload consistent, so only
		// the decoding can notice.
		const edit = (f) => (copy) => {
			const bytes = m.fromHex(copy.payload);
			f(bytes);
			copy.payload = '0x' + m.toHex(bytes);
			copy.signingPayload = '0x' + m.toHex(bytes.length > 256 ? m.blake2_256(bytes) : bytes);
		};
		const n = m.fromHex(prepared.payload).length;
		return {
			untouched: attempt(() => {}),
			receiver: attempt(edit((b) => { b[2 + 8 + 1] ^= 1; })),
			genesis: attempt(edit((b) => { b[n - 40] ^= 1; })),
			trailing: attempt((c) => { c.payload += '00'; c.signingPayload += '00'; }),
			signing: attempt((c) => { c.signingPayload = c.signingPayload.slice(0, -2) + 'ff'; }),
			era: attempt((c) => { c.extra.era.birthBlock += 1; }),
			call: attempt(edit((b) => { b[1] = 2; })),
			// Untouched, but against what this browser remembers: a nonce it
			// saw finalized, an era that ended before a block it saw.
			usedNonce: attempt(() => {}, { lastNonce: String(prepared.extra.nonce) }),
			staleEra: attempt(() => {}, { seenBlock: prepared.extra.era.birthBlock + scale.ERA_PERIOD }),
			freshEnough: attempt(() => {}, { lastNonce: String(prepared.extra.nonce - 1), seenBlock: prepared.extra.era.birthBlock + scale.ERA_PERIOD - 1 }),
		};
	}, { prepared, root, parts: [{ to: R1, amount: '100000000' }, { to: R2, amount: '205000050' }] });
	result.tamper = tamper;
	assert.equal(tamper.untouched, 'signed', JSON.stringify(tamper));
	assert.equal(tamper.freshEnough, 'signed', JSON.stringify(tamper));
	for (const [what, answer] of Object.entries(tamper)) {
		if (what !== 'untouched' && what !== 'freshEnough') assert.match(answer, /refused to sign|not one this wallet signs/, `${what}: ${answer}`);
	}
	log('tampered payloads refused');
	const lineage = await page.evaluate(async (root) => {
		const r = await fetch('/', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'scf_getLineage', params: { root } }) });
		return (await r.json()).result;
	}, root);
	result.splitParts = lineage
		.filter((c) => c.parent === root && c.holder !== ME)
		.map((c) => ({ id: c.id, holder: c.holder, amount: c.amount }));
	const remainder = lineage.find((c) => c.parent === root && c.holder === ME);
	assert.ok(remainder, `no remainder in ${JSON.stringify(lineage)}`);
	await refreshUntil(`#lineage svg g.node[data-id="${remainder.id}"]`);
	const nodes = await page.$$eval('#lineage svg g.node', (gs) => gs.length);
	assert.equal(nodes, 4, 'root, two parts and the remainder');
	await page.screenshot({ path: join(SHOTS, '2-lineage.png'), fullPage: true });

	// 6. Request financing of the remainder at the bank.
	await refreshUntil(`tr[data-id="${remainder.id}"][data-status="active"]`);
	await page.click(`tr[data-id="${remainder.id}"] button.open`);
	await page.waitForSelector('#finance-form:not([hidden])');
	await page.selectOption('#fin-financier', BANK);
	await page.fill('#fin-wanted', '19000000');
	await page.selectOption('#fin-kind', 'factoring');
	await page.click('#finance');
	await signAndFollow(null);
	log('requested financing');

	// 7. The bank's offer: compare and accept it.
	const offer = await refreshUntil('li.request[data-state="offered"] button.accept-offer', 60000);
	const request = Number(await page.$eval('li.request[data-state="offered"]', (li) => li.dataset.request));
	await page.screenshot({ path: join(SHOTS, '3-offer.png'), fullPage: true });
	// What the offer pays is shown: factoring sells the whole remainder for
	// the advance, so nothing at maturity and the rest is the cost.
	const shown = await page.$eval('li.request[data-state="offered"] .proceeds', (s) => ({ ...s.dataset }));
	const face = BigInt(String(remainder.amount));
	assert.deepEqual(shown, { now: '1900000000', atMaturity: '0', cost: String(face - 1900000000n) });
	// The pledge arithmetic against the financing pallet's own test values
	// (pallets/financing/src/tests/settlement.rs).
	const pledge = await page.evaluate(async () => {
		const m = await import('./terms.js');
		const day = 86_400_000n;
		return {
			d: String(m.discount(800n, 1000, 0n, 73n * day)),
			year: String(m.discount(1_000_000n, 10_000, 0n, m.YEAR_MS)),
			none: String(m.discount(1000n, 1000, 2n * day, day)),
			p: Object.fromEntries(Object.entries(m.proceeds({ advance: 800n, discountBps: 1000 }, 'pledge', 1000n, 73n * day, 0n)).map(([k, v]) => [k, String(v)])),
			under: String(m.proceeds({ advance: 1000n, discountBps: 10_000 }, 'pledge', 1000n, m.YEAR_MS, 0n).atMaturity),
		};
	});
	assert.deepEqual(pledge, { d: '16', year: '1000000', none: '0', p: { now: '800', atMaturity: '184', cost: '16' }, under: '0' });
	await page.click(offer);
	const terms = await signAndFollow(null);
	assert.match(terms, /¥19,000,000\.00/);
	assert.match(terms, /4\.50%/);
	await refreshUntil(`li.request[data-request="${request}"][data-state="accepted"]`);
	result.requestAccepted = request;
	await page.screenshot({ path: join(SHOTS, '4-done.png'), fullPage: true });
	log(`accepted the offer on request #${request}`);

	// 8. Nothing sent held the key (hex or PEM body) or the passphrase.
	const secretHex = await page.evaluate(async (pem) => {
		const m = await import('./crypto.js');
		return m.toHex(m.importSecret(pem));
	}, PEM);
	const pemBody = PEM.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
	const needles = [secretHex, secretHex.toUpperCase(), pemBody, pemBody.slice(20, 60), PASSPHRASE, encodeURIComponent(PASSPHRASE)];
	for (const r of sent) {
		const text = `${r.url}\n${r.headers}\n${r.body}`;
		for (const n of needles) if (text.includes(n)) result.leaks.push({ url: r.url, found: n === PASSPHRASE ? 'passphrase' : 'key' });
	}
	result.requestsChecked = sent.length;
	log(`${sent.length} requests checked for the key and the passphrase`);
} catch (e) {
	failed = true;
	console.log(`FAILED: ${e.stack ?? e}`);
	for (const p of browser.contexts().flatMap((c) => c.pages())) {
		await p.screenshot({ path: join(SHOTS, 'failure.png'), fullPage: true }).catch(() => {});
		console.log(`page error text: ${await p.textContent('#error').catch(() => '')}`);
	}
} finally {
	writeFileSync(env('RESULT'), JSON.stringify(result, null, 1));
	await browser.close();
}
process.exit(failed ? 1 : 0);
