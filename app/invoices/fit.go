package invoices

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// fitColumns gives grid, a row of buttons, as many equal columns as fit in
// width with its widest visible button whole, so the row wraps instead of
// making the window wider than the screen or hiding buttons beyond a
// scroll. cols remembers the last count, to relayout only on a change.
func fitColumns(grid *fyne.Container, width float32, cols *int) {
	var widest float32
	visible := 0
	for _, o := range grid.Objects {
		if o.Visible() {
			widest = max(widest, o.MinSize().Width)
			visible++
		}
	}
	if visible == 0 {
		return
	}
	pad := theme.Padding()
	n := max(1, min(visible, int((width+pad)/(widest+pad))))
	if n != *cols {
		*cols = n
		grid.Layout = layout.NewGridLayoutWithColumns(n)
		grid.Refresh()
	}
}

// touchSize is the smallest a button may be, in both directions, to be
// tapped reliably with a finger.
const touchSize = 40

// touchTarget makes o at least touchSize in both directions. It is shown
// exactly when o is, so a hidden button leaves no gap in a row or grid.
func touchTarget(o fyne.CanvasObject) fyne.CanvasObject {
	t := &touch{o: o}
	t.ExtendBaseWidget(t)
	return t
}

type touch struct {
	widget.BaseWidget
	o fyne.CanvasObject
}

// Visible follows the wrapped object.
func (t *touch) Visible() bool { return t.o.Visible() }

func (t *touch) CreateRenderer() fyne.WidgetRenderer {
	r := canvas.NewRectangle(color.Transparent)
	r.SetMinSize(fyne.NewSize(touchSize, touchSize))
	return widget.NewSimpleRenderer(container.NewStack(r, t.o))
}
