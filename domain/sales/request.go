package sales

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/inventory"
	"github.com/shopspring/decimal"
)

// Request describes a document to post from outside the window (`folio
// post`, integrations): the customer by RFC, lines by product code or typed
// by hand. Field names are the ones docs/post-json.md documents; amounts are
// decimal strings or JSON numbers, read exactly (never through float64).
type Request struct {
	Serie             string           `json:"serie"`
	ClienteRFC        string           `json:"cliente_rfc"`
	ClienteNombre     string           `json:"cliente_nombre,omitempty"` // only to pick among customers sharing a generic RFC
	UsoCFDI           string           `json:"uso_cfdi,omitempty"`       // default: the customer's
	Condiciones       string           `json:"condiciones,omitempty"`    // "contado" (default) or "credito"
	FormaPago         string           `json:"forma_pago,omitempty"`     // c_FormaPago; 99 on credit
	Moneda            string           `json:"moneda,omitempty"`         // default MXN
	TipoCambio        decimal.Decimal  `json:"tipo_cambio,omitempty"`
	CondicionesDePago string           `json:"condiciones_de_pago,omitempty"`
	Referencia        string           `json:"referencia,omitempty"` // the customer's order number
	Notas             string           `json:"notas,omitempty"`
	Global            *Global          `json:"global,omitempty"`
	Relacionados      []RequestRelated `json:"relacionados,omitempty"`
	NotaCredito       *RequestCredit   `json:"nota_credito,omitempty"` // a credit note (Egreso) against posted invoices
	Pago              *RequestPayment  `json:"pago,omitempty"`         // a payment receipt (CFDI Pago) of posted invoices
	Cuenta            string           `json:"cuenta,omitempty"`       // a cash sale: the cash or bank account it was collected into, by name or number; "" records none
	Bodega            string           `json:"bodega,omitempty"`       // the warehouse the stock exit leaves from, by name or number; "" the default
	Detalles          *RequestDetails  `json:"detalles,omitempty"`     // sale details: sellers, collect-from customer, shipping…
	Conceptos         []RequestLine    `json:"conceptos"`
}

// RequestCredit makes a Request a credit note: a return ("devolucion") or
// a rebate ("rebaja") against the invoices named in Facturas, each by
// "SERIE-FOLIO" or UUID. Its concepts name invoice lines (RequestLine's
// Factura, Producto or Linea) with the quantity returned (Cantidad) or the
// rebate per unit (Rebaja); everything else comes from the invoice.
type RequestCredit struct {
	Tipo     string   `json:"tipo"`
	Facturas []string `json:"facturas"`
}

// RequestRelated is one CfdiRelacionado of a Request.
type RequestRelated struct {
	TipoRelacion string `json:"tipo_relacion"`
	UUID         string `json:"uuid"`
}

// RequestLine is one concept of a Request: Producto names a product by its
// code (its keys, price and taxes are taken from the catalog, and any field
// given here overrides them), or the line is typed by hand. In a credit
// note, Producto (the line's NoIdentificacion) or Linea names a line of
// the invoice Factura, and only Cantidad (a return) or Rebaja (a rebate)
// is given.
type RequestLine struct {
	Producto      string           `json:"producto,omitempty"`
	Factura       string           `json:"factura,omitempty"` // credit note: one of NotaCredito.Facturas
	Linea         int              `json:"linea,omitempty"`   // credit note: the invoice's line, from 1
	Cantidad      decimal.Decimal  `json:"cantidad"`
	Rebaja        decimal.Decimal  `json:"rebaja,omitempty"` // credit note of kind rebaja: per unit
	Precio        *decimal.Decimal `json:"precio,omitempty"`
	Descuento     decimal.Decimal  `json:"descuento,omitempty"`
	Descripcion   string           `json:"descripcion,omitempty"`
	ClaveProdServ string           `json:"clave_prod_serv,omitempty"`
	ClaveUnidad   string           `json:"clave_unidad,omitempty"`
	Unidad        string           `json:"unidad,omitempty"`
	ObjetoImp     string           `json:"objeto_imp,omitempty"`
	Impuestos     *RequestTaxes    `json:"impuestos,omitempty"`
	// Tercero bills the concept on behalf of a third party of the catalog
	// (ACuentaTerceros).
	Tercero *RequestThirdParty `json:"tercero,omitempty"`
}

// RequestTaxes are the taxes of a typed line (rates as decimals: 0.16).
type RequestTaxes struct {
	IVA       decimal.Decimal `json:"iva"`
	IVAExento bool            `json:"iva_exento,omitempty"`
	IEPS      decimal.Decimal `json:"ieps,omitempty"`
	IEPSTipo  string          `json:"ieps_tipo,omitempty"` // "Tasa" or "Cuota"
	RetIVA    decimal.Decimal `json:"ret_iva,omitempty"`
	RetISR    decimal.Decimal `json:"ret_isr,omitempty"`
}

// Directory finds customers, products and posted documents for requests.
type Directory interface {
	FindCustomers(ctx context.Context, f CustomerFilter) ([]Customer, error)
	FindProducts(ctx context.Context, f ProductFilter) ([]Product, error)
	// FindDocument returns issuer's posted document named ref, its
	// "SERIE-FOLIO" or its UUID, as FindInvoiceByID does; NotFound when
	// there is none.
	FindDocument(ctx context.Context, issuer, ref string) (Invoice, error)
	// Credited returns what the live credit notes of invoice id took from
	// each of its lines.
	Credited(ctx context.Context, id int64) (Credited, error)
}

// Resolve turns r into a draft document of issuer: the customer found by
// RFC (and name, when several customers share it), each product by its
// exact code. A credit note (r.NotaCredito) is built from its invoices by
// BuildCredit with what their live notes already took, so the form's rules
// apply (the post checks them again, CheckCredit); cat gives the
// currency's decimals. Every problem is reported (Invalid, with the field).
func Resolve(ctx context.Context, dir Directory, cat Catalogs, issuer string, r Request) (Invoice, error) {
	if r.NotaCredito != nil {
		return resolveCredit(ctx, dir, cat, issuer, r)
	}
	if r.Pago != nil {
		return resolvePayment(ctx, dir, cat, issuer, r)
	}
	p := &problems{op: "resolve request"}
	inv := Invoice{
		Issuer: issuer, TipoDeComprobante: TipoIngreso, Serie: r.Serie, UsoCFDI: r.UsoCFDI,
		Terms: PaymentTerms(strings.ToLower(strings.TrimSpace(r.Condiciones))), FormaPago: r.FormaPago,
		Moneda: r.Moneda, TipoCambio: r.TipoCambio, CondicionesDePago: r.CondicionesDePago,
		OrderRef: r.Referencia, Notes: r.Notas, Global: r.Global,
	}
	switch inv.Terms {
	case "", Contado, Credito:
	default:
		p.add("condiciones", "Las condiciones deben ser «contado» o «credito».")
	}
	if r.Cuenta != "" {
		if inv.Terms == Credito {
			p.add("cuenta", "Una factura a crédito no registra su cobro al emitirse: quite «cuenta» y emita el recibo de pago cuando le paguen.")
		} else {
			id, msg, err := accountNamed(ctx, dir, issuer, r.Cuenta)
			if err != nil {
				return Invoice{}, err
			}
			if msg != "" {
				p.add("cuenta", msg)
			}
			inv.DepositAccount = id
		}
	}
	if strings.TrimSpace(r.Bodega) != "" {
		id, msg, err := warehouseNamed(ctx, dir, issuer, r.Bodega)
		if err != nil {
			return Invoice{}, err
		}
		if msg != "" {
			p.add("bodega", msg)
		}
		inv.WarehouseID = id
	}
	rfc := strings.ToUpper(strings.TrimSpace(r.ClienteRFC))
	if rfc == "" {
		p.add("cliente_rfc", "Indique el RFC del cliente.")
	} else {
		c, err := findCustomer(ctx, dir, rfc, r.ClienteNombre)
		switch {
		case err != nil && domain.KindOf(err) == domain.Invalid:
			p.add("cliente_rfc", domain.UserMessage(err))
		case err != nil:
			return Invoice{}, err
		default:
			inv.CustomerID, inv.Customer = c.ID, c
			if inv.UsoCFDI == "" {
				inv.UsoCFDI = c.UsoCFDI
			}
		}
	}
	if r.Detalles != nil {
		d, err := resolveDetails(ctx, dir, r.Detalles, p)
		if err != nil {
			return Invoice{}, err
		}
		inv.Details = d
	}
	for _, rel := range r.Relacionados {
		inv.Relations = append(inv.Relations, Relation{TipoRelacion: rel.TipoRelacion, UUID: rel.UUID})
	}
	if len(r.Conceptos) == 0 {
		p.add("conceptos", "Agregue al menos un concepto.")
	}
	for i, rl := range r.Conceptos {
		f := fmt.Sprintf("conceptos[%d]", i)
		if rl.Factura != "" || rl.Linea != 0 || !rl.Rebaja.IsZero() {
			p.add(f, "«factura», «linea» y «rebaja» solo se usan en una nota de crédito (con «nota_credito»).")
		}
		l := Line{}
		if code := strings.TrimSpace(rl.Producto); code != "" {
			prod, err := findProduct(ctx, dir, code)
			if err != nil {
				if domain.KindOf(err) != domain.Invalid {
					return Invoice{}, err
				}
				p.add(f+".producto", domain.UserMessage(err))
				continue
			}
			l = LineFromProduct(&prod, rl.Cantidad)
		} else if rl.Impuestos != nil {
			t := rl.Impuestos
			l.Taxes = Taxes{IVAExento: t.IVAExento, IVATasa: t.IVA, IEPSFactor: t.IEPSTipo, IEPSValor: t.IEPS, RetIVA: t.RetIVA, RetISR: t.RetISR}
		}
		l.Cantidad = rl.Cantidad
		if rl.Precio != nil {
			l.ValorUnitario = *rl.Precio
		}
		l.Descuento = rl.Descuento
		set := func(dst *string, v string) {
			if v = strings.TrimSpace(v); v != "" {
				*dst = v
			}
		}
		set(&l.Descripcion, rl.Descripcion)
		set(&l.ClaveProdServ, rl.ClaveProdServ)
		set(&l.ClaveUnidad, rl.ClaveUnidad)
		set(&l.Unidad, rl.Unidad)
		set(&l.ObjetoImp, rl.ObjetoImp)
		if rl.Producto != "" && rl.Impuestos != nil {
			t := rl.Impuestos
			l.Taxes = Taxes{IVAExento: t.IVAExento, IVATasa: t.IVA, IEPSFactor: t.IEPSTipo, IEPSValor: t.IEPS, RetIVA: t.RetIVA, RetISR: t.RetISR}
		}
		if rl.Producto == "" && rl.Precio == nil {
			p.add(f+".precio", "Indique el precio unitario del concepto (o el código de un producto).")
		}
		if rl.Tercero != nil {
			tp, err := resolveThirdParty(ctx, dir, issuer, rl.Tercero)
			if err != nil {
				if domain.KindOf(err) != domain.Invalid {
					return Invoice{}, err
				}
				p.add(f+".tercero", domain.UserMessage(err))
			}
			l.ThirdParty = tp
		}
		inv.Lines = append(inv.Lines, l)
	}
	return inv, p.err()
}

func findCustomer(ctx context.Context, dir Directory, rfc, name string) (Customer, error) {
	const op = "find customer by rfc"
	list, err := dir.FindCustomers(ctx, CustomerFilter{Query: rfc, Limit: 1000})
	if err != nil {
		return Customer{}, err
	}
	var found []Customer
	for _, c := range list {
		if c.RFC == rfc && (name == "" || strings.EqualFold(strings.TrimSpace(name), c.Name)) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 0:
		return Customer{}, domain.E(domain.Invalid, op, "No hay un cliente activo con el RFC "+rfc+"; délo de alta en Clientes.", nil)
	case 1:
		return found[0], nil
	}
	return Customer{}, domain.E(domain.Invalid, op, fmt.Sprintf("Hay %d clientes con el RFC %s: indique también «cliente_nombre».", len(found), rfc), nil)
}

func findProduct(ctx context.Context, dir Directory, code string) (Product, error) {
	list, err := dir.FindProducts(ctx, ProductFilter{Query: code, Limit: 1000})
	if err != nil {
		return Product{}, err
	}
	for _, p := range list {
		if strings.EqualFold(p.Code, code) {
			return p, nil
		}
	}
	return Product{}, domain.E(domain.Invalid, "find product by code", "No hay un producto activo con el código «"+code+"».", nil)
}

// WarehouseDirectory is what Resolve needs besides Directory to find the
// warehouse a request names (*sqlite.Store).
type WarehouseDirectory interface {
	Warehouses(ctx context.Context, issuer string) ([]inventory.Warehouse, error)
}

// warehouseNamed finds issuer's active warehouse by name (any case) or
// number; msg tells the user what is wrong when none matches.
func warehouseNamed(ctx context.Context, dir Directory, issuer, name string) (id int64, msg string, err error) {
	wd, ok := dir.(WarehouseDirectory)
	if !ok {
		return 0, "Este almacén no lleva existencias: quite «bodega».", nil
	}
	all, err := wd.Warehouses(ctx, issuer)
	if err != nil {
		return 0, "", err
	}
	name = strings.TrimSpace(name)
	var names []string
	for _, w := range all {
		if !w.Active {
			continue
		}
		if strings.EqualFold(w.Name, name) || strconv.FormatInt(w.ID, 10) == name {
			return w.ID, "", nil
		}
		names = append(names, w.Name)
	}
	if len(names) == 0 {
		return 0, fmt.Sprintf("No hay una bodega activa «%s»; la empresa aún no tiene bodegas: quite «bodega» para usar la principal.", name), nil
	}
	return 0, fmt.Sprintf("No hay una bodega activa «%s»; las bodegas de la empresa son: %s.", name, strings.Join(names, ", ")), nil
}
