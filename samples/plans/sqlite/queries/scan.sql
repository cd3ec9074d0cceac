SELECT * FROM pets WHERE name = 'Rex';
