package sales

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/inventory"
	"github.com/shopspring/decimal"
)

// stockTx is a posting transaction that keeps stock in memory: the
// inventory.Tx moveStock uses (PostTx's other methods are not called).
type stockTx struct {
	PostTx
	items      map[int64]inventory.Item
	warehouses map[int64]inventory.Warehouse
	levels     map[[2]int64]inventory.Level
	recorded   []inventory.Movement
	exits      map[int64][]inventory.Movement // by invoice
}

func (f *stockTx) Item(_ context.Context, id int64) (inventory.Item, error) {
	it, ok := f.items[id]
	if !ok {
		return it, domain.E(domain.NotFound, "item", "No existe.", nil)
	}
	return it, nil
}

func (f *stockTx) Level(_ context.Context, p, w int64) (inventory.Level, error) {
	return f.levels[[2]int64{p, w}], nil
}

func (f *stockTx) Warehouse(_ context.Context, id int64) (inventory.Warehouse, error) {
	w, ok := f.warehouses[id]
	if !ok {
		return w, domain.E(domain.NotFound, "warehouse", "La bodega no existe.", nil)
	}
	return w, nil
}

func (f *stockTx) DefaultWarehouse(_ context.Context, issuer string) (inventory.Warehouse, error) {
	for _, w := range f.warehouses {
		if w.Issuer == issuer && w.Default {
			return w, nil
		}
	}
	return inventory.Warehouse{}, domain.E(domain.NotFound, "warehouse", "Sin bodega.", nil)
}

func (f *stockTx) CreateWarehouse(context.Context, *inventory.Warehouse) error {
	panic("the fixture has a default warehouse")
}

func (f *stockTx) Record(_ context.Context, m *inventory.Movement, after inventory.Level) error {
	f.levels[[2]int64{m.ProductID, m.WarehouseID}] = after
	f.recorded = append(f.recorded, *m)
	return nil
}

func (f *stockTx) DocumentMovements(_ context.Context, id int64) ([]inventory.Movement, error) {
	return f.exits[id], nil
}

// TestMoveStockWarehouse: an invoice's exit leaves the warehouse it names
// (the default when none), a warehouse of another company or an inactive
// one is refused with a Spanish reason, lines on behalf of a third party
// never move stock, and a return goes back to the warehouse of its
// invoice's exit whatever warehouse the note names.
func TestMoveStockWarehouse(t *testing.T) {
	const rfc = "EKU9003173C9"
	const (
		matriz, sucursal, cerrada, ajena = 1, 2, 3, 4
		laptop                           = 10
	)
	d := decimal.RequireFromString
	newTx := func() *stockTx {
		return &stockTx{
			items: map[int64]inventory.Item{laptop: {ProductID: laptop, Code: "LAP-14", Description: "Laptop", Tracked: true}},
			warehouses: map[int64]inventory.Warehouse{
				matriz:   {ID: matriz, Issuer: rfc, Name: "Matriz", Default: true, Active: true},
				sucursal: {ID: sucursal, Issuer: rfc, Name: "Sucursal", Active: true},
				cerrada:  {ID: cerrada, Issuer: rfc, Name: "Cerrada"},
				ajena:    {ID: ajena, Issuer: "XAXX010101000", Name: "Ajena", Default: true, Active: true},
			},
			levels: map[[2]int64]inventory.Level{
				{laptop, matriz}:   {ProductID: laptop, WarehouseID: matriz, Qty: d("5"), AvgCost: d("100")},
				{laptop, sucursal}: {ProductID: laptop, WarehouseID: sucursal, Qty: d("5"), AvgCost: d("200")},
				{laptop, cerrada}:  {ProductID: laptop, WarehouseID: cerrada, Qty: d("5"), AvgCost: d("300")},
			},
			exits: map[int64][]inventory.Movement{
				7: {{ProductID: laptop, WarehouseID: sucursal, Kind: inventory.Sale, Qty: d("-2"), UnitCost: d("200")}},
			},
		}
	}
	line := Line{ProductID: laptop, Cantidad: d("2")}
	onBehalf := line
	onBehalf.ThirdParty = &ThirdPartyRef{ID: 1, RFC: "XIA190128J61"}
	credit := line
	credit.Credits = &LineRef{InvoiceID: 7, Line: 1}
	tests := []struct {
		name    string
		inv     Invoice
		wantWH  int64  // the warehouse that moved, 0 for none
		wantQty string // its quantity on hand after
		wantErr string // part of the refusal
	}{
		{"default when none chosen", Invoice{TipoDeComprobante: TipoIngreso, Lines: []Line{line}}, matriz, "3", ""},
		{"the chosen warehouse", Invoice{TipoDeComprobante: TipoIngreso, WarehouseID: sucursal, Lines: []Line{line}}, sucursal, "3", ""},
		{"another company's", Invoice{TipoDeComprobante: TipoIngreso, WarehouseID: ajena, Lines: []Line{line}}, 0, "", "es de otra empresa"},
		{"inactive", Invoice{TipoDeComprobante: TipoIngreso, WarehouseID: cerrada, Lines: []Line{line}}, 0, "", "«Cerrada» está inactiva"},
		{"gone", Invoice{TipoDeComprobante: TipoIngreso, WarehouseID: 99, Lines: []Line{line}}, 0, "", "ya no existe"},
		{"third party only, even from an inactive one", Invoice{TipoDeComprobante: TipoIngreso, WarehouseID: cerrada, Lines: []Line{onBehalf}}, 0, "", ""},
		{"return to the exit's warehouse", Invoice{TipoDeComprobante: TipoEgreso, CreditKind: Devolucion, WarehouseID: matriz, Lines: []Line{credit}}, sucursal, "7", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tx := newTx()
			tt.inv.Issuer, tt.inv.ID = rfc, 8
			err := moveStock(context.Background(), tx, &tt.inv)
			if tt.wantErr != "" {
				if domain.KindOf(err) != domain.Invalid || !strings.Contains(domain.UserMessage(err), tt.wantErr) {
					t.Fatalf("err = %v, want Invalid with %q", err, tt.wantErr)
				}
				if len(tx.recorded) != 0 {
					t.Errorf("a refused invoice recorded %+v", tx.recorded)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantWH == 0 {
				if len(tx.recorded) != 0 {
					t.Errorf("recorded %+v, want no movement", tx.recorded)
				}
				return
			}
			if len(tx.recorded) != 1 || tx.recorded[0].WarehouseID != tt.wantWH {
				t.Fatalf("recorded %+v, want one movement in warehouse %d", tx.recorded, tt.wantWH)
			}
			if got := tx.levels[[2]int64{laptop, tt.wantWH}].Qty; !got.Equal(d(tt.wantQty)) {
				t.Errorf("on hand %s, want %s", got, tt.wantQty)
			}
			for w := range tx.warehouses {
				if w != tt.wantWH && !tx.levels[[2]int64{laptop, w}].Qty.Equal(d("5")) && w != ajena {
					t.Errorf("warehouse %d changed to %s", w, tx.levels[[2]int64{laptop, w}].Qty)
				}
			}
		})
	}
}

// whDir is a Directory with customer 3 and a WarehouseDirectory.
type whDir struct {
	payDir
	warehouses []inventory.Warehouse
}

func (d whDir) Warehouses(context.Context, string) ([]inventory.Warehouse, error) {
	return d.warehouses, nil
}

// TestResolveWarehouse: `folio post`'s "bodega" names an active warehouse
// of the company by name (any case) or number; another name is refused
// listing the active ones, and a store without stock refuses the field.
func TestResolveWarehouse(t *testing.T) {
	dir := whDir{warehouses: []inventory.Warehouse{
		{ID: 1, Name: "Matriz", Default: true, Active: true}, {ID: 2, Name: "Sucursal Norte", Active: true}, {ID: 3, Name: "Cerrada"}}}
	one := decimal.RequireFromString("1")
	req := func(bodega string) Request {
		return Request{Serie: "A", ClienteRFC: "CACX7605101P8", Bodega: bodega, Conceptos: []RequestLine{{Cantidad: one,
			Precio: &one, Descripcion: "Servicio", ClaveProdServ: "81112100", ClaveUnidad: "E48", ObjetoImp: "02",
			Impuestos: &RequestTaxes{IVA: decimal.RequireFromString("0.16")}}}}
	}
	tests := []struct {
		dir     Directory
		bodega  string
		want    int64
		wantErr string
	}{
		{dir, "", 0, ""},
		{dir, " sucursal norte ", 2, ""},
		{dir, "2", 2, ""},
		{dir, "Cerrada", 0, "las bodegas de la empresa son: Matriz, Sucursal Norte."},
		{dir, "3", 0, "No hay una bodega activa «3»"},
		{dir.payDir, "Matriz", 0, "no lleva existencias"},
	}
	for _, tt := range tests {
		inv, err := Resolve(context.Background(), tt.dir, fakeCatalogs{}, "EKU9003173C9", req(tt.bodega))
		if tt.wantErr != "" {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "bodega" || !strings.Contains(domain.UserMessage(fe.Err), tt.wantErr) {
				t.Errorf("bodega %q: %v; want field bodega with %q", tt.bodega, err, tt.wantErr)
			}
			continue
		}
		if err != nil || inv.WarehouseID != tt.want {
			t.Errorf("bodega %q: warehouse %d, %v; want %d", tt.bodega, inv.WarehouseID, err, tt.want)
		}
	}
}
