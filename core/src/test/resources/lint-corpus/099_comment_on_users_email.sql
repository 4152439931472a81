COMMENT ON COLUMN users.email IS 'Login e-mail; unique case-insensitively';
