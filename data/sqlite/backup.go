package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/folio-mx/folio/domain"
)

// Backup writes a consistent copy of the database to dst with SQLite's online
// backup API while the store stays usable. It never overwrites: an existing
// dst is a Conflict. The copy is written to a temporary file beside dst and
// renamed into place only when complete.
func (s *Store) Backup(ctx context.Context, dst string) error {
	const op = "sqlite.Backup"
	abs, err := filepath.Abs(dst)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if abs == s.path {
		return domain.E(domain.Invalid, op, "La copia de seguridad no puede ser el mismo archivo de la base de datos; elija otro nombre.", nil)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return mapErr(op, abs, err)
	}
	return s.backupTo(ctx, s.r, abs)
}

// backupTo copies the main database of src into a new file dst.
func (s *Store) backupTo(ctx context.Context, src *sql.DB, dst string) (err error) {
	const op = "sqlite.Backup"
	if _, err := os.Lstat(dst); err == nil {
		return domain.E(domain.Conflict, op, fmt.Sprintf("Ya existe el archivo %s; elija otro nombre para la copia de seguridad.", dst), nil)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return mapErr(op, dst, err)
	}
	tmp := dst + ".tmp"
	_ = os.Remove(tmp)
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
			_ = os.Remove(tmp + "-journal")
		}
	}()
	if err := onlineBackup(ctx, src, tmp); err != nil {
		return mapErr(op, dst, err)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return mapErr(op, dst, err)
	}
	return nil
}

// onlineBackup copies src's "main" database into the file dst in one step
// (one consistent snapshot, even while others write).
func onlineBackup(ctx context.Context, src *sql.DB, dst string) error {
	dstDB, err := sql.Open("sqlite3", "file://"+dsnPath(dst)+"?_busy_timeout=5000")
	if err != nil {
		return err
	}
	defer dstDB.Close()
	dc, err := dstDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer dc.Close()
	sc, err := src.Conn(ctx)
	if err != nil {
		return err
	}
	defer sc.Close()
	return dc.Raw(func(d any) error {
		return sc.Raw(func(s any) error {
			dconn, ok1 := d.(*sqlite3.SQLiteConn)
			sconn, ok2 := s.(*sqlite3.SQLiteConn)
			if !ok1 || !ok2 {
				return errors.New("online backup: not a sqlite3 connection")
			}
			b, err := dconn.Backup("main", sconn, "main")
			if err != nil {
				return err
			}
			for {
				if err := ctx.Err(); err != nil {
					b.Close()
					return err
				}
				done, err := b.Step(-1)
				if err != nil {
					b.Close()
					return err
				}
				if done {
					return b.Finish()
				}
				// Step(-1) only stops short when the source is busy or locked.
				select {
				case <-ctx.Done():
				case <-time.After(20 * time.Millisecond):
				}
			}
		})
	})
}
