package sim

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/folio-mx/folio/data/pac"
	"github.com/folio-mx/folio/domain/cfdi"
)

// The local PAC of demo mode runs inside Folio, so what it knows would end
// with the program: a document stamped yesterday could not be cancelled
// today (SAT «does not know» its UUID), and the client accounts made in
// the Administrador de timbres would vanish. With Options.StatePath the
// server keeps its state in that file: loaded at Start, written (whole,
// through a temporary file and a rename) at most once per saveEvery after a
// request that may have changed it, and at Close.

// saveEvery bounds how often the state file is rewritten while requests
// keep changing it.
const saveEvery = time.Second

// stateVersion is the layout of the state file; another is refused.
const stateVersion = 1

type savedState struct {
	Version  int                    `json:"version"`
	Key      []byte                 `json:"key"` // PKCS#1 DER of the SAT-like key, so old SelloSAT still verify
	Created  int                    `json:"created"`
	Stamped  int                    `json:"stamped"`
	Accounts []savedAccount         `json:"accounts"`
	Tokens   map[string]savedToken  `json:"tokens"`
	Records  []savedRecord          `json:"records"`
	Custom   map[string]savedCustom `json:"custom"`
	PerDoc   map[string]int         `json:"per_doc"`
}

type savedAccount struct {
	User        User              `json:"user"`
	Used        int64             `json:"used"`
	Assigned    int64             `json:"assigned"`
	Folio       int64             `json:"folio"`
	Movements   []pac.Transaction `json:"movements"`
	Active      bool              `json:"active"`
	Registered  time.Time         `json:"registered"`
	NotifyEmail string            `json:"notify_email"`
	Phone       string            `json:"phone"`
	Issuers     []string          `json:"issuers"`
	PasswordAt  time.Time         `json:"password_at"`
	Seq         int               `json:"seq"`
}

type savedToken struct {
	User    string    `json:"user"`
	Expires time.Time `json:"expires"`
}

type savedRecord struct {
	UUID, Seal, CustomID, User, RFC, Receptor, Serie, Folio, Fecha, Total, Sello string
	TFD                                                                          cfdi.TimbreFiscalDigital
	TFDXML, Cadena, NoCert, QR                                                   string
	Stamped                                                                      []byte
	At                                                                           time.Time
	Cancel                                                                       savedCancel
}

type savedCancel struct {
	Estatus, Motivo, Folio string
	RequestedAt            time.Time
}

type savedCustom struct {
	Seal string
	At   time.Time
}

// persister writes the state file in the background.
type persister struct {
	path  string
	kick  chan struct{} // a change to save (buffered, 1)
	stop  chan struct{} // closed by Close
	done  chan struct{} // closed when saver returns
	once  sync.Once
	mu    sync.Mutex // one write at a time
	errMu sync.Mutex
	err   error
}

// loadState reads path into s (before the server listens); a missing file
// is a first start. It returns the saved key, nil when none.
func (s *Server) loadState(path string) (*rsa.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sim: read state: %w", err)
	}
	var st savedState
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("sim: state file %s is damaged: %w", path, err)
	}
	if st.Version != stateVersion {
		return nil, fmt.Errorf("sim: state file %s has version %d, want %d", path, st.Version, stateVersion)
	}
	var key *rsa.PrivateKey
	if len(st.Key) > 0 {
		if key, err = x509.ParsePKCS1PrivateKey(st.Key); err != nil {
			return nil, fmt.Errorf("sim: state key: %w", err)
		}
	}
	s.created, s.stamped = st.Created, st.Stamped
	for _, a := range st.Accounts {
		s.users[a.User.ID] = &account{User: a.User, used: a.Used, assigned: a.Assigned, folio: a.Folio, movements: a.Movements,
			active: a.Active, registered: a.Registered, notifyEmail: a.NotifyEmail, phone: a.Phone, issuers: a.Issuers,
			passwordAt: a.PasswordAt, seq: a.Seq}
	}
	for tok, t := range st.Tokens {
		s.tokens[tok] = &token{user: t.User, expires: t.Expires}
	}
	for _, r := range st.Records {
		seal, err := sealKey(r.Seal)
		if err != nil {
			return nil, err
		}
		tfd := r.TFD
		rec := &record{uuid: r.UUID, seal: seal, customID: r.CustomID, user: r.User, rfc: r.RFC, receptor: r.Receptor,
			serie: r.Serie, folio: r.Folio, fecha: r.Fecha, total: r.Total, sello: r.Sello, tfd: &tfd, tfdXML: r.TFDXML,
			stamped: r.Stamped, cadena: r.Cadena, noCert: r.NoCert, qr: r.QR, at: r.At, ready: make(chan struct{}),
			cancel: cancelState{estatus: r.Cancel.Estatus, motivo: r.Cancel.Motivo, folio: r.Cancel.Folio, requestedAt: r.Cancel.RequestedAt}}
		close(rec.ready)
		s.bySeal[seal], s.byUUID[rec.uuid] = rec, rec
	}
	for id, c := range st.Custom {
		seal, err := sealKey(c.Seal)
		if err != nil {
			return nil, err
		}
		s.byCustom[id] = customUse{seal: seal, at: c.At}
	}
	for k, n := range st.PerDoc {
		s.perDoc[k] = n
	}
	return key, nil
}

func sealKey(h string) ([32]byte, error) {
	var k [32]byte
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != len(k) {
		return k, fmt.Errorf("sim: state: bad seal digest %q", h)
	}
	copy(k[:], b)
	return k, nil
}

// snapshot copies what the state file keeps. Records still being stamped
// or that failed are left out.
func (s *Server) snapshot() savedState {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := savedState{Version: stateVersion, Key: x509.MarshalPKCS1PrivateKey(s.key), Created: s.created, Stamped: s.stamped,
		Tokens: map[string]savedToken{}, Custom: map[string]savedCustom{}, PerDoc: map[string]int{}}
	for _, a := range s.users {
		st.Accounts = append(st.Accounts, savedAccount{User: a.User, Used: a.used, Assigned: a.assigned, Folio: a.folio,
			Movements: a.movements, Active: a.active, Registered: a.registered, NotifyEmail: a.notifyEmail, Phone: a.phone,
			Issuers: a.issuers, PasswordAt: a.passwordAt, Seq: a.seq})
	}
	for tok, t := range s.tokens {
		st.Tokens[tok] = savedToken{User: t.user, Expires: t.expires}
	}
	for _, r := range s.byUUID {
		if r.failed || r.tfd == nil {
			continue
		}
		st.Records = append(st.Records, savedRecord{UUID: r.uuid, Seal: hex.EncodeToString(r.seal[:]), CustomID: r.customID,
			User: r.user, RFC: r.rfc, Receptor: r.receptor, Serie: r.serie, Folio: r.folio, Fecha: r.fecha, Total: r.total,
			Sello: r.sello, TFD: *r.tfd, TFDXML: r.tfdXML, Cadena: r.cadena, NoCert: r.noCert, QR: r.qr, Stamped: r.stamped,
			At: r.at, Cancel: savedCancel{Estatus: r.cancel.estatus, Motivo: r.cancel.motivo, Folio: r.cancel.folio,
				RequestedAt: r.cancel.requestedAt}})
	}
	for id, c := range s.byCustom {
		if rec := s.bySeal[c.seal]; rec != nil && rec.tfd != nil && !rec.failed {
			st.Custom[id] = savedCustom{Seal: hex.EncodeToString(c.seal[:]), At: c.at}
		}
	}
	for k, n := range s.perDoc {
		st.PerDoc[k] = n
	}
	return st
}

// saveState writes the state file now.
func (s *Server) saveState() error {
	p := s.persist
	p.mu.Lock()
	defer p.mu.Unlock()
	b, err := json.Marshal(s.snapshot())
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p.path), ".pac-local-*.tmp")
	if err != nil {
		return fmt.Errorf("sim: save state: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("sim: save state: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sim: save state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("sim: save state: %w", err)
	}
	if err := os.Rename(tmp.Name(), p.path); err != nil {
		return fmt.Errorf("sim: save state: %w", err)
	}
	return nil
}

// saver rewrites the state file after changes, at most once per saveEvery,
// until Close stops it.
func (s *Server) saver() {
	p := s.persist
	defer close(p.done)
	for {
		select {
		case <-p.kick:
			s.recordSave(s.saveState())
			select {
			case <-time.After(saveEvery):
			case <-p.stop:
				return
			}
		case <-p.stop:
			return
		}
	}
}

func (s *Server) recordSave(err error) {
	if err == nil {
		return
	}
	s.persist.errMu.Lock()
	s.persist.err = err
	s.persist.errMu.Unlock()
}

// stopSaving stops the saver and writes the state a last time.
func (s *Server) stopSaving() error {
	p := s.persist
	if p == nil {
		return nil
	}
	var err error
	p.once.Do(func() {
		close(p.stop)
		<-p.done
		err = s.saveState()
		s.recordSave(err)
	})
	return err
}

// persisting marks the state changed after every request that may change
// it (anything but GET and HEAD).
func (s *Server) persisting(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			return
		}
		select {
		case s.persist.kick <- struct{}{}:
		default: // a save is already due
		}
	})
}

// SaveError is the last error writing the state file, nil when none.
func (s *Server) SaveError() error {
	if s.persist == nil {
		return nil
	}
	s.persist.errMu.Lock()
	defer s.persist.errMu.Unlock()
	return s.persist.err
}
