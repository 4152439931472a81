-- Rails: remove_column :users, :legacy_password_digest
ALTER TABLE users DROP COLUMN legacy_password_digest;
