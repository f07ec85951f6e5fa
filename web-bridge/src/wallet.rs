//! What the supplier wallet needs from the server: its static files under
//! `/wallet/`, a login by an SM2-signed challenge, and a session cookie.
//!
//! The wallet keeps its key in the browser and signs its own transactions
//! (`scf_prepare` → sign → `scf_submit`); the bridge only has to know who
//! is asking. A browser cannot set headers on a WebSocket, so instead of an
//! API key the page holds a session cookie (HttpOnly, SameSite=Strict),
//! which this module's HTTP middleware hands to the methods as a
//! [`Session`] — on plain requests and on the WebSocket upgrade alike.
//!
//! Login, over plain HTTP under `/wallet/api/`:
//! - `POST challenge` → `{challenge, origin, nonce, expiresAt}`, where the
//!   challenge is the text [`challenge_text`]: `"scf-wallet-login\n" +
//!   origin + "\n" + nonce + "\n" + expiry (ms)`. No transaction payload
//!   can take that form: a payload begins with the call's pallet index, and
//!   no pallet sits at index `b's'` (0x73); payloads over 256 bytes are
//!   signed as their BLAKE2 hash.
//! - `POST login` with `{challenge, publicKey, signature}` (compressed SEC1
//!   key; `r‖s` or DER): the challenge must be one this bridge issued, for
//!   its origin, unexpired and unused (each is good for one attempt); the
//!   signature must verify (SM2 with SM3, user id `1234567812345678`, as
//!   the runtime verifies); the key's account must be a participant that
//!   is not suspended. The answer sets the cookie; the bridge stores only
//!   the SM3 digest of its secret and checks it on every request.
//! - `GET session` → who the cookie is; `POST logout` ends it.
//!
//! Cross-site requests: the `POST`s need an `Origin` header equal to the
//! bridge's origin, and a cookie reaches the methods only on a request whose
//! `Origin` (if any) is the bridge's own — so another site's page can
//! neither log a browser in nor act through its session (SameSite=Strict
//! already keeps the cookie off such requests; this is the second lock).

use crate::{secrets, store::Store, Error};
use bytes::Bytes;
use http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use http_body_util::BodyExt;
use jsonrpsee::{
	core::BoxError,
	server::{HttpBody, HttpRequest, HttpResponse},
	types::ErrorObjectOwned,
};
use serde_json::{json, Value as Json};
use std::{
	collections::HashMap,
	future::Future,
	path::PathBuf,
	pin::Pin,
	sync::{Arc, Mutex, OnceLock},
	task::{Context, Poll},
};
use tower::{Layer, Service};

/// Where the wallet lives.
pub const PREFIX: &str = "/wallet/";
/// The session cookie's name.
pub const COOKIE: &str = "scf_session";
/// The first line of every login challenge.
pub const DOMAIN: &str = "scf-wallet-login";
/// How long a challenge may be answered.
pub const CHALLENGE_LIFE_MS: i64 = 120_000;
/// How long a session lasts (a working day).
pub const SESSION_LIFE_MS: i64 = 8 * 3_600_000;
/// Unanswered challenges kept at most: beyond, new ones wait.
const MAX_OPEN_CHALLENGES: usize = 10_000;
/// Largest login request body.
const MAX_BODY: usize = 16 * 1024;

/// The session secret a request's cookie carried, when its origin may use
/// it (set by [`WalletLayer`]).
#[derive(Clone, Debug)]
pub struct Session(pub String);

/// The text a wallet signs to log in.
pub fn challenge_text(origin: &str, nonce: &str, expiry_ms: i64) -> String {
	format!("{DOMAIN}\n{origin}\n{nonce}\n{expiry_ms}")
}

/// The wallet's server side.
pub struct Wallet {
	store: Store,
	index: scf_indexer::Store,
	/// The page's files (`--wallet-dir`); none: `/wallet/` answers 404.
	files: Option<PathBuf>,
	/// `scheme://host:port` as browsers see the bridge, set once it listens.
	origin: OnceLock<String>,
	/// Served over TLS: the cookie is `Secure`.
	secure: bool,
	/// Unanswered challenges: nonce → expiry.
	challenges: Mutex<HashMap<String, i64>>,
}

impl Wallet {
	pub fn new(
		store: Store,
		index: scf_indexer::Store,
		files: Option<PathBuf>,
		secure: bool,
	) -> Wallet {
		Wallet {
			store,
			index,
			files,
			origin: OnceLock::new(),
			secure,
			challenges: Default::default(),
		}
	}

	/// Sets the origin browsers reach the bridge at (once; later calls are
	/// ignored). A trailing `/` is dropped.
	pub fn set_origin(&self, origin: &str) {
		let _ = self.origin.set(origin.trim_end_matches('/').to_string());
	}

	pub fn origin(&self) -> &str {
		self.origin.get().map(String::as_str).unwrap_or("")
	}

	/// Whether a request with these headers may use a session: no `Origin`
	/// (not a browser's cross-site request) or the bridge's own.
	fn origin_allows(&self, headers: &HeaderMap) -> bool {
		match headers.get(header::ORIGIN) {
			None => true,
			Some(o) => o.as_bytes() == self.origin().as_bytes(),
		}
	}

	/// A fresh challenge, good for one login attempt.
	pub fn challenge(&self) -> Result<Json, Error> {
		let now = crate::store::now_ms();
		let nonce = hex::encode(secrets::random::<16>()?);
		let expires = now + CHALLENGE_LIFE_MS;
		{
			let mut open = self.challenges.lock().unwrap_or_else(|e| e.into_inner());
			open.retain(|_, at| *at > now);
			if open.len() >= MAX_OPEN_CHALLENGES {
				return Err(Error::RateLimited { retry_after_ms: 1_000 });
			}
			open.insert(nonce.clone(), expires);
		}
		Ok(json!({
			"challenge": challenge_text(self.origin(), &nonce, expires),
			"origin": self.origin(),
			"nonce": nonce,
			"expiresAt": expires,
		}))
	}

	/// Checks a signed challenge and opens a session: the answer, the
	/// cookie's secret and its expiry.
	pub async fn login(&self, request: &Json) -> Result<(Json, String, i64), Error> {
		use scf_primitives::sm2::{Sm2Public, Sm2Signature};
		let o = request
			.as_object()
			.ok_or_else(|| Error::BadParams("send {challenge, publicKey, signature}".into()))?;
		if let Some(other) =
			o.keys().find(|k| !["challenge", "publicKey", "signature"].contains(&k.as_str()))
		{
			return Err(Error::BadParams(format!("login takes no `{other}`")));
		}
		let field = |name: &str| {
			o.get(name)
				.and_then(Json::as_str)
				.ok_or_else(|| Error::BadParams(format!("`{name}` is required (a string)")))
		};
		let hex_field = |name: &str| {
			hex::decode(field(name)?.trim_start_matches("0x"))
				.map_err(|_| Error::BadParams(format!("`{name}`: hex")))
		};
		let text = field("challenge")?;
		let public = Sm2Public::from_sec1(&hex_field("publicKey")?)
			.map_err(|e| Error::BadParams(format!("`publicKey`: {e}")))?;
		let raw = hex_field("signature")?;
		let signature = match <[u8; 64]>::try_from(raw.as_slice()) {
			Ok(rs) => Sm2Signature::new(rs, public),
			Err(_) => Sm2Signature::from_der(&raw, public)
				.map_err(|e| Error::BadParams(format!("`signature`: not r‖s nor DER: {e}")))?,
		};
		let parts: Vec<&str> = text.split('\n').collect();
		let [DOMAIN, origin, nonce, expiry] = parts[..] else {
			return Err(Error::BadParams(format!(
				"`challenge`: not a login challenge (four lines, the first `{DOMAIN}`)"
			)));
		};
		if origin != self.origin() {
			return Err(Error::Unauthenticated(format!(
				"the challenge is for {origin}, this bridge is {}",
				self.origin()
			)));
		}
		// One attempt per challenge, whatever its outcome.
		let issued = self.challenges.lock().unwrap_or_else(|e| e.into_inner()).remove(nonce);
		let now = crate::store::now_ms();
		match issued {
			Some(at) if expiry.parse::<i64>().ok() == Some(at) && at > now => {},
			Some(at) if at <= now => {
				return Err(Error::Unauthenticated(
					"the challenge expired: ask for a new one".into(),
				))
			},
			_ => {
				return Err(Error::Unauthenticated(
					"not a challenge this bridge issued, or one already used: ask for a new one"
						.into(),
				))
			},
		}
		if !signature.verify_native(text.as_bytes()) {
			return Err(Error::Unauthenticated(
				"the signature does not verify over the challenge with that key (SM2 with SM3, \
				 user id 1234567812345678)"
					.into(),
			));
		}
		let account = format!("0x{}", hex::encode(AsRef::<[u8]>::as_ref(&public.account_id())));
		let me = self.index.participant(&account).await?.ok_or_else(|| {
			Error::Forbidden(format!(
				"{account} is not a participant (or the indexer has not seen its admission yet)"
			))
		})?;
		if me["suspended"] == true {
			return Err(Error::Forbidden(format!("{account} is suspended")));
		}
		let secret = hex::encode(secrets::random::<32>()?);
		let expires = now + SESSION_LIFE_MS;
		self.store.add_session(&secrets::sm3_hex(secret.as_bytes()), &account, expires).await?;
		let answer = json!({
			"participant": account,
			"name": me["name"],
			"roles": me["roles"],
			"expiresAt": expires,
		});
		Ok((answer, secret, expires))
	}

	/// The session's id (for rate limiting) and participant.
	pub async fn authenticate(&self, Session(secret): &Session) -> Result<(String, String), Error> {
		let digest = secrets::sm3_hex(secret.as_bytes());
		let (participant, _) = self.store.session(&digest).await?.ok_or_else(|| {
			Error::Unauthenticated("the wallet session has ended or expired: log in again".into())
		})?;
		Ok((format!("session-{}", &digest[..16]), participant))
	}

	/// Serves a request under `/wallet`.
	async fn handle<B>(&self, parts: http::request::Parts, body: B) -> HttpResponse
	where
		B: http_body::Body<Data = Bytes> + Send + 'static,
		B::Error: Into<BoxError>,
	{
		let path = parts.uri.path();
		let Some(rest) = path.strip_prefix(PREFIX) else {
			// `/wallet` itself.
			return response(StatusCode::PERMANENT_REDIRECT, "text/plain", Vec::new())
				.with_header(header::LOCATION, PREFIX);
		};
		let Some(api) = rest.strip_prefix("api/") else {
			if parts.method != Method::GET && parts.method != Method::HEAD {
				return failure(StatusCode::METHOD_NOT_ALLOWED, "the wallet's files are read-only");
			}
			return self.file(rest).await;
		};
		let session = cookie(&parts.headers).map(Session);
		let same_origin = parts.headers.get(header::ORIGIN).map(|o| o.as_bytes())
			== Some(self.origin().as_bytes());
		let result = match (&parts.method, api) {
			(&Method::POST, _) if !same_origin => Err(Error::Forbidden(format!(
				"a wallet POST needs the Origin header {} (this bridge's)",
				self.origin()
			))),
			(&Method::POST, "challenge") => self.challenge().map(|c| (c, None)),
			(&Method::POST, "login") => match read_json(body).await {
				Ok(request) => self.login(&request).await.map(|(answer, secret, expires)| {
					(answer, Some(self.cookie(&secret, (expires - crate::store::now_ms()) / 1000)))
				}),
				Err(e) => Err(e),
			},
			(&Method::GET, "session") => match &session {
				Some(s) => self
					.authenticate(s)
					.await
					.map(|(_, participant)| (json!({ "participant": participant }), None)),
				None => Err(Error::Unauthenticated("no wallet session: log in".into())),
			},
			(&Method::POST, "logout") => {
				let ended = match &session {
					Some(Session(secret)) => {
						self.store.end_session(&secrets::sm3_hex(secret.as_bytes())).await
					},
					None => Ok(false),
				};
				ended.map(|ended| (json!({ "loggedOut": ended }), Some(self.cookie("", 0))))
			},
			(_, "challenge" | "login" | "session" | "logout") => {
				return failure(StatusCode::METHOD_NOT_ALLOWED, "wrong method for this path")
			},
			_ => Err(Error::NotFound(format!("wallet API {api}"))),
		};
		match result {
			Ok((answer, set_cookie)) => {
				let r =
					response(StatusCode::OK, "application/json", answer.to_string().into_bytes())
						.with_header(header::CACHE_CONTROL, "no-store");
				match set_cookie {
					Some(c) => r.with_header(header::SET_COOKIE, &c),
					None => r,
				}
			},
			Err(e) => error_response(e),
		}
	}

	/// The `Set-Cookie` value for `secret` (empty and 0: delete it).
	fn cookie(&self, secret: &str, max_age_s: i64) -> String {
		let secure = if self.secure { "; Secure" } else { "" };
		format!("{COOKIE}={secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}")
	}

	/// One of the page's files: plain names only (no `..`, no hidden files,
	/// no escapes), `index.html` for the folder.
	async fn file(&self, rest: &str) -> HttpResponse {
		let Some(root) = &self.files else {
			return failure(
				StatusCode::NOT_FOUND,
				"this bridge serves no wallet (start it with --wallet-dir)",
			);
		};
		let rest = if rest.is_empty() { "index.html" } else { rest };
		let plain = rest.split('/').all(|part| {
			!part.is_empty()
				&& !part.starts_with('.')
				&& part.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
		});
		let not_found = || failure(StatusCode::NOT_FOUND, "no such file in the wallet");
		if !plain {
			return not_found();
		}
		let path = root.join(rest);
		match tokio::fs::metadata(&path).await {
			Ok(m) if m.is_file() => {},
			_ => return not_found(),
		}
		let Ok(bytes) = tokio::fs::read(&path).await else { return not_found() };
		let kind = match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
			"html" => "text/html; charset=utf-8",
			"js" | "mjs" => "text/javascript; charset=utf-8",
			"css" => "text/css; charset=utf-8",
			"json" => "application/json",
			"wasm" => "application/wasm",
			"svg" => "image/svg+xml",
			"png" => "image/png",
			"ico" => "image/x-icon",
			"txt" => "text/plain; charset=utf-8",
			_ => "application/octet-stream",
		};
		let ws = self.origin().replacen("http", "ws", 1);
		let policy = format!(
			"default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
			 img-src 'self' data:; connect-src 'self' {ws}; base-uri 'none'; form-action 'none'; \
			 frame-ancestors 'none'"
		);
		response(StatusCode::OK, kind, bytes)
			.with_header(header::CACHE_CONTROL, "no-cache")
			.with_header(header::CONTENT_SECURITY_POLICY, &policy)
	}
}

/// The session secret in a `Cookie` header, if it has the right form.
fn cookie(headers: &HeaderMap) -> Option<String> {
	headers
		.get_all(header::COOKIE)
		.iter()
		.filter_map(|v| v.to_str().ok())
		.flat_map(|v| v.split(';'))
		.filter_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
		.find(|secret| secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit()))
		.map(str::to_owned)
}

async fn read_json<B>(body: B) -> Result<Json, Error>
where
	B: http_body::Body<Data = Bytes> + Send + 'static,
	B::Error: Into<BoxError>,
{
	let bytes = http_body_util::Limited::new(body, MAX_BODY)
		.collect()
		.await
		.map_err(|e| Error::BadParams(format!("the request body: {e}")))?
		.to_bytes();
	serde_json::from_slice(&bytes).map_err(|e| Error::BadParams(format!("not JSON: {e}")))
}

trait WithHeader {
	fn with_header(self, name: header::HeaderName, value: &str) -> Self;
}

impl WithHeader for HttpResponse {
	fn with_header(mut self, name: header::HeaderName, value: &str) -> Self {
		if let Ok(v) = HeaderValue::from_str(value) {
			self.headers_mut().insert(name, v);
		}
		self
	}
}

fn response(status: StatusCode, kind: &'static str, body: Vec<u8>) -> HttpResponse {
	let mut r = HttpResponse::new(HttpBody::from(body));
	*r.status_mut() = status;
	let h = r.headers_mut();
	h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
	h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
	h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
	h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
	r
}

fn failure(status: StatusCode, message: &str) -> HttpResponse {
	let body = json!({ "error": { "message": message } }).to_string();
	response(status, "application/json", body.into_bytes())
}

/// An error as JSON under its documented code, with a fitting HTTP status.
fn error_response(e: Error) -> HttpResponse {
	use crate::codes::*;
	let object = ErrorObjectOwned::from(e);
	let status = match object.code() {
		BAD_PARAMS => StatusCode::BAD_REQUEST,
		UNAUTHENTICATED => StatusCode::UNAUTHORIZED,
		FORBIDDEN => StatusCode::FORBIDDEN,
		NOT_FOUND => StatusCode::NOT_FOUND,
		RATE_LIMITED => StatusCode::TOO_MANY_REQUESTS,
		_ => StatusCode::INTERNAL_SERVER_ERROR,
	};
	let body = json!({ "error": object }).to_string();
	response(status, "application/json", body.into_bytes())
		.with_header(header::CACHE_CONTROL, "no-store")
}

/// The bridge's HTTP middleware: serves `/wallet…` itself and hands every
/// other request on, with its API key as a [`crate::auth::Credential`] and
/// its session cookie as a [`Session`] (when the request's origin may use
/// it) in the request's extensions.
#[derive(Clone)]
pub struct WalletLayer(pub Arc<Wallet>);

impl<S> Layer<S> for WalletLayer {
	type Service = WalletService<S>;

	fn layer(&self, inner: S) -> WalletService<S> {
		WalletService { wallet: self.0.clone(), inner }
	}
}

#[derive(Clone)]
pub struct WalletService<S> {
	wallet: Arc<Wallet>,
	inner: S,
}

impl<S, B> Service<HttpRequest<B>> for WalletService<S>
where
	S: Service<HttpRequest<B>, Response = HttpResponse>,
	S::Error: Into<BoxError> + 'static,
	S::Future: Send + 'static,
	B: http_body::Body<Data = Bytes> + Send + 'static,
	B::Error: Into<BoxError>,
{
	type Response = HttpResponse;
	type Error = BoxError;
	type Future = Pin<Box<dyn Future<Output = Result<HttpResponse, BoxError>> + Send>>;

	fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
		self.inner.poll_ready(cx).map_err(Into::into)
	}

	fn call(&mut self, request: HttpRequest<B>) -> Self::Future {
		let path = request.uri().path();
		if path == "/wallet" || path.starts_with(PREFIX) {
			let wallet = self.wallet.clone();
			let (parts, body) = request.into_parts();
			return Box::pin(async move { Ok(wallet.handle(parts, body).await) });
		}
		let mut request = crate::auth::copy_credential(request);
		if let Some(secret) = cookie(request.headers()) {
			if self.wallet.origin_allows(request.headers()) {
				request.extensions_mut().insert(Session(secret));
			}
		}
		let answer = self.inner.call(request);
		Box::pin(async move { answer.await.map_err(Into::into) })
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn only_a_well_formed_session_cookie_is_taken() {
		let secret = "ab".repeat(32);
		let mut headers = HeaderMap::new();
		headers.insert(
			header::COOKIE,
			HeaderValue::from_str(&format!("theme=dark; {COOKIE}={secret}; x=1")).unwrap(),
		);
		assert_eq!(cookie(&headers), Some(secret));
		for bad in [format!("{COOKIE}=abc"), format!("{COOKIE}x={}", "ab".repeat(32)), "a=b".into()]
		{
			let mut headers = HeaderMap::new();
			headers.insert(header::COOKIE, HeaderValue::from_str(&bad).unwrap());
			assert_eq!(cookie(&headers), None, "{bad}");
		}
	}

	#[test]
	fn a_challenge_is_four_lines_under_the_domain() {
		let text = challenge_text("http://127.0.0.1:9960", "00ff", 1_700_000_000_000);
		assert_eq!(text, "scf-wallet-login\nhttp://127.0.0.1:9960\n00ff\n1700000000000");
		// (That no pallet sits at index b's' is checked against the running
		// runtime's metadata in the node's bridge suite.)
	}
}
