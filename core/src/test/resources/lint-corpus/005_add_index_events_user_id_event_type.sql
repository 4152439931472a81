-- Speeds up the activity feed query.
CREATE INDEX events_user_id_event_type_idx ON public.events (user_id, event_type);
