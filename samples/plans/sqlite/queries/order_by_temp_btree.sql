SELECT * FROM pets WHERE species = 'cat' ORDER BY happiness DESC;
