ALTER TABLE addresses ADD COLUMN country_code char(2);
