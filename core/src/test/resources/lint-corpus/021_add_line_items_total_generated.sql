ALTER TABLE line_items
    ADD COLUMN total_cents bigint GENERATED ALWAYS AS (quantity * unit_price_cents) STORED;
