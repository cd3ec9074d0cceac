-- payment-service (MariaDB / MySQL, InnoDB): wallets, orders, order lines, payments, refunds,
-- ledger entries, currencies. Money is integer cents. Secondary indexes and foreign keys:
-- mariadb.indexes.sql, built after loading.

CREATE TABLE currencies (
  currency_code      CHAR(3) NOT NULL PRIMARY KEY,
  name               VARCHAR(64) NOT NULL,
  minor_units        TINYINT NOT NULL,
  rate_to_usd_micros BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE wallets (
  wallet_id     BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id       BIGINT NOT NULL,
  currency_code CHAR(3) NOT NULL,
  balance_cents BIGINT NOT NULL DEFAULT 0,
  updated_at    DATETIME NOT NULL,
  UNIQUE KEY uq_wallets_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE orders (
  order_id      BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id       BIGINT NOT NULL,
  status        VARCHAR(16) NOT NULL,
  currency_code CHAR(3) NOT NULL,
  total_cents   BIGINT NOT NULL,
  created_at    DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE order_lines (
  line_id          BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_id         BIGINT NOT NULL,
  item_id          INT NOT NULL,
  quantity         INT NOT NULL,
  unit_price_cents BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE payments (
  payment_id   BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  order_id     BIGINT NOT NULL,
  user_id      BIGINT NOT NULL,
  method       VARCHAR(16) NOT NULL,
  status       VARCHAR(16) NOT NULL,
  amount_cents BIGINT NOT NULL,
  created_at   DATETIME NOT NULL,
  provider_ref VARCHAR(64) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE refunds (
  refund_id    BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  payment_id   BIGINT NOT NULL,
  amount_cents BIGINT NOT NULL,
  reason       VARCHAR(32) NOT NULL,
  created_at   DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE ledger_entries (
  entry_id     BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  wallet_id    BIGINT NOT NULL,
  order_id     BIGINT NULL,
  direction    VARCHAR(8) NOT NULL,
  amount_cents BIGINT NOT NULL,
  created_at   DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
