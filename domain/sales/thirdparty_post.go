package sales

import (
	"context"
	"fmt"

	"github.com/folio-mx/folio/domain"
	"github.com/shopspring/decimal"
)

// snapshotThirdParties runs inside the posting transaction, before
// validation: a document with concepts on behalf of third parties, or with
// several sellers, needs the company's sales setting that enables them;
// and each such concept takes the third party's data as the catalog has it
// now (RFC, name, régimen, código postal), so the sealed ACuentaTerceros
// never carries what the draft copied days earlier. A third party of
// another company, deactivated or gone is refused. The lines of a credit
// note that credit an invoice's line keep that invoice's snapshot: the
// Egreso names whom the credited concept was billed for, whatever the
// catalog says now, and the setting is not asked again.
func snapshotThirdParties(ctx context.Context, tx PostTx, inv *Invoice) error {
	const op = "post invoice"
	onBehalf := false
	for i := range inv.Lines {
		if inv.Lines[i].OnBehalf() && inv.Lines[i].Credits == nil {
			onBehalf = true
		}
	}
	sellers := inv.Details != nil && len(inv.Details.Sellers) > 0
	if !onBehalf && !sellers {
		return nil
	}
	st, err := tx.SalesSettings(ctx, inv.Issuer)
	if err != nil {
		return err
	}
	p := &problems{op: op}
	if onBehalf && !st.ThirdParties {
		return domain.E(domain.Invalid, op, "El documento tiene conceptos por cuenta de terceros. Active «Manejar facturación / cobros a terceros» en Configuración de ventas de la empresa, o pase esos conceptos a cuenta propia.", nil)
	}
	if sellers && !st.MultipleSellers {
		return domain.E(domain.Invalid, op, "El documento tiene varios vendedores. Active «Permitir múltiples vendedores por venta» en Configuración de ventas de la empresa, o quite los vendedores de la pestaña Vendedores.", nil)
	}
	seen := map[int64]*ThirdPartyRef{}
	for i := range inv.Lines {
		l := &inv.Lines[i]
		if !l.OnBehalf() || l.Credits != nil {
			continue
		}
		field := fmt.Sprintf("Lines[%d].ThirdParty", i)
		if ref, ok := seen[l.ThirdParty.ID]; ok {
			if ref != nil {
				l.ThirdParty = ref
			}
			continue
		}
		seen[l.ThirdParty.ID] = nil
		tp, err := tx.ThirdParty(ctx, l.ThirdParty.ID)
		switch {
		case domain.KindOf(err) == domain.NotFound:
			p.add(field, fmt.Sprintf("El tercero «%s» ya no existe en el catálogo; elija otro para el concepto %d.", l.ThirdParty.Name, i+1))
			continue
		case err != nil:
			return err
		case tp.Issuer != inv.Issuer:
			p.add(field, fmt.Sprintf("El tercero «%s» es de otra empresa; elija uno del catálogo de esta empresa para el concepto %d.", tp.Name, i+1))
			continue
		case !tp.Active:
			p.add(field, fmt.Sprintf("El tercero «%s» (%s) está dado de baja; reactívelo en el catálogo de terceros o elija otro para el concepto %d.", tp.Name, tp.RFC, i+1))
			continue
		}
		ref := tp.Ref()
		seen[tp.ID], l.ThirdParty = ref, ref
	}
	return p.err()
}

// RetentionDiffers reports whether the retention rates of document inv
// differ from those its customer c withholds (Customer.RetencionIVA,
// RetencionISR): the GUI warns and asks to confirm before posting. The
// document's rates are those of its own-account taxable concepts (ObjetoImp
// 02; concepts on behalf of third parties carry the third party's taxes).
// IVA is compared first, then ISR; the first difference is returned as the
// document's rate and the customer's. A document with no such concept
// never differs.
func RetentionDiffers(inv *Invoice, c *Customer) (docRate, custRate decimal.Decimal, differs bool) {
	if d := RetentionDifferences(inv, c); len(d) > 0 {
		return d[0].Document, d[0].Customer, true
	}
	return decimal.Zero, decimal.Zero, false
}

// RetentionDiff is one retention whose rate on a document differs from its
// customer's.
type RetentionDiff struct {
	Impuesto string // "IVA" or "ISR"
	Document decimal.Decimal
	Customer decimal.Decimal
}

// RetentionDifferences lists, IVA first, each retention whose rate on some
// own-account taxable concept of inv differs from c's (see
// RetentionDiffers); at most one entry per tax, with the first differing
// concept's rate.
func RetentionDifferences(inv *Invoice, c *Customer) []RetentionDiff {
	var out []RetentionDiff
	check := func(name string, cust decimal.Decimal, rate func(Taxes) decimal.Decimal) {
		for i := range inv.Lines {
			l := &inv.Lines[i]
			if l.OnBehalf() || l.ObjetoImp != "02" {
				continue
			}
			if r := rate(l.Taxes); !r.Equal(cust) {
				out = append(out, RetentionDiff{Impuesto: name, Document: r, Customer: cust})
				return
			}
		}
	}
	check("IVA", c.RetencionIVA, func(t Taxes) decimal.Decimal { return t.RetIVA })
	check("ISR", c.RetencionISR, func(t Taxes) decimal.Decimal { return t.RetISR })
	return out
}
