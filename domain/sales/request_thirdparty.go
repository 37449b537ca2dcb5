package sales

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/shopspring/decimal"
)

// RequestThirdParty names, in a Request's concept, the third party of the
// catalog on whose behalf it is billed (ACuentaTerceros): by its id or by
// its RFC.
type RequestThirdParty struct {
	ID  int64  `json:"id,omitempty"`
	RFC string `json:"rfc,omitempty"`
}

// RequestDetails are a Request's sale details (SaleDetails): the
// "Cuenta x cobrar a" customer by RFC (cobrar_a, and cobrar_a_nombre when
// several share it), shipping, document management and sellers. Dates are
// AAAA-MM-DD.
type RequestDetails struct {
	Sucursal      string             `json:"sucursal,omitempty"`
	Vendedor      string             `json:"vendedor,omitempty"`
	Responsable   string             `json:"responsable,omitempty"`
	CobrarA       string             `json:"cobrar_a,omitempty"`
	CobrarANombre string             `json:"cobrar_a_nombre,omitempty"`
	EnviarA       string             `json:"enviar_a,omitempty"`
	Embarque      *RequestShipping   `json:"embarque,omitempty"`
	Gestion       *RequestManagement `json:"gestion,omitempty"`
	Vendedores    []RequestSeller    `json:"vendedores,omitempty"`
}

// RequestShipping is "embarque" of RequestDetails (Shipping).
type RequestShipping struct {
	Buque         string `json:"buque,omitempty"`
	Viaje         string `json:"viaje,omitempty"`
	Contenedor    string `json:"contenedor,omitempty"`
	Sello         string `json:"sello,omitempty"`
	PuertoSalida  string `json:"puerto_salida,omitempty"`
	PuertoDestino string `json:"puerto_destino,omitempty"`
	Condiciones   string `json:"condiciones,omitempty"`
	Contacto      string `json:"contacto,omitempty"`
	ContactoMedio string `json:"contacto_telefono_correo,omitempty"`
	Incoterm      string `json:"incoterm,omitempty"`
	FechaEmbarque string `json:"fecha_embarque,omitempty"`
	FechaDespacho string `json:"fecha_despacho,omitempty"`
}

// RequestManagement is "gestion" of RequestDetails (Management).
type RequestManagement struct {
	Genero        string `json:"genero,omitempty"`
	GeneroID      string `json:"genero_identificacion,omitempty"`
	Placas        string `json:"placas,omitempty"`
	Recibio       string `json:"recibio,omitempty"`
	RecibioID     string `json:"recibio_identificacion,omitempty"`
	Observaciones string `json:"observaciones,omitempty"`
}

// RequestSeller is one of "vendedores": a name and a commission percentage.
type RequestSeller struct {
	Nombre     string          `json:"nombre"`
	Porcentaje decimal.Decimal `json:"porcentaje"`
}

// ThirdPartyDirectory finds an issuer's third parties for requests
// (ThirdPartyStore.FindThirdParties).
type ThirdPartyDirectory interface {
	FindThirdParties(ctx context.Context, f ThirdPartyFilter) ([]ThirdParty, error)
}

// resolveThirdParty returns the snapshot of the active third party of
// issuer that r names. The post takes it again from the catalog.
func resolveThirdParty(ctx context.Context, dir Directory, issuer string, r *RequestThirdParty) (*ThirdPartyRef, error) {
	const op = "find third party"
	td, ok := dir.(ThirdPartyDirectory)
	if !ok {
		return nil, domain.E(domain.Invalid, op, "Este almacén no tiene catálogo de terceros.", nil)
	}
	rfc := strings.ToUpper(strings.TrimSpace(r.RFC))
	if r.ID == 0 && rfc == "" {
		return nil, domain.E(domain.Invalid, op, "Indique el tercero por su «id» del catálogo o su «rfc».", nil)
	}
	list, err := td.FindThirdParties(ctx, ThirdPartyFilter{Issuer: issuer, Query: rfc, Limit: 1000})
	if err != nil {
		return nil, err
	}
	for _, t := range list {
		if (r.ID == 0 || t.ID == r.ID) && (rfc == "" || t.RFC == rfc) {
			return t.Ref(), nil
		}
	}
	who := rfc
	if r.ID != 0 {
		who = fmt.Sprint("id ", r.ID)
	}
	return nil, domain.E(domain.Invalid, op, "No hay un tercero activo con "+who+" en el catálogo de terceros de la empresa; délo de alta (folio tercero alta).", nil)
}

// resolveDetails turns r into SaleDetails, finding the collect-from
// customer by RFC; problems go to p under "detalles".
func resolveDetails(ctx context.Context, dir Directory, r *RequestDetails, p *problems) (*SaleDetails, error) {
	d := &SaleDetails{Branch: r.Sucursal, Seller: r.Vendedor, Responsible: r.Responsable, ShipTo: r.EnviarA}
	if rfc := strings.ToUpper(strings.TrimSpace(r.CobrarA)); rfc != "" {
		c, err := findCustomer(ctx, dir, rfc, r.CobrarANombre)
		switch {
		case err != nil && domain.KindOf(err) == domain.Invalid:
			p.add("detalles.cobrar_a", domain.UserMessage(err))
		case err != nil:
			return nil, err
		default:
			d.CollectFromID = c.ID
		}
	}
	day := func(field, v string) time.Time {
		if strings.TrimSpace(v) == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(v), domain.MexicoCity)
		if err != nil {
			p.add(field, fmt.Sprintf("La fecha debe escribirse AAAA-MM-DD (p. ej. 2026-01-31); se recibió %q.", v))
		}
		return t
	}
	if e := r.Embarque; e != nil {
		d.Shipping = Shipping{Vessel: e.Buque, Voyage: e.Viaje, Container: e.Contenedor, Seal: e.Sello,
			ExitPort: e.PuertoSalida, DestinationPort: e.PuertoDestino, Terms: e.Condiciones, ContactName: e.Contacto,
			ContactReach: e.ContactoMedio, Incoterm: e.Incoterm,
			ShipDate: day("detalles.embarque.fecha_embarque", e.FechaEmbarque), DispatchDate: day("detalles.embarque.fecha_despacho", e.FechaDespacho)}
	}
	if g := r.Gestion; g != nil {
		d.Management = Management{GeneratedBy: g.Genero, GeneratedByID: g.GeneroID, VehiclePlate: g.Placas,
			ReceivedBy: g.Recibio, ReceivedByID: g.RecibioID, Observations: g.Observaciones}
	}
	for _, s := range r.Vendedores {
		d.Sellers = append(d.Sellers, SellerShare{Name: s.Nombre, Percent: s.Porcentaje})
	}
	return d, nil
}
