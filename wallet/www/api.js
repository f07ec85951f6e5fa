// The bridge, from the page: JSON-RPC on its root path and the wallet's
// login endpoints, both on the page's own origin with the session cookie
// (HttpOnly: the page never sees it).

export class RpcError extends Error {
	constructor(error) {
		const data = error.data && typeof error.data === 'object' ? error.data : null;
		const rule = data?.error ? ` (${data.pallet}.${data.error})` : '';
		super(`${error.message}${rule}`);
		this.code = error.code;
		this.data = data;
	}
}

let next = 0;

export async function rpc(method, params = {}) {
	const response = await fetch('/', {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		credentials: 'same-origin',
		body: JSON.stringify({ jsonrpc: '2.0', id: ++next, method, params }),
	});
	const answer = await response.json().catch(() => null);
	if (!answer) throw new Error(`the bridge answered ${response.status} without JSON`);
	if (answer.error) throw new RpcError(answer.error);
	return answer.result;
}

export async function walletApi(what, body) {
	const response = await fetch(`api/${what}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		credentials: 'same-origin',
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const answer = await response.json().catch(() => ({}));
	if (!response.ok) throw new Error(answer.error?.message ?? answer.message ?? `${what}: ${response.status}`);
	return answer;
}
