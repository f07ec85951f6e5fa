//! The bridge's own database: API keys, sealed custodial keys and the
//! idempotency records of writes. SQLite by default (a file path),
//! PostgreSQL by URL, through the indexer's SQL plumbing
//! (`scf_indexer::sql`).

use crate::Error;
use scf_indexer::sql::{self, Access};
use sqlx::{AnyPool, Row};

const MIGRATIONS: [&str; 3] = [
	include_str!("../migrations/0001_init.sql"),
	include_str!("../migrations/0002_prepares.sql"),
	include_str!("../migrations/0003_sessions.sql"),
];

/// The time now, in ms since the Unix epoch.
pub fn now_ms() -> i64 {
	scf_indexer::now_ms() as i64
}

#[derive(Clone)]
pub struct Store {
	pool: AnyPool,
}

/// An API key as stored (never the secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRow {
	pub id: String,
	pub digest: String,
	pub participant: String,
	pub label: String,
	pub created_ms: i64,
	pub expires_ms: Option<i64>,
	pub revoked_ms: Option<i64>,
}

/// The states of a write.
pub mod state {
	/// Signed and stored, not yet handed to the node.
	pub const SIGNED: &str = "signed";
	/// In the node's pool.
	pub const SUBMITTED: &str = "submitted";
	/// In a best block, not final yet.
	pub const IN_BLOCK: &str = "in_block";
	/// In a finalized block, successful: `outcome` is the answer.
	pub const FINALIZED: &str = "finalized";
	/// Refused by the ledger or never included: `outcome` is the error.
	pub const FAILED: &str = "failed";
}

/// One write's idempotency record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteRow {
	pub participant: String,
	pub key: String,
	pub digest: String,
	pub method: String,
	pub nonce: u64,
	pub extrinsic: Vec<u8>,
	pub hash: String,
	pub signed_at: u64,
	pub valid_until: u64,
	pub state: String,
	pub outcome: Option<String>,
}

/// A prepared transaction, waiting for the client's signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrepareRow {
	pub id: String,
	pub participant: String,
	pub key: String,
	pub digest: String,
	pub method: String,
	/// The request's parameters, JSON text.
	pub params: String,
	pub nonce: u64,
	pub birth_number: u64,
	pub birth_hash: String,
	pub submitted: bool,
}

impl WriteRow {
	pub fn is_final(&self) -> bool {
		self.state == state::FINALIZED || self.state == state::FAILED
	}
}

impl Store {
	/// Opens (creating if needed) the bridge's database at `location`.
	pub async fn open(location: &str) -> Result<Store, Error> {
		let (pool, engine) = sql::connect(location, Access::ReadWrite, true).await?;
		sql::migrate(&pool, engine, &MIGRATIONS).await?;
		Ok(Store { pool })
	}

	pub async fn add_key(&self, key: &KeyRow) -> Result<(), Error> {
		sqlx::query(
			"INSERT INTO api_keys (id, digest, participant, label, created_ms, expires_ms, \
			 revoked_ms) VALUES ($1, $2, $3, $4, $5, $6, NULL)",
		)
		.bind(&key.id)
		.bind(&key.digest)
		.bind(&key.participant)
		.bind(&key.label)
		.bind(key.created_ms)
		.bind(key.expires_ms)
		.execute(&self.pool)
		.await?;
		Ok(())
	}

	/// Revokes key `id`; false if there is no such key.
	pub async fn revoke_key(&self, id: &str) -> Result<bool, Error> {
		let done =
			sqlx::query("UPDATE api_keys SET revoked_ms = $1 WHERE id = $2 AND revoked_ms IS NULL")
				.bind(now_ms())
				.bind(id)
				.execute(&self.pool)
				.await?;
		if done.rows_affected() > 0 {
			return Ok(true);
		}
		Ok(self.key(id).await?.is_some())
	}

	pub async fn key(&self, id: &str) -> Result<Option<KeyRow>, Error> {
		let row = sqlx::query(&format!("{KEY_COLUMNS} WHERE id = $1"))
			.bind(id)
			.fetch_optional(&self.pool)
			.await?;
		row.as_ref().map(key_row).transpose()
	}

	pub async fn keys(&self) -> Result<Vec<KeyRow>, Error> {
		let rows = sqlx::query(&format!("{KEY_COLUMNS} ORDER BY created_ms, id"))
			.fetch_all(&self.pool)
			.await?;
		rows.iter().map(key_row).collect()
	}

	/// Opens a wallet session for `participant` under the SM3 `digest` of
	/// its cookie secret, until `expires_ms`; also drops expired sessions.
	pub async fn add_session(
		&self,
		digest: &str,
		participant: &str,
		expires_ms: i64,
	) -> Result<(), Error> {
		let now = now_ms();
		let mut tx = self.pool.begin().await?;
		sqlx::query("DELETE FROM sessions WHERE expires_ms <= $1")
			.bind(now)
			.execute(&mut *tx)
			.await?;
		sqlx::query(
			"INSERT INTO sessions (digest, participant, created_ms, expires_ms) VALUES ($1, $2, \
			 $3, $4)",
		)
		.bind(digest)
		.bind(participant)
		.bind(now)
		.bind(expires_ms)
		.execute(&mut *tx)
		.await?;
		tx.commit().await?;
		Ok(())
	}

	/// The participant and expiry of the live session with `digest`.
	pub async fn session(&self, digest: &str) -> Result<Option<(String, i64)>, Error> {
		let row = sqlx::query(
			"SELECT participant, expires_ms FROM sessions WHERE digest = $1 AND expires_ms > $2",
		)
		.bind(digest)
		.bind(now_ms())
		.fetch_optional(&self.pool)
		.await?;
		row.map(|r| Ok((r.try_get("participant")?, r.try_get("expires_ms")?))).transpose()
	}

	/// Ends the session with `digest` (a logout); false if there was none.
	pub async fn end_session(&self, digest: &str) -> Result<bool, Error> {
		let done = sqlx::query("DELETE FROM sessions WHERE digest = $1")
			.bind(digest)
			.execute(&self.pool)
			.await?;
		Ok(done.rows_affected() > 0)
	}

	/// Stores (or replaces) the sealed custodial key of `participant`.
	pub async fn put_custody(&self, participant: &str, sealed: &[u8]) -> Result<(), Error> {
		let mut tx = self.pool.begin().await?;
		sqlx::query("DELETE FROM custody WHERE participant = $1")
			.bind(participant)
			.execute(&mut *tx)
			.await?;
		sqlx::query("INSERT INTO custody (participant, sealed, created_ms) VALUES ($1, $2, $3)")
			.bind(participant)
			.bind(sealed.to_vec())
			.bind(now_ms())
			.execute(&mut *tx)
			.await?;
		tx.commit().await?;
		Ok(())
	}

	pub async fn custody(&self, participant: &str) -> Result<Option<Vec<u8>>, Error> {
		let row = sqlx::query("SELECT sealed FROM custody WHERE participant = $1")
			.bind(participant)
			.fetch_optional(&self.pool)
			.await?;
		Ok(row.map(|r| r.try_get::<Vec<u8>, _>(0)).transpose()?)
	}

	/// The participants whose keys the bridge holds.
	pub async fn custodied(&self) -> Result<Vec<String>, Error> {
		let rows = sqlx::query("SELECT participant FROM custody ORDER BY participant")
			.fetch_all(&self.pool)
			.await?;
		rows.iter().map(|r| Ok(r.try_get::<String, _>(0)?)).collect()
	}

	/// The write of `participant` under idempotency key `key`.
	pub async fn write(&self, participant: &str, key: &str) -> Result<Option<WriteRow>, Error> {
		let row = sqlx::query(&format!("{WRITE_COLUMNS} WHERE participant = $1 AND idem_key = $2"))
			.bind(participant)
			.bind(key)
			.fetch_optional(&self.pool)
			.await?;
		row.as_ref().map(write_row).transpose()
	}

	/// Writes not final yet (to resolve after a restart).
	pub async fn open_writes(&self) -> Result<Vec<WriteRow>, Error> {
		let rows = sqlx::query(&format!(
			"{WRITE_COLUMNS} WHERE state IN ('signed', 'submitted', 'in_block') ORDER BY created_ms"
		))
		.fetch_all(&self.pool)
		.await?;
		rows.iter().map(write_row).collect()
	}

	/// Records a signed write before its first submission, in one
	/// transaction. False if the key is already taken (another request or
	/// another bridge got there first): read that record instead.
	pub async fn insert_write(&self, w: &WriteRow) -> Result<bool, Error> {
		let now = now_ms();
		let mut tx = self.pool.begin().await?;
		let taken = sqlx::query("SELECT 1 FROM writes WHERE participant = $1 AND idem_key = $2")
			.bind(&w.participant)
			.bind(&w.key)
			.fetch_optional(&mut *tx)
			.await?
			.is_some();
		if taken {
			return Ok(false);
		}
		let inserted = sqlx::query(
			"INSERT INTO writes (participant, idem_key, digest, method, nonce, extrinsic, hash, \
			 signed_at, valid_until, state, outcome, created_ms, updated_ms) \
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, $11, $11)",
		)
		.bind(&w.participant)
		.bind(&w.key)
		.bind(&w.digest)
		.bind(&w.method)
		.bind(w.nonce as i64)
		.bind(w.extrinsic.clone())
		.bind(&w.hash)
		.bind(w.signed_at as i64)
		.bind(w.valid_until as i64)
		.bind(&w.state)
		.bind(now)
		.execute(&mut *tx)
		.await;
		match inserted {
			Ok(_) => {
				tx.commit().await?;
				Ok(true)
			},
			// A concurrent insert of the same key won the primary key.
			Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
			Err(e) => Err(e.into()),
		}
	}

	/// Moves a write to `state`, with its outcome when final.
	pub async fn set_write_state(
		&self,
		participant: &str,
		key: &str,
		state: &str,
		outcome: Option<&str>,
	) -> Result<(), Error> {
		sqlx::query(
			"UPDATE writes SET state = $1, outcome = $2, updated_ms = $3 \
			 WHERE participant = $4 AND idem_key = $5",
		)
		.bind(state)
		.bind(outcome)
		.bind(now_ms())
		.bind(participant)
		.bind(key)
		.execute(&self.pool)
		.await?;
		Ok(())
	}
}

impl Store {
	pub async fn insert_prepare(&self, p: &PrepareRow) -> Result<(), Error> {
		sqlx::query(
			"INSERT INTO prepares (id, participant, idem_key, digest, method, params, nonce, \
			 birth_number, birth_hash, created_ms, submitted) \
			 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0)",
		)
		.bind(&p.id)
		.bind(&p.participant)
		.bind(&p.key)
		.bind(&p.digest)
		.bind(&p.method)
		.bind(&p.params)
		.bind(p.nonce as i64)
		.bind(p.birth_number as i64)
		.bind(&p.birth_hash)
		.bind(now_ms())
		.execute(&self.pool)
		.await?;
		Ok(())
	}

	pub async fn prepare(&self, id: &str) -> Result<Option<PrepareRow>, Error> {
		let row = sqlx::query(&format!("{PREPARE_COLUMNS} WHERE id = $1"))
			.bind(id)
			.fetch_optional(&self.pool)
			.await?;
		row.as_ref().map(prepare_row).transpose()
	}

	/// The prepares of `participant` not submitted yet (their nonces are
	/// held until their era ends).
	pub async fn open_prepares(&self, participant: &str) -> Result<Vec<PrepareRow>, Error> {
		let rows = sqlx::query(&format!(
			"{PREPARE_COLUMNS} WHERE participant = $1 AND submitted = 0 ORDER BY nonce"
		))
		.bind(participant)
		.fetch_all(&self.pool)
		.await?;
		rows.iter().map(prepare_row).collect()
	}

	pub async fn mark_prepare_submitted(&self, id: &str) -> Result<(), Error> {
		sqlx::query("UPDATE prepares SET submitted = 1 WHERE id = $1")
			.bind(id)
			.execute(&self.pool)
			.await?;
		Ok(())
	}
}

const PREPARE_COLUMNS: &str = "SELECT id, participant, idem_key, digest, method, params, nonce, \
	 birth_number, birth_hash, submitted FROM prepares";

fn prepare_row(r: &sqlx::any::AnyRow) -> Result<PrepareRow, Error> {
	Ok(PrepareRow {
		id: r.try_get("id")?,
		participant: r.try_get("participant")?,
		key: r.try_get("idem_key")?,
		digest: r.try_get("digest")?,
		method: r.try_get("method")?,
		params: r.try_get("params")?,
		nonce: r.try_get::<i64, _>("nonce")? as u64,
		birth_number: r.try_get::<i64, _>("birth_number")? as u64,
		birth_hash: r.try_get("birth_hash")?,
		submitted: r.try_get::<i64, _>("submitted")? != 0,
	})
}

const KEY_COLUMNS: &str =
	"SELECT id, digest, participant, label, created_ms, expires_ms, revoked_ms FROM api_keys";

fn key_row(r: &sqlx::any::AnyRow) -> Result<KeyRow, Error> {
	Ok(KeyRow {
		id: r.try_get("id")?,
		digest: r.try_get("digest")?,
		participant: r.try_get("participant")?,
		label: r.try_get("label")?,
		created_ms: r.try_get("created_ms")?,
		expires_ms: r.try_get("expires_ms")?,
		revoked_ms: r.try_get("revoked_ms")?,
	})
}

const WRITE_COLUMNS: &str =
	"SELECT participant, idem_key, digest, method, nonce, extrinsic, hash, \
	 signed_at, valid_until, state, outcome FROM writes";

fn write_row(r: &sqlx::any::AnyRow) -> Result<WriteRow, Error> {
	Ok(WriteRow {
		participant: r.try_get("participant")?,
		key: r.try_get("idem_key")?,
		digest: r.try_get("digest")?,
		method: r.try_get("method")?,
		nonce: r.try_get::<i64, _>("nonce")? as u64,
		extrinsic: r.try_get("extrinsic")?,
		hash: r.try_get("hash")?,
		signed_at: r.try_get::<i64, _>("signed_at")? as u64,
		valid_until: r.try_get::<i64, _>("valid_until")? as u64,
		state: r.try_get("state")?,
		outcome: r.try_get("outcome")?,
	})
}
