ALTER TABLE events ADD COLUMN payload_json json;
