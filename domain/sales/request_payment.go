package sales

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/banks"
	"github.com/shopspring/decimal"
)

// RequestPayment makes a Request a payment receipt (CFDI "Pago" with the
// Pagos 2.0 complement): the money received and the invoices it pays,
// each named by "SERIE-FOLIO" or UUID with the amount applied in the
// invoice's currency. Without Facturas, Monto pays the customer's
// (cliente_rfc) open invoices in the payment's currency, oldest first.
type RequestPayment struct {
	FechaPago    string          `json:"fecha_pago"` // "2026-11-20T17:18:19" (Mexico City), "2026-11-20" or RFC 3339
	FormaPago    string          `json:"forma_pago"` // c_FormaPago, not 99
	Moneda       string          `json:"moneda,omitempty"`
	TipoCambio   decimal.Decimal `json:"tipo_cambio,omitempty"`
	Monto        decimal.Decimal `json:"monto"`
	NumOperacion string          `json:"num_operacion,omitempty"`
	Cuenta       string          `json:"cuenta,omitempty"` // the cash or bank account it went into, by name or number; "" records none
	Facturas     []RequestPaid   `json:"facturas,omitempty"`
}

// AccountDirectory lists the company's cash and bank accounts, for a
// payment request that names one (*sqlite.Store satisfies it).
type AccountDirectory interface {
	FindAccounts(ctx context.Context, issuer string) ([]banks.Account, error)
}

// accountNamed finds issuer's account named name (its name, case and
// accents as typed, or its id): the post checks it again inside its
// transaction (active, currency).
func accountNamed(ctx context.Context, dir Directory, issuer, name string) (int64, string, error) {
	ad, ok := dir.(AccountDirectory)
	if !ok {
		return 0, "", domain.E(domain.Internal, "resolve payment", "Este almacén no registra cuentas de caja y bancos.", nil)
	}
	accts, err := ad.FindAccounts(ctx, issuer)
	if err != nil {
		return 0, "", err
	}
	name = strings.TrimSpace(name)
	var names []string
	for _, a := range accts {
		if strings.EqualFold(a.Name, name) || strconv.FormatInt(a.ID, 10) == name {
			return a.ID, "", nil
		}
		names = append(names, a.Name)
	}
	return 0, fmt.Sprintf("No hay una cuenta «%s»; las cuentas de la empresa son: %s.", name, strings.Join(names, ", ")), nil
}

// RequestPaid is one invoice a payment pays: Importe in the invoice's
// currency (ImpPagado) and, when it is not the payment's, Equivalencia
// (units of the invoice's currency per unit of the payment's).
type RequestPaid struct {
	Factura      string          `json:"factura"`
	Importe      decimal.Decimal `json:"importe"`
	Equivalencia decimal.Decimal `json:"equivalencia,omitempty"`
}

// PaymentDirectory is what Resolve needs besides Directory to resolve a
// payment: the payable invoices, as the store has them now.
type PaymentDirectory interface {
	PayableInvoices(ctx context.Context, issuer string, customerID int64) ([]Payable, error)
	Payable(ctx context.Context, id int64) (Payable, error)
}

// resolvePayment turns a payment request into the draft BuildPayment
// builds from the invoices as the store has them; the post builds it again
// inside its transaction (CheckPayment).
func resolvePayment(ctx context.Context, dir Directory, cat Catalogs, issuer string, r Request) (Invoice, error) {
	const op = "resolve payment"
	p := &problems{op: op}
	pd, ok := dir.(PaymentDirectory)
	if !ok {
		return Invoice{}, domain.E(domain.Internal, op, "Este almacén no registra complementos de pago.", nil)
	}
	pg := r.Pago
	if len(r.Conceptos) > 0 || r.NotaCredito != nil || r.Global != nil || len(r.Relacionados) > 0 || r.Condiciones != "" || r.FormaPago != "" {
		p.add("pago", "Un complemento de pago lleva solo «serie», «cliente_rfc» y «pago»: su concepto, uso y moneda los fija el SAT.")
	}
	in := PaymentInput{FormaDePagoP: pg.FormaPago, MonedaP: pg.Moneda, TipoCambioP: pg.TipoCambio, Monto: pg.Monto, NumOperacion: pg.NumOperacion}
	if pg.Cuenta != "" {
		id, msg, err := accountNamed(ctx, dir, issuer, pg.Cuenta)
		if err != nil {
			return Invoice{}, err
		}
		if msg != "" {
			p.add("pago.cuenta", msg)
		}
		in.AccountID = id
	}
	fecha, err := parseFechaPago(pg.FechaPago)
	if err != nil {
		p.add("pago.fecha_pago", "Escriba la fecha del pago como 2026-11-20T17:18:19 (hora de la Ciudad de México) o 2026-11-20.")
	}
	in.FechaPago = fecha
	var customer *Customer
	if rfc := strings.ToUpper(strings.TrimSpace(r.ClienteRFC)); rfc != "" {
		c, err := findCustomer(ctx, dir, rfc, r.ClienteNombre)
		switch {
		case err != nil && domain.KindOf(err) == domain.Invalid:
			p.add("cliente_rfc", domain.UserMessage(err))
		case err != nil:
			return Invoice{}, err
		default:
			customer = &c
		}
	}
	var open []Payable
	if len(pg.Facturas) == 0 {
		if customer == nil {
			p.add("pago.facturas", "Indique las facturas que se pagan (SERIE-FOLIO o UUID) o el RFC del cliente para pagar sus facturas más antiguas.")
			return Invoice{}, p.err()
		}
		if open, err = pd.PayableInvoices(ctx, issuer, customer.ID); err != nil {
			return Invoice{}, err
		}
	}
	for i, f := range pg.Facturas {
		field := fmt.Sprintf("pago.facturas[%d]", i)
		ref := strings.TrimSpace(f.Factura)
		inv, err := dir.FindDocument(ctx, issuer, ref)
		switch {
		case domain.KindOf(err) == domain.NotFound:
			p.add(field, fmt.Sprintf("No hay una factura emitida «%s» de esta empresa (escriba SERIE-FOLIO, p. ej. A-12, o su UUID).", ref))
			continue
		case err != nil:
			return Invoice{}, err
		}
		// The invoice's receptor, or the customer it is collected from
		// ("Cuenta x cobrar a"); the receipt goes to the receptor anyway.
		if customer != nil && inv.CustomerID != customer.ID && inv.ReceivableCustomerID() != customer.ID {
			p.add(field, fmt.Sprintf("La factura %s es de otro cliente, no de %s.", inv.FolioText(), customer.RFC))
			continue
		}
		pay, err := pd.Payable(ctx, inv.ID)
		if err != nil {
			if domain.KindOf(err) == domain.Invalid {
				p.add(field, domain.UserMessage(err))
				continue
			}
			return Invoice{}, err
		}
		open = append(open, pay)
		in.Apply = append(in.Apply, Application{InvoiceID: inv.ID, ImpPagado: f.Importe, EquivalenciaDR: f.Equivalencia})
	}
	if err := p.err(); err != nil {
		return Invoice{}, err
	}
	return BuildPayment(r.Serie, in, open, cat)
}

// parseFechaPago reads the date and time a payment was received: local
// time of Mexico City without zone (the CFDI's form), a date alone (noon
// that day), or RFC 3339.
func parseFechaPago(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation(FechaLayout, s, domain.MexicoCity); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, domain.MexicoCity); err == nil {
		return t.Add(12 * time.Hour), nil
	}
	return time.Parse(time.RFC3339, s)
}
