//! The store and the queries on a temporary SQLite database, with rows
//! made here (no chain): exactly-once writes, sums at `u128::MAX`, paging and
//! refusals.

use scf_indexer::{
	project::{BlockRows, CertificateRow, EventRow, LineRow},
	queries::{Holding, Page},
	Error, Store,
};
use serde_json::json;

fn temp_db(name: &str) -> String {
	let dir = std::env::temp_dir().join(format!("scf-indexer-test-{name}-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	dir.join("index.sqlite").display().to_string()
}

/// The databases a test runs on: a fresh SQLite file, and a fresh
/// PostgreSQL database when `SCF_TEST_POSTGRES` names a server (a URL such
/// as `postgres://postgres@127.0.0.1:5433`; `scripts/test.sh` starts a
/// throwaway one).
async fn databases(name: &str) -> Vec<String> {
	let mut out = vec![temp_db(name)];
	if let Ok(server) = std::env::var("SCF_TEST_POSTGRES") {
		use sqlx::Connection;
		sqlx::any::install_default_drivers();
		let db = format!("scf_test_{name}_{}", std::process::id()).replace('-', "_");
		let mut admin = sqlx::AnyConnection::connect(&format!("{server}/postgres"))
			.await
			.expect("the test PostgreSQL server answers");
		sqlx::query(&format!("DROP DATABASE IF EXISTS {db}")).execute(&mut admin).await.unwrap();
		sqlx::query(&format!("CREATE DATABASE {db}")).execute(&mut admin).await.unwrap();
		out.push(format!("{server}/{db}"));
	}
	out
}

const CORE: &str = "0x1111111111111111111111111111111111111111111111111111111111111111";
const BANK: &str = "0x2222222222222222222222222222222222222222222222222222222222222222";
const SUPPLIER: &str = "0x3333333333333333333333333333333333333333333333333333333333333333";

fn certificate(id: u64, root: u64, tier: u64, amount: u128, status: &str) -> CertificateRow {
	CertificateRow {
		id,
		root,
		parent: (id != root).then_some(root),
		tier,
		issuer: CORE.into(),
		holder: SUPPLIER.into(),
		amount,
		due: 1_000 + id,
		status: status.into(),
		financier: (status == "pledged").then(|| BANK.to_string()),
		record: json!({ "id": id }),
	}
}

fn block(number: u64, certificates: Vec<CertificateRow>) -> BlockRows {
	let events = certificates
		.iter()
		.enumerate()
		.map(|(i, c)| {
			EventRow::new(
				i as u32,
				Some(1),
				"Receivables",
				"Accepted",
				vec![1, 2, 3],
				json!({ "id": c.id, "root": c.root, "holder": SUPPLIER }),
			)
		})
		.collect();
	BlockRows {
		number,
		hash: format!("0x{number:064x}"),
		spec_version: 100,
		timestamp_ms: 6_000 * number,
		events,
		certificates,
		..Default::default()
	}
}

#[tokio::test]
async fn a_block_is_written_once_with_its_cursor() {
	for path in databases("once").await {
		let store = Store::open(&path).await.unwrap();
		assert_eq!(store.cursor().await.unwrap(), None);
		store.write_block(&block(0, vec![])).await.unwrap();
		store.write_block(&block(1, vec![certificate(1, 1, 1, 500, "active")])).await.unwrap();
		let cursor = store.cursor().await.unwrap().unwrap();
		assert_eq!((cursor.number, cursor.spec_version), (1, 100));

		// The same block again is refused, and nothing of it is written.
		let before = store.counts().await.unwrap();
		let again = block(1, vec![certificate(2, 2, 1, 7, "active")]);
		assert!(store.write_block(&again).await.is_err());
		assert_eq!(store.counts().await.unwrap(), before);
		assert!(store.certificate(2).await.unwrap().is_none());
		assert_eq!(store.cursor().await.unwrap().unwrap().number, 1);

		// Reopening keeps it all (the migrations are not run twice); the
		// history joins the event.
		drop(store);
		let store = Store::open(&path).await.unwrap();
		let c = store.certificate(1).await.unwrap().unwrap();
		assert_eq!(c["amount"], "500");
		assert_eq!(c["history"][0]["event"], "Accepted");
		assert_eq!(c["history"][0]["timestamp"], 6_000);
	}
}

#[tokio::test]
async fn exposure_sums_exactly_at_u128_max_and_over_many_rows() {
	for db in databases("sums").await {
		let store = Store::open(&db).await.unwrap();
		let half = u128::MAX / 2;
		let mut rows =
			vec![certificate(1, 1, 1, half, "active"), certificate(2, 1, 2, half + 1, "pledged")];
		// 300 tier-3 certificates of u64::MAX each: their limbs carry.
		rows.extend((0..300).map(|i| certificate(10 + i, 1, 3, u64::MAX as u128, "overdue")));
		store.write_block(&block(0, rows)).await.unwrap();

		let e = store.core_exposure(CORE).await.unwrap();
		let tier = |t: u64| {
			e["byTier"].as_array().unwrap().iter().find(|x| x["tier"] == t).unwrap()["amount"]
				.clone()
		};
		assert_eq!(tier(1), half.to_string());
		assert_eq!(tier(2), (half + 1).to_string());
		assert_eq!(tier(3), (300 * u64::MAX as u128).to_string());
		assert_eq!(e["financed"], (half + 1).to_string());
		assert_eq!(e["overdue"], (300 * u64::MAX as u128).to_string());
		let bank = store.financier_exposure(BANK).await.unwrap();
		assert_eq!(bank["total"], (half + 1).to_string());
	}
}

#[tokio::test]
async fn overdue_lists_of_one_account_are_paged_in_sql() {
	for db in databases("overdue").await {
		let store = Store::open(&db).await.unwrap();
		let mut rows: Vec<CertificateRow> =
			(1..=5).map(|id| certificate(id, 1, 2, 1_000, "overdue")).collect();
		rows[4].holder = BANK.into();
		rows.push(certificate(6, 1, 2, 1_000, "active"));
		store.write_block(&block(0, rows)).await.unwrap();
		let ids = |v: Vec<serde_json::Value>| -> Vec<u64> {
			v.iter().map(|c| c["id"].as_u64().unwrap()).collect()
		};
		let mine = store.overdue_of(SUPPLIER, Page::new(0, 3).unwrap()).await.unwrap();
		assert_eq!(ids(mine), [1, 2, 3], "a full page of the supplier's own");
		let rest = store.overdue_of(SUPPLIER, Page::new(3, 3).unwrap()).await.unwrap();
		assert_eq!(ids(rest), [4]);
		let bank = store.overdue_of(BANK, Page::default()).await.unwrap();
		assert_eq!(ids(bank), [5]);
		let core = store.overdue_of(CORE, Page::default()).await.unwrap();
		assert_eq!(ids(core), [1, 2, 3, 4, 5], "the issuer's, whoever holds them");
		assert!(store.overdue_of("nobody", Page::default()).await.is_err());
	}
}

#[tokio::test]
async fn a_total_beyond_u128_is_refused() {
	for db in databases("overflow").await {
		let store = Store::open(&db).await.unwrap();
		let rows =
			vec![certificate(1, 1, 1, u128::MAX, "active"), certificate(2, 1, 1, 1, "active")];
		store.write_block(&block(0, rows)).await.unwrap();
		let err = store.core_exposure(CORE).await.unwrap_err();
		assert!(err.to_string().contains("beyond u128"), "{err}");
	}
}

#[tokio::test]
async fn holdings_filter_and_page() {
	for db in databases("holdings").await {
		let store = Store::open(&db).await.unwrap();
		let rows = vec![
			certificate(1, 1, 1, 10, "closed_by_split"),
			certificate(2, 1, 2, 4, "active"),
			certificate(3, 1, 2, 3, "pledged"),
			certificate(4, 1, 2, 3, "pending_acceptance"),
			certificate(5, 1, 2, 3, "settled"),
		];
		store.write_block(&block(0, rows)).await.unwrap();
		let ids = |v: Vec<serde_json::Value>| {
			v.iter().map(|c| c["id"].as_i64().unwrap()).collect::<Vec<_>>()
		};
		let all = store.holdings(SUPPLIER, None, Page::default()).await.unwrap();
		assert_eq!(ids(all), vec![2, 3, 4]);
		let live = store.holdings(SUPPLIER, Some(Holding::Live), Page::default()).await.unwrap();
		assert_eq!(ids(live), vec![2]);
		let financed =
			store.holdings(SUPPLIER, Some(Holding::Financed), Page::default()).await.unwrap();
		assert_eq!(ids(financed), vec![3]);
		let second = store.holdings(SUPPLIER, None, Page::new(1, 1).unwrap()).await.unwrap();
		assert_eq!(ids(second), vec![3]);
		assert_eq!(ids(store.lineage(1, Page::default()).await.unwrap()), vec![1, 2, 3, 4, 5]);

		// Bad input: a clear error, nothing changed.
		assert!(matches!(Page::new(0, 0), Err(Error::BadRequest(_))));
		assert!(matches!(Page::new(0, 501), Err(Error::BadRequest(_))));
		assert!(matches!(Holding::parse("mine"), Err(Error::BadRequest(_))));
		let err = store.holdings("not-an-account", None, Page::default()).await.unwrap_err();
		assert!(matches!(err, Error::BadRequest(_)), "{err}");
		// SS58 and hex name the same account.
		let alice_ss58 = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
		let alice_hex = "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
		assert_eq!(scf_indexer::queries::account(alice_ss58).unwrap(), alice_hex);
	}
}

#[tokio::test]
async fn credit_lines_are_replaced_per_core() {
	for db in databases("lines").await {
		let store = Store::open(&db).await.unwrap();
		let line = |used: u128| LineRow {
			financier: BANK.into(),
			limit: 1_000,
			used,
			expires_at: 9,
			record: json!({}),
		};
		let mut b = block(0, vec![]);
		b.lines = vec![(CORE.into(), vec![line(10)])];
		store.write_block(&b).await.unwrap();
		let mut b = block(1, vec![]);
		b.lines = vec![(CORE.into(), vec![line(25)])];
		store.write_block(&b).await.unwrap();
		let e = store.core_exposure(CORE).await.unwrap();
		assert_eq!(
			e["creditLines"],
			json!([{ "financier": BANK, "limit": "1000", "used": "25", "expiresAt": 9 }])
		);
	}
}

#[tokio::test]
async fn a_schema_from_a_newer_indexer_is_refused() {
	for path in databases("newer").await {
		let store = Store::open(&path).await.unwrap();
		store.write_block(&block(0, vec![])).await.unwrap();
		drop(store);
		let url =
			if path.starts_with("postgres") { path.clone() } else { format!("sqlite://{path}") };
		{
			use sqlx::Connection;
			sqlx::any::install_default_drivers();
			let mut conn = sqlx::AnyConnection::connect(&url).await.unwrap();
			sqlx::query("UPDATE schema_version SET version = 99").execute(&mut conn).await.unwrap();
		}
		let err = Store::open(&path).await.err().expect("refused");
		assert!(matches!(err, Error::SchemaTooNew { found: 99, .. }), "{err}");
	}
}
