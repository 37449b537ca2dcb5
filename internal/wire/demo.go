package wire

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/folio-mx/folio/assets"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/folio-mx/folio/domain/csd"
	"github.com/folio-mx/folio/domain/inventory"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/sat"
	"github.com/shopspring/decimal"
)

// EnsureDemoCompany returns the stored demo company, saving it first if
// this database does not have it.
func EnsureDemoCompany(ctx context.Context, s Store) (*sales.Company, error) {
	list, err := s.ListCompanies(ctx)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].RFC == sales.DemoRFC {
			return &list[i], nil
		}
	}
	co := sales.DemoCompany()
	if err := s.SaveCompany(ctx, co); err != nil {
		return nil, err
	}
	return co, nil
}

// SeedDemo creates the demo company (SAT's test CSD EKU9003173C9) with its
// series, customers, products and a few invoices sealed and queued for
// stamping, and makes it the active company. It does nothing but activate
// the company when the demo data already exist. Progress lines go to out.
// `folio demo` and the window's first-run screen share it.
func SeedDemo(ctx context.Context, s Store, out io.Writer) (*sales.Company, error) {
	co, err := EnsureDemoCompany(ctx, s)
	if err != nil {
		return nil, err
	}
	if err := s.SetActiveCompany(ctx, co.ID); err != nil {
		return nil, err
	}
	series, err := s.FindSeries(ctx, co.RFC)
	if err != nil {
		return nil, err
	}
	if len(series) > 0 {
		fmt.Fprintf(out, "La empresa de demostración %s ya tiene datos en %s.\n", co.Nombre, s.Path())
		return co, nil
	}
	cat, err := sat.NewCatalogs(assets.Catalogs)
	if err != nil {
		return nil, err
	}
	signer, err := csd.Load(assets.DemoCertificate, assets.DemoKey, assets.DemoKeyPassword)
	if err != nil {
		return nil, err
	}
	for _, sr := range []sales.Series{{Serie: "A", TipoDeComprobante: sales.TipoIngreso}, {Serie: "NC", TipoDeComprobante: sales.TipoEgreso},
		{Serie: "P", TipoDeComprobante: sales.TipoPago}} {
		sr.Issuer, sr.NextFolio, sr.Active = co.RFC, 1, true
		if err := s.CreateSeries(ctx, &sr); err != nil {
			return nil, err
		}
	}
	// A cash box and a bank account, so that payments and cash refunds of
	// the demo are recorded somewhere from the first try.
	for _, a := range []banks.Account{{Kind: banks.Caja, Name: "Caja", Moneda: "MXN"},
		{Kind: banks.Banco, Name: "Banco de demostración", Bank: "Banco de demostración", Moneda: "MXN"}} {
		a.Issuer, a.Active = co.RFC, true
		if err := s.CreateAccount(ctx, &a); err != nil {
			return nil, err
		}
	}
	var customers []sales.Customer
	for _, c := range sales.DemoCustomers() {
		c.Normalize()
		if err := c.Validate(cat); err != nil {
			return nil, fmt.Errorf("demo customer %s: %w", c.RFC, err)
		}
		if err := s.CreateCustomer(ctx, &c); err != nil {
			return nil, err
		}
		customers = append(customers, c)
	}
	var products []sales.Product
	for _, p := range sales.DemoProducts() {
		p.Normalize()
		if err := p.Validate(cat); err != nil {
			return nil, fmt.Errorf("demo product %s: %w", p.Code, err)
		}
		if err := s.CreateProduct(ctx, &p); err != nil {
			return nil, err
		}
		products = append(products, p)
	}
	if err := demoOpeningStock(ctx, s, co.RFC, products); err != nil {
		return nil, err
	}
	svc := &sales.Service{Invoices: s, Catalogs: cat}
	for _, inv := range demoInvoices(co, customers, products) {
		if _, err := svc.SaveDraft(ctx, &inv); err != nil {
			return nil, err
		}
		posted, err := svc.Post(ctx, inv.ID, co, signer, sales.PostOptions{})
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(out, "Factura %s para %s: total %s %s (sellada, en cola de timbrado)\n",
			posted.FolioText(), posted.Customer.Name, posted.Total.StringFixed(2), posted.Moneda)
	}
	fmt.Fprintf(out, "Empresa de demostración %s lista en %s: %d clientes, %d productos.\n",
		co.Nombre, s.Path(), len(customers), len(products))
	return co, nil
}

// demoOpeningStock records the demo's opening stock of its products
// under stock control in the default warehouse, as an adjustment with a
// cost, so that Existencias shows what the demo invoices took from it
// rather than negative quantities. A store that keeps no stock is left
// alone.
func demoOpeningStock(ctx context.Context, s Store, issuer string, products []sales.Product) error {
	st, ok := s.(inventory.Store)
	if !ok {
		return nil
	}
	d := decimal.RequireFromString
	opening := map[string][2]decimal.Decimal{ // quantity, unit cost
		"LAP-14": {d("10"), d("11500")}, "MOU-01": {d("40"), d("180")}, "ALI-CAFE": {d("60"), d("150")},
	}
	return st.StockTx(ctx, func(tx inventory.StoreTx) error {
		w, err := inventory.DefaultWarehouse(ctx, tx, issuer)
		if err != nil {
			return err
		}
		var moves []inventory.Movement
		for _, p := range products {
			o, ok := opening[p.Code]
			if !ok || !p.TrackStock {
				continue
			}
			moves = append(moves, inventory.Movement{Issuer: issuer, ProductID: p.ID, WarehouseID: w.ID, Kind: inventory.Adjustment,
				Qty: o[0], UnitCost: o[1], Fecha: time.Now(), Reason: "Inventario inicial de demostración"})
		}
		_, err = inventory.Apply(ctx, tx, moves, false)
		return err
	})
}

// demoInvoices returns a cash sale, a credit sale with withholdings and a
// factura global, for the demo customers and products.
func demoInvoices(co *sales.Company, cs []sales.Customer, ps []sales.Product) []sales.Invoice {
	d := decimal.RequireFromString
	now := time.Now().In(domain.MexicoCity)
	head := func(c sales.Customer) sales.Invoice {
		return sales.Invoice{Issuer: co.RFC, Serie: "A", CustomerID: c.ID, Customer: c, UsoCFDI: c.UsoCFDI,
			Terms: sales.Contado, FormaPago: "03", Moneda: "MXN"}
	}
	cash := head(cs[0])
	cash.Lines = []sales.Line{sales.LineFromProduct(&ps[0], d("1")), sales.LineFromProduct(&ps[1], d("2"))}
	credit := head(cs[1])
	credit.Terms, credit.CondicionesDePago = sales.Credito, "30 días"
	credit.Lines = []sales.Line{sales.LineFromProduct(&ps[2], d("12"))}
	global := head(cs[2])
	global.FormaPago = "01"
	global.Global = &sales.Global{Periodicidad: "04", Meses: fmt.Sprintf("%02d", int(now.Month())), Anio: fmt.Sprint(now.Year())}
	global.Lines = []sales.Line{{Cantidad: d("1"), ClaveProdServ: sales.ClaveProdServGlobal, ClaveUnidad: sales.ClaveUnidadGlobal,
		Descripcion: "Venta", ValorUnitario: d("2450.00"), ObjetoImp: sales.ObjetoImpSi, Taxes: sales.Taxes{IVATasa: d("0.16")}}}
	return []sales.Invoice{cash, credit, global}
}
