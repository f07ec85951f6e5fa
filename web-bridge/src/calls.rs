//! The write methods: one `scf_*` method per pallet call a participant can
//! sign, as one table ([`WRITES`]) that drives the dispatch, the parameter
//! checking, the README's table and the OpenRPC document alike.
//!
//! Parameters are named (a JSON object) in camelCase; each becomes the
//! call's field of the same name in snake case. Amounts are decimal
//! strings; accounts SS58 or `0x` + 64 hex digits; hashes `0x` + 64 hex;
//! times ms since the Unix epoch.

use crate::Error;
use serde_json::{json, Value as Json};
use subxt::dynamic::Value;

/// What a parameter is, and so how it is checked and encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
	/// An account: SS58 or `0x` + 64 hex digits.
	Account,
	/// An amount in minor units (分): a decimal string.
	Amount,
	/// A certificate or request id.
	Id,
	/// A time, ms since the Unix epoch.
	Moment,
	/// A 32-byte hash: `0x` + 64 hex digits (SM3 of a document or reason).
	Hash,
	/// A payment reference: text, at most the pallet's `MaxPaymentRefLen` bytes.
	PaymentRef,
	/// Trade documents: `{ "contract": HASH, "invoices": [HASH, …] }`; optional.
	Documents,
	/// Split parts: `[{ "to": ACCOUNT, "amount": AMOUNT }, …]`.
	Parts,
	/// `"factoring"` or `"pledge"`.
	FinancingKind,
	/// Financing terms: `{ "advance", "discountBps", "recourse", "expires", "payoutBy" }`.
	Terms,
}

impl Kind {
	/// The JSON Schema of the parameter (for the OpenRPC document).
	pub fn schema(self) -> Json {
		let amount = json!({ "type": "string", "pattern": "^[0-9]{1,39}$",
			"description": "minor units (分), a decimal string" });
		let hash = json!({ "type": "string", "pattern": "^0x[0-9a-fA-F]{64}$" });
		let account = json!({ "type": "string",
			"description": "SS58 address or 0x + 64 hex digits" });
		match self {
			Kind::Account => account,
			Kind::Amount => amount,
			Kind::Id | Kind::Moment => json!({ "type": "integer", "minimum": 0 }),
			Kind::Hash => hash,
			Kind::PaymentRef => json!({ "type": "string", "minLength": 1 }),
			Kind::Documents => json!({ "type": "object", "properties": {
				"contract": hash, "invoices": { "type": "array", "items": hash } } }),
			Kind::Parts => json!({ "type": "array", "minItems": 1, "items": { "type": "object",
				"required": ["to", "amount"], "properties": { "to": account, "amount": amount } } }),
			Kind::FinancingKind => json!({ "enum": ["factoring", "pledge"] }),
			Kind::Terms => json!({ "type": "object",
				"required": ["advance", "discountBps", "recourse", "expires", "payoutBy"],
				"properties": { "advance": amount, "discountBps": { "type": "integer" },
					"recourse": { "type": "boolean" }, "expires": { "type": "integer" },
					"payoutBy": { "type": "integer" } } }),
		}
	}
}

/// One parameter of a write.
#[derive(Clone, Copy, Debug)]
pub struct Param {
	/// Its JSON name (camelCase); the call's field is the same in snake case.
	pub name: &'static str,
	pub kind: Kind,
	/// Documents may be left out (no documents); everything else is required.
	pub required: bool,
}

const fn p(name: &'static str, kind: Kind) -> Param {
	Param { name, kind, required: true }
}

const DOCUMENTS: Param = Param { name: "documents", kind: Kind::Documents, required: false };

/// One write method.
#[derive(Clone, Copy, Debug)]
pub struct Write {
	/// The JSON-RPC method.
	pub method: &'static str,
	pub pallet: &'static str,
	pub call: &'static str,
	/// Who may sign it (the chain decides; this is for the reader).
	pub role: &'static str,
	pub summary: &'static str,
	pub params: &'static [Param],
}

use Kind::*;

/// Every write method.
pub const WRITES: &[Write] = &[
	Write {
		method: "scf_issue",
		pallet: "Receivables",
		call: "issue",
		role: "core enterprise (the issuer)",
		summary: "Issue (开立) a root certificate to a supplier against a credit line.",
		params: &[p("receiver", Account), p("amount", Amount), p("due", Moment), DOCUMENTS],
	},
	Write {
		method: "scf_accept",
		pallet: "Receivables",
		call: "accept",
		role: "the participant it is offered to",
		summary: "Accept (签收) a certificate offered to you.",
		params: &[p("id", Id)],
	},
	Write {
		method: "scf_reject",
		pallet: "Receivables",
		call: "reject",
		role: "the participant it is offered to",
		summary: "Reject (拒收) a certificate offered to you: it goes back to its sender.",
		params: &[p("id", Id)],
	},
	Write {
		method: "scf_revoke",
		pallet: "Receivables",
		call: "revoke",
		role: "core enterprise (the issuer)",
		summary: "Revoke (撤销) a root nobody has accepted yet.",
		params: &[p("id", Id)],
	},
	Write {
		method: "scf_splitTransfer",
		pallet: "Receivables",
		call: "split_transfer",
		role: "the holder",
		summary: "Split-transfer (拆分流转) parts of a certificate to receivers one tier down.",
		params: &[p("id", Id), p("parts", Parts), DOCUMENTS],
	},
	Write {
		method: "scf_settle",
		pallet: "Receivables",
		call: "settle",
		role: "core enterprise (the issuer)",
		summary: "Settle (兑付) a root at or after its due date: every holder is paid.",
		params: &[p("root", Id), p("paymentRef", PaymentRef)],
	},
	Write {
		method: "scf_freeze",
		pallet: "Receivables",
		call: "freeze",
		role: "regulator",
		summary: "Freeze (冻结) one certificate.",
		params: &[p("id", Id), p("reason", Hash)],
	},
	Write {
		method: "scf_unfreeze",
		pallet: "Receivables",
		call: "unfreeze",
		role: "regulator",
		summary: "Unfreeze a certificate.",
		params: &[p("id", Id), p("reason", Hash)],
	},
	Write {
		method: "scf_freezeRoot",
		pallet: "Receivables",
		call: "freeze_root",
		role: "regulator",
		summary: "Freeze a whole root.",
		params: &[p("root", Id), p("reason", Hash)],
	},
	Write {
		method: "scf_unfreezeRoot",
		pallet: "Receivables",
		call: "unfreeze_root",
		role: "regulator",
		summary: "Unfreeze a whole root.",
		params: &[p("root", Id), p("reason", Hash)],
	},
	Write {
		method: "scf_requestFinancing",
		pallet: "Financing",
		call: "request",
		role: "the holder",
		summary: "Ask a financier to finance (融资申请) a whole certificate.",
		params: &[
			p("certificate", Id),
			p("financier", Account),
			p("wantedAdvance", Amount),
			p("kind", FinancingKind),
		],
	},
	Write {
		method: "scf_requestFinancingPart",
		pallet: "Financing",
		call: "request_part",
		role: "the holder",
		summary: "Split a part off a certificate and ask a financier to finance it.",
		params: &[
			p("certificate", Id),
			p("amount", Amount),
			p("financier", Account),
			p("wantedAdvance", Amount),
			p("kind", FinancingKind),
		],
	},
	Write {
		method: "scf_offer",
		pallet: "Financing",
		call: "offer",
		role: "the request's financier",
		summary: "Offer terms (报价) on a financing request.",
		params: &[p("request", Id), p("terms", Terms)],
	},
	Write {
		method: "scf_withdrawOffer",
		pallet: "Financing",
		call: "withdraw_offer",
		role: "the request's financier",
		summary: "Withdraw a standing offer.",
		params: &[p("request", Id)],
	},
	Write {
		method: "scf_decline",
		pallet: "Financing",
		call: "decline",
		role: "the request's financier",
		summary: "Decline a request (or an accepted deal before payout).",
		params: &[p("request", Id)],
	},
	Write {
		method: "scf_acceptOffer",
		pallet: "Financing",
		call: "accept_offer",
		role: "the holder who asked",
		summary: "Accept the standing offer, naming its exact terms.",
		params: &[p("request", Id), p("terms", Terms)],
	},
	Write {
		method: "scf_confirmPayout",
		pallet: "Financing",
		call: "confirm_payout",
		role: "the request's financier",
		summary: "Confirm the payout (放款确认) was made off chain.",
		params: &[p("request", Id), p("paymentRef", PaymentRef)],
	},
	Write {
		method: "scf_cancelFinancing",
		pallet: "Financing",
		call: "cancel",
		role: "the holder who asked",
		summary: "Cancel a financing request.",
		params: &[p("request", Id)],
	},
	Write {
		method: "scf_exerciseRecourse",
		pallet: "Financing",
		call: "exercise_recourse",
		role: "the request's financier",
		summary: "Exercise recourse (追索) on an overdue financed certificate.",
		params: &[p("request", Id)],
	},
	Write {
		method: "scf_confirmRepayment",
		pallet: "Financing",
		call: "confirm_repayment",
		role: "the request's financier",
		summary: "Confirm the holder repaid what it owed after recourse.",
		params: &[p("request", Id), p("paymentRef", PaymentRef)],
	},
	Write {
		method: "scf_releasePledge",
		pallet: "Financing",
		call: "release_pledge",
		role: "the request's financier",
		summary: "Release a pledge repaid early.",
		params: &[p("request", Id), p("paymentRef", PaymentRef)],
	},
	Write {
		method: "scf_grantCreditLine",
		pallet: "Participants",
		call: "grant_credit_line",
		role: "financier",
		summary: "Grant a core enterprise a credit line (授信额度).",
		params: &[p("core", Account), p("limit", Amount), p("expiresAt", Moment)],
	},
	Write {
		method: "scf_amendCreditLine",
		pallet: "Participants",
		call: "amend_credit_line",
		role: "financier",
		summary: "Change the limit and expiry of an open line.",
		params: &[p("core", Account), p("limit", Amount), p("expiresAt", Moment)],
	},
	Write {
		method: "scf_revokeCreditLine",
		pallet: "Participants",
		call: "revoke_credit_line",
		role: "financier",
		summary: "Revoke an open credit line.",
		params: &[p("core", Account)],
	},
];

/// The write called `method`.
pub fn write(method: &str) -> Option<&'static Write> {
	WRITES.iter().find(|w| w.method == method)
}

/// `camelCase` → `snake_case`.
pub fn snake(name: &str) -> String {
	let mut out = String::new();
	for c in name.chars() {
		if c.is_ascii_uppercase() {
			out.push('_');
			out.push(c.to_ascii_lowercase());
		} else {
			out.push(c);
		}
	}
	out
}

fn bad(name: &str, what: &str) -> Error {
	Error::BadParams(format!("`{name}`: {what}"))
}

/// An account id's 32 bytes from SS58 or hex.
pub fn account_bytes(name: &str, v: &Json) -> Result<[u8; 32], Error> {
	let s = v.as_str().ok_or_else(|| bad(name, "an account (a string)"))?;
	let hex_id = scf_indexer::queries::account(s).map_err(|_| bad(name, "not an account"))?;
	let bytes = hex::decode(hex_id.trim_start_matches("0x")).map_err(|_| bad(name, "not hex"))?;
	bytes.try_into().map_err(|_| bad(name, "not 32 bytes"))
}

fn amount(name: &str, v: &Json) -> Result<u128, Error> {
	let s =
		v.as_str().ok_or_else(|| bad(name, "an amount as a decimal string, e.g. \"100000\""))?;
	if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
		return Err(bad(name, "an amount as a decimal string of digits"));
	}
	s.parse().map_err(|_| bad(name, "larger than the ledger's amounts (u128)"))
}

fn number(name: &str, v: &Json, max: u64) -> Result<u64, Error> {
	v.as_u64().filter(|n| *n <= max).ok_or_else(|| bad(name, "a non-negative integer in range"))
}

fn hash(name: &str, v: &Json) -> Result<Vec<u8>, Error> {
	let s = v.as_str().ok_or_else(|| bad(name, "a 0x-prefixed 32-byte hex hash"))?;
	let bytes = s
		.strip_prefix("0x")
		.and_then(|h| hex::decode(h).ok())
		.filter(|b| b.len() == 32)
		.ok_or_else(|| bad(name, "a 0x-prefixed 32-byte hex hash"))?;
	Ok(bytes)
}

fn object<'a>(
	name: &str,
	v: &'a Json,
	allowed: &[&str],
) -> Result<&'a serde_json::Map<String, Json>, Error> {
	let o = v.as_object().ok_or_else(|| bad(name, "an object"))?;
	if let Some(k) = o.keys().find(|k| !allowed.contains(&k.as_str())) {
		return Err(bad(name, &format!("unknown field `{k}`")));
	}
	Ok(o)
}

fn field<'a>(
	o: &'a serde_json::Map<String, Json>,
	outer: &str,
	name: &str,
) -> Result<&'a Json, Error> {
	o.get(name).ok_or_else(|| bad(outer, &format!("`{name}` is missing")))
}

/// The longest lists and texts the ledger's calls take, from the runtime's
/// constants. A longer one would not even decode in the runtime: the node
/// refuses such a transaction as unverifiable (error 1002, a trap in
/// `validate_transaction`), not as a broken rule. So the bridge refuses it
/// before signing anything, with -32602 naming the field and its bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
	/// `Receivables::MaxChildren`: the parts of one split.
	pub parts: usize,
	/// `Receivables::MaxInvoices`: the invoice hashes of `documents`.
	pub invoices: usize,
	/// Bytes of a payment reference: the smaller of
	/// `Receivables::MaxPaymentRefLen` and `Financing::MaxPaymentRefLen`
	/// (both 64 in this runtime).
	pub payment_ref: usize,
}

impl Bounds {
	/// No bounds known (not connected yet): the node still refuses what
	/// does not decode.
	pub const UNKNOWN: Bounds =
		Bounds { parts: usize::MAX, invoices: usize::MAX, payment_ref: usize::MAX };
}

/// Refuses a list or text of `len` above `max`.
fn within(name: &str, len: usize, max: usize, what: &str) -> Result<(), Error> {
	if len > max {
		return Err(bad(name, &format!("{len} {what}, more than the ledger's {max}")));
	}
	Ok(())
}

impl Kind {
	/// The parameter `name` with JSON value `v` as the call's field value,
	/// refusing lists and texts longer than `bounds`.
	pub fn encode(self, name: &str, v: &Json, bounds: &Bounds) -> Result<Value, Error> {
		Ok(match self {
			Account => Value::from_bytes(account_bytes(name, v)?),
			Amount => Value::u128(amount(name, v)?),
			Id | Moment => Value::u128(number(name, v, u64::MAX)? as u128),
			Hash => Value::from_bytes(hash(name, v)?),
			PaymentRef => {
				let s = v.as_str().filter(|s| !s.is_empty());
				let s = s.ok_or_else(|| bad(name, "a non-empty string"))?;
				within(name, s.len(), bounds.payment_ref, "bytes")?;
				Value::from_bytes(s.as_bytes())
			},
			Documents => {
				let (contract, invoices) = if v.is_null() {
					(vec![0u8; 32], Vec::new())
				} else {
					let o = object(name, v, &["contract", "invoices"])?;
					let contract = match o.get("contract") {
						Some(c) => hash("documents.contract", c)?,
						None => vec![0u8; 32],
					};
					let invoices = match o.get("invoices") {
						Some(Json::Array(list)) => {
							within("documents.invoices", list.len(), bounds.invoices, "invoices")?;
							list.iter()
								.map(|i| hash("documents.invoices", i).map(Value::from_bytes))
								.collect::<Result<Vec<_>, _>>()?
						},
						Some(_) => return Err(bad(name, "`invoices` is a list of hashes")),
						None => Vec::new(),
					};
					(contract, invoices)
				};
				Value::named_composite([
					("contract", Value::from_bytes(contract)),
					("invoices", Value::unnamed_composite(invoices)),
				])
			},
			Parts => {
				let list = v.as_array().filter(|l| !l.is_empty());
				let list = list.ok_or_else(|| bad(name, "a non-empty list of parts"))?;
				within(name, list.len(), bounds.parts, "parts")?;
				let parts = list
					.iter()
					.map(|part| {
						let o = object(name, part, &["to", "amount"])?;
						Ok(Value::unnamed_composite([
							Value::from_bytes(account_bytes("parts.to", field(o, name, "to")?)?),
							Value::u128(amount("parts.amount", field(o, name, "amount")?)?),
						]))
					})
					.collect::<Result<Vec<_>, Error>>()?;
				Value::unnamed_composite(parts)
			},
			FinancingKind => match v.as_str() {
				Some("factoring") => Value::unnamed_variant("Factoring", []),
				Some("pledge") => Value::unnamed_variant("Pledge", []),
				_ => return Err(bad(name, "\"factoring\" or \"pledge\"")),
			},
			Terms => {
				let keys = ["advance", "discountBps", "recourse", "expires", "payoutBy"];
				let o = object(name, v, &keys)?;
				let recourse = field(o, name, "recourse")?
					.as_bool()
					.ok_or_else(|| bad("terms.recourse", "true or false"))?;
				Value::named_composite([
					("advance", Value::u128(amount("terms.advance", field(o, name, "advance")?)?)),
					(
						"discount_bps",
						Value::u128(number(
							"terms.discountBps",
							field(o, name, "discountBps")?,
							u32::MAX as u64,
						)? as u128),
					),
					("recourse", Value::bool(recourse)),
					(
						"expires",
						Value::u128(
							number("terms.expires", field(o, name, "expires")?, u64::MAX)? as u128
						),
					),
					(
						"payout_by",
						Value::u128(
							number("terms.payoutBy", field(o, name, "payoutBy")?, u64::MAX)?
								as u128,
						),
					),
				])
			},
		})
	}
}

/// The reserved parameters every write takes besides its own.
pub const IDEMPOTENCY_KEY: &str = "idempotencyKey";
pub const WAIT: &str = "wait";

impl Write {
	/// Checks `params` (an object) against the call and the ledger's
	/// `bounds` and builds the call's fields, in the call's order. Unknown
	/// parameters are refused.
	pub fn fields(
		&self,
		params: &serde_json::Map<String, Json>,
		bounds: &Bounds,
	) -> Result<Value, Error> {
		if let Some(k) = params.keys().find(|k| {
			k.as_str() != IDEMPOTENCY_KEY
				&& k.as_str() != WAIT
				&& !self.params.iter().any(|p| p.name == k.as_str())
		}) {
			return Err(Error::BadParams(format!("{}: unknown parameter `{k}`", self.method)));
		}
		let mut fields = Vec::new();
		for p in self.params {
			let v = match params.get(p.name) {
				Some(v) => v,
				None if !p.required => &Json::Null,
				None => {
					return Err(Error::BadParams(format!(
						"{}: `{}` is missing",
						self.method, p.name
					)))
				},
			};
			fields.push((snake(p.name), p.kind.encode(p.name, v, bounds)?));
		}
		Ok(Value::named_composite(fields))
	}
}

/// `v` with every object's keys sorted: the same request always has the
/// same text, whatever order the client sent its fields in.
pub fn canonical(v: &Json) -> String {
	fn sort(v: &Json) -> Json {
		match v {
			Json::Object(o) => {
				let mut keys: Vec<&String> = o.keys().collect();
				keys.sort();
				let mut out = serde_json::Map::new();
				for k in keys {
					out.insert(k.clone(), sort(&o[k]));
				}
				Json::Object(out)
			},
			Json::Array(a) => Json::Array(a.iter().map(sort).collect()),
			other => other.clone(),
		}
	}
	// With serde_json's `preserve_order` the map keeps insertion order,
	// which `sort` made sorted; without it the map sorts anyway.
	sort(v).to_string()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn method_names_are_unique_and_fields_are_snake_case() {
		let mut names: Vec<&str> = WRITES.iter().map(|w| w.method).collect();
		names.sort();
		names.dedup();
		assert_eq!(names.len(), WRITES.len());
		assert_eq!(snake("wantedAdvance"), "wanted_advance");
		assert_eq!(snake("payoutBy"), "payout_by");
	}

	#[test]
	fn bad_parameters_are_refused_with_the_field_named() {
		let issue = write("scf_issue").unwrap();
		let ok = json!({ "idempotencyKey": "k", "receiver": format!("0x{}", "11".repeat(32)),
			"amount": "1000", "due": 5 });
		assert!(issue.fields(ok.as_object().unwrap(), &Bounds::UNKNOWN).is_ok());
		for (change, expected) in [
			(json!({ "amount": 1000 }), "`amount`"),
			(json!({ "amount": "-1" }), "`amount`"),
			(json!({ "amount": "340282366920938463463374607431768211456" }), "u128"),
			(json!({ "receiver": "nobody" }), "`receiver`"),
			(json!({ "due": "soon" }), "`due`"),
			(json!({ "colour": "red" }), "unknown parameter `colour`"),
		] {
			let mut params = ok.as_object().unwrap().clone();
			for (k, v) in change.as_object().unwrap() {
				params.insert(k.clone(), v.clone());
			}
			let err = issue.fields(&params, &Bounds::UNKNOWN).unwrap_err().to_string();
			assert!(err.contains(expected), "{change}: {err}");
		}
		let mut missing = ok.as_object().unwrap().clone();
		missing.remove("due");
		assert!(issue
			.fields(&missing, &Bounds::UNKNOWN)
			.unwrap_err()
			.to_string()
			.contains("`due` is missing"));
	}

	#[test]
	fn lists_and_texts_longer_than_the_ledger_takes_are_refused_naming_the_bound() {
		let bounds = Bounds { parts: 2, invoices: 1, payment_ref: 4 };
		let to = format!("0x{}", "11".repeat(32));
		let part = json!({ "to": to, "amount": "1000" });
		let h = format!("0x{}", "22".repeat(32));
		let split = write("scf_splitTransfer").unwrap();
		let settle = write("scf_settle").unwrap();
		let cases = [
			(split, json!({ "id": 1, "parts": [part, part] }), None),
			(
				split,
				json!({ "id": 1, "parts": [part, part, part] }),
				Some("3 parts, more than the ledger's 2"),
			),
			(split, json!({ "id": 1, "parts": [part], "documents": { "invoices": [h] } }), None),
			(
				split,
				json!({ "id": 1, "parts": [part], "documents": { "invoices": [h, h] } }),
				Some("`documents.invoices`: 2 invoices"),
			),
			(settle, json!({ "root": 1, "paymentRef": "abcd" }), None),
			(settle, json!({ "root": 1, "paymentRef": "abcde" }), Some("`paymentRef`: 5 bytes")),
		];
		for (w, params, refusal) in cases {
			let got = w.fields(params.as_object().unwrap(), &bounds);
			match refusal {
				None => assert!(got.is_ok(), "{params}: {got:?}"),
				Some(says) => {
					let err = got.unwrap_err();
					assert!(matches!(err, Error::BadParams(_)), "{params}: {err:?}");
					assert!(err.to_string().contains(says), "{params}: {err}");
				},
			}
		}
	}

	#[test]
	fn the_readme_lists_every_write_with_its_call() {
		let readme = include_str!("../README.md");
		for w in WRITES {
			let row = format!("| `{}` | `{}::{}` | {} |", w.method, w.pallet, w.call, w.role);
			assert!(readme.contains(&row), "README lacks {row}");
		}
	}

	#[test]
	fn canonical_text_ignores_key_order() {
		let a = json!({ "b": 1, "a": { "y": 2, "x": [ { "q": 1, "p": 2 } ] } });
		let b = json!({ "a": { "x": [ { "p": 2, "q": 1 } ], "y": 2 }, "b": 1 });
		assert_eq!(canonical(&a), canonical(&b));
		assert_ne!(canonical(&a), canonical(&json!({ "b": 2 })));
	}
}
