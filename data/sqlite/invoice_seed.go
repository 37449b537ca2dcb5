package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// SeedOptions shape the synthetic data of SeedInvoices.
type SeedOptions struct {
	Issuer    string    // RFC of the issuing company
	Invoices  int       // how many invoices, 3 lines each
	Customers int       // default: max(200, Invoices/50)
	Batch     int       // invoices per transaction, default 20000
	Until     time.Time // newest Fecha; invoices spread over the 3 years before
	Seed      uint64    // random seed (same seed, same data)
	// Progress, when set, is called after each committed batch.
	Progress func(done, total int)
}

var seedFirst = []string{"JUAN", "MARÍA", "JOSÉ", "GUADALUPE", "FRANCISCO", "ROSA", "ANTONIO", "ELENA", "JESÚS", "LUCÍA",
	"MIGUEL", "SOFÍA", "PEDRO", "ANA", "LUIS", "CARMEN", "JORGE", "PATRICIA", "RAÚL", "VERÓNICA"}
var seedLast = []string{"HERNÁNDEZ", "GARCÍA", "MARTÍNEZ", "LÓPEZ", "GONZÁLEZ", "PÉREZ", "RODRÍGUEZ", "SÁNCHEZ",
	"RAMÍREZ", "CRUZ", "FLORES", "GÓMEZ", "MORALES", "VÁZQUEZ", "REYES", "JIMÉNEZ", "TORRES", "DÍAZ", "GUTIÉRREZ",
	"RUIZ", "MENDOZA", "AGUILAR", "ORTIZ", "MORENO", "CASTILLO", "ROMERO", "ÁLVAREZ", "MÉNDEZ", "CHÁVEZ", "RIVERA"}
var seedTrade = []string{"COMERCIALIZADORA", "DISTRIBUIDORA", "ABARROTES", "FERRETERÍA", "PAPELERÍA", "SERVICIOS",
	"CONSTRUCTORA", "TRANSPORTES", "FARMACIA", "TALLER"}

// SeedInvoices fills the store with synthetic customers, products, one
// series "A" and opts.Invoices invoices of three lines (2 % drafts, 3 %
// sealed, 90 % stamped with a UUID, 5 % cancelled), for load tests and
// benchmarks. It writes in big transactions with prepared statements and
// relaxes synchronous to OFF and enlarges the page cache while it runs
// (the data is disposable). The
// seeded posted invoices have no sealed XML.
func (s *Store) SeedInvoices(ctx context.Context, opts SeedOptions) error {
	if opts.Customers <= 0 {
		opts.Customers = max(200, opts.Invoices/50)
	}
	if opts.Batch <= 0 {
		opts.Batch = 20000
	}
	if opts.Until.IsZero() {
		opts.Until = s.Now()
	}
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	// The write handle has a single connection, so these settings apply to
	// every statement below; they are restored when the seed ends.
	for _, p := range []string{`PRAGMA synchronous = OFF`, `PRAGMA cache_size = -262144`, `PRAGMA wal_autocheckpoint = 100000`} {
		if _, err := s.w.ExecContext(ctx, p); err != nil {
			return err
		}
	}
	defer func() {
		bg := context.WithoutCancel(ctx)
		for _, p := range []string{`PRAGMA synchronous = FULL`, `PRAGMA cache_size = -2000`, `PRAGMA wal_autocheckpoint = 1000`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
			s.w.ExecContext(bg, p)
		}
	}()

	now := salesTimeText(s.Now())
	var customers []sales.Customer
	var products []sales.Product
	err := s.WriteTx(ctx, func(tx *sql.Tx) error {
		for i := range opts.Customers {
			c := seedCustomer(rng, i)
			c.CreatedAt, c.UpdatedAt = s.Now(), s.Now()
			if err := insertCustomer(ctx, tx, &c); err != nil {
				return err
			}
			customers = append(customers, c)
		}
		for i := range 50 {
			p := sales.DemoProducts()[i%5]
			p.Code = fmt.Sprintf("%s-%02d-%x", p.Code, i, opts.Seed)
			p.CreatedAt, p.UpdatedAt = s.Now(), s.Now()
			if err := insertProduct(ctx, tx, &p); err != nil {
				return err
			}
			products = append(products, p)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO series (issuer, serie, tipo, next_folio, active) VALUES (?, 'A', 'I', 1, 1)
			ON CONFLICT (issuer, serie) DO NOTHING`, opts.Issuer)
		return err
	})
	if err != nil {
		return fmt.Errorf("seed customers: %w", err)
	}
	var next int64
	if err := s.w.QueryRowContext(ctx, `SELECT next_folio FROM series WHERE issuer = ? AND serie = 'A'`, opts.Issuer).Scan(&next); err != nil {
		return err
	}
	span := 3 * 365 * 24 * time.Hour
	start := opts.Until.Add(-span)
	step := span / time.Duration(max(opts.Invoices, 1))
	for done := 0; done < opts.Invoices; {
		n := min(opts.Batch, opts.Invoices-done)
		err := s.WriteTx(ctx, func(tx *sql.Tx) error {
			insInv, err := tx.PrepareContext(ctx, `INSERT INTO invoices (issuer, state, status, tipo, serie, folio, fecha,
				customer_id, customer_rfc, customer_name, uso_cfdi, terms, forma_pago, moneda, total, uuid, created_at, updated_at,
				subtotal_micro, descuento_micro, traslados_micro, retenciones_micro, total_micro, tipo_cambio_micro, total_mxn_micro)
				VALUES (?, ?, ?, 'I', 'A', ?, ?, ?, ?, ?, ?, 'contado', '03', 'MXN', ?, ?, ?, ?, ?, 0, 0, 0, ?, 1000000, ?)`)
			if err != nil {
				return err
			}
			defer insInv.Close()
			insLine, err := tx.PrepareContext(ctx, `INSERT INTO invoice_lines (invoice_id, n, product_id, no_identificacion,
				cantidad, clave_unidad, unidad, clave_prod_serv, descripcion, valor_unitario, objeto_imp, iva_tasa)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
			if err != nil {
				return err
			}
			defer insLine.Close()
			insFolio, err := tx.PrepareContext(ctx, `INSERT INTO folios (issuer, serie, folio, kind, taken_at) VALUES (?, 'A', ?, 'document', ?)`)
			if err != nil {
				return err
			}
			defer insFolio.Close()
			for i := range n {
				k := done + i
				fecha := salesTimeText(start.Add(time.Duration(k) * step))
				c := &customers[rng.IntN(len(customers))]
				state, folio, uuid := seedState(rng), any(nil), any(nil)
				status := state.Status()
				if status != sales.StatusDraft {
					folio = next
					if _, err := insFolio.ExecContext(ctx, opts.Issuer, next, fecha); err != nil {
						return err
					}
					next++
				}
				if status == sales.StatusStamped || status == sales.StatusCancelled {
					uuid = seedUUID(rng)
				}
				var lines [3]sales.Line
				total := int64(0)
				for j := range lines {
					p := &products[rng.IntN(len(products))]
					lines[j] = sales.LineFromProduct(p, decimal.NewFromInt(1+rng.Int64N(9)))
					total += lines[j].Cantidad.IntPart() * p.Price.IntPart()
				}
				// Seeded rows carry no XML: their stored amounts are the
				// lines' total without taxes (enough for list and sum benchmarks).
				var amount any
				if status != sales.StatusDraft {
					amount = total * 1_000_000
				}
				res, err := insInv.ExecContext(ctx, opts.Issuer, string(state), string(status), folio, fecha, c.ID, c.RFC, c.Name,
					c.UsoCFDI, strconv.FormatInt(total, 10)+".00", uuid, now, now, amount, amount, amount)
				if err != nil {
					return err
				}
				id, err := res.LastInsertId()
				if err != nil {
					return err
				}
				args := make([]any, 0, 36)
				for j, l := range lines {
					args = append(args, id, j+1, l.ProductID, l.NoIdentificacion, l.Cantidad.String(), l.ClaveUnidad,
						l.Unidad, l.ClaveProdServ, l.Descripcion, l.ValorUnitario.String(), l.ObjetoImp, l.Taxes.IVATasa.String())
				}
				if _, err := insLine.ExecContext(ctx, args...); err != nil {
					return err
				}
			}
			_, err = tx.ExecContext(ctx, `UPDATE series SET next_folio = ? WHERE issuer = ? AND serie = 'A'`, next, opts.Issuer)
			return err
		})
		if err != nil {
			return fmt.Errorf("seed invoices: %w", err)
		}
		done += n
		if opts.Progress != nil {
			opts.Progress(done, opts.Invoices)
		}
	}
	_, err = s.w.ExecContext(ctx, `ANALYZE`)
	return err
}

func seedCustomer(rng *rand.Rand, i int) sales.Customer {
	const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	pick := func(a []string) string { return a[rng.IntN(len(a))] }
	date := fmt.Sprintf("%02d%02d%02d", 60+rng.IntN(40), 1+rng.IntN(12), 1+rng.IntN(28))
	tail := fmt.Sprintf("%c%c%d", letters[rng.IntN(26)], letters[rng.IntN(26)], i%10)
	if i%3 == 0 {
		name := pick(seedTrade) + " " + pick(seedLast) + " " + strconv.Itoa(i)
		rfc := fmt.Sprintf("%c%c%c%s%s", letters[rng.IntN(26)], letters[rng.IntN(26)], letters[rng.IntN(26)], date, tail)
		return sales.Customer{RFC: rfc, Name: name, RegimenFiscal: "601", CodigoPostal: "06300", UsoCFDI: "G03", Active: true}
	}
	name := pick(seedFirst) + " " + pick(seedLast) + " " + pick(seedLast)
	rfc := fmt.Sprintf("%c%c%c%c%s%s", letters[rng.IntN(26)], letters[rng.IntN(26)], letters[rng.IntN(26)], letters[rng.IntN(26)], date, tail)
	return sales.Customer{RFC: rfc, Name: name, RegimenFiscal: "612", CodigoPostal: "06300", UsoCFDI: "G03", Active: true}
}

func seedState(rng *rand.Rand) sales.State {
	switch r := rng.IntN(100); {
	case r < 2:
		return sales.StateDraft
	case r < 5:
		return sales.StateSealed
	case r < 95:
		return sales.StateStamped
	}
	return sales.StateCancelled
}

func seedUUID(rng *rand.Rand) string {
	const hex = "0123456789ABCDEF"
	b := make([]byte, 36)
	for i := range b {
		switch i {
		case 8, 13, 18, 23:
			b[i] = '-'
		default:
			b[i] = hex[rng.IntN(16)]
		}
	}
	return string(b)
}
