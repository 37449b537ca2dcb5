package gui

import (
	"context"
	"sync"

	"github.com/folio-mx/folio/app/company"
	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/internal/wire"
)

// serverConnector is the first run's "Conectar a un servidor" over a real
// PostgreSQL server: it opens the database (wire.ConnectServer), saves the
// connection in this workstation's configuration (wire.Workstation; the
// password sealed, never in clear), tells whether the server's secrets
// are still locked here, and unlocks them with the administrator password
// (sales.Companies.Unlock). It keeps the last server it opened until
// Close.
type serverConnector struct {
	ws  wire.Workstation
	opt postgres.Options // the key folder and keychain of this workstation

	mu    sync.Mutex
	store *postgres.Store
}

var _ company.Connector = (*serverConnector)(nil)

// Connect implements company.Connector.
func (c *serverConnector) Connect(ctx context.Context, sc company.ServerConnection) (company.Server, error) {
	conn := wire.ServerConnection(sc)
	s, err := wire.ConnectServer(ctx, conn, c.opt)
	if err != nil {
		return company.Server{}, err
	}
	srv := company.Server{Name: s.Path()}
	list, err := s.ListCompanies(ctx)
	if err == nil {
		for _, co := range list {
			srv.Companies = append(srv.Companies, co.RFC+" — "+co.Nombre)
		}
		srv.Locked, err = wire.NewCompanies(s).Locked(ctx)
	}
	if err == nil {
		err = c.ws.SaveServer(conn)
	}
	if err != nil {
		s.Close()
		return company.Server{}, err
	}
	c.mu.Lock()
	old := c.store
	c.store = s
	c.mu.Unlock()
	if old != nil {
		old.Close()
	}
	return srv, nil
}

// Unlock implements company.Connector.
func (c *serverConnector) Unlock(ctx context.Context, password string) (string, error) {
	c.mu.Lock()
	s := c.store
	c.mu.Unlock()
	if s == nil {
		return "", domain.E(domain.Invalid, "gui.Unlock", "Conéctese primero al servidor.", nil)
	}
	return wire.NewCompanies(s).Unlock(ctx, password)
}

// take hands the server last opened over to the caller, who closes it
// (the window reopened on it); nil when none is open.
func (c *serverConnector) take() *postgres.Store {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.store
	c.store = nil
	return s
}

// Close closes the server last opened.
func (c *serverConnector) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.store == nil {
		return nil
	}
	err := c.store.Close()
	c.store = nil
	return err
}
