package app

import (
	"fyne.io/fyne/v2"

	"github.com/folio-mx/folio/app/received"
)

// registerDrop imports the files, folders and ZIPs dropped on the window
// (where the platform allows dropping): it shows "CFDI externos" and
// imports them there, with its progress and result dialogs.
func (a *App) registerDrop() {
	a.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		if a.svc.Received.Import == nil || a.nav == nil {
			return
		}
		var paths []string
		for _, u := range uris {
			if u.Scheme() == "file" {
				paths = append(paths, u.Path())
			}
		}
		if len(paths) == 0 {
			return
		}
		a.Show(RouteReceived)
		if s, ok := a.screens[RouteReceived].(*received.Screen); ok {
			s.ImportPaths(paths)
		}
	})
}
