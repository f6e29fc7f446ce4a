-- duban's own database in the compose's PostgreSQL, beside Temporal's (temporal and temporal_visibility,
-- which Temporal's auto-setup creates). Runs once, when the data volume is first initialised.
CREATE USER duban WITH PASSWORD 'duban';
CREATE DATABASE duban OWNER duban;
