package invoices

import (
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/lang"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// The problems of an invoice are shown twice: next to the field they
// belong to (sales.FieldErrors keys them by the domain's field names) and
// all together in the list under the concepts.

// headerFields are the invoice fields that have their own error label, in
// screen order (the problems list follows it).
var headerFields = []string{"Serie", "CustomerID", "UsoCFDI", "Terms", "FormaPago", "Moneda", "TipoCambio", "Global", "Lines"}

// setFieldError shows msg under field's widget ("" hides it).
func (ed *InvoiceEditor) setFieldError(field, msg string) {
	l := ed.errs[field]
	if l == nil {
		return
	}
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// fieldRank orders problems as the fields appear on screen.
func fieldRank(field string) (int, int, string) {
	if rest, ok := strings.CutPrefix(field, "Lines["); ok {
		n, sub, _ := strings.Cut(rest, "]")
		i, _ := strconv.Atoi(n)
		return len(headerFields), i, sub
	}
	head, _, _ := strings.Cut(field, ".")
	if i := slices.Index(headerFields, head); i >= 0 {
		return i, 0, field
	}
	return -1, 0, field
}

// showProblems shows each problem next to its field and all of them in the
// list under the concepts; other is a problem tied to no field.
func (ed *InvoiceEditor) showProblems(fields map[string]string, other string) {
	byHeader := map[string][]string{}
	byLine := map[int][]string{}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		ra, ia, sa := fieldRank(keys[a])
		rb, ib, sb := fieldRank(keys[b])
		if ra != rb {
			return ra < rb
		}
		if ia != ib {
			return ia < ib
		}
		return sa < sb
	})
	var list []string
	if other != "" {
		list = append(list, other)
	}
	for _, k := range keys {
		msg := fields[k]
		rank, i, _ := fieldRank(k)
		switch {
		case rank == len(headerFields):
			byLine[i] = append(byLine[i], msg)
			msg = lang.L("Concepto {{.N}}: ", map[string]any{"N": i + 1}) + msg
		case rank >= 0:
			head, _, _ := strings.Cut(k, ".")
			byHeader[head] = append(byHeader[head], msg)
		}
		list = append(list, msg)
	}
	for _, f := range headerFields {
		ed.setFieldError(f, strings.Join(byHeader[f], "\n"))
	}
	k := 0
	for _, r := range ed.lines {
		if r.blank() {
			r.errLabel.Hide()
			continue
		}
		if msgs := byLine[k]; len(msgs) > 0 {
			r.errLabel.SetText(strings.Join(msgs, "\n"))
			r.errLabel.Show()
		} else {
			r.errLabel.Hide()
		}
		k++
	}
	if len(list) == 0 {
		ed.problems.Hide()
		return
	}
	ed.problems.SetText(lang.L("Corrija lo siguiente:") + "\n• " + strings.Join(list, "\n• "))
	ed.problems.Show()
}

// showError shows an error of a save or post (op names it for the log):
// its field problems, or its user message. An error that is not the
// user's to fix (any kind but Invalid, Conflict, Rejected or Unavailable)
// is logged with its whole cause, which the generic message refers to.
func (ed *InvoiceEditor) showError(op string, err error) {
	if fields := sales.FieldErrors(err); len(fields) > 0 {
		ed.showProblems(fields, "")
		ed.status.SetText(ed.fixText())
		return
	}
	switch domain.KindOf(err) {
	case domain.Invalid, domain.Conflict, domain.Rejected, domain.Unavailable, domain.NotFound:
		slog.Info("invoice editor refused", "op", op, "err", err)
	default:
		slog.Error("invoice editor", "op", op, "invoice", ed.inv.ID, "err", err)
	}
	ed.showProblems(nil, domain.UserMessage(err))
	ed.status.SetText(domain.UserMessage(err))
}
