package dealer

import (
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// PACSettingsFor is the PAC account of a company that stamps with client
// account c of the dealer account d ("Usar como cuenta PAC de una
// empresa"): SW sapien, d's environment and host, and c's own long-lived
// token. Refused: a dealer on the local PAC of demo mode (it runs only
// while Folio runs and stamps only the demo company), a dealer that is not
// SW's, a client the PAC gave no token for, and an inactive client.
func PACSettingsFor(d sales.PACSettings, c Client) (sales.PACSettings, error) {
	const op = "dealer.PACSettingsFor"
	switch {
	case d.Environment == sales.PACLocal:
		return sales.PACSettings{}, domain.E(domain.Invalid, op, "Las cuentas del PAC local de demostración no pueden timbrar otra empresa: "+
			"el PAC local solo timbra la empresa de demostración, sin valor fiscal. Cree la cuenta con su cuenta de distribuidor de SW sapien.", nil)
	case d.Vendor != "" && d.Vendor != sales.PACSW:
		return sales.PACSettings{}, domain.E(domain.Invalid, op, "El Administrador de timbres usa la API de distribuidores de SW sapien; esta cuenta es de otro PAC.", nil)
	case !c.Active:
		return sales.PACSettings{}, domain.E(domain.Invalid, op, "La cuenta "+c.Email+" está desactivada; actívela antes de usarla para timbrar.", nil)
	case c.AccessToken == "":
		return sales.PACSettings{}, domain.E(domain.Invalid, op, "El PAC no entregó el token de la cuenta "+c.Email+
			". Configure su usuario y contraseña en Empresa › PAC de la empresa que la usará.", nil)
	}
	p := sales.PACSettings{Vendor: sales.PACSW, Environment: d.Environment, Token: c.AccessToken, URL: d.URL}
	p.Normalize()
	return p, p.Validate()
}
