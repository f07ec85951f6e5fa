-- The indexer's schema, version 1. `{BYTES}` is BLOB on SQLite and BYTEA
-- on PostgreSQL; everything else is the same on both. Amounts (u128 on
-- chain) are a decimal string for display plus four 32-bit limbs, lowest
-- first, that sum exactly (see `amount.rs`).

CREATE TABLE schema_version (version BIGINT NOT NULL);

-- The last indexed block: written in the same transaction as its rows.
CREATE TABLE cursor (
	id BIGINT PRIMARY KEY,
	number BIGINT NOT NULL,
	hash TEXT NOT NULL,
	spec_version BIGINT NOT NULL
);

CREATE TABLE blocks (
	number BIGINT PRIMARY KEY,
	hash TEXT NOT NULL,
	spec_version BIGINT NOT NULL,
	timestamp_ms BIGINT NOT NULL,
	events BIGINT NOT NULL
);

-- Every event of every block: raw SCALE bytes and the decoded fields, so a
-- decoder fix means re-decoding, not re-syncing.
CREATE TABLE events (
	block BIGINT NOT NULL,
	idx BIGINT NOT NULL,
	extrinsic BIGINT,
	pallet TEXT NOT NULL,
	name TEXT NOT NULL,
	bytes {BYTES} NOT NULL,
	fields TEXT NOT NULL,
	PRIMARY KEY (block, idx)
);
CREATE INDEX events_by_name ON events (pallet, name);

-- Which events name which account (for a participant's activity).
CREATE TABLE event_accounts (
	account TEXT NOT NULL,
	block BIGINT NOT NULL,
	idx BIGINT NOT NULL,
	PRIMARY KEY (account, block, idx)
);

-- Mirrors of the chain's records, as of `block`: re-read from the chain's
-- storage whenever an event touches them.
CREATE TABLE participants (
	account TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	uscc TEXT NOT NULL,
	roles TEXT NOT NULL,
	suspended BIGINT NOT NULL,
	record TEXT NOT NULL,
	block BIGINT NOT NULL
);

CREATE TABLE credit_lines (
	financier TEXT NOT NULL,
	core TEXT NOT NULL,
	lim TEXT NOT NULL,
	used TEXT NOT NULL,
	used_0 BIGINT NOT NULL, used_1 BIGINT NOT NULL, used_2 BIGINT NOT NULL, used_3 BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	record TEXT NOT NULL,
	block BIGINT NOT NULL,
	PRIMARY KEY (financier, core)
);

CREATE TABLE certificates (
	id BIGINT PRIMARY KEY,
	root BIGINT NOT NULL,
	parent BIGINT,
	tier BIGINT NOT NULL,
	issuer TEXT NOT NULL,
	holder TEXT NOT NULL,
	amount TEXT NOT NULL,
	amount_0 BIGINT NOT NULL, amount_1 BIGINT NOT NULL, amount_2 BIGINT NOT NULL, amount_3 BIGINT NOT NULL,
	due BIGINT NOT NULL,
	-- `Live` standings by name (pending_acceptance, active, factored,
	-- pledged, overdue, reserved), or frozen, settled, revoked,
	-- closed_by_split, returned.
	status TEXT NOT NULL,
	-- The financier it is factored to, pledged to or reserved for.
	financier TEXT,
	record TEXT NOT NULL,
	created_block BIGINT NOT NULL,
	block BIGINT NOT NULL
);
CREATE INDEX certificates_by_holder ON certificates (holder, status);
CREATE INDEX certificates_by_root ON certificates (root);
CREATE INDEX certificates_by_issuer ON certificates (issuer, status);

-- Each event that touched a certificate, in chain order.
CREATE TABLE certificate_history (
	id BIGINT NOT NULL,
	block BIGINT NOT NULL,
	idx BIGINT NOT NULL,
	event TEXT NOT NULL,
	PRIMARY KEY (id, block, idx)
);

CREATE TABLE financing_requests (
	request BIGINT PRIMARY KEY,
	certificate BIGINT NOT NULL,
	holder TEXT NOT NULL,
	financier TEXT NOT NULL,
	kind TEXT NOT NULL,
	amount TEXT NOT NULL,
	state TEXT NOT NULL,
	record TEXT NOT NULL,
	block BIGINT NOT NULL
);
CREATE INDEX requests_by_certificate ON financing_requests (certificate);
CREATE INDEX requests_by_holder ON financing_requests (holder);
CREATE INDEX requests_by_financier ON financing_requests (financier);

CREATE TABLE financing_history (
	request BIGINT NOT NULL,
	block BIGINT NOT NULL,
	idx BIGINT NOT NULL,
	event TEXT NOT NULL,
	PRIMARY KEY (request, block, idx)
);
