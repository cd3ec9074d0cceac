SELECT name, (SELECT max(fed_at) FROM feedings f WHERE f.pet_id = pets.id) FROM pets WHERE owner_id IN (SELECT id FROM owners WHERE email LIKE '%@example.com');
