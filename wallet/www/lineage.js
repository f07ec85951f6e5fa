// A certificate's lineage drawn as a tree: an SVG from the root payable
// down to the supplier's own part, with amounts and tiers; the branch from
// the root to the selected certificate is highlighted.

import { t1 } from './i18n.js';
import { money } from './format.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 170;
const H = 58;
const GAP_X = 24;
const GAP_Y = 46;

function el(name, attrs, text) {
	const e = document.createElementNS(NS, name);
	for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
	if (text !== undefined) e.textContent = text;
	return e;
}

/**
 * The SVG of `certificates` (a lineage as scf_getLineage gives it), with
 * the path to `selected` and the certificates `me` holds marked.
 */
export function drawLineage(certificates, selected, me) {
	const byId = new Map(certificates.map((c) => [c.id, c]));
	const children = new Map();
	let root = null;
	for (const c of certificates) {
		if (c.parent == null || !byId.has(c.parent)) root ??= c;
		else children.set(c.parent, [...(children.get(c.parent) ?? []), c]);
	}
	const path = new Set();
	for (let c = byId.get(selected); c; c = byId.get(c.parent)) path.add(c.id);
	// Layout: leaves left to right, a parent centred over its children.
	const place = new Map();
	let nextX = 0;
	const layout = (c, depth) => {
		const kids = (children.get(c.id) ?? []).sort((a, b) => a.id - b.id);
		if (kids.length === 0) {
			place.set(c.id, { x: nextX++, depth });
		} else {
			kids.forEach((k) => layout(k, depth + 1));
			const xs = kids.map((k) => place.get(k.id).x);
			place.set(c.id, { x: (Math.min(...xs) + Math.max(...xs)) / 2, depth });
		}
	};
	if (root) layout(root, 0);
	const depth = Math.max(0, ...[...place.values()].map((p) => p.depth));
	const width = Math.max(1, nextX) * (W + GAP_X);
	const height = (depth + 1) * (H + GAP_Y);
	const svg = el('svg', {
		xmlns: NS,
		viewBox: `0 0 ${width} ${height}`,
		width,
		height,
		role: 'img',
		'aria-label': t1('lineage'),
		class: 'lineage',
	});
	const at = (id) => {
		const p = place.get(id);
		return { x: p.x * (W + GAP_X) + GAP_X / 2, y: p.depth * (H + GAP_Y) + GAP_Y / 2 };
	};
	for (const c of certificates) {
		if (!place.has(c.id) || c.parent == null || !place.has(c.parent)) continue;
		const [a, b] = [at(c.parent), at(c.id)];
		svg.append(
			el('line', {
				x1: a.x + W / 2,
				y1: a.y + H,
				x2: b.x + W / 2,
				y2: b.y,
				class: path.has(c.id) ? 'edge own' : 'edge',
			}),
		);
	}
	for (const c of certificates) {
		if (!place.has(c.id)) continue;
		const { x, y } = at(c.id);
		const classes = ['node'];
		if (path.has(c.id)) classes.push('path');
		if (c.holder === me) classes.push('mine');
		const g = el('g', { class: classes.join(' '), 'data-id': c.id });
		g.append(el('rect', { x, y, width: W, height: H, rx: 6 }));
		g.append(el('text', { x: x + 8, y: y + 18 }, `#${c.id} · ${t1('tier')} ${c.tier}`));
		g.append(el('text', { x: x + 8, y: y + 36, class: 'amount' }, money(c.amount)));
		g.append(el('text', { x: x + 8, y: y + 52, class: 'status' }, t1(c.status)));
		svg.append(g);
	}
	return svg;
}
