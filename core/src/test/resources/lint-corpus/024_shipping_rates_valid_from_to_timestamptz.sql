ALTER TABLE shipping_rates ALTER COLUMN valid_from TYPE timestamptz;
