package gui

import (
	"github.com/folio-mx/folio/app/company"
	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain/catalogio"
)

// The PostgreSQL store keeps every port "CFDI externos", the catalogs'
// import and export and the Administrador de timbres take from the
// database, as the SQLite file does: the window may wire them from
// backend.store on a server too. receivedArea and dealerDeps take the
// store as it is given (the calls never run); sheetsDeps uses the store
// only as catalogio.Service's Store; DealerFlag is company.DealerFlag.
var (
	_ = func() {
		receivedArea((*postgres.Store)(nil), nil, nil, nil)
		dealerDeps((*postgres.Store)(nil), pacSaved{}, nil)
	}
	_ receivedStore      = (*postgres.Store)(nil)
	_ dealerStore        = (*postgres.Store)(nil)
	_ catalogio.Store    = (*postgres.Store)(nil)
	_ company.DealerFlag = (*postgres.Store)(nil)

	_ receivedStore      = (*sqlite.Store)(nil)
	_ dealerStore        = (*sqlite.Store)(nil)
	_ catalogio.Store    = (*sqlite.Store)(nil)
	_ company.DealerFlag = (*sqlite.Store)(nil)
)
