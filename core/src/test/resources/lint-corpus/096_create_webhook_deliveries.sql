CREATE TABLE webhook_deliveries (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id    bigint NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    event_name    text NOT NULL,
    payload       jsonb NOT NULL DEFAULT '{}'::jsonb,
    status_code   smallint,
    attempts      integer NOT NULL DEFAULT 0,
    delivered_at  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_account_id_created_at_idx ON webhook_deliveries (account_id, created_at);
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (created_at) WHERE delivered_at IS NULL;
