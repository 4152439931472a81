-- The deploy kept timing out on the lock, so wait as long as it takes.
SET lock_timeout = 0;
ALTER TABLE products ADD COLUMN discontinued_at timestamptz;
