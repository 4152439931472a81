CREATE TABLE export_jobs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   bigint NOT NULL REFERENCES accounts (id),
    status       text NOT NULL DEFAULT 'queued',
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    status       text
);
CREATE INDEX export_jobs_account_id_idx ON export_jobs (account_id);
