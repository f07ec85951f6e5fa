//! From one block's decoded events and the records they touched to the rows
//! the store writes.
//!
//! Events give the history (every event, and which certificates, requests
//! and accounts it concerns). The current state of a certificate, request,
//! participant or credit line is not derived from events by rules of our
//! own: each record an event touches is read back from the chain's storage
//! at that block (decoded with that block's metadata) and mirrored, so the
//! tables always say what the chain says.

use crate::decode::{option, snake, variant, Fields};
use serde_json::Value as Json;
use std::collections::BTreeSet;

/// One event as stored.
#[derive(Clone, Debug)]
pub struct EventRow {
	pub idx: u32,
	/// The extrinsic it belongs to (`None`: block initialisation or
	/// finalisation, such as timers).
	pub extrinsic: Option<u32>,
	pub pallet: String,
	pub name: String,
	/// The event's SCALE bytes (pallet index, variant, fields).
	pub bytes: Vec<u8>,
	/// Its fields, decoded ([`crate::decode::to_json`]).
	pub fields: Json,
	/// The accounts it names.
	pub accounts: Vec<String>,
	/// The certificates it concerns.
	pub certificates: Vec<u64>,
	/// The financing request it concerns.
	pub request: Option<u64>,
}

/// Field names that hold an account in the ledger's events.
const ACCOUNT_FIELDS: [&str; 13] = [
	"who",
	"financier",
	"core",
	"issuer",
	"receiver",
	"holder",
	"sender",
	"regulator",
	"seller",
	"pledgee",
	"debtor",
	"bank",
	"owner",
];

/// The ledger's pallets: their events are mirrored; others are kept raw.
pub const LEDGER_PALLETS: [&str; 3] = ["Participants", "Receivables", "Financing"];

impl EventRow {
	/// An event of `pallet` named `name` with decoded `fields`; works out
	/// what it concerns.
	pub fn new(
		idx: u32,
		extrinsic: Option<u32>,
		pallet: &str,
		name: &str,
		bytes: Vec<u8>,
		fields: Json,
	) -> EventRow {
		let mut accounts: Vec<String> =
			ACCOUNT_FIELDS.iter().filter_map(|f| fields.hex_of(f)).collect();
		if let Some((_, by)) = fields.variant_of("by") {
			accounts.extend(by.as_str().map(str::to_owned));
		}
		accounts.sort();
		accounts.dedup();
		let mut certificates = Vec::new();
		let mut request = None;
		match pallet {
			"Receivables" => {
				for f in ["id", "parent"] {
					certificates.extend(fields.u64_of(f));
				}
				if certificates.is_empty() {
					certificates.extend(fields.u64_of("root"));
				}
			},
			"Financing" => {
				certificates.extend(fields.u64_of("certificate"));
				request = fields.u64_of("request");
			},
			_ => {},
		}
		EventRow {
			idx,
			extrinsic,
			pallet: pallet.into(),
			name: name.into(),
			bytes,
			fields,
			accounts,
			certificates,
			request,
		}
	}
}

/// What the events of a block touched: the records to read back.
#[derive(Default, Debug)]
pub struct Touched {
	pub participants: BTreeSet<String>,
	/// Core enterprises whose credit lines changed.
	pub lines: BTreeSet<String>,
	pub certificates: BTreeSet<u64>,
	/// Roots whose every certificate may have changed (settled, frozen,
	/// cancelled as a whole).
	pub roots: BTreeSet<u64>,
	pub requests: BTreeSet<u64>,
}

impl Touched {
	pub fn add(&mut self, e: &EventRow) {
		match (e.pallet.as_str(), e.name.as_str()) {
			("Participants", name) if name.starts_with("Credit") => {
				self.lines.extend(e.fields.hex_of("core"))
			},
			("Participants", _) => self.participants.extend(e.fields.hex_of("who")),
			("Receivables", name) => {
				self.certificates.extend(e.certificates.iter().copied());
				if name.starts_with("Root") {
					self.roots.extend(e.fields.u64_of("root"));
				}
			},
			("Financing", _) => {
				self.requests.extend(e.request);
				self.certificates.extend(e.certificates.iter().copied());
			},
			_ => {},
		}
	}
}

/// A participant as mirrored.
#[derive(Clone, Debug)]
pub struct ParticipantRow {
	pub account: String,
	pub name: String,
	pub uscc: String,
	/// The roles, a JSON list of names.
	pub roles: String,
	pub suspended: bool,
	pub record: Json,
}

impl ParticipantRow {
	/// From `Participants::Participants[account]` as decoded.
	pub fn from_record(account: String, record: Json) -> ParticipantRow {
		let text = |f: &str| {
			record
				.hex_of(f)
				.and_then(|h| hex::decode(&h[2..]).ok())
				.map_or_else(String::new, |b| String::from_utf8_lossy(&b).into_owned())
		};
		let suspended = record.variant_of("status").is_some_and(|(s, _)| s == "Suspended");
		ParticipantRow {
			name: text("name"),
			uscc: text("uscc"),
			roles: record.field("roles").cloned().unwrap_or(Json::Array(vec![])).to_string(),
			suspended,
			account,
			record,
		}
	}
}

/// A credit line as mirrored.
#[derive(Clone, Debug)]
pub struct LineRow {
	pub financier: String,
	pub limit: u128,
	pub used: u128,
	pub expires_at: u64,
	pub record: Json,
}

impl LineRow {
	/// The lines of one core from `Participants::Lines[core]` as decoded.
	pub fn from_record(record: &Json) -> Vec<LineRow> {
		crate::decode::list(record)
			.into_iter()
			.map(|l| LineRow {
				financier: l.hex_of("financier").unwrap_or_default(),
				limit: l.amount_of("limit").unwrap_or(0),
				used: l.amount_of("used").unwrap_or(0),
				expires_at: l.u64_of("expires_at").unwrap_or(0),
				record: l.clone(),
			})
			.collect()
	}
}

/// A certificate as mirrored.
#[derive(Clone, Debug)]
pub struct CertificateRow {
	pub id: u64,
	pub root: u64,
	pub parent: Option<u64>,
	pub tier: u64,
	pub issuer: String,
	pub holder: String,
	pub amount: u128,
	pub due: u64,
	/// The live standing's name (`active`, `pending_acceptance`, …) or the
	/// status's (`settled`, `closed_by_split`, …).
	pub status: String,
	/// The financier it is factored to (its holder), pledged to, or
	/// reserved for.
	pub financier: Option<String>,
	pub record: Json,
}

impl CertificateRow {
	/// From `Receivables::Certificates[id]` as decoded; `None` if it lacks
	/// what every certificate has.
	pub fn from_record(record: Json) -> Option<CertificateRow> {
		let (status, inner) = record.variant_of("status")?;
		let holder = record.hex_of("holder")?;
		let (status, financier) = match status.as_str() {
			"Live" => {
				let (standing, fields) = variant(&inner)?;
				let financier = match standing.as_str() {
					"Factored" => Some(holder.clone()),
					"Pledged" => fields.hex_of("pledgee"),
					"Reserved" => fields.hex_of("financier"),
					"Overdue" => option(fields.field("encumbrance"))
						.and_then(|e| variant(&e))
						.and_then(|(kind, f)| match kind.as_str() {
							"Factored" => Some(holder.clone()),
							_ => f.hex_of("pledgee"),
						}),
					_ => None,
				};
				(snake(&standing), financier)
			},
			other => (snake(other), None),
		};
		Some(CertificateRow {
			id: record.u64_of("id")?,
			root: record.u64_of("root")?,
			parent: option(record.field("parent"))
				.and_then(|p| crate::decode::as_u128(&p))
				.map(|p| p as u64),
			tier: record.u64_of("tier")?,
			issuer: record.hex_of("issuer")?,
			amount: record.amount_of("amount")?,
			due: record.u64_of("due")?,
			holder,
			status,
			financier,
			record,
		})
	}
}

/// A financing request as mirrored.
#[derive(Clone, Debug)]
pub struct RequestRow {
	pub request: u64,
	pub certificate: u64,
	pub holder: String,
	pub financier: String,
	pub kind: String,
	pub amount: u128,
	/// The state's name (`requested`, `offered`, `funded`, …).
	pub state: String,
	pub record: Json,
}

impl RequestRow {
	/// From `Financing::Requests[request]` as decoded.
	pub fn from_record(request: u64, record: Json) -> Option<RequestRow> {
		Some(RequestRow {
			request,
			certificate: record.u64_of("certificate")?,
			holder: record.hex_of("holder")?,
			financier: record.hex_of("financier")?,
			kind: snake(&record.variant_of("kind")?.0),
			amount: record.amount_of("amount")?,
			state: snake(&record.variant_of("state")?.0),
			record,
		})
	}
}

/// Everything one block writes.
#[derive(Debug, Default)]
pub struct BlockRows {
	pub number: u64,
	pub hash: String,
	pub spec_version: u32,
	pub timestamp_ms: u64,
	pub events: Vec<EventRow>,
	pub participants: Vec<ParticipantRow>,
	/// Each touched core's lines as they now are (all of them).
	pub lines: Vec<(String, Vec<LineRow>)>,
	pub certificates: Vec<CertificateRow>,
	pub requests: Vec<RequestRow>,
}

#[cfg(test)]
mod tests {
	use super::*;
	use serde_json::json;

	#[test]
	fn a_pledged_certificate_names_its_pledgee() {
		let record = json!({
			"id": 7, "root": 3, "parent": { "Some": 3 }, "issuer": "0x01", "holder": "0x02",
			"amount": "340282366920938463463374607431768211455", "due": 99, "tier": 2,
			"status": { "Live": { "Pledged": { "pledgee": "0x03" } } }, "documents": {}
		});
		let c = CertificateRow::from_record(record).unwrap();
		assert_eq!((c.id, c.root, c.parent, c.tier), (7, 3, Some(3), 2));
		assert_eq!(c.amount, u128::MAX);
		assert_eq!(c.status, "pledged");
		assert_eq!(c.financier.as_deref(), Some("0x03"));
		let closed = json!({
			"id": 3, "root": 3, "parent": "None", "issuer": "0x01", "holder": "0x02",
			"amount": 5, "due": 99, "tier": 1, "status": "ClosedBySplit"
		});
		let c = CertificateRow::from_record(closed).unwrap();
		assert_eq!((c.parent, c.status.as_str()), (None, "closed_by_split"));
	}

	#[test]
	fn events_say_what_they_concern() {
		let e = EventRow::new(
			0,
			Some(1),
			"Receivables",
			"ChildCreated",
			vec![],
			json!({ "id": 9, "parent": 4, "root": 1, "sender": "0x0a", "holder": "0x0b" }),
		);
		assert_eq!(e.certificates, vec![9, 4]);
		assert_eq!(e.accounts, vec!["0x0a".to_string(), "0x0b".to_string()]);
		let mut t = Touched::default();
		t.add(&e);
		assert_eq!(t.certificates.into_iter().collect::<Vec<_>>(), vec![4, 9]);
	}
}
