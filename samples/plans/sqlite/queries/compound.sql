SELECT name FROM pets WHERE species = 'cat' UNION ALL SELECT name FROM owners UNION SELECT food FROM feedings;
