-- The long-term token store of c2m-spring-boot: one row per client id.
-- Portable across PostgreSQL, H2 and MySQL/MariaDB. Times are epoch milliseconds (no time zones).
-- token_value holds the AES-256-GCM sealed value ("v1:<key id>:<base64>"), never the plain token
-- unless c2m.auth.store.allow-plaintext=true.
CREATE TABLE IF NOT EXISTS c2m_long_term_token (
    token_key      VARCHAR(200)  NOT NULL PRIMARY KEY,
    token_id       VARCHAR(200),
    token_value    VARCHAR(8000),
    scopes         VARCHAR(2000),
    issued_at_ms   BIGINT,
    expires_at_ms  BIGINT,
    version        BIGINT        NOT NULL,
    lease_owner    VARCHAR(200),
    lease_until_ms BIGINT
);
