BEGIN;
CREATE INDEX CONCURRENTLY index_invoices_on_due_date ON invoices (due_date);
COMMIT;
