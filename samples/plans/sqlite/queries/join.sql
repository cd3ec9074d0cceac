SELECT o.email, p.name FROM owners o JOIN pets p ON p.owner_id = o.id WHERE o.name = 'Ann';
