package receivables

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// Period is a customer's account statement (estado de cuenta) for the days
// From to To in one currency: the balance before From, every movement of
// the period with the balance after it, their sums and the balance at the
// end of To.
type Period struct {
	Moneda           string
	From, To         time.Time // days (Day)
	Opening          decimal.Decimal
	Lines            []PeriodLine
	Charges, Credits decimal.Decimal // what the period's movements added and took
	Closing          decimal.Decimal
}

// PeriodLine is one movement of a Period with the running balance.
type PeriodLine struct {
	Movement
	Balance decimal.Decimal
}

// StatementPeriod returns the movements of st in moneda between the days
// from and to (inclusive) with the balance running from what the earlier
// movements left. Movements of other currencies are not mixed in: a
// customer who owes in several currencies gets a statement per currency.
// Movements are taken in the order of their dates (a payment after the
// invoices issued before it), so the running balance follows the order in
// which the customer's debt moved.
func StatementPeriod(st Statement, moneda string, from, to time.Time) Period {
	return periodOf(decimal.Zero, st.Movements, moneda, from, to)
}

// periodOf is StatementPeriod over moves that follow earlier movements
// adding up to before (in moneda).
func periodOf(before decimal.Decimal, moves []Movement, moneda string, from, to time.Time) Period {
	p := Period{Moneda: moneda, From: Day(from), To: Day(to), Opening: before}
	end := p.To.AddDate(0, 0, 1)
	bal := p.Opening
	byDate := func(a, b Movement) int { return a.Fecha.Compare(b.Fecha) }
	if !slices.IsSortedFunc(moves, byDate) { // stores give them in date order already
		moves = slices.Clone(moves)
		slices.SortStableFunc(moves, byDate)
	}
	// Stores give only the period's movements (and two days either side):
	// room for all of them saves growing a 10,000-line history 20 times.
	p.Lines = make([]PeriodLine, 0, len(moves))
	for _, m := range moves {
		if m.Moneda != moneda {
			continue
		}
		day := Day(m.Fecha)
		if day.Before(p.From) {
			p.Opening = p.Opening.Add(m.Amount)
			bal = p.Opening
			continue
		}
		if !day.Before(end) {
			continue
		}
		bal = bal.Add(m.Amount)
		if m.Amount.IsPositive() {
			p.Charges = p.Charges.Add(m.Amount)
		} else {
			p.Credits = p.Credits.Sub(m.Amount)
		}
		p.Lines = append(p.Lines, PeriodLine{Movement: m, Balance: bal})
	}
	p.Closing = p.Opening.Add(p.Charges).Sub(p.Credits)
	return p
}

// Currencies returns the currencies st's movements are in, in order of
// first appearance.
func (st Statement) Currencies() []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range st.Movements {
		if !seen[m.Moneda] {
			seen[m.Moneda] = true
			out = append(out, m.Moneda)
		}
	}
	return out
}
