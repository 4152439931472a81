DROP SCHEMA reporting_old CASCADE;
