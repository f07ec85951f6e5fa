-- Version 3: wallet sessions. A supplier's wallet logs in by signing a
-- challenge with its SM2 key; the bridge answers with a session cookie and
-- keeps only the SM3 digest of the cookie's secret, checked on every
-- request, so a logout or an expiry stops the session at once.

CREATE TABLE sessions (
	digest TEXT PRIMARY KEY,
	participant TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	expires_ms BIGINT NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_ms);
