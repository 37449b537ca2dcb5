package payments

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
)

// twoColumns lays the header's fields in two columns when there is room
// and in one on a narrow screen; each row as tall as its tallest field.
type twoColumns struct{ narrow *bool }

func (l *twoColumns) cols() int {
	if *l.narrow {
		return 1
	}
	return 2
}

func (l *twoColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	pad := theme.Padding()
	n := l.cols()
	var w, h float32
	for i := 0; i < len(objs); i += n {
		var rw, rh float32
		for j := i; j < i+n && j < len(objs); j++ {
			rw += objs[j].MinSize().Width + pad
			rh = max(rh, objs[j].MinSize().Height)
		}
		w, h = max(w, rw-pad), h+rh+pad
	}
	return fyne.NewSize(w, h-pad)
}

func (l *twoColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	n := l.cols()
	cw := (size.Width - float32(n-1)*pad) / float32(n)
	y := float32(0)
	for i := 0; i < len(objs); i += n {
		var rh float32
		for j := i; j < i+n && j < len(objs); j++ {
			rh = max(rh, objs[j].MinSize().Height)
		}
		for j := i; j < i+n && j < len(objs); j++ {
			objs[j].Move(fyne.NewPos(float32(j-i)*(cw+pad), y))
			objs[j].Resize(fyne.NewSize(cw, rh))
		}
		y += rh + pad
	}
}

// layoutSpacer is a flexible space in a box.
func layoutSpacer() fyne.CanvasObject { return layout.NewSpacer() }
