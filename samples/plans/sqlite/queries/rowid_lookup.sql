SELECT * FROM pets WHERE id = 42;
