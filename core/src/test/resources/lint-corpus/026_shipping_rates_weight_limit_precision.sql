-- Same scale, more precision: no rewrite.
ALTER TABLE shipping_rates ALTER COLUMN weight_limit TYPE numeric(12,2);
