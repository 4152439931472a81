-- audit_log had no key; give it a sequence number.
ALTER TABLE audit_log ADD COLUMN seq bigserial;
