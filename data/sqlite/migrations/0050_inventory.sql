-- Stock (package inventory, issue 15). Products opt in to stock control
-- (track_stock, since 0021) and to being sold without stock; min_stock is
-- the quantity below which the stock screen lists them as short (TEXT
-- decimal). Quantities and costs are INTEGER micro-units (× 10^6) so sums
-- are exact.
ALTER TABLE products ADD COLUMN sell_without_stock INTEGER NOT NULL DEFAULT 0;
ALTER TABLE products ADD COLUMN min_stock TEXT NOT NULL DEFAULT '0';

-- A company's warehouses (bodegas); one default per company, the one
-- invoices take their goods from.
CREATE TABLE warehouses (
    id         INTEGER PRIMARY KEY,
    issuer     TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at TEXT    NOT NULL,
    UNIQUE (issuer, name)
) STRICT;
CREATE UNIQUE INDEX warehouses_default ON warehouses (issuer) WHERE is_default = 1;

-- Goods received from a supplier (suppliers, 0045) into a warehouse,
-- optionally linked to the supplier's imported CFDI (received_cfdi).
CREATE TABLE purchases (
    id           INTEGER PRIMARY KEY,
    issuer       TEXT    NOT NULL,
    supplier_id  INTEGER NOT NULL REFERENCES suppliers (id),
    warehouse_id INTEGER NOT NULL REFERENCES warehouses (id),
    fecha        TEXT    NOT NULL,
    reference    TEXT    NOT NULL DEFAULT '',
    received_id  INTEGER REFERENCES received_cfdi (id),
    created_at   TEXT    NOT NULL
) STRICT;

-- Every change of stock, never updated but for the reversed flag: an exit
-- (qty_micro < 0) or an entry, at unit cost cost_micro. The document behind
-- it: invoice_id (an invoice's sale, a return note's entry, their
-- reversals), purchase_id, transfer_id (the exit half's id), or an
-- adjustment's reason. reverses is the movement a reversal undoes.
CREATE TABLE stock_movements (
    id           INTEGER PRIMARY KEY,
    issuer       TEXT    NOT NULL,
    product_id   INTEGER NOT NULL REFERENCES products (id),
    warehouse_id INTEGER NOT NULL REFERENCES warehouses (id),
    kind         TEXT    NOT NULL CHECK (kind IN ('venta', 'devolucion', 'compra', 'traspaso', 'ajuste', 'reversa')),
    qty_micro    INTEGER NOT NULL,
    cost_micro   INTEGER NOT NULL,
    fecha        TEXT    NOT NULL,
    invoice_id   INTEGER REFERENCES invoices (id),
    purchase_id  INTEGER REFERENCES purchases (id),
    transfer_id  INTEGER,
    reverses     INTEGER REFERENCES stock_movements (id),
    reversed     INTEGER NOT NULL DEFAULT 0,
    reason       TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX stock_movements_fecha ON stock_movements (issuer, fecha, id);
CREATE INDEX stock_movements_product ON stock_movements (product_id, id);
CREATE INDEX stock_movements_invoice ON stock_movements (invoice_id) WHERE invoice_id IS NOT NULL;

-- The quantity on hand and average cost per product and warehouse, written
-- in the transaction of each movement: always the sum of its movements.
CREATE TABLE stock_levels (
    product_id     INTEGER NOT NULL REFERENCES products (id),
    warehouse_id   INTEGER NOT NULL REFERENCES warehouses (id),
    qty_micro      INTEGER NOT NULL,
    avg_cost_micro INTEGER NOT NULL,
    PRIMARY KEY (product_id, warehouse_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX stock_levels_warehouse ON stock_levels (warehouse_id, product_id);

-- An invoice whose exit the warehouse reverted: shown as Revertida until
-- it is cancelled.
ALTER TABLE invoices ADD COLUMN reverted_at TEXT;
CREATE INDEX invoices_reverted ON invoices (issuer, fecha DESC, id DESC) WHERE reverted_at IS NOT NULL AND status <> 'cancelled';
