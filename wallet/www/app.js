// The supplier wallet. Keys stay in this page: it signs the login
// challenge and every transaction itself (crypto.js, the workspace's SM2
// compiled to Wasm), after decoding what it is asked to sign (scale.js).

import * as sm2 from './crypto.js';
import * as keystore from './keystore.js';
import { rpc, walletApi } from './api.js';
import { checkPrepared, loadCalls } from './scale.js';
import { drawLineage } from './lineage.js';
import { proceeds } from './terms.js';
import { money, parseMoney, short, when } from './format.js';
import { t, t1, toggleLanguage } from './i18n.js';

const $ = (id) => document.getElementById(id);

// The unlocked key lives only in this module's memory until sign-out.
let secret = null;
let publicHex = '';
let me = '';
let limits = null;
let directory = [];
let selected = null;

/** An element: h('button', {class: 'x', onclick: f}, 'text', child, …). */
function h(tag, attrs = {}, ...children) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs)) {
		if (v === undefined || v === null || v === false) continue;
		if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
		else if (k === 'text') e.textContent = v;
		else e.setAttribute(k, v === true ? '' : v);
	}
	e.append(...children.filter((c) => c !== null && c !== undefined));
	return e;
}

function showError(e) {
	$('error').textContent = e instanceof Error ? e.message : String(e);
	$('error').hidden = false;
}

function clearError() {
	$('error').hidden = true;
	$('error').textContent = '';
}

function labels() {
	for (const e of document.querySelectorAll('[data-label]')) e.textContent = t(e.dataset.label);
	document.title = t('title');
}

// --- login ---

/** The only text this page signs outside transactions: the bridge's login challenge. */
function checkChallenge(c) {
	const expected = ['scf-wallet-login', location.origin, c.nonce, String(c.expiresAt)].join('\n');
	if (
		typeof c.challenge !== 'string' ||
		!/^[0-9a-f]{32}$/.test(c.nonce ?? '') ||
		!/^[0-9]{1,16}$/.test(String(c.expiresAt)) ||
		c.origin !== location.origin ||
		c.challenge !== expected
	) {
		throw new Error(
			'refused to sign: the login challenge is not of the form scf-wallet-login / this origin / nonce / expiry',
		);
	}
	return new TextEncoder().encode(c.challenge);
}

async function login(key) {
	const challenge = await walletApi('challenge', {});
	const text = checkChallenge(challenge);
	const signature = sm2.sign(key, text);
	const session = await walletApi('login', {
		challenge: challenge.challenge,
		publicKey: publicHex,
		signature: sm2.toHex(signature),
	});
	me = session.participant;
	$('who').textContent = `${session.name ?? ''} ${short(me)}`;
}

async function enter(key) {
	publicHex = sm2.toHex(sm2.publicKey(key));
	await login(key);
	secret = key;
	$('login').hidden = true;
	$('wallet').hidden = false;
	$('logout').hidden = false;
	[limits, directory] = await Promise.all([rpc('scf_getLimits'), participants()]);
	await refresh();
}

/** The whole participant directory, a page (the bridge's maximum, 500) at a time. */
async function participants() {
	const all = [];
	for (;;) {
		const page = await rpc('scf_listParticipants', { offset: all.length, limit: 500 });
		all.push(...page);
		if (page.length < 500) return all;
	}
}

function accountOf(key) {
	return '0x' + sm2.toHex(sm2.sm3(sm2.publicKey(key)));
}

async function onImport(generate) {
	clearError();
	try {
		const pass = $('new-pass').value;
		if (pass !== $('new-pass2').value) throw new Error('the two passphrases differ');
		const key = generate ? sm2.generateSecret() : sm2.importSecret($('key-text').value);
		await keystore.save(key, pass, accountOf(key), sm2.toHex(sm2.publicKey(key)));
		$('key-text').value = '';
		$('new-pass').value = '';
		$('new-pass2').value = '';
		if (generate) {
			$('generated').hidden = false;
			$('generated-key').textContent = sm2.toHex(key);
		}
		await enter(key);
	} catch (e) {
		showError(e);
	}
}

async function onUnlock() {
	clearError();
	try {
		const key = await keystore.unlock($('pass').value);
		$('pass').value = '';
		await enter(key);
	} catch (e) {
		showError(e);
	}
}

async function onLogout() {
	await walletApi('logout', {}).catch(() => {});
	secret?.fill(0);
	secret = null;
	location.reload();
}

function showLogin() {
	const record = keystore.stored();
	$('unlock-form').hidden = !record;
	$('import-form').hidden = !!record;
	if (record) $('stored-account').textContent = record.account;
}

// --- signing ---

let step = 0;

/** A line of the activity log, updated as the action goes on. */
function logLine(what) {
	const status = h('span', { class: 'progress', text: '…' });
	const line = h('li', { 'data-step': ++step }, h('span', { text: `${what} ` }), status);
	$('log').prepend(line);
	const seen = [];
	return (state, detail = '') => {
		if (status.dataset.state === state && !detail) return;
		status.textContent = `${t1(state)}${detail ? ` — ${detail}` : ''}`;
		status.dataset.state = state;
		seen.push(state);
		status.dataset.seen = seen.join(' ');
	};
}

/** Asks the supplier to confirm the decoded call; resolves true when signed off. */
function confirmSigning(lines) {
	const dialog = $('confirm');
	$('confirm-body').replaceChildren(...lines.map((l) => h('li', { text: l })));
	dialog.showModal();
	return new Promise((resolve) => {
		const done = (ok) => {
			dialog.close();
			$('confirm-sign').removeEventListener('click', yes);
			$('confirm-cancel').removeEventListener('click', no);
			resolve(ok);
		};
		const yes = () => done(true);
		const no = () => done(false);
		$('confirm-sign').addEventListener('click', yes);
		$('confirm-cancel').addEventListener('click', no);
	});
}

function nameOf(account) {
	const p = directory.find((d) => d.account === account);
	return p ? `${p.name} (${short(account)})` : account;
}

/** What the supplier is shown of a decoded payload: every value it signs. */
function describe(d) {
	const a = d.args;
	const lines = [];
	switch (d.call) {
		case 'Receivables.accept':
			lines.push(`${t('accept')}: #${a.id}`);
			break;
		case 'Receivables.reject':
			lines.push(`${t('reject')}: #${a.id}`);
			break;
		case 'Receivables.split_transfer':
			lines.push(`${t('split')}: #${a.id}`);
			for (const p of a.parts) lines.push(`  → ${nameOf(p.to)}: ${money(p.amount)}`);
			break;
		case 'Financing.request':
			lines.push(`${t('finance')}: #${a.certificate}, ${t1(a.kind)}`);
			lines.push(`  ${t1('financier')}: ${nameOf(a.financier)}`);
			lines.push(`  ${t1('wanted')}: ${money(a.wantedAdvance)}`);
			break;
		case 'Financing.accept_offer':
			lines.push(`${t('acceptOffer')}: ${t1('requests')} #${a.request}`);
			lines.push(`  ${t1('advance')}: ${money(a.terms.advance)}`);
			lines.push(`  ${t1('rate')}: ${(Number(a.terms.discountBps) / 100).toFixed(2)}%`);
			lines.push(`  ${t1('recourse')}: ${a.terms.recourse ? '✓' : '✗'}`);
			lines.push(`  ${t1('expires')}: ${when(a.terms.expires)}`);
			lines.push(`  ${t1('payoutBy')}: ${when(a.terms.payoutBy)}`);
			break;
	}
	lines.push(`nonce ${d.nonce} · spec ${d.specVersion} · era from #${d.era.phase} mod ${d.era.period}`);
	lines.push(`genesis ${short(d.genesisHash)}`);
	return lines;
}

/**
 * One ledger action: prepare at the bridge, decode and check the payload,
 * show it, sign it here, submit, and follow it until finalized.
 */
async function act(what, method, params, intent) {
	clearError();
	const progress = logLine(what);
	try {
		const idempotencyKey = `wallet-${Date.now()}-${sm2.toHex(crypto.getRandomValues(new Uint8Array(6)))}`;
		const prepared = await rpc('scf_prepare', { method, params: { ...params, idempotencyKey } });
		const pins = keystore.pins();
		const { decoded, signing } = checkPrepared(prepared, intent, pins);
		if (!(await confirmSigning(describe(decoded)))) {
			progress('failed', t1('cancel'));
			return false;
		}
		const signature = sm2.sign(secret, signing);
		keystore.setPins({
			...pins,
			genesisHash: decoded.genesisHash,
			specVersion: Math.max(decoded.specVersion, pins.specVersion ?? 0),
		});
		const submit = { prepareId: prepared.prepareId, signature: sm2.toHex(signature), publicKey: publicHex };
		const first = await rpc('scf_submit', { ...submit, wait: 'submitted' });
		progress(first.status ?? 'submitted');
		// The same prepare again waits for the outcome (the bridge answers a
		// repeat with the first submission's result).
		const watching = rpc('scf_submit', submit);
		let final = false;
		const poll = setInterval(async () => {
			const w = await rpc('scf_getWrite', { idempotencyKey }).catch(() => null);
			if (w && w.status === 'in_block' && !final) progress('in_block');
		}, 400);
		try {
			const done = await watching;
			final = true;
			progress('finalized', done.block ? `#${done.block}` : '');
			// Remembered for the next checkPrepared: this nonce is used, and
			// eras that ended before this block are stale.
			const now = keystore.pins();
			const lastNonce = now.lastNonce === undefined ? decoded.nonce : BigInt(now.lastNonce);
			keystore.setPins({
				...now,
				lastNonce: String(decoded.nonce > lastNonce ? decoded.nonce : lastNonce),
				seenBlock: Math.max(Number(done.block ?? 0), now.seenBlock ?? 0),
			});
		} finally {
			clearInterval(poll);
		}
		// The indexer follows finalized blocks a moment behind the bridge's
		// answer: look again shortly.
		await refresh();
		for (const ms of [1500, 4000]) setTimeout(() => refresh().catch(showError), ms);
		return true;
	} catch (e) {
		progress('failed', e.message);
		showError(e);
		return false;
	}
}

// --- views ---

async function refresh() {
	const holdings = await rpc('scf_getHoldings', { limit: 200 });
	const body = holdings.map((c) =>
		h(
			'tr',
			{ 'data-id': c.id, 'data-status': c.status },
			h('td', { text: `#${c.id}` }),
			h('td', { class: 'num', text: money(c.amount) }),
			h('td', { text: when(c.due) }),
			h('td', { text: String(c.tier) }),
			h('td', { class: 'status', text: t1(c.status) }),
			h('td', { text: c.financier ? nameOf(c.financier) : '' }),
			h(
				'td',
				{ class: 'actions' },
				c.status === 'pending_acceptance'
					? h('button', {
							class: 'accept',
							text: t1('accept'),
							onclick: () => act(`${t1('accept')} #${c.id}`, 'scf_accept', { id: c.id }, { call: 'Receivables.accept', args: { id: c.id } }),
						})
					: null,
				c.status === 'pending_acceptance'
					? h('button', {
							class: 'reject',
							text: t1('reject'),
							onclick: () => act(`${t1('reject')} #${c.id}`, 'scf_reject', { id: c.id }, { call: 'Receivables.reject', args: { id: c.id } }),
						})
					: null,
				h('button', { class: 'open', text: t1('open'), onclick: () => openCertificate(c.id) }),
			),
		),
	);
	$('holdings-body').replaceChildren(
		...(body.length ? body : [h('tr', {}, h('td', { colspan: 7, text: t1('noHoldings') }))]),
	);
	if (selected !== null) await openCertificate(selected);
}

async function openCertificate(id) {
	selected = id;
	const c = await rpc('scf_getCertificate', { id });
	const lineage = await rpc('scf_getLineage', { root: c.root });
	const detail = $('detail');
	detail.hidden = false;
	detail.dataset.id = id;
	$('detail-title').textContent = `${t1('certificate')} #${id} · ${money(c.amount)} · ${t1(c.status)}`;
	$('lineage').replaceChildren(drawLineage(lineage, id, me));
	const mine = c.holder === me;
	$('split-form').hidden = !(mine && c.status === 'active');
	$('finance-form').hidden = !(mine && c.status === 'active');
	if (mine && c.status === 'active') {
		if (!$('parts').children.length) addPart();
		const financiers = directory.filter((p) => JSON.stringify(p.roles).toLowerCase().includes('financier'));
		$('fin-financier').replaceChildren(...financiers.map((p) => h('option', { value: p.account, text: nameOf(p.account) })));
	}
	await showRequests(c);
}

function addPart() {
	const receivers = directory.filter((p) => p.account !== me && !p.suspended);
	$('parts').append(
		h(
			'li',
			{ class: 'part' },
			h('select', { class: 'part-to' }, ...receivers.map((p) => h('option', { value: p.account, text: nameOf(p.account) }))),
			h('input', { class: 'part-amount', inputmode: 'decimal', placeholder: '¥' }),
			h('button', { type: 'button', class: 'part-remove', text: '✗', onclick: (e) => e.target.parentElement.remove() }),
		),
	);
}

/** The ledger's split rules, checked before anything is signed. */
async function onSplit() {
	clearError();
	try {
		const c = await rpc('scf_getCertificate', { id: selected });
		const parts = [...document.querySelectorAll('#parts .part')].map((li) => ({
			to: li.querySelector('.part-to').value,
			amount: parseMoney(li.querySelector('.part-amount').value),
		}));
		const min = BigInt(limits.minimumAmount);
		const total = parts.reduce((s, p) => s + p.amount, 0n);
		const amount = BigInt(String(c.amount));
		const problems = [];
		if (parts.length === 0) problems.push('add at least one receiver');
		if (parts.length > limits.maximumParts) problems.push(`at most ${limits.maximumParts} parts`);
		if (c.tier >= limits.maximumTier) problems.push(`tier ${c.tier} is the deepest a certificate may go`);
		if (Number(c.due) <= Date.now()) problems.push('the certificate is due: it can no longer be split');
		if (new Set(parts.map((p) => p.to)).size !== parts.length) problems.push('each receiver once');
		for (const p of parts) {
			if (p.to === me) problems.push('you cannot transfer to yourself');
			if (p.amount < min) problems.push(`each part at least ${money(min)}`);
		}
		if (total > amount) problems.push(`the parts add up to ${money(total)}, more than ${money(amount)}`);
		const rest = amount - total;
		if (rest > 0n && rest < min) problems.push(`what you keep (${money(rest)}) must be 0 or at least ${money(min)}`);
		if (problems.length) throw new Error([...new Set(problems)].join('; '));
		const documents = { contract: '0x' + '00'.repeat(32), invoices: [] };
		const ok = await act(`${t1('split')} #${selected}`, 'scf_splitTransfer', {
			id: selected,
			parts: parts.map((p) => ({ to: p.to, amount: p.amount.toString() })),
		}, { call: 'Receivables.split_transfer', args: { id: selected, parts, documents } });
		if (ok) $('parts').replaceChildren();
	} catch (e) {
		showError(e);
	}
}

async function onFinance() {
	clearError();
	try {
		const financier = $('fin-financier').value;
		const wantedAdvance = parseMoney($('fin-wanted').value);
		const kind = $('fin-kind').value;
		if (!financier) throw new Error('choose a financier');
		await act(`${t1('finance')} #${selected}`, 'scf_requestFinancing', {
			certificate: selected, financier, wantedAdvance: wantedAdvance.toString(), kind,
		}, { call: 'Financing.request', args: { certificate: selected, financier, wantedAdvance, kind } });
	} catch (e) {
		showError(e);
	}
}

/** The terms of a request's standing offer, from its record (the indexer
 * keeps the pallet's `state: { Offered: { terms } }`, field names as in
 * Rust), or null. */
function offerOf(request) {
	const t = request.record?.state?.Offered?.terms;
	if (!t) return null;
	return {
		advance: BigInt(String(t.advance)),
		discountBps: BigInt(String(t.discount_bps)),
		recourse: t.recourse === true,
		expires: BigInt(String(t.expires)),
		payoutBy: BigInt(String(t.payout_by)),
	};
}

/** What accepting `offer` on certificate `c` pays the supplier: now, at
 * maturity and in all, against holding it to maturity (a payout today, the
 * earliest and so the dearest for a pledge). */
function offerProceeds(offer, kind, c) {
	const p = proceeds(offer, kind, c.amount, c.due, BigInt(Date.now()));
	return h('span', {
		class: 'proceeds',
		'data-now': p.now.toString(),
		'data-at-maturity': p.atMaturity.toString(),
		'data-cost': p.cost.toString(),
		text: `${t1('receive')} ${money(p.now)} · ${t1('atMaturity')} ${money(p.atMaturity)} · ${t1('cost')} ${money(p.cost)}`,
	});
}

async function showRequests(c) {
	const requests = await rpc('scf_getFinancing', { certificate: c.id });
	const rows = requests.map((r) => {
		const offer = r.state === 'offered' ? offerOf(r) : null;
		return h(
			'li',
			{ class: 'request', 'data-request': r.request, 'data-state': r.state },
			h('span', { text: `#${r.request} · ${t1(r.kind)} · ${nameOf(r.financier)} · ${t1(r.state)}` }),
			offer
				? h(
						'div',
						{ class: 'offer' },
						h('span', {
							text: `${t1('advance')} ${money(offer.advance)} · ${t1('rate')} ${(Number(offer.discountBps) / 100).toFixed(2)}% · ${t1('recourse')} ${offer.recourse ? '✓' : '✗'} · ${t1('expires')} ${when(offer.expires)}`,
						}),
						offerProceeds(offer, r.kind, c),
						h('button', {
							class: 'accept-offer',
							text: t1('acceptOffer'),
							onclick: () =>
								act(`${t1('acceptOffer')} #${r.request}`, 'scf_acceptOffer', {
									request: r.request,
									terms: {
										advance: offer.advance.toString(),
										discountBps: Number(offer.discountBps),
										recourse: offer.recourse,
										expires: Number(offer.expires),
										payoutBy: Number(offer.payoutBy),
									},
								}, { call: 'Financing.accept_offer', args: { request: r.request, terms: offer } }),
						}),
					)
				: null,
		);
	});
	$('requests').replaceChildren(...rows);
}

// --- start ---

async function main() {
	labels();
	$('lang').addEventListener('click', () => {
		toggleLanguage();
		labels();
		if (secret) refresh().catch(showError);
	});
	$('import').addEventListener('click', () => onImport(false));
	$('generate').addEventListener('click', () => onImport(true));
	$('unlock').addEventListener('click', onUnlock);
	$('forget').addEventListener('click', () => {
		keystore.forget();
		showLogin();
	});
	$('logout').addEventListener('click', onLogout);
	$('add-part').addEventListener('click', addPart);
	$('split').addEventListener('click', onSplit);
	$('finance').addEventListener('click', onFinance);
	$('refresh').addEventListener('click', () => refresh().catch(showError));
	try {
		await Promise.all([sm2.load(), loadCalls()]);
	} catch (e) {
		showError(e);
		return;
	}
	showLogin();
	document.body.dataset.ready = 'true';
}

main();
