package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"

	"github.com/jackc/pgx/v5"

	"github.com/folio-mx/folio/domain"
)

func (s *Store) setting(ctx context.Context, q queryRower, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, errNoRows) {
		return "", nil
	}
	return v, mapErr("postgres.setting", s.name, err)
}

func (s *Store) putSetting(ctx context.Context, tx *Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		key, value, timeText(s.Now()))
	return err
}

// defaultSecretPath is where this workstation keeps the installation key
// of a database when Options.SecretPath is empty: a file per server and
// database under the user's configuration folder.
func defaultSecretPath(cfg *pgx.ConnConfig) (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", domain.E(domain.Internal, "postgres.Open", "No se encontró la carpeta de configuración del usuario para guardar la clave de la instalación.", err)
	}
	sum := sha256.Sum256([]byte(cfg.Host + "\x00" + cfg.Database))
	return filepath.Join(dir, "folio", "postgres-"+hex.EncodeToString(sum[:8])+".secret"), nil
}
