CREATE INDEX payments_pending_idx
    ON payments (created_at)
    WHERE status = 'pending';
