package invoices

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
)

// searchCustomers looks customers up as the user types, off the UI
// goroutine; only the newest answer is shown.
func (ed *InvoiceEditor) searchCustomers(text string) {
	if ed.filling {
		return
	}
	q := strings.TrimSpace(text)
	ed.pickCustomerNext = false
	if q == "" {
		ed.customerFound, ed.customerQuery = nil, ""
		ed.customerResults.Hide()
		return
	}
	ed.custGen++
	gen := ed.custGen
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), editorTimeout)
		defer cancel()
		found, err := ed.deps.Customers.FindCustomers(ctx, sales.CustomerFilter{Query: q, Limit: searchLimit})
		fyne.Do(func() {
			if gen != ed.custGen {
				return
			}
			if err != nil {
				ed.setFieldError("CustomerID", domain.UserMessage(err))
				return
			}
			ed.customerFound, ed.customerQuery = found, q
			ed.customerResults.UnselectAll()
			ed.customerResults.Refresh()
			if len(found) == 0 {
				ed.customerResults.Hide()
				ed.setFieldError("CustomerID", lang.L("Ningún cliente coincide con «{{.Query}}».", map[string]any{"Query": q}))
				return
			}
			ed.setFieldError("CustomerID", "")
			ed.customerResults.Show()
			if ed.pickCustomerNext {
				ed.pickCustomer(found[0])
			}
		})
	}()
}

// submitCustomer (Enter in the search) takes the first customer found, or
// the first one the pending search finds.
func (ed *InvoiceEditor) submitCustomer() {
	q := strings.TrimSpace(ed.customerSearch.Text)
	if len(ed.customerFound) > 0 && ed.customerQuery == q {
		ed.pickCustomer(ed.customerFound[0])
		return
	}
	ed.pickCustomerNext = q != ""
}

// pickCustomer makes c the receptor with the defaults the domain gives it
// (sales.Invoice.SetCustomer: UsoCFDI, contado/crédito, forma de pago) and
// presents the verdict on the invoice with that customer.
func (ed *InvoiceEditor) pickCustomer(c sales.Customer) {
	ed.filling = true
	inv, _ := ed.invoice()
	inv.SetCustomer(c, ed.deps.Rules)
	ed.inv.Customer, ed.inv.CustomerID = inv.Customer, inv.CustomerID
	ed.customerFound, ed.customerQuery, ed.pickCustomerNext = nil, "", false
	ed.customerResults.Hide()
	ed.customerSearch.SetText(c.Name)
	ed.customerLabel.SetText(customerText(&c))
	ed.showTerms(inv.Terms)
	ed.applyRules(&inv)
	ed.filling = false
	ed.setFieldError("CustomerID", "")
	ed.setFieldError("Terms", "")
	ed.recompute()
}

// searchProducts looks products up by code or description for row r, off
// the UI goroutine. With pick (Enter) it takes the product whose code is
// the text, else the first found.
func (ed *InvoiceEditor) searchProducts(r *lineRow, text string, pick bool) {
	if ed.filling {
		return
	}
	q := strings.TrimSpace(text)
	if q == "" {
		ed.hideProducts()
		return
	}
	if pick && ed.productFor == r && ed.productQuery == q && len(ed.productFound) > 0 {
		ed.pickProductFor(r, bestProduct(ed.productFound, q))
		return
	}
	ed.pickProduct = pick
	ed.productFor = r
	ed.prodGen++
	gen := ed.prodGen
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), editorTimeout)
		defer cancel()
		found, err := ed.deps.Products.FindProducts(ctx, sales.ProductFilter{Query: q, Limit: searchLimit})
		fyne.Do(func() {
			if gen != ed.prodGen || ed.productFor != r {
				return
			}
			if err != nil {
				r.errLabel.SetText(domain.UserMessage(err))
				r.errLabel.Show()
				return
			}
			ed.productFound, ed.productQuery = found, q
			ed.productResults.UnselectAll()
			ed.productResults.Refresh()
			if len(found) == 0 {
				ed.productResults.Hide()
				r.errLabel.SetText(lang.L("Ningún producto coincide con «{{.Query}}».", map[string]any{"Query": q}))
				r.errLabel.Show()
				return
			}
			r.errLabel.Hide()
			if ed.pickProduct {
				ed.pickProductFor(r, bestProduct(found, q))
				return
			}
			ed.productResults.Show()
		})
	}()
}

// bestProduct is the product whose code is q, else the first.
func bestProduct(found []sales.Product, q string) sales.Product {
	for _, p := range found {
		if strings.EqualFold(p.Code, q) {
			return p
		}
	}
	return found[0]
}

// pickProductFor fills row r from p.
func (ed *InvoiceEditor) pickProductFor(r *lineRow, p sales.Product) {
	ed.filling = true
	r.applyProduct(&p)
	ed.filling = false
	ed.hideProducts()
	r.errLabel.Hide()
	ed.recompute()
}

func (ed *InvoiceEditor) hideProducts() {
	ed.productFound, ed.productQuery, ed.productFor, ed.pickProduct = nil, "", nil, false
	ed.productResults.Hide()
}
