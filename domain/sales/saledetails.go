package sales

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// SaleDetails are the header data of a sale beyond the CFDI (design:
// facturación a terceros): who sold and answered for it, whom the
// receivable is charged to, where the goods go, how they travel and who
// handed and received them. They print on the document and feed reports;
// only CollectFromID changes what Folio does (the customer the receivable
// is created under). An ordinary invoice has none (Invoice.Details nil).
type SaleDetails struct {
	Branch        string // the company's own branch that sold (sucursal propia)
	Seller        string // vendedor
	Responsible   string // persona responsable
	CollectFromID int64  // "Cuenta x cobrar a": customer the receivable is under; 0 = the invoiced customer
	ShipTo        string // "Enviar a"
	Shipping      Shipping
	Management    Management
	Sellers       []SellerShare // with "Permitir múltiples vendedores por venta"
}

// Shipping are the shipping data of a sale.
type Shipping struct {
	Vessel          string // buque
	Voyage          string // viaje
	Container       string // número de contenedor
	Seal            string // sello / marchamo
	ExitPort        string // puerto o ruta de salida
	DestinationPort string // puerto de destino
	Terms           string // condiciones de embarque
	ContactName     string
	ContactReach    string // phone or e-mail of the contact
	Incoterm        string // one of Incoterms, or ""
	ShipDate        time.Time
	DispatchDate    time.Time
}

// Management is who handled the document and the goods.
type Management struct {
	GeneratedBy   string
	GeneratedByID string // identification document of GeneratedBy
	VehiclePlate  string // placas del vehículo de entrega
	ReceivedBy    string
	ReceivedByID  string // identification document of ReceivedBy
	Observations  string
}

// SellerShare is one seller of a sale and their commission percentage
// (0–100, up to two decimals).
type SellerShare struct {
	Name    string
	Percent decimal.Decimal
}

// Incoterms are the Incoterms 2020 rules a sale may name.
var Incoterms = []string{"EXW", "FCA", "FAS", "FOB", "CFR", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP"}

// Normalize trims the text fields and upper-cases the Incoterm.
func (d *SaleDetails) Normalize() {
	for _, s := range []*string{&d.Branch, &d.Seller, &d.Responsible, &d.ShipTo,
		&d.Shipping.Vessel, &d.Shipping.Voyage, &d.Shipping.Container, &d.Shipping.Seal, &d.Shipping.ExitPort,
		&d.Shipping.DestinationPort, &d.Shipping.Terms, &d.Shipping.ContactName, &d.Shipping.ContactReach,
		&d.Management.GeneratedBy, &d.Management.GeneratedByID, &d.Management.VehiclePlate,
		&d.Management.ReceivedBy, &d.Management.ReceivedByID} {
		*s = strings.Join(strings.Fields(*s), " ")
	}
	d.Shipping.Incoterm = strings.ToUpper(strings.TrimSpace(d.Shipping.Incoterm))
	d.Management.Observations = strings.TrimSpace(d.Management.Observations)
	for i := range d.Sellers {
		d.Sellers[i].Name = strings.Join(strings.Fields(d.Sellers[i].Name), " ")
	}
}

// Validate checks the details: sellers named, each percentage between 0
// and 100 with up to two decimals and their sum at most 100; the Incoterm
// one of Incoterms or empty; the collect-from customer not negative. It
// reports every problem at once as FieldErrors (fields "Details.…").
func (d *SaleDetails) Validate() error {
	p := &problems{op: "validate sale details"}
	if d.CollectFromID < 0 {
		p.add("Details.CollectFromID", "Elija el cliente a cuya cuenta se cobra la venta.")
	}
	if d.Shipping.Incoterm != "" && !slices.Contains(Incoterms, d.Shipping.Incoterm) {
		p.add("Details.Shipping.Incoterm", "Elija un Incoterm de la lista: "+strings.Join(Incoterms, ", ")+".")
	}
	hundred := decimal.NewFromInt(100)
	sum := decimal.Zero
	for i, s := range d.Sellers {
		field := fmt.Sprintf("Details.Sellers[%d]", i)
		if s.Name == "" {
			p.add(field+".Name", fmt.Sprintf("Vendedor %d: escriba su nombre.", i+1))
		}
		if s.Percent.IsNegative() || s.Percent.GreaterThan(hundred) || !maxPlaces(s.Percent, 2) {
			p.add(field+".Percent", fmt.Sprintf("Vendedor %d: la comisión debe ser un porcentaje entre 0 y 100 con máximo dos decimales.", i+1))
		}
		sum = sum.Add(s.Percent)
	}
	if sum.GreaterThan(hundred) {
		p.add("Details.Sellers", "Las comisiones de los vendedores suman "+sum.String()+" %; no pueden pasar de 100 %.")
	}
	return p.err()
}

// ReceivableCustomerID returns the customer the invoice's receivable is
// created under: the "Cuenta x cobrar a" customer of its details, or the
// invoiced customer.
func (inv *Invoice) ReceivableCustomerID() int64 {
	if inv.Details != nil && inv.Details.CollectFromID != 0 {
		return inv.Details.CollectFromID
	}
	return inv.CustomerID
}
