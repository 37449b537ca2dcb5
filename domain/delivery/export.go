package delivery

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
	"github.com/folio-mx/folio/domain/print"
)

// ExportDoc is one document to save to a folder.
type ExportDoc struct {
	ID           int64
	Serie, Folio string
	UUID         string // folio fiscal; "" when not stamped
	// XML is the document as stored (stamped XML when stamped), written
	// byte for byte; the PDF is rendered from it.
	XML       []byte
	Cancelled bool // print the CANCELADO mark
}

// FileBase is the file name of d without extension: SERIE-FOLIO_UUID
// ("FOLIO_UUID" without serie, "SERIE-FOLIO" before the stamp). Characters
// that are not allowed in file names on Windows, macOS or Linux become "_".
func (d ExportDoc) FileBase() string {
	number := d.Folio
	if d.Serie != "" {
		number = d.Serie + "-" + d.Folio
	}
	if d.Folio == "" {
		number = d.Serie
	}
	base := number
	if d.UUID != "" {
		if base != "" {
			base += "_"
		}
		base += strings.ToUpper(d.UUID)
	}
	if base == "" {
		base = "documento-" + strconv.FormatInt(d.ID, 10)
	}
	return safeName(base)
}

// safeName replaces characters that file systems reserve.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 32 || strings.ContainsRune(`<>:"/\|?*`, r) {
			return '_'
		}
		return r
	}, s)
	s = strings.TrimRight(s, ". ")
	if s == "" {
		return "_"
	}
	return s
}

// ExportOptions tune ExportWith. Zero values take the defaults in brackets.
type ExportOptions struct {
	Workers int           // documents in progress at once [runtime.GOMAXPROCS(0)]
	Print   print.Options // logo, colours, footer; Cancelled is set per document
	// Sections returns the non-fiscal data each document's PDF prints, by
	// document id (ExportDoc.ID); nil prints none.
	Sections func(documentID int64) []print.Section
}

// Export writes FileBase(d)+".xml" (the stored bytes, verbatim) and
// FileBase(d)+".pdf" for each document into dir, creating dir if needed,
// with one worker per processor. See ExportWith.
func Export(ctx context.Context, docs []ExportDoc, dir string, progress func(done, total int)) error {
	return ExportWith(ctx, docs, dir, ExportOptions{}, progress)
}

// ExportWith is Export with options. progress, when set, is called on the
// caller's goroutine with 0 first and after each document is written. Each
// file is written under a temporary name and renamed, so a cancelled or
// failed export leaves only whole files; existing files of the same name are
// replaced. It stops at the first error or when ctx ends, and returns a
// domain error (Unavailable when the folder cannot be written, Invalid for
// a stored XML that does not parse) or ctx.Err().
func ExportWith(ctx context.Context, docs []ExportDoc, dir string, opt ExportOptions, progress func(done, total int)) error {
	const op = "delivery.Export"
	if progress == nil {
		progress = func(int, int) {}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return domain.E(domain.Unavailable, op, fmt.Sprintf("No se pudo crear la carpeta %s; revise los permisos o elija otra.", dir), err)
	}
	names := make([]string, len(docs))
	seen := map[string]bool{}
	for i, d := range docs {
		n := d.FileBase()
		if seen[strings.ToLower(n)] {
			n += "_" + strconv.FormatInt(d.ID, 10)
		}
		seen[strings.ToLower(n)] = true
		names[i] = n
	}
	total := len(docs)
	progress(0, total)
	if total == 0 {
		return nil
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, total)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	results := make(chan error)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				popt := opt.Print
				if opt.Sections != nil {
					popt.Sections = opt.Sections(docs[i].ID)
				}
				err := exportOne(docs[i], filepath.Join(dir, names[i]), popt)
				select {
				case results <- err:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() {
		defer close(next)
		for i := range docs {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(results) }()

	var first error
	done := 0
	for err := range results {
		if err != nil && first == nil {
			first = err
			cancel()
		}
		if err == nil && first == nil {
			done++
			progress(done, total)
		}
	}
	if first != nil {
		return first
	}
	if done < total {
		return context.Cause(ctx)
	}
	return nil
}

// exportOne renders one document and writes its two files at path+".xml"
// and path+".pdf".
func exportOne(d ExportDoc, path string, popt print.Options) error {
	const op = "delivery.Export"
	c, err := cfdi.Parse(d.XML)
	if err != nil {
		return domain.E(domain.Invalid, op, fmt.Sprintf("El XML guardado de %s no se pudo leer; no se exportó.", filepath.Base(path)), err)
	}
	popt.Cancelled = d.Cancelled
	pdf, err := print.Render(c, popt)
	if err != nil {
		return fmt.Errorf("export %s: %w", filepath.Base(path), err)
	}
	if err := writeFile(path+".xml", d.XML); err != nil {
		return err
	}
	return writeFile(path+".pdf", pdf)
}

// writeFile writes data to a temporary file beside path and renames it.
func writeFile(path string, data []byte) error {
	const op = "delivery.Export"
	fail := func(err error) error {
		return domain.E(domain.Unavailable, op, fmt.Sprintf("No se pudo escribir %s; revise el espacio libre y los permisos de la carpeta.", path), err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fail(err)
	}
	tmp := f.Name()
	err = f.Chmod(0o644) // CreateTemp makes it private; exported documents are ordinary files
	if err == nil {
		_, err = f.Write(data)
	}
	err = errors.Join(err, f.Close())
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fail(err)
	}
	return nil
}
