SELECT f.food, o.email FROM feedings f JOIN owners o ON o.name = f.food WHERE f.fed_at > 100;
