SET statement_timeout TO '90min';
CREATE INDEX CONCURRENTLY comments_user_id_idx ON comments (user_id);
