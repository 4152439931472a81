-- now() is STABLE: evaluated once, no rewrite.
ALTER TABLE products ADD COLUMN imported_at timestamptz NOT NULL DEFAULT now();
