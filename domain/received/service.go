package received

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/folio-mx/folio/domain"
)

// Filter selects documents of the lists.
type Filter struct {
	Issuer    string    // the company's RFC; "" every company
	Direction Direction // "" both
	From, To  string    // Fecha range, "YYYY-MM-DD", inclusive; "" open
	Query     string    // words found in UUID, serie, folio, RFCs or names
	Limit     int       // 0: the store's default
}

// Supplier is a supplier as import records it: the Emisor of a received
// document. The full suppliers catalog comes with its own issue; this is its
// seed.
type Supplier struct {
	ID       int64
	Issuer   string // the company that received the document
	RFC      string
	Name     string
	Regimen  string
	Created  string
	LastSeen string
}

// Store keeps the imported documents (*sqlite.Store).
type Store interface {
	// CompanyRFCs returns the RFC of every company of the installation.
	CompanyRFCs(ctx context.Context) ([]string, error)
	// SaveReceived stores docs in one transaction and reports, for each,
	// whether it was stored (false: a document with its Key was already
	// there, or earlier in docs). It sets the ID of those stored and records
	// the Emisor of each received one as a supplier of its Issuer.
	SaveReceived(ctx context.Context, docs []Doc) ([]bool, error)
	// FindReceived lists the documents f selects, newest first, without XML.
	FindReceived(ctx context.Context, f Filter) ([]Doc, error)
	// ReceivedXML returns the stored bytes of one document.
	ReceivedXML(ctx context.Context, id int64) ([]byte, error)
	// Suppliers lists the suppliers recorded for issuer, by name.
	Suppliers(ctx context.Context, issuer string) ([]Supplier, error)
}

// Status is what became of one file.
type Status int

// The statuses of a file.
const (
	Imported  Status = iota // stored (its verdict may still fail)
	Duplicate               // a document with its UUID was already stored
	Refused                 // not stored: unreadable, hostile, not a CFDI
	Foreign                 // a CFDI of none of the installation's companies: not stored
)

// Outcome is the result of one file, in the order of the input.
type Outcome struct {
	Name       string
	Status     Status
	Reason     string // why it was refused, or the verdict of a stored document
	UUID       string
	Version    string
	OK         bool
	Historical bool
	Direction  Direction
}

// Problem tells whether the user must look at the file: not stored, or
// stored with a failing verdict.
func (o Outcome) Problem() bool {
	return o.Status == Refused || o.Status == Foreign || (o.Status == Imported && !o.OK && !o.Historical)
}

// Result sums up an import.
type Result struct {
	Total      int // files read
	Imported   int // stored now (historical ones included)
	Duplicates int // already stored, or repeated in the input
	Historical int // stored CFDI 3.3 / 3.2
	Invalid    int // stored with a failing verdict
	Refused    int // not stored (unreadable, hostile, not a CFDI, of no company)
	Outcomes   []Outcome
}

// Failed reports whether any file needs the user's attention.
func (r Result) Failed() bool { return r.Refused > 0 || r.Invalid > 0 }

// Progress is reported after each file.
type Progress struct {
	Done, Total int
	Current     string
}

// Service imports documents into its Store.
type Service struct {
	Store   Store
	Checker *Checker
	// Workers parse and verify in parallel; 0 is runtime.NumCPU().
	Workers int
	// Batch is how many documents go in one transaction; 0 is 500.
	Batch int
}

// Import reads, verifies, classifies and stores every item: a file that
// fails is reported in its Outcome and never stops the batch. progress (may
// be nil) is called from one goroutine after each file. A cancelled ctx
// stops the import: what was stored stays, and ctx's error is returned with
// the result so far.
func (s *Service) Import(ctx context.Context, items []Item, progress func(Progress)) (Result, error) {
	res := Result{Total: len(items), Outcomes: make([]Outcome, len(items))}
	for i, it := range items {
		res.Outcomes[i] = Outcome{Name: it.Name, Status: Refused, Reason: "no se leyó: la importación se detuvo antes"}
	}
	rfcs, err := s.Store.CompanyRFCs(ctx)
	if err != nil {
		return res, err
	}
	ours := make(map[string]bool, len(rfcs))
	for _, r := range rfcs {
		ours[strings.ToUpper(strings.TrimSpace(r))] = true
	}
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	batchSize := s.Batch
	if batchSize <= 0 {
		batchSize = 500
	}

	type checked struct {
		i   int
		doc Doc
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	out := make(chan checked, 2*workers)
	go func() {
		defer close(next)
		for i := range items {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				c := checked{i: i}
				data, err := items[i].Read()
				if err == nil {
					c.doc, err = s.Checker.Check(data)
				}
				c.err = err
				select {
				case out <- c:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(out) }()

	var (
		batch    []Doc
		batchIdx []int
		done     int
		writeErr error
	)
	flush := func() {
		if len(batch) == 0 || writeErr != nil {
			return
		}
		stored, err := s.Store.SaveReceived(ctx, batch)
		if err != nil {
			writeErr = err
			cancel()
			return
		}
		for j, i := range batchIdx {
			o := &res.Outcomes[i]
			if stored[j] {
				o.Status = Imported
				res.Imported++
				if o.Historical {
					res.Historical++
				} else if !o.OK {
					res.Invalid++
				}
			} else {
				o.Status = Duplicate
				o.Reason = "ya estaba importado (mismo UUID)"
				res.Duplicates++
			}
		}
		batch, batchIdx = batch[:0], batchIdx[:0]
	}
	for c := range out {
		o := &res.Outcomes[c.i]
		o.Reason = ""
		switch {
		case c.err != nil:
			o.Status, o.Reason = Refused, domain.UserMessage(c.err)
			res.Refused++
		default:
			d := c.doc
			d.Source = items[c.i].Name
			o.UUID, o.Version, o.OK, o.Historical, o.Reason = d.UUID, d.Version, d.OK, d.Historical, d.Verdict
			switch {
			case ours[d.RfcEmisor]:
				d.Issuer, d.Direction = d.RfcEmisor, Emitido
			case ours[d.RfcReceptor]:
				d.Issuer, d.Direction = d.RfcReceptor, Recibido
			}
			if d.Issuer == "" {
				o.Status = Foreign
				o.Reason = fmt.Sprintf("no pertenece a ninguna empresa de esta instalación (emisor %s, receptor %s); no se importó", d.RfcEmisor, d.RfcReceptor)
				res.Refused++
				break
			}
			o.Direction = d.Direction
			batch = append(batch, d)
			batchIdx = append(batchIdx, c.i)
			if len(batch) >= batchSize {
				flush()
			}
		}
		done++
		if progress != nil {
			progress(Progress{Done: done, Total: len(items), Current: o.Name})
		}
	}
	flush()
	if writeErr != nil {
		return res, writeErr
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	return res, nil
}
