//! The SQL plumbing the indexer's store and the web bridge's share:
//! connecting to SQLite (a file path) or PostgreSQL (a URL) through sqlx's
//! `Any` driver, and versioned migrations (SQL files with `{BYTES}` for the
//! engine's byte type, applied in order, recorded in `schema_version`).

use crate::Error;
use sqlx::{any::AnyPoolOptions, AnyPool, Row};

/// Which engine a database is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
	Sqlite,
	Postgres,
}

/// Whether the pool may write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
	ReadWrite,
	/// SQLite opened with `mode=ro` (another process writes it); on
	/// PostgreSQL the grant decides.
	ReadOnly,
}

/// Connects to `location`: a `postgres://` or `postgresql://` URL, an
/// `sqlite:` URL, or a file path for SQLite (created if missing when
/// writing). With `create`, a missing PostgreSQL database is created first;
/// without it, it is [`Error::NoDatabase`].
pub async fn connect(
	location: &str,
	access: Access,
	create: bool,
) -> Result<(AnyPool, Engine), Error> {
	match connect_once(location, access).await {
		Err(Error::NoDatabase { .. }) if create => {
			create_postgres_database(location).await?;
			connect_once(location, access).await
		},
		other => other,
	}
}

async fn connect_once(location: &str, access: Access) -> Result<(AnyPool, Engine), Error> {
	sqlx::any::install_default_drivers();
	let mode = match access {
		Access::ReadWrite => "rwc",
		Access::ReadOnly => "ro",
	};
	let (url, engine) =
		if location.starts_with("postgres://") || location.starts_with("postgresql://") {
			(location.to_string(), Engine::Postgres)
		} else if location.starts_with("sqlite:") {
			(location.to_string(), Engine::Sqlite)
		} else {
			if access == Access::ReadOnly && !std::path::Path::new(location).exists() {
				return Err(Error::Database(format!("{location}: no such database file")));
			}
			(format!("sqlite://{location}?mode={mode}"), Engine::Sqlite)
		};
	let connections = if engine == Engine::Sqlite { 4 } else { 8 };
	let pool = AnyPoolOptions::new()
		.max_connections(connections)
		.after_connect(move |conn, _| {
			Box::pin(async move {
				if engine == Engine::Sqlite {
					// Readers do not block the writer, nor it them; a writer
					// waits up to 5 s for another. A read-only connection
					// keeps the writer's journal mode.
					if access == Access::ReadWrite {
						sqlx::query("PRAGMA journal_mode = WAL").execute(&mut *conn).await?;
					}
					sqlx::query("PRAGMA busy_timeout = 5000").execute(&mut *conn).await?;
				}
				Ok(())
			})
		})
		.connect(&url)
		.await
		.map_err(|e| match &e {
			// SQLSTATE 3D000: invalid_catalog_name.
			sqlx::Error::Database(d) if d.code().as_deref() == Some("3D000") => {
				Error::NoDatabase { url: redact(location) }
			},
			_ => e.into(),
		})?;
	Ok((pool, engine))
}

/// The schema version recorded in the database (0: none yet).
pub async fn schema_version(pool: &AnyPool, engine: Engine) -> Result<i64, Error> {
	let exists = match engine {
		Engine::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_version'",
		Engine::Postgres => {
			"SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
		},
	};
	let n: i64 = sqlx::query(exists).fetch_one(pool).await?.try_get(0)?;
	if n == 0 {
		return Ok(0);
	}
	Ok(sqlx::query("SELECT COALESCE(MAX(version), 0) FROM schema_version")
		.fetch_one(pool)
		.await?
		.try_get(0)?)
}

/// Applies the `migrations` (version i + 1 is `migrations[i]`; the first
/// creates `schema_version (version BIGINT)`) the database lacks, each in one transaction; refuses a database whose
/// schema is newer than the last of them.
pub async fn migrate(pool: &AnyPool, engine: Engine, migrations: &[&str]) -> Result<(), Error> {
	let found = schema_version(pool, engine).await?;
	let supported = migrations.len() as i64;
	if found > supported {
		return Err(Error::SchemaTooNew { found, supported });
	}
	let bytes = match engine {
		Engine::Sqlite => "BLOB",
		Engine::Postgres => "BYTEA",
	};
	for (i, migration) in migrations.iter().enumerate().skip(found as usize) {
		let mut tx = pool.begin().await?;
		let sql = migration.replace("{BYTES}", bytes);
		for statement in statements(&sql) {
			sqlx::query(&statement).execute(&mut *tx).await?;
		}
		sqlx::query("DELETE FROM schema_version").execute(&mut *tx).await?;
		sqlx::query("INSERT INTO schema_version (version) VALUES ($1)")
			.bind(i as i64 + 1)
			.execute(&mut *tx)
			.await?;
		tx.commit().await?;
	}
	Ok(())
}

/// The statements of a migration file (`--` comments dropped).
fn statements(sql: &str) -> Vec<String> {
	let text: String =
		sql.lines().map(|l| l.split("--").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
	text.split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// A PostgreSQL URL split into the server part, the database name and the
/// query string: `postgres://u@h:5432/db?x=1` → (`postgres://u@h:5432`,
/// `db`, `?x=1`).
pub(crate) fn split_postgres_url(url: &str) -> Option<(&str, &str, &str)> {
	let (before_query, query) = match url.find('?') {
		Some(i) => url.split_at(i),
		None => (url, ""),
	};
	let authority = before_query.find("://")? + 3;
	let slash = authority + before_query[authority..].find('/')?;
	Some((&before_query[..slash], &before_query[slash + 1..], query))
}

/// The URL without its password, for messages.
pub(crate) fn redact(url: &str) -> String {
	match (url.find("://"), url.find('@')) {
		(Some(scheme), Some(at)) if at > scheme => {
			let userinfo = &url[scheme + 3..at];
			match userinfo.find(':') {
				Some(colon) => format!("{}:***{}", &url[..scheme + 3 + colon], &url[at..]),
				None => url.to_string(),
			}
		},
		_ => url.to_string(),
	}
}

/// Creates the database a `postgres://` URL names, connecting to the same
/// server's `postgres` database to do it.
async fn create_postgres_database(url: &str) -> Result<(), Error> {
	use sqlx::Connection;
	let bad = || Error::BadRequest(format!("{}: not a postgres://…/DATABASE URL", redact(url)));
	let (server, name, query) = split_postgres_url(url).ok_or_else(bad)?;
	if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
		return Err(Error::BadRequest(format!(
			"cannot create database {name:?}: use letters, digits and _ only"
		)));
	}
	let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres{query}")).await?;
	sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut admin).await?;
	eprintln!("created PostgreSQL database {name}");
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn postgres_urls_split_into_server_database_and_options() {
		assert_eq!(
			split_postgres_url("postgres://u:pw@h:5432/scf?sslmode=require"),
			Some(("postgres://u:pw@h:5432", "scf", "?sslmode=require"))
		);
		assert_eq!(split_postgres_url("postgres://h/db"), Some(("postgres://h", "db", "")));
		assert_eq!(split_postgres_url("postgres://h"), None);
		assert_eq!(redact("postgres://u:pw@h/db"), "postgres://u:***@h/db");
		assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
	}
}
