package invoices

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
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
