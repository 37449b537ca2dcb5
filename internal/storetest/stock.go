package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/inventory"
	"github.com/folio-mx/folio/domain/received"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// StockStore is a store that keeps stock (package inventory): its
// warehouses, levels and movements, the suppliers catalog and the
// invoices whose exit was reverted, the imported CFDI a purchase links to,
// and Int, which reads one integer with a query written with ?
// placeholders: how the contract checks the stock tables themselves
// (every level is the sum of its movements), which no port reads whole.
type StockStore interface {
	Store
	inventory.Store
	inventory.SupplierStore
	received.Store
	RevertedPending(ctx context.Context, issuer string) (int, error)
	Credited(ctx context.Context, id int64) (sales.Credited, error)
	Int(ctx context.Context, query string, args ...any) (int64, error)
}

// RunStock runs the contract of stock against the stores open returns
// (new, empty, fully migrated, closed when t ends); openTwo, when not nil,
// returns two stores on ONE such database, opened apart as two
// workstations (RunWorkstations).
func RunStock(t *testing.T, open func(t *testing.T) StockStore, openTwo func(t *testing.T) (StockStore, StockStore)) {
	tests := []struct {
		name string
		fn   func(t *testing.T, f *stockFixture)
	}{
		{"StockThroughPosting", testStockThroughPosting},
		{"StockFromChosenWarehouse", testStockFromChosenWarehouse},
		{"RevertThenCancel", testRevertThenCancel},
		{"TransferAdjust", testStockTransferAdjust},
		{"PropertyRandomHistory", testStockPropertyRandomHistory},
		{"SupplierCatalogAndPurchase", testSupplierCatalogAndPurchase},
		{"Short", testShort},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fn(t, newStockFixture(t, open(t)))
		})
	}
	if openTwo != nil {
		t.Run("ConcurrentMovesKeepTheLevel", func(t *testing.T) {
			t.Parallel()
			a, b := openTwo(t)
			f := newStockFixture(t, a)
			testConcurrentStock(t, f, f.onStock(b))
		})
	}
}

// stockFixture is a store with series A (I) and NC (E), the demo
// customers and products, a supplier and two warehouses: a laptop
// (f.prod[0]) that may not be sold without stock, a mouse (f.prod[1])
// that may, and a service (f.prod[2]) without stock control.
type stockFixture struct {
	*fixture
	s                  StockStore
	svc                *inventory.Service
	supplier           int64
	main, second       inventory.Warehouse
	strict, loose, srv *sales.Product
}

func newStockFixture(t *testing.T, s StockStore) *stockFixture {
	t.Helper()
	f := &stockFixture{fixture: newFixture(t, s), s: s}
	cat, _ := load(t)
	f.svc = &inventory.Service{Store: s, Suppliers: s, Rules: cat, Clock: f.clock}
	f.series("A", sales.TipoIngreso)
	f.series("NC", sales.TipoEgreso)
	f.strict, f.loose, f.srv = &f.prod[0], &f.prod[1], &f.prod[2]
	f.strict.SellWithoutStock = false
	if err := s.UpdateProduct(f.ctx, f.strict); err != nil {
		t.Fatal(err)
	}
	f.main = inventory.Warehouse{Issuer: f.co.RFC, Name: "Matriz", Default: true, Active: true}
	f.second = inventory.Warehouse{Issuer: f.co.RFC, Name: "Sucursal", Active: true}
	for _, w := range []*inventory.Warehouse{&f.main, &f.second} {
		if err := f.svc.SaveWarehouse(f.ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	sup := inventory.Supplier{Issuer: f.co.RFC, RFC: "AAA010101AAA", Name: "PROVEEDOR", Regimen: "601", Active: true}
	if err := f.svc.SaveSupplier(f.ctx, &sup); err != nil {
		t.Fatal(err)
	}
	f.supplier = sup.ID
	return f
}

// onStock is f's company, catalogs, products, warehouses and clock worked
// through store s: another workstation on f's database.
func (f *stockFixture) onStock(s StockStore) *stockFixture {
	g := *f
	g.fixture, g.s = f.on(s), s
	cat, _ := load(f.t)
	g.svc = &inventory.Service{Store: s, Suppliers: s, Rules: cat, Clock: f.clock}
	return &g
}

func (f *stockFixture) buy(t *testing.T, p *sales.Product, w int64, qty, cost string) {
	t.Helper()
	if err := f.receive(p, w, qty, cost); err != nil {
		t.Fatalf("receive %s %s: %v", qty, p.Code, err)
	}
}

func (f *stockFixture) receive(p *sales.Product, w int64, qty, cost string) error {
	return f.svc.Receive(f.ctx, &inventory.Purchase{Issuer: f.co.RFC, SupplierID: f.supplier, WarehouseID: w,
		Lines: []inventory.PurchaseLine{{ProductID: p.ID, Qty: dec(qty), UnitCost: dec(cost)}}})
}

// sell posts and stamps an invoice of the given quantities per product
// from the default warehouse.
func (f *stockFixture) sell(t *testing.T, qty map[*sales.Product]string) (sales.Invoice, error) {
	t.Helper()
	return f.sellFrom(t, 0, qty)
}

// sellFrom posts and stamps an invoice whose exit leaves warehouse wh (0
// the default).
func (f *stockFixture) sellFrom(t *testing.T, wh int64, qty map[*sales.Product]string) (sales.Invoice, error) {
	t.Helper()
	d, err := f.saleDraft(wh, qty)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := f.post(d.ID, sales.PostOptions{})
	if err != nil {
		return sales.Invoice{}, err
	}
	f.stamp(inv, f.clock())
	return f.find(inv.ID), nil
}

// saleDraft saves an invoice draft of the given quantities per product
// leaving warehouse wh (0 the default).
func (f *stockFixture) saleDraft(wh int64, qty map[*sales.Product]string) (sales.Invoice, error) {
	var lines []sales.Line
	for _, p := range []*sales.Product{f.strict, f.loose, f.srv} {
		if q, ok := qty[p]; ok {
			lines = append(lines, sales.LineFromProduct(p, dec(q)))
		}
	}
	c := f.cust[0]
	inv := sales.Invoice{Issuer: f.co.RFC, TipoDeComprobante: sales.TipoIngreso, Serie: "A", CustomerID: c.ID, Customer: c,
		UsoCFDI: c.UsoCFDI, Terms: sales.Contado, FormaPago: "03", Moneda: "MXN", Lines: lines, WarehouseID: wh}
	_, err := f.fixture.svc.SaveDraft(f.ctx, &inv)
	return inv, err
}

// returnNote saves and posts a return (Devolucion) of qty of line 0 of
// invoice inv, given what was credited of it before.
func (f *stockFixture) returnNote(inv sales.Invoice, qty string, done sales.Credited) (sales.Invoice, error) {
	note, err := sales.BuildCreditNote(&inv, sales.Devolucion, "NC", []sales.CreditLine{{Line: 0, Cantidad: dec(qty)}}, done, 2)
	if err != nil {
		return sales.Invoice{}, err
	}
	if err := f.s.SaveDraft(f.ctx, &note); err != nil {
		f.t.Fatal(err)
	}
	return f.post(note.ID, sales.PostOptions{})
}

// docID returns the stamp queue's document of stamped invoice inv.
func (f *stockFixture) docID(inv sales.Invoice) int64 {
	f.mu.Lock()
	id, ok := f.stamped[inv.UUID]
	f.mu.Unlock()
	if !ok {
		id = f.document(inv).ID
	}
	return id
}

// level reads a product's level in a warehouse through the stock's
// transaction.
func (f *stockFixture) level(t *testing.T, p *sales.Product, w int64) inventory.Level {
	t.Helper()
	var l inventory.Level
	err := f.s.StockTx(f.ctx, func(tx inventory.StoreTx) error {
		var err error
		l, err = tx.Level(f.ctx, p.ID, w)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func (f *stockFixture) onHand(t *testing.T, p *sales.Product, w int64) decimal.Decimal {
	t.Helper()
	return f.level(t, p, w).Qty
}

func (f *stockFixture) count(t *testing.T, query string, args ...any) int64 {
	t.Helper()
	n, err := f.s.Int(f.ctx, query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// checkLevels: every level equals the sum of its movements, no level of a
// product that may not be sold without stock is below zero, and every
// product×warehouse pair with movements has a level.
func (f *stockFixture) checkLevels(t *testing.T, step string) {
	t.Helper()
	if n := f.count(t, `SELECT count(*) FROM stock_levels l WHERE l.qty_micro <> (SELECT coalesce(CAST(sum(m.qty_micro) AS BIGINT), 0)
		FROM stock_movements m WHERE m.product_id = l.product_id AND m.warehouse_id = l.warehouse_id)`); n != 0 {
		t.Fatalf("%s: %d levels differ from the sum of their movements", step, n)
	}
	if n := f.count(t, `SELECT count(*) FROM stock_levels l JOIN products p ON p.id = l.product_id
		WHERE l.qty_micro < 0 AND NOT p.sell_without_stock`); n != 0 {
		t.Fatalf("%s: %d levels below zero of products that may not be sold without stock", step, n)
	}
	if n := f.count(t, `SELECT count(*) FROM (SELECT DISTINCT product_id, warehouse_id FROM stock_movements) m
		WHERE NOT EXISTS (SELECT 1 FROM stock_levels l WHERE l.product_id = m.product_id AND l.warehouse_id = m.warehouse_id)`); n != 0 {
		t.Fatalf("%s: %d product×warehouse pairs have movements and no level", step, n)
	}
}

// testStockThroughPosting: an invoice's own-account lines of stock
// products leave the default warehouse in the posting transaction at the
// average cost; a sale beyond stock of a product that may not be sold
// without it is refused with the figures and leaves nothing behind; a
// product that may goes below zero; a service moves nothing; a return puts
// the goods back at the exit's cost.
func testStockThroughPosting(t *testing.T, f *stockFixture) {
	ctx := f.ctx
	f.buy(t, f.strict, f.main.ID, "3", "10000")
	f.buy(t, f.strict, f.main.ID, "2", "12500")
	if got := f.onHand(t, f.strict, f.main.ID); !got.Equal(dec("5")) {
		t.Fatalf("on hand after purchases %s, want 5", got)
	}
	if l := f.level(t, f.strict, f.main.ID); !l.AvgCost.Equal(dec("11000")) {
		t.Errorf("average cost %s, want 11000 ((3×10000 + 2×12500) / 5)", l.AvgCost)
	}

	before := f.nextFolio("A")
	_, err := f.sell(t, map[*sales.Product]string{f.strict: "6"})
	if err == nil || !strings.Contains(domain.UserMessage(err), "No hay existencia suficiente de «Computadora portátil 14 pulgadas» (LAP-14) en Matriz: hay 5 y se necesitan 6") {
		t.Fatalf("selling 6 of 5: %v", err)
	}
	if f.nextFolio("A") != before {
		t.Error("a refused sale took a folio")
	}

	inv, err := f.sell(t, map[*sales.Product]string{f.strict: "2", f.loose: "4", f.srv: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.onHand(t, f.strict, f.main.ID); !got.Equal(dec("3")) {
		t.Errorf("laptops after selling 2: %s, want 3", got)
	}
	if got := f.onHand(t, f.loose, f.main.ID); !got.Equal(dec("-4")) {
		t.Errorf("mice after selling 4 without stock: %s, want -4", got)
	}
	moves, err := f.s.StockMovements(ctx, inventory.MovementFilter{Issuer: f.co.RFC})
	if err != nil {
		t.Fatal(err)
	}
	var sold []string
	for _, m := range moves {
		if m.Kind == inventory.Sale {
			sold = append(sold, m.Code+" "+m.Qty.String()+" @"+m.UnitCost.String()+" "+m.Document)
		}
	}
	folio := strconv.FormatInt(inv.Folio, 10)
	if got := strings.Join(sold, "; "); got != "MOU-01 -4 @0 A-"+folio+"; LAP-14 -2 @11000 A-"+folio {
		t.Errorf("sale movements: %s", got)
	}

	if _, err := f.returnNote(inv, "1", sales.Credited{}); err != nil {
		t.Fatal(err)
	}
	if got := f.onHand(t, f.strict, f.main.ID); !got.Equal(dec("4")) {
		t.Errorf("laptops after a return of 1: %s, want 4", got)
	}
	f.checkLevels(t, "end")
}

// testStockFromChosenWarehouse: an invoice that names a warehouse keeps
// it with the draft and the posted invoice, its exit leaves that
// warehouse only, a return of it goes back there (not to the default), a
// refusal for lack of stock names that warehouse, and an inactive or
// another company's warehouse is refused without taking a folio.
func testStockFromChosenWarehouse(t *testing.T, f *stockFixture) {
	ctx := f.ctx
	f.buy(t, f.strict, f.main.ID, "5", "100")
	f.buy(t, f.strict, f.second.ID, "4", "200")

	d, err := f.saleDraft(f.second.ID, map[*sales.Product]string{f.strict: "3"})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.find(d.ID); got.WarehouseID != f.second.ID {
		t.Fatalf("draft's warehouse = %d; want %d", got.WarehouseID, f.second.ID)
	}
	inv := f.mustPost(d.ID)
	f.stamp(inv, f.clock())
	if inv = f.find(inv.ID); inv.WarehouseID != f.second.ID {
		t.Fatalf("posted invoice's warehouse = %d; want %d", inv.WarehouseID, f.second.ID)
	}
	if main, second := f.onHand(t, f.strict, f.main.ID), f.onHand(t, f.strict, f.second.ID); !main.Equal(dec("5")) || !second.Equal(dec("1")) {
		t.Fatalf("after selling 3 from Sucursal: Matriz %s, Sucursal %s; want 5 and 1", main, second)
	}

	if _, err := f.returnNote(inv, "2", sales.Credited{}); err != nil {
		t.Fatal(err)
	}
	if main, second := f.onHand(t, f.strict, f.main.ID), f.onHand(t, f.strict, f.second.ID); !main.Equal(dec("5")) || !second.Equal(dec("3")) {
		t.Errorf("after a return of 2: Matriz %s, Sucursal %s; want 5 and 3", main, second)
	}
	if l := f.level(t, f.strict, f.second.ID); !l.AvgCost.Equal(dec("200")) {
		t.Errorf("Sucursal's average cost after the return %s, want 200 (the exit's)", l.AvgCost)
	}

	if _, err := f.sellFrom(t, f.second.ID, map[*sales.Product]string{f.strict: "4"}); err == nil ||
		!strings.Contains(domain.UserMessage(err), "en Sucursal: hay 3 y se necesitan 4") {
		t.Errorf("selling 4 of 3 from Sucursal: %v", err)
	}

	closed := inventory.Warehouse{Issuer: f.co.RFC, Name: "Cerrada", Active: false}
	foreign := inventory.Warehouse{Issuer: "XAXX010101000", Name: "Ajena", Active: true}
	for _, w := range []*inventory.Warehouse{&closed, &foreign} {
		if err := f.svc.SaveWarehouse(ctx, w); err != nil {
			t.Fatal(err)
		}
	}
	before := f.nextFolio("A")
	for _, c := range []struct {
		wh   int64
		want string
	}{{closed.ID, "«Cerrada» está inactiva"}, {foreign.ID, "es de otra empresa"}} {
		if _, err := f.sellFrom(t, c.wh, map[*sales.Product]string{f.strict: "1"}); domain.KindOf(err) != domain.Invalid ||
			!strings.Contains(domain.UserMessage(err), c.want) {
			t.Errorf("selling from warehouse %d: %v; want %q", c.wh, err, c.want)
		}
	}
	if f.nextFolio("A") != before {
		t.Error("a refused warehouse took a folio")
	}
	f.checkLevels(t, "end")
}

// testRevertThenCancel: the warehouse reverts a stamped invoice's exit;
// the invoice shows in the Revertidas tab and as Reverted until SAT's
// cancellation, which moves no stock again; an invoice that moved no stock
// cannot be reverted, and none can be reverted twice.
func testRevertThenCancel(t *testing.T, f *stockFixture) {
	ctx := f.ctx
	f.buy(t, f.strict, f.main.ID, "5", "100")
	inv, err := f.sell(t, map[*sales.Product]string{f.strict: "2"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RevertInvoice(ctx, inv.ID); err != nil {
		t.Fatal(err)
	}
	if got := f.onHand(t, f.strict, f.main.ID); !got.Equal(dec("5")) {
		t.Errorf("laptops after the revert: %s, want 5", got)
	}
	if err := f.svc.RevertInvoice(ctx, inv.ID); domain.KindOf(err) != domain.Conflict {
		t.Errorf("second revert: %v, want Conflict", err)
	}
	tab := func() []sales.InvoiceRow {
		rows, err := f.s.FindInvoices(ctx, sales.InvoiceFilter{Issuer: f.co.RFC, Tipo: "I", Status: sales.StatusReverted})
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	if rows := tab(); len(rows) != 1 || rows[0].ID != inv.ID || !rows[0].Reverted {
		t.Fatalf("Revertidas tab = %+v, want the invoice", rows)
	}
	note, err := sales.BuildCreditNote(&inv, sales.Devolucion, "NC", []sales.CreditLine{{Line: 0, Cantidad: dec("1")}}, sales.Credited{}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.SaveDraft(ctx, &note); err != nil {
		t.Fatal(err)
	}
	if _, err := f.post(note.ID, sales.PostOptions{}); err == nil || !strings.Contains(domain.UserMessage(err), "ya se revirtió") {
		t.Errorf("a return of a reverted invoice: %v, want refused", err)
	}
	if err := f.s.DeleteDraft(ctx, note.ID); err != nil {
		t.Fatal(err)
	}
	if n, err := f.s.RevertedPending(ctx, f.co.RFC); err != nil || n != 1 {
		t.Errorf("RevertedPending = %d, %v; want 1", n, err)
	}
	if err := f.q.AllowCancel(ctx, f.docID(inv)); err != nil {
		t.Fatalf("AllowCancel of a reverted invoice: %v", err)
	}
	f.cancel(inv, inv.UUID, f.clock())
	if rows := tab(); len(rows) != 0 {
		t.Errorf("Revertidas after the cancellation = %+v, want none", rows)
	}
	all, err := f.s.FindInvoices(ctx, sales.InvoiceFilter{Issuer: f.co.RFC, Tipo: "I"})
	if err != nil || len(all) != 1 || all[0].Status != sales.StatusCancelled || all[0].Reverted {
		t.Errorf("list after cancellation = %+v, %v", all, err)
	}
	if got := f.onHand(t, f.strict, f.main.ID); !got.Equal(dec("5")) {
		t.Errorf("laptops after the cancellation of a reverted invoice: %s, want 5 (not put back twice)", got)
	}
	if n, _ := f.s.RevertedPending(ctx, f.co.RFC); n != 0 {
		t.Errorf("RevertedPending after the cancellation = %d", n)
	}

	svcOnly, err := f.sell(t, map[*sales.Product]string{f.srv: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.RevertInvoice(ctx, svcOnly.ID); err != inventory.ErrNothingToRevert {
		t.Errorf("revert of an invoice without stock: %v", err)
	}
	f.checkLevels(t, "end")
}

// testStockTransferAdjust: a transfer carries the source's average cost;
// an adjustment needs a reason; a transfer beyond stock is refused; the
// on-hand page lists the levels by code and warehouse.
func testStockTransferAdjust(t *testing.T, f *stockFixture) {
	ctx, rfc := f.ctx, f.co.RFC
	f.buy(t, f.strict, f.main.ID, "4", "50")
	if err := f.svc.Transfer(ctx, rfc, f.strict.ID, f.main.ID, f.second.ID, dec("3")); err != nil {
		t.Fatal(err)
	}
	if l := f.level(t, f.strict, f.second.ID); !l.Qty.Equal(dec("3")) || !l.AvgCost.Equal(dec("50")) {
		t.Errorf("second warehouse %s @%s, want 3 @50", l.Qty, l.AvgCost)
	}
	if err := f.svc.Transfer(ctx, rfc, f.strict.ID, f.main.ID, f.second.ID, dec("2")); domain.KindOf(err) != domain.Invalid {
		t.Errorf("transfer of 2 of 1: %v", err)
	}
	if err := f.svc.Adjust(ctx, rfc, f.strict.ID, f.main.ID, dec("-1"), decimal.Zero, " "); domain.KindOf(err) != domain.Invalid {
		t.Errorf("adjustment without reason: %v", err)
	}
	if err := f.svc.Adjust(ctx, rfc, f.strict.ID, f.main.ID, dec("-1"), decimal.Zero, "Merma"); err != nil {
		t.Fatal(err)
	}
	if got := f.onHand(t, f.strict, f.main.ID); !got.IsZero() {
		t.Errorf("main after the adjustment: %s", got)
	}
	page, err := f.s.OnHand(ctx, inventory.LevelFilter{Issuer: rfc})
	if err != nil || len(page) != 2 || page[0].Warehouse != "Matriz" || page[1].Warehouse != "Sucursal" {
		t.Errorf("OnHand = %+v, %v", page, err)
	}
	f.buy(t, f.loose, f.second.ID, "1", "10")
	var walked []string
	var after inventory.LevelFilter
	for {
		page, err := f.s.OnHand(ctx, inventory.LevelFilter{Issuer: rfc, AfterCode: after.AfterCode, AfterWH: after.AfterWH, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page {
			walked = append(walked, r.Code+"@"+r.Warehouse)
		}
		if len(page) < 2 {
			break
		}
		after.AfterCode, after.AfterWH = page[len(page)-1].Code, page[len(page)-1].WarehouseID
	}
	if got := strings.Join(walked, " "); got != "LAP-14@Matriz LAP-14@Sucursal MOU-01@Sucursal" {
		t.Errorf("OnHand by pages of 2: %s", got)
	}
	if ws, err := f.s.Warehouses(ctx, rfc); err != nil || len(ws) != 2 || ws[0].Name != "Matriz" || !ws[0].Default {
		t.Errorf("Warehouses = %+v, %v; want Matriz (default) first", ws, err)
	}
	f.checkLevels(t, "end")
}

// testStockPropertyRandomHistory: a random history of purchases, sales
// (each from a random warehouse or the default), returns, transfers,
// adjustments, cancellations and reverts through the real use cases
// leaves every level equal to the sum of its movements and never below
// zero for a product that may not be sold without stock. The seed is
// logged; FOLIO_SEED (or FOLIO_TEST_SEED) replays one history.
func testStockPropertyRandomHistory(t *testing.T, f *stockFixture) {
	seed := historySeed()
	t.Logf("seed %d (FOLIO_SEED=%d replays it)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 15))
	ctx, rfc := f.ctx, f.co.RFC
	prods := []*sales.Product{f.strict, f.loose}
	whs := []int64{f.main.ID, f.second.ID}
	qty := func() string { return strconv.Itoa(1 + rng.IntN(4)) }
	var live []sales.Invoice // stamped invoices and notes not cancelled
	done := map[string]int{} // the steps that changed something, by kind
	steps := 150
	if testing.Short() {
		steps = 20
	}
	for i := 0; i < steps; i++ {
		var step string
		switch op := rng.IntN(8); op {
		case 0, 1:
			p, w := prods[rng.IntN(2)], whs[rng.IntN(2)]
			step = "compra"
			f.buy(t, p, w, qty(), strconv.Itoa(10+rng.IntN(90)))
		case 2, 3:
			step = "venta"
			q := map[*sales.Product]string{prods[rng.IntN(2)]: qty()}
			if rng.IntN(2) == 0 {
				q[f.srv] = "1"
			}
			wh := append([]int64{0}, whs...)[rng.IntN(len(whs)+1)] // 0: the default warehouse
			inv, err := f.sellFrom(t, wh, q)
			if err != nil && domain.KindOf(err) != domain.Invalid {
				t.Fatalf("step %d venta: %v", i, err)
			}
			if err == nil {
				live = append(live, inv)
			}
		case 4:
			step = "traspaso"
			from := rng.IntN(2)
			err := f.svc.Transfer(ctx, rfc, prods[rng.IntN(2)].ID, whs[from], whs[1-from], dec(qty()))
			if err != nil && domain.KindOf(err) != domain.Invalid {
				t.Fatalf("step %d traspaso: %v", i, err)
			}
		case 5:
			step = "ajuste"
			d := dec(qty())
			if rng.IntN(2) == 0 {
				d = d.Neg()
			}
			err := f.svc.Adjust(ctx, rfc, prods[rng.IntN(2)].ID, whs[rng.IntN(2)], d, dec("20"), "Conteo")
			if err != nil && domain.KindOf(err) != domain.Invalid {
				t.Fatalf("step %d ajuste: %v", i, err)
			}
		case 6:
			if len(live) == 0 {
				continue
			}
			k := rng.IntN(len(live))
			inv := live[k]
			if rng.IntN(2) == 0 && inv.TipoDeComprobante == "I" {
				step = "devolución"
				credited, err := f.s.Credited(ctx, inv.ID)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := sales.BuildCreditNote(&inv, sales.Devolucion, "NC", []sales.CreditLine{{Line: 0, Cantidad: dec("1")}}, credited, 2); err != nil {
					continue // nothing left to return
				}
				posted, err := f.returnNote(inv, "1", credited)
				if err != nil {
					if domain.KindOf(err) != domain.Invalid {
						t.Fatalf("step %d devolución: %v", i, err)
					}
					continue
				}
				f.stamp(posted, f.clock())
				live = append(live, f.find(posted.ID))
			} else {
				step = "cancelación"
				if err := f.q.AllowCancel(ctx, f.docID(inv)); err != nil {
					continue // live notes, or the goods of a return sold again
				}
				f.cancel(inv, inv.UUID, f.clock())
				live = append(live[:k], live[k+1:]...)
			}
		case 7:
			if len(live) == 0 {
				continue
			}
			step = "reversión"
			err := f.svc.RevertInvoice(ctx, live[rng.IntN(len(live))].ID)
			if err != nil && domain.KindOf(err) != domain.Invalid && domain.KindOf(err) != domain.Conflict {
				t.Fatalf("step %d reversión: %v", i, err)
			}
		}
		f.checkLevels(t, fmt.Sprintf("step %d (%s)", i, step))
		done[step]++
	}
	n := f.count(t, `SELECT count(*) FROM stock_movements`)
	t.Logf("steps %v, %d movements", done, n)
	if n == 0 {
		t.Error("the history moved no stock")
	}
}

// testSupplierCatalogAndPurchase: a supplier with a bad RFC is refused, a
// repeated RFC is a Conflict; a purchase from it into a warehouse, linked
// to the supplier's received CFDI, enters its goods at cost and shows as
// the document behind the movement.
func testSupplierCatalogAndPurchase(t *testing.T, f *stockFixture) {
	ctx, rfc := f.ctx, f.co.RFC
	bad := inventory.Supplier{Issuer: rfc, RFC: "XYZ", Name: "MAL", Active: true}
	if err := f.svc.SaveSupplier(ctx, &bad); domain.KindOf(err) != domain.Invalid || !strings.Contains(domain.UserMessage(err), "RFC") {
		t.Errorf("bad RFC: %v", err)
	}
	sup := inventory.Supplier{Issuer: rfc, RFC: "xia190128j61", Name: " XENON  INDUSTRIAL ARTICLES ", Regimen: "601",
		CodigoPostal: "76343", Contact: "Ana", CreditDays: 30, Active: true}
	if err := f.svc.SaveSupplier(ctx, &sup); err != nil {
		t.Fatal(err)
	}
	again := sup
	again.ID = 0
	if err := f.svc.SaveSupplier(ctx, &again); domain.KindOf(err) != domain.Conflict || !strings.Contains(domain.UserMessage(err), "RFC") {
		t.Errorf("repeated RFC: %v", err)
	}
	sup.Active, sup.Phone = false, "4421234567"
	if err := f.svc.SaveSupplier(ctx, &sup); err != nil {
		t.Fatal(err)
	}
	list, err := f.s.SupplierCatalog(ctx, rfc)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	var found bool
	for _, p := range list {
		names = append(names, p.Name)
		if p.RFC == "XIA190128J61" && p.Name == "XENON INDUSTRIAL ARTICLES" && p.CreditDays == 30 && p.CodigoPostal == "76343" &&
			!p.Active && p.Phone == "4421234567" {
			found = true
		}
	}
	if !found || strings.Join(names, ", ") != "PROVEEDOR, XENON INDUSTRIAL ARTICLES" {
		t.Fatalf("catalog %+v lacks the supplier as saved, or is not by name", list)
	}
	if _, err := f.s.SaveReceived(ctx, []received.Doc{{Issuer: rfc, Direction: received.Recibido, Key: "K1", UUID: "K1", Version: "4.0",
		RfcEmisor: "XIA190128J61", NombreEmisor: "XENON INDUSTRIAL ARTICLES", RfcReceptor: rfc, Fecha: "2026-11-01T10:00:00",
		Total: "1160.00", OK: true, Verdict: "OK", XML: []byte("<x/>"), Source: "k1.xml"}}); err != nil {
		t.Fatal(err)
	}
	rec, err := f.s.FindReceived(ctx, received.Filter{Issuer: rfc})
	if err != nil || len(rec) != 1 {
		t.Fatalf("received: %+v, %v", rec, err)
	}
	rid := rec[0].ID
	p := inventory.Purchase{Issuer: rfc, SupplierID: sup.ID, WarehouseID: f.second.ID, Reference: "F-123", ReceivedID: rid,
		Lines: []inventory.PurchaseLine{{ProductID: f.strict.ID, Qty: dec("3"), UnitCost: dec("9000")}}}
	if err := f.svc.Receive(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if link := f.count(t, `SELECT received_id FROM purchases WHERE id = ?`, p.ID); link != rid {
		t.Errorf("purchase linked to %d; want %d", link, rid)
	}
	moves, err := f.s.StockMovements(ctx, inventory.MovementFilter{Issuer: rfc, Limit: 1})
	if err != nil || len(moves) != 1 || moves[0].Document != fmt.Sprintf("Compra %d", p.ID) || !moves[0].UnitCost.Equal(dec("9000")) {
		t.Errorf("purchase movement %+v, %v", moves, err)
	}
	if err := f.svc.Receive(ctx, &inventory.Purchase{Issuer: rfc, WarehouseID: f.main.ID}); domain.KindOf(err) != domain.Invalid {
		t.Errorf("purchase without supplier: %v", err)
	}
}

// testShort: "Por surtir" lists, by code, the tracked active products
// whose quantity in the company's warehouses together is below their
// minimum, to the micro-unit; another company's stock does not count;
// products without a minimum, untracked or inactive are never listed;
// limit cuts.
func testShort(t *testing.T, f *stockFixture) {
	ctx, rfc := f.ctx, f.co.RFC
	foreign := inventory.Warehouse{Issuer: "OTRA010101AAA", Name: "Ajena", Default: true, Active: true}
	if err := f.svc.SaveWarehouse(ctx, &foreign); err != nil {
		t.Fatal(err)
	}
	wh := map[int]inventory.Warehouse{1: f.main, 2: f.second, 3: foreign}
	for _, tt := range []struct {
		code, min  string
		track, off bool
		levels     map[int]string // warehouse → quantity
	}{
		{code: "A-NONE", min: "5", track: true},                                                              // no level at all
		{code: "B-EXACT", min: "2.5", track: true, levels: map[int]string{1: "2", 2: "0.5"}},                 // equal: not short
		{code: "C-MICRO", min: "2.5", track: true, levels: map[int]string{1: "2.499999"}},                    // one micro below
		{code: "D-ABOVE", min: "2.000001", track: true, levels: map[int]string{1: "2.000001"}},               // equal to the micro
		{code: "E-FOREIGN", min: "3", track: true, levels: map[int]string{1: "1", 3: "9"}},                   // the other company's 9 do not count
		{code: "F-NEG", min: "0.5", track: true, levels: map[int]string{2: "-1"}},                            // below zero
		{code: "G-NOMIN", min: "0", track: true},                                                             // no minimum
		{code: "H-UNTRACKED", min: "5", track: false},                                                        // no stock control
		{code: "I-INACTIVE", min: "5", track: true, off: true},                                               // inactive
		{code: "J-BIG", min: "123456789.123456", track: true, levels: map[int]string{1: "123456789.123455"}}, // one micro below
		{code: "K-BIG-OK", min: "123456789.123456", track: true, levels: map[int]string{1: "123456789.123456"}},
	} {
		p := sales.DemoProducts()[0]
		p.Code, p.TrackStock, p.SellWithoutStock, p.MinStock, p.Active = tt.code, tt.track, true, dec(tt.min), !tt.off
		if err := f.s.CreateProduct(ctx, &p); err != nil {
			t.Fatal(err)
		}
		if got, err := f.s.FindProductByID(ctx, p.ID); err != nil || !got.MinStock.Equal(p.MinStock) || !got.SellWithoutStock {
			t.Fatalf("%s read back: minimum %s, sells without stock %v, %v; want %s and true", tt.code, got.MinStock, got.SellWithoutStock, err, tt.min)
		}
		for w, q := range tt.levels {
			if err := f.svc.Adjust(ctx, wh[w].Issuer, p.ID, wh[w].ID, dec(q), decimal.Zero, "Conteo"); err != nil {
				t.Fatalf("%s: adjust %s in %s: %v", tt.code, q, wh[w].Name, err)
			}
		}
	}
	rows, err := f.s.Short(ctx, rfc, 500)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Code)
	}
	if want := "A-NONE C-MICRO E-FOREIGN F-NEG J-BIG"; strings.Join(got, " ") != want {
		t.Errorf("Short = %v, want %s", got, want)
	}
	for _, r := range rows {
		if r.Code == "E-FOREIGN" && (!r.Qty.Equal(dec("1")) || !r.Minimum.Equal(dec("3"))) {
			t.Errorf("E-FOREIGN: qty %s, minimum %s; want 1 and 3", r.Qty, r.Minimum)
		}
	}
	if rows, err := f.s.Short(ctx, rfc, 2); err != nil || len(rows) != 2 || rows[1].Code != "C-MICRO" {
		t.Errorf("Short limited to 2 = %+v, %v", rows, err)
	}
}

// testConcurrentStock: two workstations post invoices of the same product
// from the same warehouse, and adjust and receive it, all at once, round
// after round: the level ends equal to the sum of the movements and to
// what the test counts, and its average cost to the one the purchases'
// history gives. A store that lets both read the level before either
// writes it loses one of the updates.
func testConcurrentStock(t *testing.T, f, g *stockFixture) {
	const rounds = 8
	f.buy(t, f.loose, f.main.ID, "100", "10")
	want := dec("100")
	for r := range rounds {
		errs := together(
			func() error {
				_, err := f.sellQuiet(map[*sales.Product]string{f.loose: "3"})
				return err
			},
			func() error {
				_, err := g.sellQuiet(map[*sales.Product]string{f.loose: "2"})
				return err
			},
			func() error {
				return f.svc.Adjust(f.ctx, f.co.RFC, f.loose.ID, f.main.ID, dec("-1"), decimal.Zero, "Merma")
			},
			func() error { return g.receive(f.loose, f.main.ID, "4", "10") },
		)
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d, move %d: %v", r, i, err)
			}
		}
		want = want.Sub(dec("3")).Sub(dec("2")).Sub(dec("1")).Add(dec("4"))
		if got := f.onHand(t, f.loose, f.main.ID); !got.Equal(want) {
			t.Fatalf("round %d: on hand %s, want %s", r, got, want)
		}
		f.checkLevels(t, fmt.Sprintf("round %d", r))
	}
	if l := g.level(t, f.loose, f.main.ID); !l.AvgCost.Equal(dec("10")) {
		t.Errorf("average cost %s, want 10 (every entry at 10)", l.AvgCost)
	}
}

// sellQuiet posts an invoice of the given quantities from the default
// warehouse, reporting instead of failing (it runs off the test's
// goroutine).
func (f *stockFixture) sellQuiet(qty map[*sales.Product]string) (sales.Invoice, error) {
	d, err := f.saleDraft(0, qty)
	if err != nil {
		return d, err
	}
	return f.post(d.ID, sales.PostOptions{})
}
