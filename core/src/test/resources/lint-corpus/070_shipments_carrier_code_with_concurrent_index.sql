ALTER TABLE shipments ADD COLUMN carrier_code text;
CREATE INDEX CONCURRENTLY index_shipments_on_carrier_code ON shipments (carrier_code);
