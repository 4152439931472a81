-- ADD COLUMN ... REFERENCES with no default: no scan, the constraint is valid at once.
-- The index follows in 092 (it has to be CONCURRENTLY, in its own migration).
ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);
