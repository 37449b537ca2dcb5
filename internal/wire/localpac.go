package wire

import (
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/data/pac/sim"
	"github.com/folio-mx/folio/data/sqlite"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// NewLocalPAC starts the local PAC of demo mode on loopback and returns it
// with a client configured for it: what the window and `folio sync` stamp
// against until a production PAC account (SW sapien) can be configured.
//
// The local PAC only accepts the demo company's RFC: a document of any other
// issuer is refused (402) instead of receiving a stamp without fiscal value.
// statePath, when not empty, is the file the local PAC keeps what it
// stamped, cancelled and assigned in across restarts (LocalPACState).
// The caller closes the server.
func NewLocalPAC(statePath string) (*sim.Server, *pac.Client, error) {
	local, err := sim.Start(sim.Options{LCO: []string{sales.DemoRFC}, StatePath: statePath})
	if err != nil {
		return nil, nil, domain.E(domain.Unavailable, "wire.NewLocalPAC", "No se pudo iniciar el PAC local.", err)
	}
	client, err := pac.NewClient(pac.Config{
		ServicesURL: local.URL(), APIURL: local.URL(), SATStatusURL: local.StatusURL(),
		Token: sim.DemoUser.Token, Timeout: 30 * time.Second,
	})
	if err != nil {
		local.Close()
		return nil, nil, err
	}
	return local, client, nil
}

// LocalPACState is where the local PAC of an installation keeps its state:
// beside the SQLite file (folio.db → folio.db.pac-local.json), so that a
// document stamped in demo mode can be cancelled after Folio restarts and
// the Administrador de timbres keeps its client accounts. On a server
// there is none ("" — each workstation runs its own local PAC, whose state
// lives as long as the program).
func LocalPACState(store Store) string {
	if s, ok := store.(*sqlite.Store); ok && s.Path() != "" && s.Path() != ":memory:" {
		return s.Path() + ".pac-local.json"
	}
	return ""
}
