//! The OpenRPC document (spec 1.4) `rpc.discover` serves, built from the
//! same tables that register the methods, so it cannot drift from them.

use crate::{
	calls::{self, IDEMPOTENCY_KEY, WAIT},
	error::codes,
	rpc::READS,
};
use serde_json::{json, Value as Json};

/// Every documented error, as OpenRPC error objects.
pub fn errors() -> Vec<Json> {
	[
		(codes::BAD_PARAMS, "bad parameters"),
		(codes::UNAUTHENTICATED, "unauthenticated: no, unknown, revoked or expired API key"),
		(codes::FORBIDDEN, "forbidden: not your participant's to read or act on"),
		(codes::NOT_FOUND, "not found"),
		(codes::RULE_VIOLATION, "the ledger refused it: data = { pallet, error, docs }"),
		(codes::IDEMPOTENCY_CONFLICT, "idempotency key already used with other parameters"),
		(codes::RATE_LIMITED, "rate limited: data = { retryAfterMs }"),
		(codes::NOT_SUBMITTED, "the node did not take the transaction"),
		(codes::CHAIN_UNAVAILABLE, "the chain is unavailable: retry with the same key"),
		(codes::INTERNAL, "the bridge's own failure"),
	]
	.iter()
	.map(|(code, message)| json!({ "code": code, "message": message }))
	.collect()
}

fn reads_schema(kind: &str) -> Json {
	match kind {
		"integer" => json!({ "type": "integer", "minimum": 0 }),
		"account" => calls::Kind::Account.schema(),
		"filter" => json!({ "enum": ["live", "pending", "financed", "settled"] }),
		_ => json!({ "type": "string" }),
	}
}

/// The document.
pub fn document() -> Json {
	let errors = errors();
	let mut methods = Vec::new();
	for w in calls::WRITES {
		let mut params = vec![
			json!({ "name": IDEMPOTENCY_KEY, "required": true,
				"description": "the same key always gets the first request's result",
				"schema": { "type": "string", "minLength": 1, "maxLength": 128 } }),
			json!({ "name": WAIT, "required": false,
				"description": "return when finalized (default) or once submitted",
				"schema": { "enum": ["finalized", "submitted"] } }),
		];
		params.extend(
			w.params.iter().map(
				|p| json!({ "name": p.name, "required": p.required, "schema": p.kind.schema() }),
			),
		);
		methods.push(json!({
			"name": w.method,
			"summary": w.summary,
			"description": format!("{}::{} — signed by: {}", w.pallet, w.call, w.role),
			"paramStructure": "by-name",
			"params": params,
			"result": { "name": "outcome", "schema": { "type": "object" } },
			"errors": errors,
		}));
	}
	methods.push(json!({
		"name": "scf_subscribeEvents",
		"summary": "Your participant's events as they are finalized (WebSocket): notifications `scf_event`, each { block, index, event, fields, timestamp }; from the indexer's head, or after `fromBlock` to catch up. Unsubscribe with scf_unsubscribeEvents.",
		"paramStructure": "by-name",
		"params": [ { "name": "fromBlock", "required": false, "schema": { "type": "integer", "minimum": 0 } } ],
		"result": { "name": "subscription", "schema": { "type": "string" } },
		"errors": errors,
	}));
	methods.push(json!({
		"name": "scf_unsubscribeEvents",
		"summary": "End a scf_subscribeEvents subscription.",
		"paramStructure": "by-position",
		"params": [ { "name": "subscription", "required": true, "schema": { "type": "string" } } ],
		"result": { "name": "ended", "schema": { "type": "boolean" } },
		"errors": errors,
	}));
	methods.push(json!({
		"name": "scf_prepare",
		"summary": "Prepare a write for a client that signs with its own SM2 key: the payload to sign, the call, the extra values it covers and a statement in words.",
		"paramStructure": "by-name",
		"params": [
			{ "name": "method", "required": true, "schema": { "enum": calls::WRITES.iter().map(|w| w.method).collect::<Vec<_>>() } },
			{ "name": "params", "required": true, "description": "the write's parameters, idempotencyKey included", "schema": { "type": "object" } },
		],
		"result": { "name": "prepared", "schema": { "type": "object" } },
		"errors": errors,
	}));
	methods.push(json!({
		"name": "scf_submit",
		"summary": "Submit a prepared write with the client's SM2 signature (64 bytes r‖s or DER) and its compressed public key.",
		"paramStructure": "by-name",
		"params": [
			{ "name": "prepareId", "required": true, "schema": { "type": "string" } },
			{ "name": "signature", "required": true, "schema": { "type": "string", "pattern": "^(0x)?[0-9a-fA-F]+$" } },
			{ "name": "publicKey", "required": true, "schema": { "type": "string", "pattern": "^(0x)?[0-9a-fA-F]{66}$" } },
			{ "name": WAIT, "required": false, "schema": { "enum": ["finalized", "submitted"] } },
		],
		"result": { "name": "outcome", "schema": { "type": "object" } },
		"errors": errors,
	}));
	for (name, params, summary) in READS {
		methods.push(json!({
			"name": name,
			"summary": summary,
			"paramStructure": "by-name",
			"params": params.iter().map(|(n, kind, required)| {
				json!({ "name": n, "required": required, "schema": reads_schema(kind) })
			}).collect::<Vec<_>>(),
			"result": { "name": "answer", "schema": {} },
			"errors": errors,
		}));
	}
	json!({
		"openrpc": "1.4.0",
		"info": {
			"title": "SCF web bridge",
			"version": env!("CARGO_PKG_VERSION"),
			"description": "The ERP's JSON-RPC API of the supply-chain-finance chain. Amounts are decimal strings.",
		},
		"methods": methods,
	})
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn every_method_documents_its_params_and_errors() {
		let doc = document();
		for m in doc["methods"].as_array().unwrap() {
			assert_eq!(m["errors"].as_array().unwrap().len(), errors().len(), "{}", m["name"]);
			for p in m["params"].as_array().unwrap() {
				assert!(p["name"].is_string() && p["schema"].is_object(), "{}: {p}", m["name"]);
			}
		}
		let issue =
			doc["methods"].as_array().unwrap().iter().find(|m| m["name"] == "scf_issue").unwrap();
		let names: Vec<&str> = issue["params"]
			.as_array()
			.unwrap()
			.iter()
			.map(|p| p["name"].as_str().unwrap())
			.collect();
		assert_eq!(names, ["idempotencyKey", "wait", "receiver", "amount", "due", "documents"]);
	}
}
