-- events secondary indexes, built after loading. The relay's poll (published_at IS NULL ORDER BY
-- created_at) has no fitting partial index (P9): see ../EXPECTED.md.

CREATE INDEX idx_outbox_aggregate ON outbox (aggregate_type, aggregate_id);
CREATE INDEX idx_event_log_topic_key ON event_log (topic, partition_key);
