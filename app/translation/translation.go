// Package translation embeds Folio's UI texts and registers them with Fyne's
// translation layer. Keys are the Spanish source strings given to lang.L and
// lang.N: es.json maps them to themselves (so Spanish locales select
// Spanish, and plural forms exist), en.json to English. A key missing from
// the files falls back to itself, i.e. Spanish, but Fyne logs a
// "Translation failure" for it each time, so none may be missing.
//
// toolkit.es.json is the Spanish of Fyne's own texts that Folio shows
// (file dialog, confirmations, the entries' menu), keyed by Fyne's English:
// it overrides Fyne's Spanish where that is not Mexican usage ("OK",
// "Si") and lower-cases the nouns Fyne appends to a dialog title ("Abrir
// archivo"). Texts Fyne writes without its translations are replaced where
// Folio shows them (widgets.NewSelect, widgets.ShowFileOpen…).
package translation

import (
	"embed"
	"io/fs"
	"log/slog"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// Files holds es.json and en.json.
//
//go:embed *.json
var Files embed.FS

// Load registers the translations with Fyne once per process; later calls
// do nothing. A broken file is logged, not fatal: texts then show in Spanish.
var Load = sync.OnceFunc(func() {
	// lang.AddTranslationsFS wants the files in a subfolder of the embed.FS
	// ("./es.json" is not a valid fs path), so each file is added by name.
	files, err := fs.Glob(Files, "*.json")
	if err != nil {
		slog.Error("load translations", "err", err)
		return
	}
	for _, name := range files {
		data, err := Files.ReadFile(name)
		if err == nil {
			err = lang.AddTranslations(fyne.NewStaticResource(name, data))
		}
		if err != nil {
			slog.Error("load translations", "file", name, "err", err)
		}
	}
})
