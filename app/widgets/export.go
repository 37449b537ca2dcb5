package widgets

import (
	"context"

	"github.com/folio-mx/folio/domain/listing"
)

// Exportable is a screen or a list whose rows the user can export as they
// see them ("Archivo › Exportar lista…", or a screen's own "Exportar…").
type Exportable interface {
	// Export is called on the UI goroutine. It captures the current filter
	// and search and returns what to export; ok is false when nothing is
	// exportable now (an editor shown in the list's place).
	Export() (e ListExport, ok bool)
}

// ListExport is a list to export: its title, its columns as on screen
// (titles translated), and Rows, which runs off the UI goroutine and calls
// emit with every row the list shows under the filter captured by Export —
// all pages, not only the loaded ones, in the list's order — and returns
// emit's first error or its own (user-safe, domain.Error).
type ListExport struct {
	Title   string
	Columns []listing.Column
	Rows    func(ctx context.Context, emit func(listing.Row) error) error
}
