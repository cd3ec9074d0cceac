-- payment-service secondary indexes and foreign keys, built after loading. Some are right, some
-- are missing and some are redundant on purpose: see ../EXPECTED.md.

CREATE INDEX idx_wallets_user ON wallets (user_id);          -- duplicates uq_wallets_user (P11)
CREATE INDEX idx_orders_user ON orders (user_id);
CREATE INDEX idx_orders_created ON orders (created_at);
CREATE INDEX idx_order_lines_order ON order_lines (order_id);
CREATE INDEX idx_payments_order ON payments (order_id);
CREATE INDEX idx_payments_status ON payments (status);       -- by user and status wants (user_id, status) (P3)
CREATE INDEX idx_refunds_payment ON refunds (payment_id);
CREATE INDEX idx_ledger_wallet_created ON ledger_entries (wallet_id, created_at);

ALTER TABLE wallets ADD CONSTRAINT fk_wallets_currency FOREIGN KEY (currency_code) REFERENCES currencies (currency_code);
ALTER TABLE order_lines ADD CONSTRAINT fk_order_lines_order FOREIGN KEY (order_id) REFERENCES orders (order_id);
ALTER TABLE payments ADD CONSTRAINT fk_payments_order FOREIGN KEY (order_id) REFERENCES orders (order_id);
ALTER TABLE refunds ADD CONSTRAINT fk_refunds_payment FOREIGN KEY (payment_id) REFERENCES payments (payment_id);
ALTER TABLE ledger_entries ADD CONSTRAINT fk_ledger_wallet FOREIGN KEY (wallet_id) REFERENCES wallets (wallet_id);
