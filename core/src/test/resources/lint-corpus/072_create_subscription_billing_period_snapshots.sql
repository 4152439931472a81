CREATE TABLE subscription_billing_period_snapshots (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subscription_id  bigint NOT NULL REFERENCES subscriptions (id),
    period_start     timestamptz NOT NULL,
    period_end       timestamptz NOT NULL,
    amount_cents     bigint NOT NULL
);
CREATE INDEX index_subscription_billing_period_snapshots_on_subscription_id_and_period_start
    ON subscription_billing_period_snapshots (subscription_id, period_start);
