// Package sheet reads and writes spreadsheets as catalogio.Tables: CSV
// (comma or semicolon, UTF-8 with or without BOM, or Windows-1252 as Excel
// in Spanish saves it) and XLSX (the first sheet; github.com/xuri/excelize/v2).
package sheet

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/catalogio"
)

// maxSize bounds what is read: a catalog of a few hundred thousand rows.
const maxSize = 200 << 20

// Read reads the file name's bytes as CSV or XLSX, by its extension.
func Read(name string, data []byte) (catalogio.Table, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt":
		return ReadCSV(data)
	case ".xlsx", ".xlsm":
		return ReadXLSX(bytes.NewReader(data))
	}
	return catalogio.Table{}, domain.E(domain.Invalid, "read sheet", "Elija un archivo .csv o .xlsx (Excel).", nil)
}

// ReadCSV reads a CSV: the first row is the header; the separator is the
// one of comma and semicolon that the header uses most.
func ReadCSV(data []byte) (catalogio.Table, error) {
	const op = "read csv"
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		dec, err := charmap.Windows1252.NewDecoder().Bytes(data)
		if err != nil {
			return catalogio.Table{}, domain.E(domain.Invalid, op, "El archivo CSV no está en UTF-8 ni en Windows-1252.", err)
		}
		data = dec
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return catalogio.Table{}, domain.E(domain.Invalid, op, "El archivo CSV está mal formado: "+err.Error()+".", err)
	}
	return table(recs)
}

func table(recs [][]string) (catalogio.Table, error) {
	if len(recs) == 0 {
		return catalogio.Table{}, domain.E(domain.Invalid, "read sheet", "El archivo está vacío: la primera fila debe tener los títulos de las columnas.", nil)
	}
	return catalogio.Table{Header: recs[0], Rows: recs[1:]}, nil
}

// ReadXLSX reads the first sheet of an XLSX workbook, cells as the user
// sees them (formatted values).
func ReadXLSX(r io.Reader) (catalogio.Table, error) {
	const op = "read xlsx"
	f, err := excelize.OpenReader(io.LimitReader(r, maxSize))
	if err != nil {
		return catalogio.Table{}, domain.E(domain.Invalid, op, "El archivo no es un libro de Excel (.xlsx) válido.", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return catalogio.Table{}, domain.E(domain.Invalid, op, "El libro no tiene hojas.", nil)
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return catalogio.Table{}, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	var recs [][]string
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return catalogio.Table{}, fmt.Errorf("%s: %w", op, err)
		}
		recs = append(recs, cols)
	}
	if err := rows.Error(); err != nil {
		return catalogio.Table{}, fmt.Errorf("%s: %w", op, err)
	}
	return table(recs)
}

// WriteCSV writes t as UTF-8 CSV with a BOM (so Excel opens the accents).
func WriteCSV(w io.Writer, t catalogio.Table) error {
	if _, err := w.Write([]byte("\xef\xbb\xbf")); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Header); err != nil {
		return err
	}
	if err := cw.WriteAll(t.Rows); err != nil {
		return err
	}
	return cw.Error()
}

// WriteXLSX writes t as an XLSX workbook with one sheet named sheetName,
// every cell as text (codes like 01010101 keep their zeros), through the
// streaming writer so large catalogs stay small in memory.
func WriteXLSX(w io.Writer, sheetName string, t catalogio.Table) error {
	const op = "write xlsx"
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	sw, err := f.NewStreamWriter(sheetName)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	put := func(i int, vals []string) error {
		cells := make([]any, len(vals))
		for j, v := range vals {
			cells[j] = v
		}
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, cells)
	}
	if err := put(0, t.Header); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	for i, r := range t.Rows {
		if err := put(i+1, r); err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}
