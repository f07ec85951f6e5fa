//! The questions banks, suppliers and the regulator ask, answered from the
//! store. Every list is paged; amounts are decimal strings (JSON numbers
//! lose precision above 2⁵³). The web bridge links these; the indexer's own
//! read API (`api.rs`) serves them too.

use crate::{amount::combine, store::Store, Error};
use serde_json::{json, Value as Json};
use sqlx::{any::AnyRow, Row};

/// A page of a list: `limit` rows after skipping `offset`.
#[derive(Clone, Copy, Debug)]
pub struct Page {
	pub offset: u64,
	pub limit: u64,
}

impl Page {
	/// Largest page served.
	pub const MAX: u64 = 500;

	/// A page, refusing a limit of 0 or above [`Page::MAX`].
	pub fn new(offset: u64, limit: u64) -> Result<Page, Error> {
		if limit == 0 || limit > Page::MAX {
			return Err(Error::BadRequest(format!("limit must be 1..={}, not {limit}", Page::MAX)));
		}
		Ok(Page { offset, limit })
	}
}

impl Default for Page {
	fn default() -> Self {
		Page { offset: 0, limit: 100 }
	}
}

/// Statuses in which a certificate is still owed by its core enterprise.
pub const OUTSTANDING: [&str; 7] =
	["pending_acceptance", "active", "factored", "pledged", "overdue", "reserved", "frozen"];

/// Holdings filters: what a holder asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holding {
	/// Held and free, or frozen, or overdue.
	Live,
	/// Offered to the holder, not accepted yet.
	Pending,
	/// Factored, pledged or reserved for financing.
	Financed,
	/// Paid at maturity.
	Settled,
}

impl Holding {
	pub fn parse(s: &str) -> Result<Holding, Error> {
		match s {
			"live" => Ok(Holding::Live),
			"pending" => Ok(Holding::Pending),
			"financed" => Ok(Holding::Financed),
			"settled" => Ok(Holding::Settled),
			other => Err(Error::BadRequest(format!(
				"unknown holdings filter `{other}`: one of live, pending, financed, settled"
			))),
		}
	}

	fn statuses(self) -> &'static [&'static str] {
		match self {
			Holding::Live => &["active", "frozen", "overdue"],
			Holding::Pending => &["pending_acceptance"],
			Holding::Financed => &["factored", "pledged", "reserved"],
			Holding::Settled => &["settled"],
		}
	}
}

/// An account id as the store keeps it (`0x` + 64 lower-case hex digits),
/// from that form or from an SS58 address.
pub fn account(s: &str) -> Result<String, Error> {
	let hex_part = s.strip_prefix("0x").unwrap_or("");
	if hex_part.len() == 64 && hex_part.chars().all(|c| c.is_ascii_hexdigit()) {
		return Ok(format!("0x{}", hex_part.to_lowercase()));
	}
	let id: subxt::utils::AccountId32 = s
		.parse()
		.map_err(|_| Error::BadRequest(format!("`{s}` is not an account (SS58 or 0x + 64 hex)")))?;
	Ok(format!("0x{}", hex::encode(id.0)))
}

const CERTIFICATE_COLUMNS: &str = "id, root, parent, tier, issuer, holder, amount, due, status, \
	financier, created_block, block";

fn certificate_json(r: &AnyRow) -> Result<Json, Error> {
	Ok(json!({
		"id": r.try_get::<i64, _>("id")?,
		"root": r.try_get::<i64, _>("root")?,
		"parent": r.try_get::<Option<i64>, _>("parent")?,
		"tier": r.try_get::<i64, _>("tier")?,
		"issuer": r.try_get::<String, _>("issuer")?,
		"holder": r.try_get::<String, _>("holder")?,
		"amount": r.try_get::<String, _>("amount")?,
		"due": r.try_get::<i64, _>("due")?,
		"status": r.try_get::<String, _>("status")?,
		"financier": r.try_get::<Option<String>, _>("financier")?,
		"createdBlock": r.try_get::<i64, _>("created_block")?,
		"updatedBlock": r.try_get::<i64, _>("block")?,
	}))
}

const PARTICIPANT_COLUMNS: &str = "SELECT account, name, uscc, roles, suspended FROM participants";

fn participant_json(r: &AnyRow) -> Result<Json, Error> {
	let roles: String = r.try_get("roles")?;
	Ok(json!({
		"account": r.try_get::<String, _>("account")?,
		"name": r.try_get::<String, _>("name")?,
		"uscc": r.try_get::<String, _>("uscc")?,
		"roles": serde_json::from_str::<Json>(&roles).unwrap_or(Json::Null),
		"suspended": r.try_get::<i64, _>("suspended")? != 0,
	}))
}

fn list(statuses: &[&str]) -> String {
	statuses.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ")
}

impl Store {
	/// A certificate and every event that touched it, oldest first.
	pub async fn certificate(&self, id: u64) -> Result<Option<Json>, Error> {
		let row =
			sqlx::query(&format!("SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE id = $1"))
				.bind(id as i64)
				.fetch_optional(&self.pool)
				.await?;
		let Some(row) = row else { return Ok(None) };
		let mut out = certificate_json(&row)?;
		let history = sqlx::query(
			"SELECT h.block, h.idx, h.event, e.fields, b.timestamp_ms FROM certificate_history h \
			 JOIN events e ON e.block = h.block AND e.idx = h.idx \
			 JOIN blocks b ON b.number = h.block WHERE h.id = $1 ORDER BY h.block, h.idx",
		)
		.bind(id as i64)
		.fetch_all(&self.pool)
		.await?;
		out["history"] = history.iter().map(event_json).collect::<Result<Vec<_>, _>>()?.into();
		Ok(Some(out))
	}

	/// Every certificate under `root` (the root first, then by id): the
	/// lineage tree, each with its parent.
	pub async fn lineage(&self, root: u64, page: Page) -> Result<Vec<Json>, Error> {
		let rows = sqlx::query(&format!(
			"SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE root = $1 ORDER BY id \
			 LIMIT $2 OFFSET $3"
		))
		.bind(root as i64)
		.bind(page.limit as i64)
		.bind(page.offset as i64)
		.fetch_all(&self.pool)
		.await?;
		rows.iter().map(certificate_json).collect()
	}

	/// What `holder` holds, by due date.
	pub async fn holdings(
		&self,
		holder: &str,
		filter: Option<Holding>,
		page: Page,
	) -> Result<Vec<Json>, Error> {
		let statuses = filter.map_or(&OUTSTANDING[..], |f| f.statuses());
		let rows = sqlx::query(&format!(
			"SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE holder = $1 AND status IN ({}) \
			 ORDER BY due, id LIMIT $2 OFFSET $3",
			list(statuses)
		))
		.bind(account(holder)?)
		.bind(page.limit as i64)
		.bind(page.offset as i64)
		.fetch_all(&self.pool)
		.await?;
		rows.iter().map(certificate_json).collect()
	}

	/// Financing requests of a certificate, or of an account (as holder or
	/// financier), newest first, each with its events.
	pub async fn financing(&self, of: FinancingOf<'_>, page: Page) -> Result<Vec<Json>, Error> {
		let (filter, value): (&str, Option<String>) = match of {
			FinancingOf::Certificate(id) => ("certificate = $1", Some(id.to_string())),
			FinancingOf::Account(who) => ("(holder = $1 OR financier = $1)", Some(account(who)?)),
		};
		let query = format!(
			"SELECT request, certificate, holder, financier, kind, amount, state, record, block \
			 FROM financing_requests WHERE {filter} ORDER BY request DESC LIMIT $2 OFFSET $3"
		);
		let q = sqlx::query(&query);
		let q = match of {
			FinancingOf::Certificate(id) => q.bind(id as i64),
			FinancingOf::Account(_) => q.bind(value.clone()),
		};
		let rows = q.bind(page.limit as i64).bind(page.offset as i64).fetch_all(&self.pool).await?;
		let mut out = Vec::new();
		for r in rows {
			let request: i64 = r.try_get("request")?;
			let history = sqlx::query(
				"SELECT h.block, h.idx, h.event, e.fields, b.timestamp_ms FROM financing_history h \
				 JOIN events e ON e.block = h.block AND e.idx = h.idx \
				 JOIN blocks b ON b.number = h.block WHERE h.request = $1 ORDER BY h.block, h.idx",
			)
			.bind(request)
			.fetch_all(&self.pool)
			.await?;
			let record: String = r.try_get("record")?;
			out.push(json!({
				"request": request,
				"certificate": r.try_get::<i64, _>("certificate")?,
				"holder": r.try_get::<String, _>("holder")?,
				"financier": r.try_get::<String, _>("financier")?,
				"kind": r.try_get::<String, _>("kind")?,
				"amount": r.try_get::<String, _>("amount")?,
				"state": r.try_get::<String, _>("state")?,
				"record": serde_json::from_str::<Json>(&record).unwrap_or(Json::Null),
				"updatedBlock": r.try_get::<i64, _>("block")?,
				"history": history.iter().map(event_json).collect::<Result<Vec<_>, _>>()?,
			}));
		}
		Ok(out)
	}

	/// Sum of certificate amounts matching `condition` (SQL over the
	/// `certificates` table), bound to `arg`, grouped by `group` (a column).
	async fn sums(
		&self,
		condition: &str,
		arg: &str,
		group: &str,
	) -> Result<Vec<(Json, u128)>, Error> {
		let rows = sqlx::query(&format!(
			"SELECT {group} AS g, CAST(SUM(amount_0) AS BIGINT) AS s0, \
			 CAST(SUM(amount_1) AS BIGINT) AS s1, CAST(SUM(amount_2) AS BIGINT) AS s2, \
			 CAST(SUM(amount_3) AS BIGINT) AS s3, COUNT(*) AS n FROM certificates \
			 WHERE {condition} GROUP BY {group} ORDER BY {group}"
		))
		.bind(arg.to_string())
		.fetch_all(&self.pool)
		.await?;
		rows.iter()
			.map(|r| {
				let key = match r.try_get::<i64, _>("g") {
					Ok(n) => json!(n),
					Err(_) => json!(r.try_get::<String, _>("g")?),
				};
				let sums = ["s0", "s1", "s2", "s3"].map(|c| r.try_get::<Option<i64>, _>(c));
				let [a, b, c, d] = sums;
				Ok((key, combine([a?, b?, c?, d?])?))
			})
			.collect()
	}

	/// A core enterprise's exposure: what it still owes, by tier and by
	/// status, and how much of that banks financed or is overdue; its
	/// credit lines with their use.
	pub async fn core_exposure(&self, core: &str) -> Result<Json, Error> {
		let core = account(core)?;
		let outstanding = format!("issuer = $1 AND status IN ({})", list(&OUTSTANDING));
		let by_tier = self.sums(&outstanding, &core, "tier").await?;
		let by_status = self.sums(&outstanding, &core, "status").await?;
		let total: u128 = by_tier.iter().map(|(_, a)| a).sum();
		let financed: u128 = by_status
			.iter()
			.filter(|(s, _)| ["factored", "pledged"].contains(&s.as_str().unwrap_or("")))
			.map(|(_, a)| a)
			.sum();
		let overdue: u128 = by_status.iter().filter(|(s, _)| s == "overdue").map(|(_, a)| a).sum();
		let lines = sqlx::query(
			"SELECT financier, lim, used, expires_at FROM credit_lines WHERE core = $1 ORDER BY financier",
		)
		.bind(&core)
		.fetch_all(&self.pool)
		.await?;
		let lines = lines
			.iter()
			.map(|r| {
				Ok(json!({
					"financier": r.try_get::<String, _>("financier")?,
					"limit": r.try_get::<String, _>("lim")?,
					"used": r.try_get::<String, _>("used")?,
					"expiresAt": r.try_get::<i64, _>("expires_at")?,
				}))
			})
			.collect::<Result<Vec<_>, Error>>()?;
		Ok(json!({
			"core": core,
			"outstanding": total.to_string(),
			"financed": financed.to_string(),
			"overdue": overdue.to_string(),
			"byTier": by_tier.iter().map(|(t, a)| json!({ "tier": t, "amount": a.to_string() })).collect::<Vec<_>>(),
			"byStatus": by_status.iter().map(|(s, a)| json!({ "status": s, "amount": a.to_string() })).collect::<Vec<_>>(),
			"creditLines": lines,
		}))
	}

	/// A financier's exposure: the certificates factored to it, pledged to
	/// it or reserved for it, by status and by core enterprise.
	pub async fn financier_exposure(&self, financier: &str) -> Result<Json, Error> {
		let financier = account(financier)?;
		let condition = format!("financier = $1 AND status IN ({})", list(&OUTSTANDING));
		let by_status = self.sums(&condition, &financier, "status").await?;
		let by_core = self.sums(&condition, &financier, "issuer").await?;
		let total: u128 = by_status.iter().map(|(_, a)| a).sum();
		Ok(json!({
			"financier": financier,
			"total": total.to_string(),
			"byStatus": by_status.iter().map(|(s, a)| json!({ "status": s, "amount": a.to_string() })).collect::<Vec<_>>(),
			"byCore": by_core.iter().map(|(c, a)| json!({ "core": c, "amount": a.to_string() })).collect::<Vec<_>>(),
		}))
	}

	/// Overdue certificates, oldest due date first.
	pub async fn overdue(&self, page: Page) -> Result<Vec<Json>, Error> {
		let rows = sqlx::query(&format!(
			"SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE status = 'overdue' \
			 ORDER BY due, id LIMIT $1 OFFSET $2"
		))
		.bind(page.limit as i64)
		.bind(page.offset as i64)
		.fetch_all(&self.pool)
		.await?;
		rows.iter().map(certificate_json).collect()
	}

	/// Overdue certificates `who` holds, issued or finances, oldest due
	/// date first.
	pub async fn overdue_of(&self, who: &str, page: Page) -> Result<Vec<Json>, Error> {
		let rows = sqlx::query(&format!(
			"SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE status = 'overdue' \
			 AND (holder = $1 OR issuer = $1 OR financier = $1) ORDER BY due, id LIMIT $2 OFFSET $3"
		))
		.bind(account(who)?)
		.bind(page.limit as i64)
		.bind(page.offset as i64)
		.fetch_all(&self.pool)
		.await?;
		rows.iter().map(certificate_json).collect()
	}

	/// The participant directory, by account.
	pub async fn participants(&self, page: Page) -> Result<Vec<Json>, Error> {
		let rows =
			sqlx::query(&format!("{PARTICIPANT_COLUMNS} ORDER BY account LIMIT $1 OFFSET $2"))
				.bind(page.limit as i64)
				.bind(page.offset as i64)
				.fetch_all(&self.pool)
				.await?;
		rows.iter().map(participant_json).collect()
	}

	/// One participant of the directory (SS58 or hex account), if known.
	pub async fn participant(&self, who: &str) -> Result<Option<Json>, Error> {
		let row = sqlx::query(&format!("{PARTICIPANT_COLUMNS} WHERE account = $1"))
			.bind(account(who)?)
			.fetch_optional(&self.pool)
			.await?;
		row.as_ref().map(participant_json).transpose()
	}

	/// The events naming `who`, newest first.
	pub async fn activity(&self, who: &str, page: Page) -> Result<Vec<Json>, Error> {
		let rows = sqlx::query(
			"SELECT a.block, a.idx, e.pallet || '.' || e.name AS event, e.fields, b.timestamp_ms \
			 FROM event_accounts a JOIN events e ON e.block = a.block AND e.idx = a.idx \
			 JOIN blocks b ON b.number = a.block WHERE a.account = $1 \
			 ORDER BY a.block DESC, a.idx DESC LIMIT $2 OFFSET $3",
		)
		.bind(account(who)?)
		.bind(page.limit as i64)
		.bind(page.offset as i64)
		.fetch_all(&self.pool)
		.await?;
		rows.iter().map(event_json).collect()
	}

	/// The events naming `who` after event `idx` of block `block`, oldest
	/// first: for following an account (the bridge's `scf_subscribeEvents`).
	pub async fn activity_after(
		&self,
		who: &str,
		block: u64,
		idx: u64,
		limit: u64,
	) -> Result<Vec<Json>, Error> {
		let rows = sqlx::query(
			"SELECT a.block, a.idx, e.pallet || '.' || e.name AS event, e.fields, b.timestamp_ms \
			 FROM event_accounts a JOIN events e ON e.block = a.block AND e.idx = a.idx \
			 JOIN blocks b ON b.number = a.block \
			 WHERE a.account = $1 AND (a.block > $2 OR (a.block = $2 AND a.idx > $3)) \
			 ORDER BY a.block, a.idx LIMIT $4",
		)
		.bind(account(who)?)
		.bind(block as i64)
		.bind(idx as i64)
		.bind(limit.min(Page::MAX) as i64)
		.fetch_all(&self.pool)
		.await?;
		rows.iter().map(event_json).collect()
	}

	/// Where the indexer stands: the cursor and the time of its block.
	pub async fn status(&self) -> Result<Json, Error> {
		let row = sqlx::query(
			"SELECT c.number, c.hash, c.spec_version, b.timestamp_ms FROM cursor c \
			 JOIN blocks b ON b.number = c.number WHERE c.id = 0",
		)
		.fetch_optional(&self.pool)
		.await?;
		Ok(match row {
			None => json!({ "indexed": null }),
			Some(r) => json!({
				"indexed": r.try_get::<i64, _>(0)?,
				"hash": r.try_get::<String, _>(1)?,
				"specVersion": r.try_get::<i64, _>(2)?,
				"timestamp": r.try_get::<i64, _>(3)?,
			}),
		})
	}

	/// An indexed block.
	pub async fn block(&self, number: u64) -> Result<Option<Json>, Error> {
		let row = sqlx::query(
			"SELECT number, hash, spec_version, timestamp_ms, events FROM blocks WHERE number = $1",
		)
		.bind(number as i64)
		.fetch_optional(&self.pool)
		.await?;
		row.map(|r| {
			Ok(json!({
				"number": r.try_get::<i64, _>(0)?,
				"hash": r.try_get::<String, _>(1)?,
				"specVersion": r.try_get::<i64, _>(2)?,
				"timestamp": r.try_get::<i64, _>(3)?,
				"events": r.try_get::<i64, _>(4)?,
			}))
		})
		.transpose()
	}

	/// The events of an indexed block, in order.
	pub async fn events_of(&self, block: u64) -> Result<Vec<Json>, Error> {
		let rows = sqlx::query(
			"SELECT e.block, e.idx, e.pallet || '.' || e.name AS event, e.fields, b.timestamp_ms \
			 FROM events e JOIN blocks b ON b.number = e.block WHERE e.block = $1 ORDER BY e.idx",
		)
		.bind(block as i64)
		.fetch_all(&self.pool)
		.await?;
		rows.iter().map(event_json).collect()
	}

	/// Row counts of every table (for tests and operators).
	pub async fn counts(&self) -> Result<Json, Error> {
		let mut out = serde_json::Map::new();
		for table in crate::store::TABLES {
			let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {table}"))
				.fetch_one(&self.pool)
				.await?
				.try_get(0)?;
			out.insert(table.into(), json!(n));
		}
		Ok(Json::Object(out))
	}
}

/// Whose financing history.
#[derive(Clone, Copy, Debug)]
pub enum FinancingOf<'a> {
	Certificate(u64),
	Account(&'a str),
}

fn event_json(r: &AnyRow) -> Result<Json, Error> {
	let fields: String = r.try_get("fields")?;
	Ok(json!({
		"block": r.try_get::<i64, _>("block")?,
		"index": r.try_get::<i64, _>("idx")?,
		"event": r.try_get::<String, _>("event")?,
		"timestamp": r.try_get::<i64, _>("timestamp_ms")?,
		"fields": serde_json::from_str::<Json>(&fields).unwrap_or(Json::Null),
	}))
}
