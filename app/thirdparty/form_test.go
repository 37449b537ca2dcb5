package thirdparty

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/shopspring/decimal"

	"github.com/folio-mx/folio/domain/sales"
)

// pickCustomer types query in "Facturar a" and takes the first customer
// found with Enter, as the keyboard does.
func pickCustomer(t *testing.T, f *fixture, fm *DocumentForm, w fyne.Window, query, rfc string) {
	t.Helper()
	w.Canvas().Focus(fm.CustomerSearch)
	test.Type(fm.CustomerSearch, query)
	f.q.RunUntil(t, "customers found for "+query, func() bool { return len(fm.found) > 0 && fm.foundFor == fm.CustomerSearch })
	fm.CustomerSearch.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if fm.customer == nil || fm.customer.RFC != rfc {
		t.Fatalf("customer = %+v, want %s", fm.customer, rfc)
	}
}

// typeItem types qty and a product code in row i of g, then Tab, and waits
// for the product to fill the row.
func typeItem(t *testing.T, f *fixture, g *itemGrid, w fyne.Window, i int, qty, code string) *itemRow {
	t.Helper()
	for len(g.rows) <= i {
		test.Tap(g.Add)
	}
	r := g.rows[i]
	c := w.Canvas()
	c.Focus(r.Qty)
	test.Type(r.Qty, qty)
	c.FocusNext()
	if c.Focused() != fyne.Focusable(r.Product) {
		t.Fatalf("Tab from the quantity went to %T, want the product", c.Focused())
	}
	test.Type(r.Product, code)
	c.FocusNext() // Tab: the product fills the rest of the row
	f.q.RunUntil(t, "product "+code+" filled", func() bool { return r.Desc.Text != "" })
	return r
}

func TestDocumentGridsAndTotals(t *testing.T) {
	f := newFixture(t)
	fm, w := f.open(t, fyne.NewSize(1366, 900))
	if fm.Number.Text != "PDF-nuevo" {
		t.Errorf("number before saving = %q, want PDF-nuevo", fm.Number.Text)
	}
	pickCustomer(t, f, fm, w, "xoch", "CACX7605101P8")

	// Own account: 2 × FLE-01 at 1,000 + IVA.
	own := typeItem(t, f, fm.Own, w, 0, "2", "FLE-01")
	if own.Price.Text != "1000.00" || own.Desc.Text != "Flete local" {
		t.Errorf("own row after Tab: price %q desc %q", own.Price.Text, own.Desc.Text)
	}
	if got := fm.OwnTotal.Text; got != "$2,320.00" {
		t.Errorf("own total = %q, want $2,320.00", got)
	}
	// Third parties: 1 × HON-01 at 2,500 for IIA040805DZ4, 10 % off.
	third := typeItem(t, f, fm.Third, w, 0, "1", "HON-01")
	if got := fm.Problems.Text; !strings.Contains(got, "elija el tercero") {
		t.Errorf("a third-party item without its third party: problems %q", got)
	}
	if !third.SelectThirdParty("IIA040805DZ4") {
		t.Fatal("IIA040805DZ4 not offered")
	}
	if got := fm.ThirdTotal.Text; got != "$2,900.00" {
		t.Errorf("ajena total = %q, want $2,900.00", got)
	}
	// Every keystroke recomputes: 1 then 10 % off.
	test.Type(third.Disc, "1")
	if got := fm.ThirdTotal.Text; got != "$2,871.00" {
		t.Errorf("ajena after typing 1 %% = %q, want $2,871.00", got)
	}
	test.Type(third.Disc, "0")
	if got, own := fm.ThirdTotal.Text, fm.OwnTotal.Text; got != "$2,610.00" || own != "$2,320.00" {
		t.Errorf("after 10 %%: ajena %q own %q, want $2,610.00 and $2,320.00", got, own)
	}
	if got := fm.DocTot.Text; got != "$4,930.00 MXN" {
		t.Errorf("document total = %q, want $4,930.00 MXN", got)
	}
	if third.Importe.Text != "$2,610.00" || own.Importe.Text != "$2,320.00" {
		t.Errorf("importes %q, %q", own.Importe.Text, third.Importe.Text)
	}
	// Text that is not a number: no totals, the problem said.
	test.Type(own.Price, "x")
	if fm.OwnTotal.Text != "—" || !strings.Contains(fm.Problems.Text, "Propios 1: el precio no es un número") {
		t.Errorf("bad price: own %q problems %q", fm.OwnTotal.Text, fm.Problems.Text)
	}
	own.Price.SetText("1000")

	// Ctrl+S from the focused entry saves the draft: number PDF-n.
	w.Canvas().Focus(third.Disc)
	third.Disc.TypedShortcut(ShortcutSave)
	f.q.RunUntil(t, "draft saved", func() bool { return fm.inv.ID != 0 && !fm.busy })
	if want := "PDF-" + itoa64(fm.inv.ID); fm.Number.Text != want {
		t.Errorf("number = %q, want %q", fm.Number.Text, want)
	}
	inv, err := f.store.FindInvoiceByID(context.Background(), fm.inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Lines) != 2 || inv.Lines[0].ThirdParty != nil || inv.Lines[1].ThirdParty == nil ||
		inv.Lines[1].ThirdParty.RFC != "IIA040805DZ4" || !inv.Lines[1].Descuento.Equal(decimal.RequireFromString("250")) {
		t.Fatalf("stored lines = %+v", inv.Lines)
	}
	ownPart, thirdPart, err := inv.Split(2)
	if err != nil || ownPart.Total.StringFixed(2) != "2320.00" || thirdPart.Total.StringFixed(2) != "2610.00" {
		t.Errorf("stored split = %v / %v, %v", ownPart.Total, thirdPart.Total, err)
	}

	// Opening it again shows both grids as they were.
	fm2, _ := f.open(t, fyne.NewSize(1366, 900))
	fm2.Open(inv.ID)
	f.q.RunUntil(t, "opened", func() bool { return fm2.inv.ID == inv.ID })
	if len(fm2.Own.rows) != 1 || len(fm2.Third.rows) != 1 || fm2.Third.rows[0].TP.Selected == "" ||
		fm2.Third.rows[0].Disc.Text != "10" || fm2.ThirdTotal.Text != "$2,610.00" {
		t.Errorf("reopened: own %d third %d tp %q disc %q ajena %q", len(fm2.Own.rows), len(fm2.Third.rows),
			fm2.Third.rows[0].TP.Selected, fm2.Third.rows[0].Disc.Text, fm2.ThirdTotal.Text)
	}
}

func TestDocumentHeaderAndSubTabs(t *testing.T) {
	f := newFixture(t)
	fm, w := f.open(t, fyne.NewSize(1366, 900))
	if got := fm.Fecha.Text; got != "25/11/2026" {
		t.Errorf("Fecha by default = %q, want today 25/11/2026", got)
	}
	fm.Fecha.SetText("")
	test.Type(fm.Fecha, "24/11/2026")
	test.Type(fm.Branch, "Matriz Veracruz")
	test.Type(fm.Seller, "Ana López")
	test.Type(fm.Responsible, "Luis Pérez")

	// Facturar a: a customer on credit fills the inherited fields.
	pickCustomer(t, f, fm, w, "URE180429", "URE180429TM6")
	if fm.CreditDays.Text != "30" || fm.Terms.SelectedIndex() != 1 {
		t.Errorf("credit days %q, condición %q", fm.CreditDays.Text, fm.Terms.Selected)
	}
	for k, want := range map[string]string{"% retención": "0 % IVA", "Tipo de venta": "Nacional", "Decimales": "2",
		"Términos de venta": "Crédito a 30 días", "Caja": "—"} {
		if got := fm.Inherited[k].Text; got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if !strings.Contains(fm.BranchLabel.Text, "C.P. 86991") {
		t.Errorf("Sucursal cliente = %q", fm.BranchLabel.Text)
	}
	if !strings.Contains(fm.CollectLabel.Text, "UNIVERSIDAD ROBOTICA") {
		t.Errorf("Cuenta x cobrar a by default = %q", fm.CollectLabel.Text)
	}
	fm.CreditDays.SetText("")
	test.Type(fm.CreditDays, "45")

	// Cuenta x cobrar a: another customer.
	fm.Tabs.SelectIndex(2)
	w.Canvas().Focus(fm.CollectSearch)
	test.Type(fm.CollectSearch, "xoch")
	f.q.RunUntil(t, "collect customers found", func() bool { return len(fm.found) > 0 && fm.foundFor == fm.CollectSearch })
	fm.CollectSearch.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if fm.collect == nil || fm.collect.RFC != "CACX7605101P8" || !strings.Contains(fm.CollectLabel.Text, "XOCHILT") {
		t.Fatalf("collect = %+v, label %q", fm.collect, fm.CollectLabel.Text)
	}
	// Enviar a.
	fm.Tabs.SelectIndex(3)
	test.Type(fm.ShipTo, "Bodega 4, Puerto de Veracruz")
	// Datos de embarque.
	fm.Tabs.SelectIndex(4)
	for e, s := range map[*entry]string{fm.Vessel: "MSC Aurora", fm.Voyage: "V-118", fm.Container: "MSCU1234567",
		fm.Seal: "S-99", fm.ExitPort: "Veracruz", fm.DestPort: "Houston", fm.ShipTerms: "Flete pagado",
		fm.ShipContact: "Carlos", fm.ShipReach: "carlos@example.com", fm.ShipDate: "26/11/2026", fm.DispatchDate: "27/11/2026"} {
		test.Type(e, s)
	}
	fm.Incoterm.SetSelected("FOB")
	// Gestión de documento.
	fm.Tabs.SelectIndex(5)
	for e, s := range map[*entry]string{fm.GeneratedBy: "Ana López", fm.GeneratedByID: "INE 123", fm.Plate: "XYZ-123",
		fm.ReceivedBy: "Pedro", fm.ReceivedByID: "INE 456", fm.Observations: "Frágil"} {
		test.Type(e, s)
	}
	// Vendedores (the company allows several).
	if len(fm.Tabs.Items) != 7 || fm.Tabs.Items[6].Text != "Vendedores" {
		t.Fatalf("tabs = %d, last %q", len(fm.Tabs.Items), fm.Tabs.Items[len(fm.Tabs.Items)-1].Text)
	}
	fm.Tabs.SelectIndex(6)
	test.Tap(fm.AddSeller)
	test.Tap(fm.AddSeller)
	test.Type(fm.Sellers[0].Name, "Ana López")
	test.Type(fm.Sellers[0].Percent, "3")
	test.Type(fm.Sellers[1].Name, "Luis Pérez")
	test.Type(fm.Sellers[1].Percent, "1.5")

	typeItem(t, f, fm.Own, w, 0, "1", "FLE-01")
	fm.Save()
	f.q.RunUntil(t, "draft saved", func() bool { return fm.inv.ID != 0 && !fm.busy })
	inv, err := f.store.FindInvoiceByID(context.Background(), fm.inv.ID)
	if err != nil {
		t.Fatal(err)
	}
	d := inv.Details
	if d == nil {
		t.Fatal("no sale details stored")
	}
	xoch := fm.collect.ID
	if d.Branch != "Matriz Veracruz" || d.Seller != "Ana López" || d.Responsible != "Luis Pérez" || d.CollectFromID != xoch ||
		d.ShipTo != "Bodega 4, Puerto de Veracruz" || inv.ReceivableCustomerID() != xoch {
		t.Errorf("details = %+v", d)
	}
	s := d.Shipping
	if s.Vessel != "MSC Aurora" || s.Container != "MSCU1234567" || s.Incoterm != "FOB" || s.DestinationPort != "Houston" ||
		dayText(s.ShipDate) != "26/11/2026" || dayText(s.DispatchDate) != "27/11/2026" || s.ContactReach != "carlos@example.com" {
		t.Errorf("shipping = %+v", s)
	}
	m := d.Management
	if m.GeneratedByID != "INE 123" || m.VehiclePlate != "XYZ-123" || m.ReceivedBy != "Pedro" || m.Observations != "Frágil" {
		t.Errorf("management = %+v", m)
	}
	if len(d.Sellers) != 2 || d.Sellers[1].Name != "Luis Pérez" || !d.Sellers[1].Percent.Equal(decimal.RequireFromString("1.5")) {
		t.Errorf("sellers = %+v", d.Sellers)
	}
	if inv.Terms != sales.Credito || inv.CondicionesDePago != "Crédito a 45 días" || dayText(inv.Fecha) != "24/11/2026" {
		t.Errorf("terms %q condiciones %q fecha %v", inv.Terms, inv.CondicionesDePago, inv.Fecha)
	}

	// Reopened, every tab shows what was stored.
	fm2, _ := f.open(t, fyne.NewSize(1366, 900))
	fm2.Open(inv.ID)
	f.q.RunUntil(t, "collect name looked up", func() bool { return strings.Contains(fm2.CollectLabel.Text, "XOCHILT") })
	if fm2.Vessel.Text != "MSC Aurora" || fm2.Incoterm.Selected != "FOB" || fm2.CreditDays.Text != "45" || len(fm2.Sellers) != 2 ||
		fm2.Plate.Text != "XYZ-123" || fm2.Fecha.Text != "24/11/2026" {
		t.Errorf("reopened: vessel %q incoterm %q days %q sellers %d plate %q fecha %q", fm2.Vessel.Text, fm2.Incoterm.Selected,
			fm2.CreditDays.Text, len(fm2.Sellers), fm2.Plate.Text, fm2.Fecha.Text)
	}

	// Without "varios vendedores" there is no Vendedores tab.
	f.deps.MultipleSellers = false
	fm3 := NewDocumentForm(f.deps, f.co)
	if n := len(fm3.Tabs.Items); n != 6 {
		t.Errorf("tabs without multiple sellers = %d, want 6", n)
	}
}

func itoa64(n int64) string { return decimal.NewFromInt(n).String() }

// draftWithItems fills a document for rfc's customer (found by query) with
// one own and one third-party item.
func draftWithItems(t *testing.T, f *fixture, fm *DocumentForm, w fyne.Window, query, rfc string) {
	t.Helper()
	pickCustomer(t, f, fm, w, query, rfc)
	typeItem(t, f, fm.Own, w, 0, "2", "FLE-01")
	r := typeItem(t, f, fm.Third, w, 0, "1", "HON-01")
	r.SelectThirdParty("IIA040805DZ4")
}

func TestPostingSequence(t *testing.T) {
	ctx := context.Background()
	stored := func(t *testing.T, f *fixture, id int64) sales.Invoice {
		t.Helper()
		inv, err := f.store.FindInvoiceByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return inv
	}
	waitStep := func(t *testing.T, f *fixture, fm *DocumentForm, step string) *Prompt {
		t.Helper()
		f.q.RunUntil(t, "step "+step, func() bool { return fm.Prompt() != nil && fm.Prompt().Step == step })
		return fm.Prompt()
	}

	t.Run("no retention warning; Continuar takes the proposed number", func(t *testing.T) {
		f := newFixture(t)
		fm, w := f.open(t, fyne.NewSize(1366, 900))
		draftWithItems(t, f, fm, w, "xoch", "CACX7605101P8")
		fm.Own.rows[0].Qty.TypedShortcut(ShortcutPrint) // Ctrl+P
		p := waitStep(t, f, fm, StepConfirm)
		if fm.inv.ID == 0 || stored(t, f, fm.inv.ID).State != sales.StateDraft {
			t.Fatal("the draft was not saved before asking")
		}
		test.Tap(p.Buttons["Sí, postear e imprimir"])
		p = waitStep(t, f, fm, StepCorrelative)
		if !strings.Contains(p.Message.Text, "A-7") {
			t.Errorf("correlative proposes %q, want A-7", p.Message.Text)
		}
		test.Tap(p.Buttons["Continuar"])
		f.q.RunUntil(t, "posted and printed", func() bool { return len(f.printed) == 1 })
		inv := stored(t, f, fm.inv.ID)
		if inv.Folio != 7 || inv.Serie != "A" || inv.State == sales.StateDraft || f.printed[0] != inv.ID {
			t.Errorf("posted %s state %v printed %v", inv.FolioText(), inv.State, f.printed)
		}
		if len(inv.Lines) != 2 || inv.Lines[1].ThirdParty == nil || inv.Lines[1].ThirdParty.RFC != "IIA040805DZ4" {
			t.Errorf("posted lines = %+v", inv.Lines)
		}
		if fm.Number.Text != "A-7" || !fm.SaveBtn.Disabled() || !fm.Own.rows[0].Qty.Disabled() {
			t.Errorf("after posting: number %q, save disabled %v", fm.Number.Text, fm.SaveBtn.Disabled())
		}
	})

	t.Run("retention differs: warning with both figures, cancel keeps the draft", func(t *testing.T) {
		f := newFixture(t)
		cs, _ := f.store.FindCustomers(ctx, sales.CustomerFilter{Query: "URE180429"})
		c := cs[0]
		c.RetencionIVA = decimal.RequireFromString("0.106667")
		if err := f.store.UpdateCustomer(ctx, &c); err != nil {
			t.Fatal(err)
		}
		fm, w := f.open(t, fyne.NewSize(1366, 900))
		draftWithItems(t, f, fm, w, "URE180429", "URE180429TM6")
		if got := fm.Inherited["% retención"].Text; got != "10.6667 % IVA" {
			t.Errorf("inherited retention = %q", got)
		}
		test.Tap(fm.PrintBtn)
		p := waitStep(t, f, fm, StepRetention)
		if !strings.Contains(p.Message.Text, "es 0 %") || !strings.Contains(p.Message.Text, "10.6667 %") {
			t.Errorf("warning = %q, want both figures", p.Message.Text)
		}
		test.Tap(p.Buttons["Cancelar"])
		if fm.Prompt() != nil {
			t.Fatal("a prompt is still up after Cancelar")
		}
		if inv := stored(t, f, fm.inv.ID); inv.State != sales.StateDraft || len(inv.Lines) != 2 {
			t.Errorf("after cancel: state %v lines %d", inv.State, len(inv.Lines))
		}
		if !strings.Contains(fm.Status.Text, "queda guardado") {
			t.Errorf("status = %q", fm.Status.Text)
		}
		// Confirming the warning goes on to the posting question.
		test.Tap(fm.PrintBtn)
		p = waitStep(t, f, fm, StepRetention)
		test.Tap(p.Buttons["Continuar"])
		waitStep(t, f, fm, StepConfirm)
	})

	t.Run("Modificar: wrong password refused, right one posts the number typed", func(t *testing.T) {
		f := newFixture(t)
		if err := f.companies.SetAdminPassword(ctx, "", "clave-admin-1"); err != nil {
			t.Fatal(err)
		}
		fm, w := f.open(t, fyne.NewSize(1366, 900))
		draftWithItems(t, f, fm, w, "xoch", "CACX7605101P8")
		fm.Print()
		test.Tap(waitStep(t, f, fm, StepConfirm).Buttons["Sí, postear e imprimir"])
		test.Tap(waitStep(t, f, fm, StepCorrelative).Buttons["Modificar"])
		p := waitStep(t, f, fm, StepOverride)
		p.Entries["Número"].SetText("12")
		test.Type(p.Entries["Contraseña de administrador"], "equivocada")
		test.Tap(p.Buttons["Autorizar y postear"])
		p = waitStep(t, f, fm, StepCorrelative)
		if !strings.Contains(strings.ToLower(p.Message.Text), "contraseña") {
			t.Errorf("after a wrong password the correlative says %q", p.Message.Text)
		}
		if inv := stored(t, f, fm.inv.ID); inv.State != sales.StateDraft || len(inv.Lines) != 2 {
			t.Fatalf("wrong password: state %v, lines %d", inv.State, len(inv.Lines))
		}
		test.Tap(p.Buttons["Modificar"])
		p = waitStep(t, f, fm, StepOverride)
		p.Entries["Número"].SetText("12")
		test.Type(p.Entries["Contraseña de administrador"], "clave-admin-1")
		test.Tap(p.Buttons["Autorizar y postear"])
		f.q.RunUntil(t, "posted", func() bool { return len(f.printed) == 1 })
		if inv := stored(t, f, fm.inv.ID); inv.Folio != 12 {
			t.Errorf("posted folio %d, want 12", inv.Folio)
		}
		series, _ := f.store.FindSeries(ctx, f.co.RFC)
		if series[0].NextFolio != 13 {
			t.Errorf("next folio %d, want 13", series[0].NextFolio)
		}
	})
}

// inMainWindow shows o right of a sidebar in a window of size, with the
// real theme, as the main window shows an area.
func inMainWindow(t *testing.T, o fyne.CanvasObject, size fyne.Size) fyne.Window {
	t.Helper()
	fyne.CurrentApp().Settings().SetTheme(theme.DefaultTheme())
	sidebar := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	sidebar.SetMinSize(fyne.NewSize(160, 0))
	split := container.NewHSplit(sidebar, o)
	split.Offset = 0.2
	w := test.NewWindow(split)
	t.Cleanup(w.Close)
	w.Resize(size)
	return w
}

// TestDocumentFitsTheScreen: at 1366×768 and 1024×768 beside the sidebar
// the form fits its window, both grids' columns are inside it and the
// totals and actions are in sight.
func TestDocumentFitsTheScreen(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1366, Height: 768}, {Width: 1024, Height: 768}} {
		name := itoa64(int64(size.Width)) + "x" + itoa64(int64(size.Height))
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			fyne.CurrentApp().Settings().SetTheme(theme.DefaultTheme())
			fm := NewDocumentForm(f.deps, f.co)
			w := inMainWindow(t, fm, size)
			fm.Reload()
			f.q.RunUntil(t, "loaded", func() bool { return fm.Serie.Selected == "A" && len(fm.tps) == 2 })
			draftWithItems(t, f, fm, w, "xoch", "CACX7605101P8")
			typeItem(t, f, fm.Third, w, 1, "3", "FLE-01").SelectThirdParty("CACX7605101P8")
			w.Resize(size.SubtractWidthHeight(1, 1))
			w.Resize(size)
			w.Canvas().Unfocus()
			if min := w.Content().MinSize(); min.Width > size.Width {
				t.Errorf("content needs %v px wide, window is %v", min.Width, size.Width)
			}
			inside := func(o fyne.CanvasObject) bool {
				pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
				end := pos.Add(o.Size())
				return o.Visible() && o.Size().Width > 0 && pos.X >= 0 && end.X <= size.Width+0.5 && end.Y <= size.Height+0.5
			}
			for n, o := range map[string]fyne.CanvasObject{"total": fm.DocTot, "ajena": fm.ThirdTotal, "Imprimir": fm.PrintBtn} {
				if !inside(o) {
					t.Errorf("%s outside the window or hidden", n)
				}
			}
			// The grids scroll with the capture; their columns are never
			// beyond the right edge, and the own items start in sight.
			for n, o := range map[string]fyne.CanvasObject{"tercero": fm.Third.rows[0].TP, "importe ajeno": fm.Third.rows[0].Importe,
				"importe propio": fm.Own.rows[0].Importe, "descripción": fm.Own.rows[0].Desc} {
				pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
				if end := pos.X + o.Size().Width; end > size.Width+0.5 || o.Size().Width < 40 {
					t.Errorf("%s at x %v–%v, window %v wide", n, pos.X, end, size.Width)
				}
			}
			if pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(fm.Own.rows[0].Qty); pos.Y > size.Height-120 {
				t.Errorf("the first own item is at y %v, below the fold of a %v-high window", pos.Y, size.Height)
			}
			if *screenshots {
				saveScreenshot(t, w.Canvas(), filepath.Join("..", "..", "docs", "screenshots", "third-party-document-"+name+".png"))
				fm.scroll.ScrollToBottom()
				saveScreenshot(t, w.Canvas(), filepath.Join("..", "..", "docs", "screenshots", "third-party-grids-"+name+".png"))
			}
		})
	}
}
