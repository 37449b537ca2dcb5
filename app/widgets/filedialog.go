package widgets

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"
)

// Fyne's file dialog (v2.7.1) passes its buttons and title through
// Fyne's translations (app/translation/toolkit.es.json) but writes the
// places in its side bar ("Home", "Computer", "Documents"…) and the
// overwrite question of a save as English literals. The functions below
// show Fyne's dialog and then put those texts in Spanish: the side bar's
// list gets an UpdateItem that translates each place after Fyne's own,
// and the save button translates the question it may raise. A later
// Fyne that changes the dialog's layout makes them do nothing; the test
// of this package fails then.

// placeNames are the side bar's places, as Fyne names them.
func placeNames() map[string]string {
	return map[string]string{
		"Home":      lang.L("Carpeta personal"),
		"Computer":  lang.L("Equipo"),
		"Desktop":   lang.L("Escritorio"),
		"Documents": lang.L("Documentos"),
		"Downloads": lang.L("Descargas"),
		"Music":     lang.L("Música"),
		"Pictures":  lang.L("Imágenes"),
		"Videos":    lang.L("Videos"),
		"Movies":    lang.L("Películas"),
		"App Files": lang.L("Archivos de Folio"),
	}
}

// ShowFileOpen shows the file-open dialog on win, in Spanish, listing only
// files with one of extensions (all when none); callback is Fyne's.
func ShowFileOpen(win fyne.Window, title string, extensions []string, callback func(fyne.URIReadCloser, error)) {
	d := dialog.NewFileOpen(callback, win)
	if len(extensions) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(extensions))
	}
	d.SetTitleText(title)
	d.SetConfirmText(lang.L("Abrir"))
	d.SetDismissText(lang.L("Cancelar"))
	d.Show()
	localizeFileDialog(win)
}

// ShowFolderOpen shows the folder-choosing dialog on win, in Spanish.
func ShowFolderOpen(win fyne.Window, title string, callback func(fyne.ListableURI, error)) {
	d := dialog.NewFolderOpen(callback, win)
	d.SetTitleText(title)
	d.SetConfirmText(lang.L("Elegir"))
	d.SetDismissText(lang.L("Cancelar"))
	d.Show()
	localizeFileDialog(win)
}

// ShowFileSave shows the file-save dialog on win, in Spanish, proposing
// fileName and listing files with one of extensions (all when none).
func ShowFileSave(win fyne.Window, title, fileName string, extensions []string, callback func(fyne.URIWriteCloser, error)) {
	d := dialog.NewFileSave(callback, win)
	d.SetFileName(fileName)
	if len(extensions) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(extensions))
	}
	d.SetTitleText(title)
	d.SetConfirmText(lang.L("Guardar"))
	d.SetDismissText(lang.L("Cancelar"))
	d.Show()
	if save := localizeFileDialog(win); save != nil {
		tapped := save.OnTapped
		save.OnTapped = func() {
			tapped()
			localizeOverwrite(win)
		}
	}
}

// localizeFileDialog translates the places of the file dialog on top of
// win and returns its confirm button (nil when the dialog is not Fyne's,
// e.g. a desktop portal's).
func localizeFileDialog(win fyne.Window) *widget.Button {
	pop, ok := win.Canvas().Overlays().Top().(*widget.PopUp)
	if !ok {
		return nil
	}
	var confirm *widget.Button
	walkContainers(pop.Content, func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.List:
			localizePlaces(w)
		case *widget.Button:
			if w.Importance == widget.HighImportance {
				confirm = w
			}
		}
	})
	return confirm
}

// localizePlaces makes the side bar list show Spanish place names.
func localizePlaces(l *widget.List) {
	update := l.UpdateItem
	if update == nil {
		return
	}
	names := placeNames()
	l.UpdateItem = func(id widget.ListItemID, item fyne.CanvasObject) {
		update(id, item)
		if row, ok := item.(*fyne.Container); ok {
			for _, o := range row.Objects {
				if label, ok := o.(*widget.Label); ok {
					if es, ok := names[label.Text]; ok {
						label.SetText(es)
					}
				}
			}
		}
	}
	l.Refresh()
}

// localizeOverwrite translates the question or notice a save raised on
// top of win, if any.
func localizeOverwrite(win fyne.Window) {
	pop, ok := win.Canvas().Overlays().Top().(*widget.PopUp)
	if !ok {
		return
	}
	const ask = "Are you sure you want to overwrite the file\n"
	walkContainers(pop.Content, func(o fyne.CanvasObject) {
		label, ok := o.(*widget.Label)
		if !ok {
			return
		}
		switch {
		case label.Text == "Overwrite?":
			label.SetText(lang.L("¿Reemplazar el archivo?"))
		case strings.HasPrefix(label.Text, ask):
			name := strings.TrimSuffix(strings.TrimPrefix(label.Text, ask), "?")
			label.SetText(lang.L("Ya existe «{{.Name}}». ¿Desea reemplazarlo?", map[string]any{"Name": name}))
		case label.Text == "Cannot overwrite":
			label.SetText(lang.L("No se puede reemplazar"))
		case strings.HasPrefix(label.Text, "Files cannot replace a directory"):
			label.SetText(lang.L("Un archivo no puede reemplazar una carpeta; cambie el nombre e intente de nuevo."))
		}
	})
}

// walkContainers calls fn for o and every object inside the containers,
// splits and scrolls below it (not inside other widgets).
func walkContainers(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	fn(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, child := range c.Objects {
			walkContainers(child, fn)
		}
	case *container.Split:
		walkContainers(c.Leading, fn)
		walkContainers(c.Trailing, fn)
	case *container.Scroll:
		walkContainers(c.Content, fn)
	}
}
