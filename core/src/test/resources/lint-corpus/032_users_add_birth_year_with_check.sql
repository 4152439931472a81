ALTER TABLE users ADD COLUMN birth_year integer CHECK (birth_year BETWEEN 1900 AND 2100);
