package print

import (
	"strings"

	"github.com/folio-mx/folio/domain/sales"
)

// SaleSections are d as the printed document shows it (Options.
// Sections): "Datos de la venta" (branch, seller, responsible, the
// "Cuenta x cobrar a" customer named collectFrom, ship-to and the sellers
// with their commissions), "Datos de embarque" and "Gestión de documento".
// Empty fields and sections are left out by print; nil d gives none.
func SaleSections(d *sales.SaleDetails, collectFrom string) []Section {
	if d == nil {
		return nil
	}
	day := func(t interface{ IsZero() bool }, s string) string {
		if t.IsZero() {
			return ""
		}
		return s
	}
	var sellers []string
	for _, s := range d.Sellers {
		sellers = append(sellers, s.Name+" "+s.Percent.String()+" %")
	}
	sh, m := d.Shipping, d.Management
	withID := func(name, id string) string {
		if id != "" && name != "" {
			return name + " (identificación " + id + ")"
		}
		return name
	}
	return []Section{
		{Title: "Datos de la venta", Fields: []Field{
			{Label: "Sucursal", Value: d.Branch},
			{Label: "Vendedor", Value: d.Seller},
			{Label: "Responsable", Value: d.Responsible},
			{Label: "Cuenta por cobrar a", Value: collectFrom},
			{Label: "Enviar a", Value: d.ShipTo},
			{Label: "Vendedores", Value: strings.Join(sellers, ", ")},
		}},
		{Title: "Datos de embarque", Fields: []Field{
			{Label: "Buque", Value: sh.Vessel},
			{Label: "Viaje", Value: sh.Voyage},
			{Label: "Contenedor", Value: sh.Container},
			{Label: "Sello", Value: sh.Seal},
			{Label: "Puerto o ruta de salida", Value: sh.ExitPort},
			{Label: "Puerto de destino", Value: sh.DestinationPort},
			{Label: "Condiciones de embarque", Value: sh.Terms},
			{Label: "Incoterm", Value: sh.Incoterm},
			{Label: "Contacto", Value: strings.TrimSpace(sh.ContactName + " " + sh.ContactReach)},
			{Label: "Fecha de embarque", Value: day(sh.ShipDate, sh.ShipDate.Format("02/01/2006"))},
			{Label: "Fecha de despacho", Value: day(sh.DispatchDate, sh.DispatchDate.Format("02/01/2006"))},
		}},
		{Title: "Gestión de documento", Fields: []Field{
			{Label: "Generó", Value: withID(m.GeneratedBy, m.GeneratedByID)},
			{Label: "Placas del vehículo", Value: m.VehiclePlate},
			{Label: "Recibió", Value: withID(m.ReceivedBy, m.ReceivedByID)},
			{Label: "Observaciones", Value: m.Observations},
		}},
	}
}
