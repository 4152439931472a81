CREATE TABLE order_notes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id    bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    author_id   bigint REFERENCES users (id) ON DELETE SET NULL,
    body        text NOT NULL CHECK (length(body) <= 10000),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_notes_order_id_idx ON order_notes (order_id);
CREATE INDEX order_notes_author_id_idx ON order_notes (author_id);
