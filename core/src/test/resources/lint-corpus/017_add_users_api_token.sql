-- Every user gets an API token.
ALTER TABLE users ADD COLUMN api_token uuid NOT NULL DEFAULT gen_random_uuid();
