-- Checkout: order, line, payment, wallet debit and ledger entry in one transaction.
\set nusers greatest(1, int(20000 * :scale))
\set uid random_zipfian(1, :nusers, 1.1)
\set item random(1, 200)
\set price 99 + 100 * random(0, 49)
BEGIN;
INSERT INTO orders (user_id, status, currency_code, total_cents, created_at) VALUES (:uid, 'completed', 'USD', :price, NOW());
SELECT LAST_INSERT_ID() AS new_order \gset
INSERT INTO order_lines (order_id, item_id, quantity, unit_price_cents) VALUES (:new_order, :item, 1, :price);
INSERT INTO payments (order_id, user_id, method, status, amount_cents, created_at) VALUES (:new_order, :uid, 'card', 'completed', :price, NOW());
UPDATE wallets SET balance_cents = balance_cents - :price, updated_at = NOW() WHERE user_id = :uid;
INSERT INTO ledger_entries (wallet_id, order_id, direction, amount_cents, created_at) VALUES (:uid, :new_order, 'debit', :price, NOW());
COMMIT;
