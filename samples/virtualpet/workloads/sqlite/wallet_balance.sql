-- The wallet balance shown on every screen (fine: the unique key on user_id; idx_wallets_user is a
-- duplicate of it, P11).
\set nusers greatest(1, int(20000 * :scale))
\set uid random_zipfian(1, :nusers, 1.1)
SELECT wallet_id, balance_cents, currency_code FROM wallets WHERE user_id = :uid;
