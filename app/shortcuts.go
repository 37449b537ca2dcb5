package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// shortcut is one keyboard shortcut: Ctrl (⌘ on macOS) + key. Each one is
// attached to its menu item, so it is visible, and registered on the window
// canvas, so it also works where there is no main menu.
type shortcut struct {
	command string       // menu label, Spanish source text for lang.L
	key     fyne.KeyName // with fyne.KeyModifierShortcutDefault
	run     func(a *App)
}

// The fixed shortcuts; the areas add Ctrl+1…9 and Ctrl+0 in areaShortcuts.
var (
	shortcutNewInvoice = shortcut{"Nueva factura", fyne.KeyN, (*App).newInvoice}
	shortcutSave       = shortcut{"Guardar", fyne.KeyS, (*App).save}
	shortcutPost       = shortcut{"Emitir", fyne.KeyE, (*App).post}
	shortcutPrint      = shortcut{"Imprimir", fyne.KeyP, (*App).print}
	shortcutSearch     = shortcut{"Buscar", fyne.KeyF, (*App).focusSearch}
	shortcutQuit       = shortcut{"Salir", fyne.KeyQ, (*App).quit}
)

// areaKeys are the keys of the area shortcuts, in area order: the digits,
// then Ctrl+I for the eleventh ("CFDI externos", where CFDI are imported).
var areaKeys = []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9, fyne.Key0, fyne.KeyI}

// shortcuts returns the whole table: the fixed shortcuts, then the areas'.
func shortcuts() []shortcut {
	return append([]shortcut{shortcutNewInvoice, shortcutSave, shortcutPost, shortcutPrint, shortcutSearch, shortcutQuit}, areaShortcuts()...)
}

// areaShortcuts returns one shortcut per area: Ctrl+1 for the first area of
// the sidebar, and so on up to nine; Ctrl+0 for the tenth.
func areaShortcuts() []shortcut {
	var out []shortcut
	for i, ar := range areas {
		if i >= len(areaKeys) {
			break
		}
		route := ar.route
		out = append(out, shortcut{ar.title, areaKeys[i], func(a *App) { a.Show(route) }})
	}
	return out
}

// desktopShortcut is the Fyne value for s.
func (s shortcut) desktopShortcut() *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: s.key, Modifier: fyne.KeyModifierShortcutDefault}
}

// registerShortcuts adds every shortcut to the window canvas.
func (a *App) registerShortcuts() {
	for _, s := range shortcuts() {
		run := s.run
		a.win.Canvas().AddShortcut(s.desktopShortcut(), func(fyne.Shortcut) { run(a) })
	}
}
