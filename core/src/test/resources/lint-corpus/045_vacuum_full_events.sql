-- Reclaim the space left by the purge of 2019 events.
VACUUM FULL events;
