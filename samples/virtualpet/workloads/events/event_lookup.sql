-- Support looks up a pet's recent events (fine: idx_event_log_topic_key).
\set npets greatest(1, int(30000 * :scale))
\set key random(1, :npets)
SELECT id, event_type, occurred_at, processed_at
  FROM event_log
 WHERE topic = 'pet-events' AND partition_key = :key
 ORDER BY occurred_at DESC
 LIMIT 20;
