-- amount_cents overflows for freight rates.
ALTER TABLE shipping_rates ALTER COLUMN amount_cents TYPE bigint;
