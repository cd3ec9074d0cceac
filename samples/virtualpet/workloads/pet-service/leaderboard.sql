-- The season leaderboard: top 100 scores. No index on (season, score): a full scan and a sort on
-- every call (P2).
\set season 4
SELECT user_id, pet_id, score
  FROM leaderboard_scores
 WHERE season = :season
 ORDER BY score DESC
 LIMIT 100;
