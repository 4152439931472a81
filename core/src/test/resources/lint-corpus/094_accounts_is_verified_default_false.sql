-- A constant default: PG11+ stores it in the catalog, no rewrite.
ALTER TABLE accounts ADD COLUMN is_verified boolean NOT NULL DEFAULT false;
