package wire

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/folio-mx/folio/data/keychain"
	"github.com/folio-mx/folio/data/postgres"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/secret"
)

// ServerConnection is how a workstation reaches its PostgreSQL server, as
// the user typed it ("Conectar a un servidor"). SSLMode is libpq's:
// disable, prefer (the default), require, verify-ca or verify-full.
type ServerConnection struct {
	Host, Port, Database, User, Password, SSLMode string
}

var sslModes = map[string]bool{"disable": true, "allow": true, "prefer": true, "require": true, "verify-ca": true, "verify-full": true}

// Check returns an Invalid error, in Spanish, naming every field that is
// missing or wrong.
func (c ServerConnection) Check() error {
	var msgs []string
	if strings.TrimSpace(c.Host) == "" || strings.ContainsAny(c.Host, "/@? ") {
		msgs = append(msgs, "Escriba el nombre o la dirección del servidor (p. ej. servidor.local o 192.168.1.10).")
	}
	if p, err := strconv.Atoi(strings.TrimSpace(c.Port)); c.Port != "" && (err != nil || p < 1 || p > 65535) {
		msgs = append(msgs, "El puerto debe ser un número entre 1 y 65535 (PostgreSQL usa 5432).")
	}
	if strings.TrimSpace(c.Database) == "" {
		msgs = append(msgs, "Escriba el nombre de la base de datos (p. ej. folio).")
	}
	if strings.TrimSpace(c.User) == "" {
		msgs = append(msgs, "Escriba el usuario de PostgreSQL (p. ej. folio).")
	}
	if c.SSLMode != "" && !sslModes[c.SSLMode] {
		msgs = append(msgs, "Elija el cifrado de la conexión.")
	}
	if len(msgs) == 0 {
		return nil
	}
	return domain.E(domain.Invalid, "wire.ServerConnection", strings.Join(msgs, " "), nil)
}

// DSN returns the postgres:// URL of c (with its password), with a
// connection timeout so an unreachable server answers in seconds.
func (c ServerConnection) DSN() string {
	port := strings.TrimSpace(c.Port)
	if port == "" {
		port = "5432"
	}
	mode := c.SSLMode
	if mode == "" {
		mode = "prefer"
	}
	u := url.URL{Scheme: "postgres", Host: net.JoinHostPort(strings.TrimSpace(c.Host), port), Path: "/" + strings.TrimSpace(c.Database),
		RawQuery: url.Values{"sslmode": {mode}, "connect_timeout": {"10"}}.Encode()}
	if c.Password != "" {
		u.User = url.UserPassword(strings.TrimSpace(c.User), c.Password)
	} else {
		u.User = url.User(strings.TrimSpace(c.User))
	}
	return u.String()
}

// ConnectServer checks c and opens its database (postgres.Open: creating
// Folio's tables in a new one, refusing another program's database or a
// newer Folio's). Errors are domain errors with a Spanish message.
func ConnectServer(ctx context.Context, c ServerConnection, opt postgres.Options) (*postgres.Store, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	return postgres.Open(ctx, c.DSN(), opt)
}

// Workstation is this computer's own configuration: the saved server
// connection (Dir/server.json) and the keys (keychain or Keys.Dir).
type Workstation struct {
	Dir  string
	Keys keychain.Keys
}

// DefaultWorkstation is the configuration under os.UserConfigDir()/folio,
// with the operating system's keychain.
func DefaultWorkstation() (Workstation, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return Workstation{}, domain.E(domain.Internal, "wire.DefaultWorkstation", "No se encontró la carpeta de configuración del usuario.", err)
	}
	keys, err := keychain.DefaultDir()
	if err != nil {
		return Workstation{}, err
	}
	return Workstation{Dir: filepath.Join(dir, "folio"), Keys: keychain.Keys{Dir: keys, Chain: keychain.OS()}}, nil
}

// savedServer is server.json. The password is sealed with the
// workstation's own key (keychain, or a 0600 file in the keys folder), so
// the file alone reveals it to no one.
type savedServer struct {
	Host     string `json:"host"`
	Port     string `json:"port"`
	Database string `json:"database"`
	User     string `json:"user"`
	SSLMode  string `json:"sslmode"`
	Password string `json:"password_sealed,omitempty"` // base64 of secret.Box.Seal
	SavedAt  string `json:"saved_at"`
}

const (
	serverFile          = "server.json"
	workstationKey      = "workstation"
	serverPasswordPlace = "folio/server-password"
)

func (w Workstation) box(create bool) (*secret.Box, error) {
	key, found, err := w.Keys.Get(workstationKey)
	if err != nil {
		return nil, err
	}
	if !found {
		if !create {
			return nil, fs.ErrNotExist
		}
		if key, err = secret.NewKey(); err != nil {
			return nil, err
		}
		if _, err := w.Keys.Put(workstationKey, key); err != nil {
			return nil, err
		}
	}
	return secret.NewBox(key)
}

// SaveServer keeps c as this workstation's server, replacing any other:
// the file without the password in clear (sealed with the workstation's
// key), mode 0600.
func (w Workstation) SaveServer(c ServerConnection) error {
	const op = "wire.SaveServer"
	s := savedServer{Host: c.Host, Port: c.Port, Database: c.Database, User: c.User, SSLMode: c.SSLMode, SavedAt: time.Now().UTC().Format(time.RFC3339)}
	if c.Password != "" {
		box, err := w.box(true)
		if err != nil {
			return domain.E(domain.Internal, op, "No se pudo guardar la contraseña del servidor en esta computadora. Revise los permisos de su carpeta de configuración.", err)
		}
		sealed, err := box.Seal([]byte(c.Password), serverPasswordPlace)
		if err != nil {
			return err
		}
		s.Password = base64.StdEncoding.EncodeToString(sealed)
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := keychain.WritePrivate(filepath.Join(w.Dir, serverFile), append(data, '\n'), true); err != nil {
		return domain.E(domain.Internal, op, "No se pudo guardar la conexión al servidor en "+w.Dir+". Revise los permisos de su carpeta de configuración.", err)
	}
	return nil
}

// SavedServer returns this workstation's saved server; found is false when
// there is none. Errors (Invalid, Spanish) when the file is damaged or the
// password no longer opens (the workstation's key was lost).
func (w Workstation) SavedServer() (c ServerConnection, found bool, err error) {
	const op = "wire.SavedServer"
	path := filepath.Join(w.Dir, serverFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return c, false, nil
	}
	if err != nil {
		return c, false, domain.E(domain.Internal, op, "No se pudo leer la conexión al servidor guardada en "+path+".", err)
	}
	var s savedServer
	if err := json.Unmarshal(data, &s); err != nil {
		return c, false, domain.E(domain.Invalid, op, "La conexión al servidor guardada en "+path+" está dañada. Bórrela y vuelva a conectarse.", err)
	}
	c = ServerConnection{Host: s.Host, Port: s.Port, Database: s.Database, User: s.User, SSLMode: s.SSLMode}
	if s.Password != "" {
		sealed, err := base64.StdEncoding.DecodeString(s.Password)
		var box *secret.Box
		if err == nil {
			box, err = w.box(false)
		}
		var pw []byte
		if err == nil {
			pw, err = box.Open(sealed, serverPasswordPlace)
		}
		if err != nil {
			return c, false, domain.E(domain.Invalid, op, "No se puede leer la contraseña del servidor guardada en "+path+" (¿se perdió la clave de esta computadora?). Bórrela y vuelva a conectarse.", err)
		}
		c.Password = string(pw)
	}
	return c, true, nil
}
