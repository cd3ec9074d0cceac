SELECT owner_id, born FROM pets WHERE owner_id = 7;
