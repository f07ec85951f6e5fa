-- Version 2: prepared transactions (prepare → sign → submit). The bridge
-- keeps the call's parameters and the values the signature covers (nonce,
-- era block) under the prepare id, and rebuilds the same payload at submit.

CREATE TABLE prepares (
	id TEXT PRIMARY KEY,
	participant TEXT NOT NULL,
	idem_key TEXT NOT NULL,
	digest TEXT NOT NULL,
	method TEXT NOT NULL,
	-- The request's parameters, JSON.
	params TEXT NOT NULL,
	nonce BIGINT NOT NULL,
	birth_number BIGINT NOT NULL,
	birth_hash TEXT NOT NULL,
	created_ms BIGINT NOT NULL,
	-- 1 once submitted (its write is then in `writes` under its key).
	submitted BIGINT NOT NULL
);
CREATE INDEX prepares_by_participant ON prepares (participant, submitted);
