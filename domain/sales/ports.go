package sales

import "github.com/folio-mx/folio/domain/cfdi"

// Catalogs is the part of the SAT catalogs that the sales rules and the
// pre-flight checks on the posting path consult. *sat.Catalogs satisfies it.
type Catalogs interface {
	cfdi.Catalogs
}
