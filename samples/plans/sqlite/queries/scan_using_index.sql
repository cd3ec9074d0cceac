SELECT id FROM pets ORDER BY owner_id;
