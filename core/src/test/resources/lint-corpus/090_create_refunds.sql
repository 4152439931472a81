CREATE TABLE refunds (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payment_id    bigint NOT NULL REFERENCES payments (id),
    amount_cents  bigint NOT NULL,
    reason        text,
    created_at    timestamptz NOT NULL DEFAULT now()
);
