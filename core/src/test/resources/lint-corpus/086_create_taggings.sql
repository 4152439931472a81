CREATE TABLE taggings (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tag_id      integer NOT NULL REFERENCES tags (id),
    product_id  bigint NOT NULL REFERENCES products (id),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX taggings_tag_id_idx ON taggings (tag_id);
CREATE INDEX taggings_product_id_idx ON taggings (product_id);
