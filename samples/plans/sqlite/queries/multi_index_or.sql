SELECT * FROM pets WHERE owner_id = 3 OR species = 'fish';
