SET statement_timeout = '1h';
CREATE INDEX CONCURRENTLY invoices_customer_id_idx ON invoices USING btree (customer_id);
