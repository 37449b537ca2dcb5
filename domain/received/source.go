package received

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"sync/atomic"

	"github.com/folio-mx/folio/domain"
)

// Item is one file to import: its name for the reports and a function that
// returns its bytes (at most MaxFileSize+1 of them, so a larger file is
// refused without being read whole). Read may be called from any goroutine.
type Item struct {
	Name string
	Read func() ([]byte, error)
}

// The caps of a ZIP archive: entries and total uncompressed bytes actually
// read (a zip bomb stops there; declared sizes are not trusted).
const (
	MaxZipEntries = 200_000
	MaxZipBytes   = 4 << 30
)

// IsXMLName reports whether a file name ends in .xml (any case): folders and
// archives contribute only those; other files (the PDFs that usually come
// with them) are skipped.
func IsXMLName(name string) bool { return strings.EqualFold(path.Ext(name), ".xml") }

// ReadCapped reads r up to MaxFileSize+1 bytes: a result longer than
// MaxFileSize means the file is too large, which Check refuses.
func ReadCapped(r io.Reader) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r, MaxFileSize+1))
}

// ZipItems lists the .xml entries of the ZIP archive r (of size bytes)
// named name, each read on demand. An archive with more than MaxZipEntries
// entries, or that is not a ZIP, is refused; while reading, entries past
// MaxZipBytes of uncompressed data in total are refused one by one. Nothing
// is written to disk, so entry paths (../ included) are only names.
func ZipItems(name string, r io.ReaderAt, size int64) ([]Item, error) {
	const op = "received.ZipItems"
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, domain.E(domain.Invalid, op, "El archivo "+name+" no es un ZIP válido o está dañado.", err)
	}
	if len(zr.File) > MaxZipEntries {
		return nil, domain.Errorf(domain.Invalid, op, "El ZIP %s tiene %d archivos; Folio lee hasta %d por ZIP. Divídalo en varios.", name, len(zr.File), MaxZipEntries)
	}
	var total atomic.Int64
	var out []Item
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !IsXMLName(f.Name) {
			continue
		}
		f := f
		out = append(out, Item{Name: name + ":" + f.Name, Read: func() ([]byte, error) {
			if total.Load() > MaxZipBytes {
				return nil, domain.Errorf(domain.Invalid, op, "El ZIP descomprimido pasa de %d GB; no se leyó este archivo (posible «bomba ZIP»).", MaxZipBytes>>30)
			}
			rc, err := f.Open()
			if err != nil {
				return nil, domain.E(domain.Invalid, op, "No se pudo descomprimir el archivo del ZIP (método no admitido o cifrado).", err)
			}
			defer rc.Close()
			b, err := ReadCapped(rc)
			total.Add(int64(len(b)))
			if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, domain.E(domain.Invalid, op, "El archivo del ZIP está dañado y no se pudo descomprimir.", fmt.Errorf("%s: %w", f.Name, err))
			}
			if err != nil {
				return nil, domain.E(domain.Invalid, op, "El archivo del ZIP está incompleto.", err)
			}
			return b, nil
		}})
	}
	return out, nil
}
