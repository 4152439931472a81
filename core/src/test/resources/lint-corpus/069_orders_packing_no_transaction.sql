-- reverso:no-transaction
ALTER TABLE orders ADD COLUMN packed_at timestamptz;
ALTER TABLE orders ADD COLUMN packed_by_user_id bigint;
