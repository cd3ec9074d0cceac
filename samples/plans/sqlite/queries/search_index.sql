SELECT * FROM pets WHERE owner_id = 7 AND born > 20200101;
