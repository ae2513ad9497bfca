-- The long-term token store of c2m-spring-boot: one row per client id.
-- Portable across PostgreSQL, H2 and MySQL/MariaDB. Times are epoch milliseconds (no time zones).
-- token_value holds the AES-256-GCM sealed value ("v2:<key id>:<base64>"), never the plain token
-- unless c2m.auth.store.allow-plaintext=true. It is bound to its row: token_key, token_id, scopes,
-- issued_at_ms, expires_at_ms, retired_token_id and retired_revoke_at_ms; a row where any of them
-- changed, or whose value came from another row, is refused (delete it to have a new token issued).
-- Values of the first format ("v1:...", bound to the key id only) are read and sealed again as v2.
-- retired_*: the token a rotation replaced, revoked by any instance once retired_revoke_at_ms has passed.
-- Upgrading a table created before the retired_* columns existed (c2m.auth.store.initialize-schema=true
-- does it at startup):
--   ALTER TABLE c2m_long_term_token ADD COLUMN retired_token_id VARCHAR(200);
--   ALTER TABLE c2m_long_term_token ADD COLUMN retired_revoke_at_ms BIGINT;
CREATE TABLE IF NOT EXISTS c2m_long_term_token (
    token_key            VARCHAR(200)  NOT NULL PRIMARY KEY,
    token_id             VARCHAR(200),
    token_value          VARCHAR(8000),
    scopes               VARCHAR(2000),
    issued_at_ms         BIGINT,
    expires_at_ms        BIGINT,
    version              BIGINT        NOT NULL,
    lease_owner          VARCHAR(200),
    lease_until_ms       BIGINT,
    retired_token_id     VARCHAR(200),
    retired_revoke_at_ms BIGINT
);
