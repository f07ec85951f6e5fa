-- The web bridge's own database, version 1 (the indexer's is separate and
-- read-only to the bridge). `{BYTES}` is BLOB on SQLite, BYTEA on
-- PostgreSQL.

CREATE TABLE schema_version (version BIGINT NOT NULL);

-- ERP clients' API keys: only the SM3 digest of the secret is kept.
CREATE TABLE api_keys (
	id TEXT PRIMARY KEY,
	digest TEXT NOT NULL,
	-- The participant the key acts and reads as (0x + 64 hex digits).
	participant TEXT NOT NULL,
	label TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	-- NULL: does not expire.
	expires_ms BIGINT,
	-- NULL: not revoked.
	revoked_ms BIGINT
);

-- Custodial signing keys, sealed with SM4-GCM (see secrets.rs).
CREATE TABLE custody (
	participant TEXT PRIMARY KEY,
	sealed {BYTES} NOT NULL,
	created_ms BIGINT NOT NULL
);

-- Every write, by its idempotency key (scoped to the participant): stored
-- with the signed extrinsic before it is first submitted, so a retry
-- resubmits the same bytes and a restart can find out what became of it.
CREATE TABLE writes (
	participant TEXT NOT NULL,
	idem_key TEXT NOT NULL,
	-- SM3 of the method and its canonical parameters.
	digest TEXT NOT NULL,
	method TEXT NOT NULL,
	nonce BIGINT NOT NULL,
	extrinsic {BYTES} NOT NULL,
	hash TEXT NOT NULL,
	-- The best block number when it was signed: where a search starts.
	signed_at BIGINT NOT NULL,
	-- The last block of its mortal era: after it, it can never be included.
	valid_until BIGINT NOT NULL,
	-- signed, submitted, in_block, finalized, failed.
	state TEXT NOT NULL,
	-- The answer (finalized) or the error (failed), JSON.
	outcome TEXT,
	created_ms BIGINT NOT NULL,
	updated_ms BIGINT NOT NULL,
	PRIMARY KEY (participant, idem_key)
);
CREATE INDEX writes_by_state ON writes (state);
