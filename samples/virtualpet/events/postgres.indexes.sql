-- events secondary indexes, built after loading. The relay's poll (published_at IS NULL ORDER BY
-- created_at) has no fitting partial index (P9): see ../EXPECTED.md.

SET maintenance_work_mem = '256MB';  -- index builds sort in memory

-- Primary keys are added after the data, as pg_dump does (one sorted build instead of a B-tree
-- maintained row by row during COPY).
ALTER TABLE outbox ADD PRIMARY KEY (id);
ALTER TABLE event_log ADD PRIMARY KEY (id);

CREATE INDEX idx_outbox_aggregate ON outbox (aggregate_type, aggregate_id);
CREATE INDEX idx_event_log_topic_key ON event_log (topic, partition_key);
