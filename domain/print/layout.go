package print

import (
	"reflect"
	"strings"
	"sync"
	"unsafe"

	"github.com/johnfercher/go-tree/node"
	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/consts/align"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"
	"github.com/phpdave11/gofpdf"
	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/folio-mx/folio/assets"
)

// stack is a maroto component that lays out lines one below the other inside
// a column. Each line holds components drawn at the same height (a label on
// the left and a value on the right, say); a line is as tall as its tallest
// component, so wrapped text pushes the next line down. maroto's own Col
// draws all its components over the same spot, and text has no line breaks,
// hence this component. Heights come from the provider, exactly as maroto's
// rows compute theirs.
type stack struct {
	lines [][]core.Component
	pad   float64 // space above the first and below the last line, mm

	// maroto asks a row for its height several times (when adding it, when
	// rendering the row and the page); the line heights for the last width
	// asked are kept, as the content never changes once built.
	memoWidth float64
	memo      []float64
	cfg       *entity.Config // the config last set
}

var _ core.Component = (*stack)(nil)

func newStack(pad float64) *stack { return &stack{pad: pad} }

// add appends a line made of cs; nil components are left out, and a line
// with none is not added.
func (s *stack) add(cs ...core.Component) *stack {
	line := make([]core.Component, 0, len(cs))
	for _, c := range cs {
		if c != nil {
			line = append(line, c)
		}
	}
	if len(line) > 0 {
		s.lines = append(s.lines, line)
		s.memo = nil
	}
	return s
}

func (s *stack) SetConfig(cfg *entity.Config) {
	if cfg == s.cfg {
		return // maroto sets the same config again on every page
	}
	s.cfg = cfg
	for _, l := range s.lines {
		for _, c := range l {
			c.SetConfig(cfg)
		}
	}
	s.memo = nil // the config fills in font defaults, which change heights
}

func (s *stack) GetStructure() *node.Node[core.Structure] {
	n := node.New(core.Structure{Type: "stack"})
	for _, l := range s.lines {
		for _, c := range l {
			n.AddNext(c.GetStructure())
		}
	}
	return n
}

// lineHeights returns the height of each line in a cell as wide as cell.
func (s *stack) lineHeights(p core.Provider, cell *entity.Cell) []float64 {
	if s.memo != nil && s.memoWidth == cell.Width {
		return s.memo
	}
	hs := make([]float64, len(s.lines))
	for i, l := range s.lines {
		for _, c := range l {
			hs[i] = max(hs[i], c.GetHeight(p, cell))
		}
	}
	s.memoWidth, s.memo = cell.Width, hs
	return hs
}

func (s *stack) GetHeight(p core.Provider, cell *entity.Cell) float64 {
	if len(s.lines) == 0 {
		return 0
	}
	h := 2 * s.pad
	for _, lh := range s.lineHeights(p, cell) {
		h += lh
	}
	return h
}

func (s *stack) Render(p core.Provider, cell *entity.Cell) {
	c := *cell
	c.Y += s.pad
	hs := s.lineHeights(p, cell)
	for i, l := range s.lines {
		lc := c
		lc.Height = hs[i]
		for _, comp := range l {
			comp.Render(p, &lc)
		}
		c.Y += lc.Height
	}
}

// memo wraps c in a stack so that its height is measured once per width;
// a bare text in a column is measured on every height query (three per row).
func memo(c core.Component) core.Component {
	if s, ok := c.(*stack); ok {
		return s
	}
	return newStack(0).add(c)
}

// Text styles of the document. Sizes are points; paddings millimetres.
const (
	sizeBody  = 7.0
	sizeSmall = 6.0
	sizeTiny  = 5.5
	padX      = 1.2 // left and right padding of text in a cell
)

var (
	colorText  = &props.Color{Red: 33, Green: 37, Blue: 41}
	colorMuted = &props.Color{Red: 108, Green: 117, Blue: 125}
	colorZebra = &props.Color{Red: 244, Green: 246, Blue: 248}
	colorRule  = &props.Color{Red: 206, Green: 212, Blue: 218}
	colorAlert = &props.Color{Red: 200, Green: 30, Blue: 45}
	colorWhite = &props.Color{Red: 255, Green: 255, Blue: 255}
)

// t is a text component with Folio's defaults; extra top/bottom padding
// makes a line breathe.
func t(s string, size float64, style fontstyle.Type, al align.Type, color *props.Color) core.Component {
	return text.New(s, props.Text{Size: size, Style: style, Align: al, Color: color, Left: padX, Right: padX, Top: 0.35})
}

func body(s string) core.Component { return t(s, sizeBody, fontstyle.Normal, align.Left, colorText) }
func bold(s string) core.Component { return t(s, sizeBody, fontstyle.Bold, align.Left, colorText) }
func muted(s string) core.Component {
	return t(s, sizeSmall, fontstyle.Normal, align.Left, colorMuted)
}

// heading is the title of a block, in the accent color.
func heading(s string, accent *props.Color) core.Component {
	return t(strings.ToUpper(s), sizeSmall, fontstyle.Bold, align.Left, accent)
}

// pair is a label on the left and its value on the right of the same line.
// The label keeps clear of the value: a long one wraps instead of running
// under it.
func pair(label, value string, size float64, style fontstyle.Type) []core.Component {
	l := text.New(label, props.Text{Size: size, Align: align.Left, Color: colorMuted, Left: padX,
		Right: padX + widthMM(value, size)*1.12 + 2, Top: 0.35})
	return []core.Component{l, t(value, size, style, align.Right, colorText)}
}

// widthMM estimates how wide s prints at size points in the regular font.
func widthMM(s string, size float64) float64 {
	w := fontWidths()
	em := 0.0
	for _, r := range s {
		if r < 256 {
			em += w[r]
		} else {
			em++
		}
	}
	return em * size * mmPerPoint
}

// labelled is "Label: value" with the label muted, in one wrapping text.
func labelled(label, value string) core.Component {
	return body(label + ": " + value)
}

// fontWidths holds the advance of the Latin-1 characters of the regular
// font in em, to cut long unbroken strings (seals, cadenas) into pieces that
// fill a line: maroto breaks lines only at spaces.
var fontWidths = sync.OnceValue(func() *[256]float64 {
	var w [256]float64
	f, err := sfnt.Parse(assets.FontRegular)
	if err != nil {
		for i := range w {
			w[i] = 1 // widest possible: pieces get shorter, never overflow
		}
		return &w
	}
	var buf sfnt.Buffer
	upem := fixed.I(int(f.UnitsPerEm()))
	for r := 0; r < 256; r++ {
		w[r] = 1
		idx, err := f.GlyphIndex(&buf, rune(r))
		if err != nil || idx == 0 {
			continue
		}
		adv, err := f.GlyphAdvance(&buf, idx, upem, font.HintingNone)
		if err != nil {
			continue
		}
		w[r] = float64(adv) / float64(upem)
	}
	return &w
})

// mmPerPoint converts a font size in points to millimetres.
const mmPerPoint = 25.4 / 72

// breakable returns s with spaces inserted so that no piece between spaces
// is wider than width millimetres at size points. Pieces are as long as
// fit, so each becomes one printed line; removing whitespace gives s back
// when s had none.
func breakable(s string, width, size float64) string {
	w := fontWidths()
	limit := width * 0.97 / (size * mmPerPoint) // in em, with a margin for rounding
	var b strings.Builder
	cur := 0.0
	for _, r := range s {
		if r == ' ' {
			b.WriteRune(r)
			cur = 0
			continue
		}
		rw := 1.0
		if r < 256 {
			rw = w[r]
		}
		if cur+rw > limit && cur > 0 {
			b.WriteByte(' ')
			cur = 0
		}
		b.WriteRune(r)
		cur += rw
	}
	return b.String()
}

// tableCol is one column of a table: its width on the grid of 100, its
// header text and the alignment of its cells.
type tableCol struct {
	size  int
	title string
	al    align.Type
}

// zebraRow lays vals out in cols (nil leaves a cell empty), shading every
// other row (i counts from 0).
func zebraRow(cols []tableCol, vals []core.Component, i int) core.Row {
	cs := make([]core.Col, len(vals))
	for j, v := range vals {
		cs[j] = col.New(cols[j].size)
		if v != nil {
			cs[j].Add(memo(v))
		}
	}
	r := row.New().Add(cs...)
	if i%2 == 1 {
		r.WithStyle(&props.Cell{BackgroundColor: colorZebra})
	}
	return r
}

// tableLine is one line of a table drawn as a single maroto component that
// spans the row: the texts of its cells side by side, in one font. It
// exists for speed (a 10,000-line statement must print in well under half
// a second): maroto measures a text by switching fonts, which writes to the
// page, on every height query, and a column per cell multiplies that. Here
// a text whose width (widthMM, from the font's own metrics) fits its cell
// is one line without asking the provider; only one that may not fit is
// measured, and then it wraps as a plain text would.
type tableLine struct {
	cols  []tableCol
	vals  []string // "" leaves a cell empty
	style []fontstyle.Type

	memoWidth, memo float64
}

var _ core.Component = (*tableLine)(nil)

// lineText is the text properties of a table line's cell.
func lineText(al align.Type, style fontstyle.Type) props.Text {
	return props.Text{Family: assets.FontFamily, Size: sizeSmall, Style: style, Align: al, Color: colorText, Left: 0.8, Right: 0.8, Top: 0.7, Bottom: 0.3}
}

// newTableLine returns the line of vals in cols, in the regular style.
func newTableLine(cols []tableCol, vals ...string) *tableLine {
	return &tableLine{cols: cols, vals: vals}
}

// bold sets cell i in bold.
func (l *tableLine) bold(i int) *tableLine {
	if l.style == nil {
		l.style = make([]fontstyle.Type, len(l.vals))
	}
	l.style[i] = fontstyle.Bold
	return l
}

func (l *tableLine) prop(i int) props.Text {
	st := fontstyle.Normal
	if l.style != nil && l.style[i] != "" {
		st = l.style[i]
	}
	return lineText(l.cols[i].al, st)
}

func (l *tableLine) SetConfig(*entity.Config) {}

func (l *tableLine) GetStructure() *node.Node[core.Structure] {
	return node.New(core.Structure{Type: "tableLine", Value: strings.Join(l.vals, " | ")})
}

func (l *tableLine) GetHeight(p core.Provider, cell *entity.Cell) float64 {
	if l.memo != 0 && l.memoWidth == cell.Width {
		return l.memo
	}
	lines := 1
	for i, v := range l.vals {
		if v == "" {
			continue
		}
		pr := l.prop(i)
		w := cell.Width*float64(l.cols[i].size)/gridSize - pr.Left - pr.Right
		est := widthMM(v, pr.Size)
		if pr.Style == fontstyle.Bold {
			est *= 1.12 // the bold face is wider than the regular one measured
		}
		if est*1.02 > w {
			lines = max(lines, p.GetLinesQuantity(v, &pr, w))
		}
	}
	pr := lineText(align.Left, fontstyle.Normal)
	l.memoWidth = cell.Width
	l.memo = float64(lines)*pr.Size*mmPerPoint + pr.Top + pr.Bottom
	return l.memo
}

func (l *tableLine) Render(p core.Provider, cell *entity.Cell) {
	pdf := fpdfOf(p)
	if pdf == nil || !tableLineDirect {
		l.renderEach(p, cell)
		return
	}
	// Straight to gofpdf: one font selection per style change and one text
	// color per line, instead of maroto's three font selections and two
	// color changes per cell (each written or formatted). What is drawn
	// and where is what maroto's text would draw (the same gofpdf Text
	// calls at the same places); a text too wide for its cell goes through
	// maroto, which wraps it.
	left, top, _, _ := pdf.GetMargins()
	r, g, b := pdf.GetTextColor()
	pdf.SetTextColor(colorText.Red, colorText.Green, colorText.Blue)
	style := fontstyle.Type("unset")
	x := cell.X
	for i, v := range l.vals {
		w := cell.Width * float64(l.cols[i].size) / gridSize
		if v == "" {
			x += w
			continue
		}
		pr := l.prop(i)
		if pr.Style != style {
			pdf.SetFont(pr.Family, string(pr.Style), pr.Size)
			style = pr.Style
		}
		width := max(w-pr.Left-pr.Right, 0)
		sw := pdf.GetStringWidth(v)
		if sw > width {
			c := entity.Cell{X: x, Y: cell.Y, Width: w, Height: cell.Height}
			p.AddText(v, &c, &pr)
			pdf.SetTextColor(colorText.Red, colorText.Green, colorText.Blue)
			style = "unset"
			x += w
			continue
		}
		dx := 0.0
		switch pr.Align {
		case align.Right:
			dx = width - sw
		case align.Center:
			dx = (width - sw) / 2
		}
		pdf.Text(x+pr.Left+dx+left, cell.Y+min(pr.Top, cell.Height)+pr.Size*mmPerPoint+top, v)
		x += w
	}
	pdf.SetTextColor(r, g, b)
}

// tableLineDirect lets a test draw table lines through maroto alone, to
// compare with the direct path.
var tableLineDirect = true

// renderEach draws l's cells one by one through maroto's provider.
func (l *tableLine) renderEach(p core.Provider, cell *entity.Cell) {
	x := cell.X
	for i, v := range l.vals {
		w := cell.Width * float64(l.cols[i].size) / gridSize
		if v != "" {
			pr := l.prop(i)
			c := entity.Cell{X: x, Y: cell.Y, Width: w, Height: cell.Height}
			p.AddText(v, &c, &pr)
		}
		x += w
	}
}

// fpdfOf returns the gofpdf document behind maroto's gofpdf provider, or
// nil when p is another provider. maroto v2 keeps it in the unexported
// field fpdf and offers no accessor; TestTableLineFast fails when an
// upgrade moves it, and the table then still prints, cell by cell.
func fpdfOf(p core.Provider) *gofpdf.Fpdf {
	v := reflect.ValueOf(p)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	f := v.Elem().FieldByName("fpdf")
	if !f.IsValid() || f.Kind() != reflect.Interface || !f.CanAddr() {
		return nil
	}
	pdf, _ := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(*gofpdf.Fpdf)
	return pdf
}

// tableRow is l as a row of the table, shaded every other row (i counts
// from 0).
func tableRow(l *tableLine, i int) core.Row {
	r := row.New().Add(col.New(gridSize).Add(l))
	if i%2 == 1 {
		r.WithStyle(&props.Cell{BackgroundColor: colorZebra})
	}
	return r
}
