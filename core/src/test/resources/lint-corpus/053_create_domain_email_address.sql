CREATE DOMAIN email_address AS text CHECK (VALUE ~ '^[^@[:space:]]+@[^@[:space:]]+$');
