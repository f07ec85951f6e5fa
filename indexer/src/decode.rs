//! Decoded chain values (subxt's dynamic `Value`, decoded with each block's
//! own metadata) as JSON, and typed reads of their fields by name.
//!
//! Reading fields by name rather than through compiled-in types is what
//! lets one indexer read blocks from before and after a runtime upgrade that
//! changed a layout: a field added later is simply there.
//!
//! The decoded values carry no types, so two shapes are ambiguous and read
//! by rule: a sequence of small integers is taken as bytes (hex), and a
//! one-element sequence of structs as the struct (see [`list`]). Decoding
//! with the metadata's type ids would remove both; the raw bytes are kept,
//! so that is a re-decode, not a re-sync.

use serde_json::{json, Map, Value as Json};
use subxt::{
	dynamic::Value,
	ext::scale_value::{Composite, Primitive, ValueDef},
};

/// Largest integer a JSON number carries exactly in every client (2⁵³).
const JSON_SAFE: u128 = 1 << 53;

/// `v` as JSON: named composites are objects, unnamed ones arrays, a
/// sequence of bytes (an account, a hash) is one `0x…` hex string, a variant
/// is its name (no fields) or `{ name: fields }`, and an integer beyond 2⁵³
/// a decimal string (amounts are `u128`).
pub fn to_json(v: &Value) -> Json {
	match &v.value {
		ValueDef::Composite(c) => composite(c),
		ValueDef::Variant(var) => match &var.values {
			Composite::Unnamed(vs) if vs.is_empty() => Json::String(var.name.clone()),
			Composite::Named(vs) if vs.is_empty() => Json::String(var.name.clone()),
			// `Some(x)`, `Live(standing)`: the one field itself.
			Composite::Unnamed(vs) if vs.len() == 1 => json!({ var.name.clone(): to_json(&vs[0]) }),
			c => json!({ var.name.clone(): composite(c) }),
		},
		ValueDef::Primitive(p) => match p {
			Primitive::Bool(b) => Json::Bool(*b),
			Primitive::Char(c) => Json::String(c.to_string()),
			Primitive::String(s) => Json::String(s.clone()),
			Primitive::U128(n) if *n < JSON_SAFE => json!(*n as u64),
			Primitive::U128(n) => Json::String(n.to_string()),
			Primitive::I128(n) if n.unsigned_abs() < JSON_SAFE => json!(*n as i64),
			Primitive::I128(n) => Json::String(n.to_string()),
			Primitive::U256(b) | Primitive::I256(b) => {
				Json::String(format!("0x{}", hex::encode(b)))
			},
		},
		ValueDef::BitSequence(bits) => Json::String(format!("{bits:?}")),
	}
}

fn composite(c: &Composite<()>) -> Json {
	match c {
		Composite::Named(fields) => {
			Json::Object(fields.iter().map(|(k, v)| (k.clone(), to_json(v))).collect::<Map<_, _>>())
		},
		Composite::Unnamed(vs) => {
			if let Some(bytes) = bytes_of(vs).filter(|_| !vs.is_empty()) {
				return Json::String(format!("0x{}", hex::encode(bytes)));
			}
			match vs.as_slice() {
				// A wrapper of one struct or sequence (`BoundedVec(Vec)`):
				// its content. A one-element sequence of plain values stays a
				// list: without the type the two look alike, and a list of
				// one role must stay a list.
				[one] if matches!(one.value, ValueDef::Composite(_)) => to_json(one),
				_ => Json::Array(vs.iter().map(to_json).collect()),
			}
		},
	}
}

/// The bytes, if every value is a `u8` (or a one-field wrapper of bytes).
fn bytes_of(vs: &[Value]) -> Option<Vec<u8>> {
	if let [one] = vs {
		if let ValueDef::Composite(Composite::Unnamed(inner)) = &one.value {
			return bytes_of(inner);
		}
	}
	vs.iter()
		.map(|v| match v.value {
			ValueDef::Primitive(Primitive::U128(n)) if n <= 255 => Some(n as u8),
			_ => None,
		})
		.collect()
}

/// Typed reads of a decoded record's JSON.
pub trait Fields {
	/// Field `name`, if present.
	fn field(&self, name: &str) -> Option<&Json>;

	/// A `u64`-sized integer field.
	fn u64_of(&self, name: &str) -> Option<u64> {
		self.field(name).and_then(as_u128).and_then(|n| u64::try_from(n).ok())
	}
	/// An amount (`u128`: a number or a decimal string).
	fn amount_of(&self, name: &str) -> Option<u128> {
		self.field(name).and_then(as_u128)
	}
	/// A hex string field (an account).
	fn hex_of(&self, name: &str) -> Option<String> {
		self.field(name).and_then(|v| v.as_str()).filter(|s| s.starts_with("0x")).map(str::to_owned)
	}
	/// A variant's name (`"Active"` or the key of `{ "Pledged": … }`).
	fn variant_of(&self, name: &str) -> Option<(String, Json)> {
		self.field(name).and_then(variant)
	}
}

impl Fields for Json {
	fn field(&self, name: &str) -> Option<&Json> {
		self.get(name).filter(|v| !v.is_null())
	}
}

/// An integer from a JSON number or decimal string.
pub fn as_u128(v: &Json) -> Option<u128> {
	match v {
		Json::Number(n) => n.as_u64().map(u128::from),
		Json::String(s) => s.parse().ok(),
		_ => None,
	}
}

/// A variant as (name, fields): `"Name"` or `{ "Name": fields }`.
pub fn variant(v: &Json) -> Option<(String, Json)> {
	match v {
		Json::String(s) => Some((s.clone(), Json::Null)),
		Json::Object(o) if o.len() == 1 => o.iter().next().map(|(k, v)| (k.clone(), v.clone())),
		_ => None,
	}
}

/// An `Option<T>` as the metadata decodes it: `"None"` or `{ "Some": v }`.
pub fn option(v: Option<&Json>) -> Option<Json> {
	match v.and_then(variant) {
		Some((name, inner)) if name == "Some" => Some(inner),
		_ => None,
	}
}

/// The items of a decoded list. Without the types, a list of one struct
/// and a one-field wrapper of that struct decode alike ([`to_json`] gives
/// the struct itself), so one object is read as a list of one.
pub fn list(v: &Json) -> Vec<&Json> {
	match v {
		Json::Array(items) => items.iter().collect(),
		Json::Null => Vec::new(),
		one => vec![one],
	}
}

/// snake_case of a variant name (`PendingAcceptance` → `pending_acceptance`).
pub fn snake(name: &str) -> String {
	let mut out = String::new();
	for (i, c) in name.chars().enumerate() {
		if c.is_uppercase() && i > 0 {
			out.push('_');
		}
		out.extend(c.to_lowercase());
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn values_become_json_a_client_can_read() {
		let account = Value::unnamed_composite(vec![Value::from_bytes([7u8; 32])]);
		assert_eq!(to_json(&account), json!(format!("0x{}", "07".repeat(32))));
		assert_eq!(to_json(&Value::u128(u128::MAX)), json!(u128::MAX.to_string()));
		assert_eq!(to_json(&Value::u128(42)), json!(42));
		let unit = Value::variant("Active", Composite::Unnamed(vec![]));
		assert_eq!(to_json(&unit), json!("Active"));
		let pledged = Value::variant(
			"Pledged",
			Composite::Named(vec![("pledgee".into(), Value::from_bytes([1u8; 2]))]),
		);
		assert_eq!(to_json(&pledged), json!({ "Pledged": { "pledgee": "0x0101" } }));
		assert_eq!(variant(&to_json(&pledged)).unwrap().0, "Pledged");
		assert_eq!(snake("PendingAcceptance"), "pending_acceptance");
		// A bounded list of one role stays a list; the wrapper goes.
		let roles = Value::unnamed_composite(vec![Value::unnamed_composite(vec![Value::variant(
			"Supplier",
			Composite::Unnamed(vec![]),
		)])]);
		assert_eq!(to_json(&roles), json!(["Supplier"]));
		let some = Value::variant("Some", Composite::Unnamed(vec![Value::u128(4)]));
		assert_eq!(to_json(&some), json!({ "Some": 4 }));
		let record = json!({ "amount": u128::MAX.to_string(), "id": 5, "parent": { "Some": 4 } });
		assert_eq!(record.amount_of("amount"), Some(u128::MAX));
		assert_eq!(record.u64_of("id"), Some(5));
		assert_eq!(option(record.field("parent")).and_then(|v| as_u128(&v)), Some(4));
	}
}
