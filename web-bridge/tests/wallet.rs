//! The wallet's server side on loopback, with no chain behind it: the
//! page's files, the SM2 login challenge and the session cookie, checked
//! from the outside over raw HTTP — including every refusal, and that a
//! refused login leaves no session behind.

use scf_bridge::{codes, wallet, Options};
use scf_primitives::sm2::Sm2Pair;
use serde_json::{json, Value};
use std::{
	io::{Read, Write},
	net::TcpStream,
	time::Duration,
};

const NONE: &[&str] = &[];

/// An HTTP answer: status, headers (lower-case names), body.
struct Answer {
	status: u16,
	headers: Vec<(String, String)>,
	body: String,
}

impl Answer {
	fn header(&self, name: &str) -> Option<&str> {
		self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
	}

	fn json(&self) -> Value {
		serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
	}
}

/// One HTTP/1.1 request with extra header lines.
fn http<H: AsRef<str>>(port: u16, method: &str, path: &str, headers: &[H], body: &str) -> Answer {
	let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
	stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
	let extra: String = headers.iter().map(|h| format!("{}\r\n", h.as_ref())).collect();
	let request = format!(
		"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}Content-Length: {}\r\n\
		 Connection: close\r\n\r\n{body}",
		body.len()
	);
	stream.write_all(request.as_bytes()).unwrap();
	let mut raw = Vec::new();
	stream.read_to_end(&mut raw).unwrap();
	let raw = String::from_utf8_lossy(&raw).to_string();
	let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP answer");
	let mut lines = head.lines();
	let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
	let headers = lines
		.filter_map(|l| l.split_once(':'))
		.map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
		.collect();
	Answer { status, headers, body: body.to_string() }
}

/// A JSON-RPC call with extra header lines: the result or the error.
fn rpc<H: AsRef<str>>(
	port: u16,
	headers: &[H],
	method: &str,
	params: Value,
) -> Result<Value, Value> {
	let body = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params }).to_string();
	let mut headers: Vec<String> = headers.iter().map(|h| h.as_ref().to_string()).collect();
	headers.push("Content-Type: application/json".into());
	let v = http(port, "POST", "/", &headers, &body).json();
	match v.get("result") {
		Some(r) => Ok(r.clone()),
		None => Err(v["error"].clone()),
	}
}

/// A bridge on loopback with no node behind it and no custody key.
fn options(
	database: &str,
	index: String,
	wallet_dir: Option<std::path::PathBuf>,
	public_origin: Option<String>,
) -> Options {
	Options {
		node: "ws://127.0.0.1:9".into(),
		database: database.into(),
		indexer_database: index,
		listen: "127.0.0.1:0".parse().unwrap(),
		master_key: None,
		rate: 100,
		burst: 100,
		max_request_bytes: 64 * 1024,
		max_connections: 32,
		tls: None,
		wallet_dir,
		public_origin,
		max_in_flight: None,
	}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wallet_logs_in_by_an_sm2_signed_challenge_and_nothing_else() {
	let dir = std::env::temp_dir().join(format!("scf-bridge-wallet-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	let files = dir.join("page");
	std::fs::create_dir_all(files.join("sub")).unwrap();
	std::fs::write(files.join("index.html"), "<!doctype html><title>wallet</title>").unwrap();
	std::fs::write(files.join("app.js"), "export const ok = 1;").unwrap();
	std::fs::write(files.join(".hidden"), "not for anyone").unwrap();
	std::fs::write(dir.join("secret.txt"), "outside the page").unwrap();

	// The indexer's database with two participants, one of them suspended.
	let index = dir.join("index.sqlite").display().to_string();
	drop(scf_indexer::Store::open(&index).await.unwrap());
	let supplier = Sm2Pair::generate();
	let suspended = Sm2Pair::generate();
	let stranger = Sm2Pair::generate();
	let hex_account =
		|p: &Sm2Pair| format!("0x{}", hex::encode(AsRef::<[u8]>::as_ref(&p.account_id())));
	let (pool, _) = scf_indexer::sql::connect(&index, scf_indexer::sql::Access::ReadWrite, false)
		.await
		.unwrap();
	for (pair, flag) in [(&supplier, 0i64), (&suspended, 1)] {
		sqlx::query(
			"INSERT INTO participants (account, name, uscc, roles, suspended, record, block) \
			 VALUES ($1, 'a supplier', '91000000000000000X', '[\"Supplier\"]', $2, '{}', 1)",
		)
		.bind(hex_account(pair))
		.bind(flag)
		.execute(&pool)
		.await
		.unwrap();
	}
	let database = dir.join("bridge.sqlite").display().to_string();
	let options = options(&database, index, Some(files), None);
	let (addr, handle, _bridge) = scf_bridge::serve(&options).await.unwrap();
	let port = addr.port();
	let origin = format!("http://{addr}");
	let (bridge_db, _) =
		scf_indexer::sql::connect(&database, scf_indexer::sql::Access::ReadOnly, false)
			.await
			.unwrap();
	let sessions = move || {
		let db = bridge_db.clone();
		tokio::runtime::Handle::current().block_on(async move {
			sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sessions")
				.fetch_one(&db)
				.await
				.unwrap()
		})
	};

	tokio::task::spawn_blocking(move || {
		let same = format!("Origin: {origin}");
		let json_type = "Content-Type: application/json".to_string();
		// The page's files, and nothing beside them.
		let a = http(port, "GET", "/wallet", NONE, "");
		assert_eq!((a.status, a.header("location")), (308, Some("/wallet/")));
		let a = http(port, "GET", "/wallet/", NONE, "");
		assert_eq!(a.status, 200);
		assert!(a.body.contains("<title>wallet</title>"));
		assert_eq!(a.header("content-type"), Some("text/html; charset=utf-8"));
		assert_eq!(a.header("x-content-type-options"), Some("nosniff"));
		let policy = a.header("content-security-policy").unwrap();
		assert!(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'"));
		let a = http(port, "GET", "/wallet/app.js?v=1", NONE, "");
		assert_eq!(
			(a.status, a.header("content-type")),
			(200, Some("text/javascript; charset=utf-8"))
		);
		for path in [
			"/wallet/../secret.txt",
			"/wallet/%2e%2e/secret.txt",
			"/wallet/.hidden",
			"/wallet/sub",
			"/wallet/sub/",
			"/wallet/missing.js",
		] {
			let a = http(port, "GET", path, NONE, "");
			assert_eq!(a.status, 404, "{path}: {}", a.body);
			assert!(!a.body.contains("outside the page") && !a.body.contains("not for anyone"));
		}
		assert_eq!(http(port, "POST", "/wallet/app.js", &[&same], "").status, 405);
		assert_eq!(http(port, "GET", "/wallet/api/login", NONE, "").status, 405);
		assert_eq!(http(port, "POST", "/wallet/api/nothing", &[&same], "").status, 404);

		// A challenge: only asked for from the bridge's own origin.
		assert_eq!(http(port, "POST", "/wallet/api/challenge", NONE, "").status, 403);
		let evil = "Origin: http://evil.example".to_string();
		assert_eq!(http(port, "POST", "/wallet/api/challenge", &[&evil], "").status, 403);
		let challenge = || {
			let a = http(port, "POST", "/wallet/api/challenge", &[&same], "");
			assert_eq!(a.status, 200, "{}", a.body);
			assert_eq!(a.header("cache-control"), Some("no-store"));
			let c = a.json();
			let text = c["challenge"].as_str().unwrap().to_string();
			let expected = wallet::challenge_text(
				&origin,
				c["nonce"].as_str().unwrap(),
				c["expiresAt"].as_i64().unwrap(),
			);
			assert_eq!(text, expected);
			assert!(text.starts_with("scf-wallet-login\n"));
			text
		};
		let login =
			|text: &str, pair: &Sm2Pair, signer: &Sm2Pair, der: bool, headers: &[&String]| {
				let signature = signer.sign(text.as_bytes());
				let signature =
					if der { signature.to_der().unwrap() } else { signature.signature.to_vec() };
				let body = json!({
					"challenge": text,
					"publicKey": hex::encode(pair.public().0),
					"signature": hex::encode(signature),
				})
				.to_string();
				http(port, "POST", "/wallet/api/login", headers, &body)
			};
		let headers = [&same, &json_type];
		let refused = |a: Answer, status: u16, code: i32| {
			assert_eq!(a.status, status, "{}", a.body);
			assert_eq!(a.json()["error"]["code"], code, "{}", a.body);
			assert!(a.header("set-cookie").is_none());
		};

		// Refused logins, none of which leaves a session.
		let text = challenge();
		refused(login(&text, &supplier, &stranger, false, &headers), 401, codes::UNAUTHENTICATED);
		// Each challenge is good for one attempt, even a failed one.
		refused(login(&text, &supplier, &supplier, false, &headers), 401, codes::UNAUTHENTICATED);
		let forged = wallet::challenge_text(&origin, "00112233", 4_102_444_800_000);
		refused(login(&forged, &supplier, &supplier, false, &headers), 401, codes::UNAUTHENTICATED);
		let elsewhere = challenge().replace(&origin, "http://evil.example");
		refused(
			login(&elsewhere, &supplier, &supplier, false, &headers),
			401,
			codes::UNAUTHENTICATED,
		);
		let not_a_challenge = "scf-wallet-login\nanything";
		refused(
			login(not_a_challenge, &supplier, &supplier, false, &headers),
			400,
			codes::BAD_PARAMS,
		);
		refused(login(&challenge(), &stranger, &stranger, false, &headers), 403, codes::FORBIDDEN);
		refused(
			login(&challenge(), &suspended, &suspended, false, &headers),
			403,
			codes::FORBIDDEN,
		);
		let cross = [&evil, &json_type];
		refused(login(&challenge(), &supplier, &supplier, false, &cross), 403, codes::FORBIDDEN);
		let a = http(port, "POST", "/wallet/api/login", &headers, "{\"challenge\": 1}");
		refused(a, 400, codes::BAD_PARAMS);
		let a = http(port, "POST", "/wallet/api/login", &headers, "not json");
		refused(a, 400, codes::BAD_PARAMS);
		let big = format!("{{\"challenge\": \"{}\"}}", "x".repeat(20_000));
		refused(http(port, "POST", "/wallet/api/login", &headers, &big), 400, codes::BAD_PARAMS);
		let a = http(port, "POST", "/wallet/api/login", &headers, "{\"password\": \"hunter2\"}");
		refused(a, 400, codes::BAD_PARAMS);
		assert_eq!(sessions(), 0, "a refused login leaves no session");

		// The login: a DER signature as OpenSSL or an HSM writes it.
		let text = challenge();
		let a = login(&text, &supplier, &supplier, true, &headers);
		assert_eq!(a.status, 200, "{}", a.body);
		assert_eq!(a.json()["participant"], hex_account(&supplier));
		let set = a.header("set-cookie").unwrap().to_string();
		for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
			assert!(set.contains(part), "{set} lacks {part}");
		}
		assert!(!set.contains("Secure"), "plain HTTP on loopback: not Secure");
		let secret =
			set.split(';').next().unwrap().strip_prefix("scf_session=").unwrap().to_string();
		assert_eq!(sessions(), 1);
		// The same signed answer again is refused: the challenge is spent.
		refused(login(&text, &supplier, &supplier, true, &headers), 401, codes::UNAUTHENTICATED);

		// The cookie stands for the participant, from the bridge's origin.
		let cookie = format!("Cookie: theme=dark; scf_session={secret}");
		let me = rpc(port, &[&cookie, &same], "scf_whoami", json!({})).unwrap();
		assert_eq!(me["participant"], hex_account(&supplier));
		let me = rpc(port, &[&cookie], "scf_whoami", json!({})).unwrap();
		assert_eq!(
			me["participant"],
			hex_account(&supplier),
			"no Origin: not a cross-site request"
		);
		let e = rpc(port, &[&cookie, &evil], "scf_whoami", json!({})).unwrap_err();
		assert_eq!(e["code"], codes::UNAUTHENTICATED, "another site cannot use the session: {e}");
		let e = rpc(
			port,
			&["Cookie: scf_session=".to_string() + &"ab".repeat(32)],
			"scf_whoami",
			json!({}),
		)
		.unwrap_err();
		assert_eq!(e["code"], codes::UNAUTHENTICATED, "an unknown session: {e}");
		// A wallet signs its own transactions; the bridge signs none for it.
		let e = rpc(port, &[&cookie], "scf_accept", json!({ "id": 1, "idempotencyKey": "w-1" }))
			.unwrap_err();
		assert_eq!(e["code"], codes::FORBIDDEN, "{e}");
		assert!(e["message"].as_str().unwrap().contains("scf_prepare"), "{e}");
		let a = http(port, "GET", "/wallet/api/session", &[&cookie], "");
		assert_eq!(
			(a.status, a.json()["participant"].clone()),
			(200, json!(hex_account(&supplier)))
		);

		// Logout ends it at once, and deletes the cookie.
		assert_eq!(http(port, "POST", "/wallet/api/logout", &[&cookie], "").status, 403);
		let a = http(port, "POST", "/wallet/api/logout", &[&cookie, &same], "");
		assert_eq!((a.status, a.json()["loggedOut"].clone()), (200, json!(true)));
		assert!(a.header("set-cookie").unwrap().contains("Max-Age=0"));
		assert_eq!(sessions(), 0);
		let e = rpc(port, &[&cookie], "scf_whoami", json!({})).unwrap_err();
		assert_eq!(e["code"], codes::UNAUTHENTICATED, "{e}");
		assert_eq!(http(port, "GET", "/wallet/api/session", &[cookie], "").status, 401);
	})
	.await
	.unwrap();
	handle.stop().unwrap();
	let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_wallet_folder_the_page_is_not_found_but_login_works() {
	let dir = std::env::temp_dir().join(format!("scf-bridge-nowallet-{}", std::process::id()));
	let _ = std::fs::remove_dir_all(&dir);
	std::fs::create_dir_all(&dir).unwrap();
	let index = dir.join("index.sqlite").display().to_string();
	drop(scf_indexer::Store::open(&index).await.unwrap());
	let database = dir.join("bridge.sqlite").display().to_string();
	let options = options(&database, index, None, Some("https://bridge.bank-a.example/".into()));
	let (addr, handle, _bridge) = scf_bridge::serve(&options).await.unwrap();
	let port = addr.port();
	tokio::task::spawn_blocking(move || {
		let a = http(port, "GET", "/wallet/", NONE, "");
		assert_eq!(a.status, 404);
		assert!(a.body.contains("--wallet-dir"), "{}", a.body);
		// The configured origin, not the listening address, is the one.
		let local = format!("Origin: http://{addr}");
		assert_eq!(http(port, "POST", "/wallet/api/challenge", &[local], "").status, 403);
		let own = "Origin: https://bridge.bank-a.example".to_string();
		let a = http(port, "POST", "/wallet/api/challenge", &[own], "");
		assert_eq!(a.status, 200, "{}", a.body);
		assert!(a.json()["challenge"]
			.as_str()
			.unwrap()
			.starts_with("scf-wallet-login\nhttps://bridge.bank-a.example\n"));
	})
	.await
	.unwrap();
	handle.stop().unwrap();
	let _ = std::fs::remove_dir_all(&dir);
}
