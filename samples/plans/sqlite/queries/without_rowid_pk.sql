SELECT price FROM items WHERE sku = 'apple';
