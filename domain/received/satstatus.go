package received

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/stamping"
)

// SAT's status of an imported document, as stored (Doc.SATStatus); ""
// while it has not been consulted.
const (
	SATVigente      = "vigente"
	SATCancelado    = "cancelado"
	SATNoEncontrado = "no_encontrado"
)

// StatusLabel is the Spanish name of a stored SAT status for the lists.
func StatusLabel(s string) string {
	switch s {
	case SATVigente:
		return "Vigente"
	case SATCancelado:
		return "Cancelado"
	case SATNoEncontrado:
		return "No encontrado"
	}
	return "Sin consultar"
}

// statusOf maps the Estado of SAT's status service to the stored status;
// false for an answer it does not know (the document stays pending).
func statusOf(st stamping.SATStatus) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(st.Estado)) {
	case "vigente":
		return SATVigente, true
	case "cancelado":
		return SATCancelado, true
	case "no encontrado":
		return SATNoEncontrado, true
	}
	return "", false
}

// StatusStore keeps the SAT status of imported documents (*sqlite.Store).
type StatusStore interface {
	// StatusPending returns, with their XML, the documents of issuer ("":
	// every company) to consult: those of ids, or when ids is empty every
	// stamped one never consulted.
	StatusPending(ctx context.Context, issuer string, ids []int64) ([]Doc, error)
	// SetSATStatus records a document's status and when it was consulted.
	SetSATStatus(ctx context.Context, id int64, status string, at time.Time) error
}

// StatusChecker consults SAT's status of imported documents through the
// PAC account of the company each belongs to (SAT's ConsultaCFDIService).
type StatusChecker struct {
	Store StatusStore
	PACs  stamping.PACs
	Clock domain.Clock
}

// StatusResult sums up a run.
type StatusResult struct {
	Total   int            // documents to consult
	Checked int            // consulted and recorded
	Pending int            // left for a later run (offline, no account, unknown answer)
	Counts  map[string]int // per stored status
	Notes   []string       // one Spanish line per document left pending for its own reason
}

// Check consults the documents ids of issuer (all never consulted when ids
// is empty), one after another, reporting progress (may be nil). When the
// service cannot be reached (domain.Unavailable) the run stops: that
// document and the rest stay pending (never consulted) for the next run,
// and the Unavailable error is returned with the result so far. A
// cancelled ctx stops it the same way.
func (s *StatusChecker) Check(ctx context.Context, issuer string, ids []int64, progress func(Progress)) (StatusResult, error) {
	docs, err := s.Store.StatusPending(ctx, issuer, ids)
	if err != nil {
		return StatusResult{}, err
	}
	res := StatusResult{Total: len(docs), Counts: map[string]int{}}
	now := domain.SystemClock
	if s.Clock != nil {
		now = s.Clock
	}
	for i, d := range docs {
		if err := ctx.Err(); err != nil {
			res.Pending += len(docs) - i
			return res, err
		}
		st, err := s.query(ctx, d)
		if domain.KindOf(err) == domain.Unavailable || ctx.Err() != nil {
			res.Pending += len(docs) - i
			return res, domain.E(domain.Unavailable, "received.CheckStatus",
				fmt.Sprintf("No hay conexión con el servicio de consulta del SAT: %d comprobantes quedan pendientes y se consultarán en la próxima actualización.", len(docs)-i), err)
		}
		if err != nil {
			res.Pending++
			res.Notes = append(res.Notes, d.UUID+": "+domain.UserMessage(err))
		} else if status, ok := statusOf(st); !ok {
			res.Pending++
			res.Notes = append(res.Notes, d.UUID+": respuesta del SAT no reconocida («"+st.Estado+"», "+st.CodigoEstatus+")")
		} else {
			if err := s.Store.SetSATStatus(ctx, d.ID, status, now()); err != nil {
				return res, err
			}
			res.Checked++
			res.Counts[status]++
		}
		if progress != nil {
			progress(Progress{Done: i + 1, Total: len(docs), Current: d.UUID})
		}
	}
	return res, nil
}

// query asks the issuer's PAC account for d's status.
func (s *StatusChecker) query(ctx context.Context, d Doc) (stamping.SATStatus, error) {
	acct, err := s.PACs.PACFor(ctx, d.Issuer)
	if err != nil {
		return stamping.SATStatus{}, err
	}
	if acct.Canceller == nil {
		return stamping.SATStatus{}, domain.E(domain.Invalid, "received.CheckStatus",
			"La cuenta del PAC de "+d.Issuer+" no consulta el estatus del SAT.", nil)
	}
	total, sello := rootAmounts(d.XML)
	if total == "" {
		total = d.Total
	}
	return acct.Canceller.CancelStatus(ctx, stamping.StatusQuery{Emisor: d.RfcEmisor, Receptor: d.RfcReceptor,
		Total: total, UUID: d.UUID, Sello: sello})
}

// rootAmounts reads the Total and Sello attributes of a CFDI's root (any
// version: 4.0 and 3.3 write Total/Sello, 3.2 total/sello).
func rootAmounts(data []byte) (total, sello string) {
	dec := xml.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, bom)))
	for {
		t, err := dec.Token()
		if err == io.EOF || err != nil {
			return "", ""
		}
		if se, ok := t.(xml.StartElement); ok {
			return attr(se, "Total", "total"), attr(se, "Sello", "sello")
		}
	}
}
