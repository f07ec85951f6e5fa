//! The SQL store: SQLite (a file path, the default) or PostgreSQL (a
//! `postgres://` URL), through sqlx's `Any` driver with the same SQL on
//! both. One block's rows and the cursor are written in one transaction, so
//! a crash at any moment leaves the database at a block boundary.

use crate::{amount::limbs, sql, Error};
use sqlx::{AnyPool, Row};

/// The schema version this indexer writes (the migrations under
/// `migrations/`, applied in order).
pub const SCHEMA_VERSION: i64 = 1;

const MIGRATIONS: [&str; 1] = [include_str!("../migrations/0001_init.sql")];

/// Every table the indexer writes (all but `schema_version`).
pub(crate) const TABLES: [&str; 10] = [
	"cursor",
	"blocks",
	"events",
	"event_accounts",
	"participants",
	"credit_lines",
	"certificates",
	"certificate_history",
	"financing_requests",
	"financing_history",
];

pub use crate::sql::Engine;

/// The database the indexer writes and the queries read.
#[derive(Clone)]
pub struct Store {
	pub(crate) pool: AnyPool,
	pub engine: Engine,
}

/// Where the indexer stands: the last block it indexed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cursor {
	pub number: u64,
	pub hash: String,
	pub spec_version: u32,
}

/// An amount as its columns: the decimal string and the four limbs.
pub(crate) fn amount_cols(a: u128) -> (String, [i64; 4]) {
	(a.to_string(), limbs(a))
}

impl Store {
	/// Opens (creating if needed) the database at `location`: a
	/// `postgres://` or `postgresql://` URL, an `sqlite:` URL, or a file path
	/// for SQLite. Applies the migrations it lacks; refuses a schema newer
	/// than this indexer's.
	pub async fn open(location: &str) -> Result<Store, Error> {
		Self::open_with(location, false).await
	}

	/// As [`Store::open`]; with `create`, a PostgreSQL database that does
	/// not exist yet is created first (through the server's `postgres`
	/// maintenance database; the URL's user needs `CREATEDB`). Without it, a
	/// missing database is [`Error::NoDatabase`].
	pub async fn open_with(location: &str, create: bool) -> Result<Store, Error> {
		let (pool, engine) = sql::connect(location, sql::Access::ReadWrite, create).await?;
		sql::migrate(&pool, engine, &MIGRATIONS).await?;
		Ok(Store { pool, engine })
	}

	/// Opens an indexer's database for reading only (the web bridge does):
	/// SQLite in read-only mode, no migrations. Refuses a database of
	/// another schema version than this library's.
	pub async fn open_read_only(location: &str) -> Result<Store, Error> {
		let (pool, engine) = sql::connect(location, sql::Access::ReadOnly, false).await?;
		let found = sql::schema_version(&pool, engine).await?;
		if found != SCHEMA_VERSION {
			return Err(Error::Database(format!(
				"{location} holds indexer schema version {found}, this program reads version \
				 {SCHEMA_VERSION}: start the matching scf-indexer on it first"
			)));
		}
		Ok(Store { pool, engine })
	}

	/// Deletes everything indexed (for `--from-scratch`); the schema stays.
	pub async fn clear(&self) -> Result<(), Error> {
		let mut tx = self.pool.begin().await?;
		for table in TABLES {
			sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
		}
		tx.commit().await?;
		Ok(())
	}

	/// The last indexed block, if any.
	pub async fn cursor(&self) -> Result<Option<Cursor>, Error> {
		let row = sqlx::query("SELECT number, hash, spec_version FROM cursor WHERE id = 0")
			.fetch_optional(&self.pool)
			.await?;
		row.map(|r| {
			Ok(Cursor {
				number: r.try_get::<i64, _>(0)? as u64,
				hash: r.try_get(1)?,
				spec_version: r.try_get::<i64, _>(2)? as u32,
			})
		})
		.transpose()
		.map_err(|e: sqlx::Error| e.into())
	}

	/// The hash of the indexed genesis block, if any.
	pub async fn genesis_hash(&self) -> Result<Option<String>, Error> {
		let row = sqlx::query("SELECT hash FROM blocks WHERE number = 0")
			.fetch_optional(&self.pool)
			.await?;
		Ok(row.map(|r| r.try_get(0)).transpose()?)
	}

	/// Writes one block's rows and moves the cursor to it, in one
	/// transaction. `block.number` must be the cursor's next block.
	pub async fn write_block(&self, block: &crate::project::BlockRows) -> Result<(), Error> {
		let mut tx = self.pool.begin().await?;
		let n = block.number as i64;
		sqlx::query(
			"INSERT INTO blocks (number, hash, spec_version, timestamp_ms, events) \
			 VALUES ($1, $2, $3, $4, $5)",
		)
		.bind(n)
		.bind(&block.hash)
		.bind(block.spec_version as i64)
		.bind(block.timestamp_ms as i64)
		.bind(block.events.len() as i64)
		.execute(&mut *tx)
		.await?;
		for e in &block.events {
			sqlx::query(
				"INSERT INTO events (block, idx, extrinsic, pallet, name, bytes, fields) \
				 VALUES ($1, $2, $3, $4, $5, $6, $7)",
			)
			.bind(n)
			.bind(e.idx as i64)
			.bind(e.extrinsic.map(|x| x as i64))
			.bind(&e.pallet)
			.bind(&e.name)
			.bind(e.bytes.clone())
			.bind(e.fields.to_string())
			.execute(&mut *tx)
			.await?;
			for account in &e.accounts {
				sqlx::query(
					"INSERT INTO event_accounts (account, block, idx) VALUES ($1, $2, $3) \
					 ON CONFLICT (account, block, idx) DO NOTHING",
				)
				.bind(account)
				.bind(n)
				.bind(e.idx as i64)
				.execute(&mut *tx)
				.await?;
			}
			for id in &e.certificates {
				sqlx::query(
					"INSERT INTO certificate_history (id, block, idx, event) VALUES ($1, $2, $3, $4) \
					 ON CONFLICT (id, block, idx) DO NOTHING",
				)
				.bind(*id as i64)
				.bind(n)
				.bind(e.idx as i64)
				.bind(&e.name)
				.execute(&mut *tx)
				.await?;
			}
			if let Some(request) = e.request {
				sqlx::query(
					"INSERT INTO financing_history (request, block, idx, event) VALUES ($1, $2, $3, $4)",
				)
				.bind(request as i64)
				.bind(n)
				.bind(e.idx as i64)
				.bind(&e.name)
				.execute(&mut *tx)
				.await?;
			}
		}
		for p in &block.participants {
			sqlx::query(
				"INSERT INTO participants (account, name, uscc, roles, suspended, record, block) \
				 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account) DO UPDATE SET \
				 name = excluded.name, uscc = excluded.uscc, roles = excluded.roles, \
				 suspended = excluded.suspended, record = excluded.record, block = excluded.block",
			)
			.bind(&p.account)
			.bind(&p.name)
			.bind(&p.uscc)
			.bind(&p.roles)
			.bind(p.suspended as i64)
			.bind(p.record.to_string())
			.bind(n)
			.execute(&mut *tx)
			.await?;
		}
		for (core, lines) in &block.lines {
			sqlx::query("DELETE FROM credit_lines WHERE core = $1")
				.bind(core)
				.execute(&mut *tx)
				.await?;
			for l in lines {
				let (used, u) = amount_cols(l.used);
				sqlx::query(
					"INSERT INTO credit_lines (financier, core, lim, used, used_0, used_1, used_2, \
					 used_3, expires_at, record, block) \
					 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
				)
				.bind(&l.financier)
				.bind(core)
				.bind(l.limit.to_string())
				.bind(used)
				.bind(u[0])
				.bind(u[1])
				.bind(u[2])
				.bind(u[3])
				.bind(l.expires_at as i64)
				.bind(l.record.to_string())
				.bind(n)
				.execute(&mut *tx)
				.await?;
			}
		}
		for c in &block.certificates {
			let (amount, a) = amount_cols(c.amount);
			sqlx::query(
				"INSERT INTO certificates (id, root, parent, tier, issuer, holder, amount, amount_0, \
				 amount_1, amount_2, amount_3, due, status, financier, record, created_block, block) \
				 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
				 ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, tier = excluded.tier, \
				 status = excluded.status, financier = excluded.financier, \
				 record = excluded.record, block = excluded.block",
			)
			.bind(c.id as i64)
			.bind(c.root as i64)
			.bind(c.parent.map(|p| p as i64))
			.bind(c.tier as i64)
			.bind(&c.issuer)
			.bind(&c.holder)
			.bind(amount)
			.bind(a[0])
			.bind(a[1])
			.bind(a[2])
			.bind(a[3])
			.bind(c.due as i64)
			.bind(&c.status)
			.bind(c.financier.clone())
			.bind(c.record.to_string())
			.bind(n)
			.bind(n)
			.execute(&mut *tx)
			.await?;
		}
		for r in &block.requests {
			sqlx::query(
				"INSERT INTO financing_requests (request, certificate, holder, financier, kind, \
				 amount, state, record, block) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
				 ON CONFLICT (request) DO UPDATE SET state = excluded.state, \
				 record = excluded.record, block = excluded.block",
			)
			.bind(r.request as i64)
			.bind(r.certificate as i64)
			.bind(&r.holder)
			.bind(&r.financier)
			.bind(&r.kind)
			.bind(r.amount.to_string())
			.bind(&r.state)
			.bind(r.record.to_string())
			.bind(n)
			.execute(&mut *tx)
			.await?;
		}
		sqlx::query(
			"INSERT INTO cursor (id, number, hash, spec_version) VALUES (0, $1, $2, $3) \
			 ON CONFLICT (id) DO UPDATE SET number = excluded.number, hash = excluded.hash, \
			 spec_version = excluded.spec_version",
		)
		.bind(n)
		.bind(&block.hash)
		.bind(block.spec_version as i64)
		.execute(&mut *tx)
		.await?;
		tx.commit().await?;
		Ok(())
	}
}

impl Store {
	/// Spec versions of the last two indexed blocks, newest first.
	pub async fn last_specs(&self) -> Result<(Option<u32>, Option<u32>), Error> {
		let rows = sqlx::query("SELECT spec_version FROM blocks ORDER BY number DESC LIMIT 2")
			.fetch_all(&self.pool)
			.await?;
		let spec = |i: usize| -> Result<Option<u32>, Error> {
			Ok(rows.get(i).map(|r| r.try_get::<i64, _>(0)).transpose()?.map(|v| v as u32))
		};
		Ok((spec(0)?, spec(1)?))
	}

	/// The ids of the certificates indexed under `root`.
	pub async fn certificates_of_root(&self, root: u64) -> Result<Vec<u64>, Error> {
		let rows = sqlx::query("SELECT id FROM certificates WHERE root = $1")
			.bind(root as i64)
			.fetch_all(&self.pool)
			.await?;
		rows.iter().map(|r| Ok(r.try_get::<i64, _>(0)? as u64)).collect()
	}
}
