package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/folio-mx/folio/data/internal/stampsql"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/folio-mx/folio/domain/stamping"
)

// StampStore is the stamp queue and ledger on a Store: the documents,
// stamp_jobs, stamp_attempts, stamp_balances and stamp_movements tables.
type StampStore struct {
	s *Store

	mu       sync.Mutex // guards the group commit of MarkStamped
	pending  []*markReq
	flushing bool
}

var (
	_ stamping.Store       = (*StampStore)(nil)
	_ stamping.LedgerStore = (*StampStore)(nil)
)

// NewStampStore returns the stamp queue of s.
func NewStampStore(s *Store) *StampStore { return &StampStore{s: s} }

// stampTime and parseStampTime are the queue's instants as text
// (stampsql.TimeText: UTC, fixed width, so text order is time order).
func stampTime(t time.Time) string { return stampsql.TimeText(t) }

func parseStampTime(s string) time.Time { return stampsql.ParseTime(s) }

// Post stores the sealed document and its stamp job in one transaction.
func (q *StampStore) Post(ctx context.Context, d stamping.NewDocument) (int64, error) {
	const op = "sqlite.StampStore.Post"
	var id int64
	err := q.s.WriteTx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = postDocument(ctx, tx, d, stampTime(q.s.Now()))
		return err
	})
	if domain.KindOf(err) == domain.Conflict {
		return 0, domain.E(domain.Conflict, op, "Ya existe un documento con esa serie y folio (o con ese identificador de envío).", err)
	}
	return id, err
}

// postDocument inserts a sealed document and its stamp job with q, inside
// the caller's transaction (posting an invoice writes them together with the
// invoice). now is stampTime of the store clock.
func postDocument(ctx context.Context, q querier, d stamping.NewDocument, now string) (int64, error) {
	res, err := q.ExecContext(ctx, `INSERT INTO documents (issuer_rfc, tipo, serie, folio, fecha, custom_id, sealed_xml, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
		d.IssuerRFC, d.TipoDeComprobante, d.Serie, d.Folio, stampTime(d.Fecha), d.CustomID, d.SealedXML, now, now)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO stamp_jobs (document_id, next_attempt_at, created_at) VALUES (?, ?, ?)`, id, now, now)
	return id, err
}

// Claim leases up to limit due jobs and returns them (see stamping.Store).
func (q *StampStore) Claim(ctx context.Context, now, leaseUntil time.Time, limit int) ([]stamping.Job, error) {
	var jobs []stamping.Job
	n, l := stampTime(now), stampTime(leaseUntil)
	err := q.s.WriteTx(ctx, func(tx *sql.Tx) error {
		jobs = jobs[:0]
		rows, err := tx.QueryContext(ctx, `SELECT j.document_id, d.issuer_rfc, d.custom_id, d.sealed_xml, d.fecha, d.attempts + 1,
			d.pac_account, d.pac_unsettled
			FROM stamp_jobs j JOIN documents d ON d.id = j.document_id
			WHERE j.next_attempt_at <= ? AND (j.lease_until = '' OR j.lease_until <= ?)
			ORDER BY j.next_attempt_at, j.document_id LIMIT ?`, n, n, limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var j stamping.Job
			var fecha string
			if err := rows.Scan(&j.DocumentID, &j.IssuerRFC, &j.CustomID, &j.SealedXML, &fecha, &j.Attempts, &j.Account, &j.Unsettled); err != nil {
				rows.Close()
				return err
			}
			j.Fecha = parseStampTime(fecha)
			jobs = append(jobs, j)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		for _, j := range jobs {
			if _, err := tx.ExecContext(ctx, `UPDATE stamp_jobs SET lease_until = ? WHERE document_id = ?`, l, j.DocumentID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE documents SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ?`, n, j.DocumentID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return jobs, nil
}

// NextDue returns the earliest instant a pending job can be claimed.
func (q *StampStore) NextDue(ctx context.Context) (time.Time, bool, error) {
	var s sql.NullString
	err := q.s.ReadDB().QueryRowContext(ctx, `SELECT MIN(CASE WHEN lease_until > next_attempt_at THEN lease_until ELSE next_attempt_at END) FROM stamp_jobs`).Scan(&s)
	if err != nil {
		return time.Time{}, false, mapErr("sqlite.StampStore.NextDue", q.s.path, err)
	}
	if !s.Valid || s.String == "" {
		return time.Time{}, false, nil
	}
	return parseStampTime(s.String), true, nil
}

// ReleaseLeases makes interrupted attempts claimable at once.
func (q *StampStore) ReleaseLeases(ctx context.Context) error {
	return q.s.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE stamp_jobs SET lease_until = '' WHERE lease_until <> ''`)
		return err
	})
}

// SendingTo records that an attempt of document id leaves for the PAC
// account with that key, unsettled until the account answers (see
// stamping.Store).
func (q *StampStore) SendingTo(ctx context.Context, id int64, account string) error {
	return q.s.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE documents SET pac_account = ?, pac_unsettled = 1 WHERE id = ?`, account, id)
		return err
	})
}

// logAttempt appends an outcome to the attempt log and, when it is the
// answer of the account the document was last sent to, records whether it
// settled the outcome there (stamping.Outcome.Settled).
func logAttempt(ctx context.Context, tx *sql.Tx, id int64, o stamping.Outcome, now string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO stamp_attempts (document_id, at, class, code, message, unknown, pac_account) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, now, o.Class.String(), o.Code, o.Message, boolInt(o.Unknown), o.Account)
	if err != nil || o.Account == "" {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE documents SET pac_unsettled = ? WHERE id = ? AND pac_account = ?`, boolInt(!o.Settled()), id, o.Account)
	return err
}

// MarkStamped stores the stamp, ends the job and records the ledger
// movement, once: a document already stamped is left unchanged. It returns
// after the commit. Concurrent calls are committed together in one
// transaction (group commit), which saves a disk sync per document when many
// stamps arrive at once; if a shared commit fails, each is retried alone.
func (q *StampStore) MarkStamped(ctx context.Context, id int64, stampedXML []byte, uuid string, o stamping.Outcome, now time.Time) error {
	r := &markReq{id: id, xml: stampedXML, uuid: strings.ToUpper(uuid), o: o, now: now, done: make(chan error, 1)}
	q.mu.Lock()
	q.pending = append(q.pending, r)
	leader := !q.flushing
	q.flushing = true
	q.mu.Unlock()
	if leader {
		q.flush()
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		return ctx.Err() // the commit may still happen; marking is idempotent
	}
}

// markReq is one pending MarkStamped.
type markReq struct {
	id   int64
	xml  []byte
	uuid string
	o    stamping.Outcome
	now  time.Time
	done chan error
}

// flush commits pending marks in batches until none is left.
func (q *StampStore) flush() {
	ctx := context.Background()
	for {
		q.mu.Lock()
		batch := q.pending
		q.pending = nil
		if len(batch) == 0 {
			q.flushing = false
			q.mu.Unlock()
			return
		}
		q.mu.Unlock()
		err := q.s.WriteTx(ctx, func(tx *sql.Tx) error {
			for _, r := range batch {
				if err := markStamped(ctx, tx, r); err != nil {
					return err
				}
			}
			return nil
		})
		for _, r := range batch {
			if err != nil && len(batch) > 1 {
				r.done <- q.s.WriteTx(ctx, func(tx *sql.Tx) error { return markStamped(ctx, tx, r) })
				continue
			}
			r.done <- err
		}
	}
}

func markStamped(ctx context.Context, tx *sql.Tx, r *markReq) error {
	n := stampTime(r.now)
	var rfc string
	err := tx.QueryRowContext(ctx, `UPDATE documents SET state = 'stamped', stamped_xml = ?, uuid = ?, stamped_at = ?, updated_at = ?,
		error_code = '', error_message = '', error_hint = '' WHERE id = ? AND state <> 'stamped' RETURNING issuer_rfc`,
		r.xml, r.uuid, n, n, r.id).Scan(&rfc)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = tx.ExecContext(ctx, `DELETE FROM stamp_jobs WHERE document_id = ?`, r.id)
		return err
	}
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM stamp_jobs WHERE document_id = ?`, r.id); err != nil {
		return err
	}
	if err := logAttempt(ctx, tx, r.id, r.o, n); err != nil {
		return err
	}
	if err := recordEvent(ctx, tx, r.id, sales.EventStamp, r.now, eventFacts{uuid: r.uuid}); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO stamp_movements (issuer_rfc, at, kind, stamps, document_id, uuid) VALUES (?, ?, 'stamp', -1, ?, ?)`,
		rfc, n, r.id, r.uuid); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE stamp_balances SET stamps = stamps - 1, used = used + 1 WHERE issuer_rfc = ? AND unlimited = 0 AND stamps > 0`, rfc)
	return err
}

// Retry schedules the next attempt of a pending document.
func (q *StampStore) Retry(ctx context.Context, id int64, next time.Time, o stamping.Outcome, now time.Time) error {
	n := stampTime(now)
	return q.s.WriteTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE stamp_jobs SET next_attempt_at = ?, lease_until = '' WHERE document_id = ?`, stampTime(next), id)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil // already finished
		}
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET state = 'queued', error_code = ?, error_message = ?, updated_at = ? WHERE id = ?`,
			o.Code, o.Message, n, id); err != nil {
			return err
		}
		return logAttempt(ctx, tx, id, o, n)
	})
}

// finish ends a pending job with a final state.
func (q *StampStore) finish(ctx context.Context, id int64, state stamping.State, o stamping.Outcome, hint string, now time.Time) error {
	n := stampTime(now)
	return q.s.WriteTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM stamp_jobs WHERE document_id = ?`, id)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return nil // already finished
		}
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET state = ?, error_code = ?, error_message = ?, error_hint = ?, updated_at = ? WHERE id = ?`,
			string(state), o.Code, o.Message, hint, n, id); err != nil {
			return err
		}
		if state == stamping.StateRejected {
			if err := recordEvent(ctx, tx, id, sales.EventReject, now, eventFacts{}); err != nil {
				return err
			}
		}
		return logAttempt(ctx, tx, id, o, n)
	})
}

// Reject ends the job: the PAC/SAT rejected the document.
func (q *StampStore) Reject(ctx context.Context, id int64, o stamping.Outcome, hint string, now time.Time) error {
	return q.finish(ctx, id, stamping.StateRejected, o, hint, now)
}

// Expire ends the job: the document left SAT's 72-hour window.
func (q *StampStore) Expire(ctx context.Context, id int64, now time.Time) error {
	o := stamping.Outcome{Class: stamping.NeedsUser, Code: "401", Message: "Pasaron más de 72 horas desde la fecha del comprobante."}
	return q.finish(ctx, id, stamping.StateExpired, o, "Confirme volver a fecharlo y sellarlo con el mismo folio.", now)
}

// Replace swaps the sealed XML of an expired, rejected or pending document
// and queues it again with the same customid.
func (q *StampStore) Replace(ctx context.Context, id int64, sealed []byte, fecha, now time.Time) error {
	const op = "sqlite.StampStore.Replace"
	n := stampTime(now)
	return q.s.WriteTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE documents SET sealed_xml = ?, fecha = ?, state = 'queued', error_code = '', error_message = '', error_hint = '', updated_at = ?
			WHERE id = ? AND state IN ('expired', 'rejected', 'queued', 'sending')`, sealed, stampTime(fecha), n, id)
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 0 {
			return domain.E(domain.Conflict, op, "El documento ya fue timbrado o no existe.", nil)
		}
		if err := recordEvent(ctx, tx, id, sales.EventReseal, now, eventFacts{fecha: fecha}); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO stamp_jobs (document_id, next_attempt_at, created_at) VALUES (?, ?, ?)
			ON CONFLICT (document_id) DO UPDATE SET next_attempt_at = excluded.next_attempt_at, lease_until = ''`, id, n, n)
		return err
	})
}

const documentColumns = `d.id, d.issuer_rfc, d.tipo, d.serie, d.folio, d.fecha, d.custom_id, d.sealed_xml, d.stamped_xml, COALESCE(d.uuid, ''),
	d.state, d.attempts, COALESCE(j.next_attempt_at, ''), d.error_code, d.error_message, d.error_hint, d.created_at, d.updated_at, d.stamped_at,
	d.pac_account, d.pac_unsettled
	FROM documents d LEFT JOIN stamp_jobs j ON j.document_id = d.id`

func scanDocument(row interface{ Scan(...any) error }) (stamping.Document, error) {
	var d stamping.Document
	var fecha, next, created, updated, stamped, state string
	err := row.Scan(&d.ID, &d.IssuerRFC, &d.TipoDeComprobante, &d.Serie, &d.Folio, &fecha, &d.CustomID, &d.SealedXML, &d.StampedXML, &d.UUID,
		&state, &d.Attempts, &next, &d.ErrorCode, &d.ErrorMessage, &d.ErrorHint, &created, &updated, &stamped, &d.Account, &d.Unsettled)
	d.State = stamping.State(state)
	d.Fecha, d.NextAttemptAt = parseStampTime(fecha), parseStampTime(next)
	d.CreatedAt, d.UpdatedAt, d.StampedAt = parseStampTime(created), parseStampTime(updated), parseStampTime(stamped)
	return d, err
}

// Document returns one document; NotFound when absent.
func (q *StampStore) Document(ctx context.Context, id int64) (stamping.Document, error) {
	const op = "sqlite.StampStore.Document"
	d, err := scanDocument(q.s.ReadDB().QueryRowContext(ctx, `SELECT `+documentColumns+` WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, domain.E(domain.NotFound, op, "No se encontró el documento.", err)
	}
	return d, mapErr(op, q.s.path, err)
}

// Documents returns an issuer's documents in the given states (all when
// none), newest first.
func (q *StampStore) Documents(ctx context.Context, issuerRFC string, states ...stamping.State) ([]stamping.Document, error) {
	const op = "sqlite.StampStore.Documents"
	query := `SELECT ` + documentColumns + ` WHERE d.issuer_rfc = ?`
	args := []any{issuerRFC}
	if len(states) > 0 {
		query += ` AND d.state IN (?` + strings.Repeat(", ?", len(states)-1) + `)`
		for _, s := range states {
			args = append(args, string(s))
		}
	}
	rows, err := q.s.ReadDB().QueryContext(ctx, query+` ORDER BY d.id DESC`, args...)
	if err != nil {
		return nil, mapErr(op, q.s.path, err)
	}
	defer rows.Close()
	var out []stamping.Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, mapErr(op, q.s.path, err)
		}
		out = append(out, d)
	}
	return out, mapErr(op, q.s.path, rows.Err())
}

// SaveBalance stores the balance the PAC reported.
func (q *StampStore) SaveBalance(ctx context.Context, b stamping.Balance) error {
	return q.s.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO stamp_balances (issuer_rfc, stamps, used, unlimited, as_of) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (issuer_rfc) DO UPDATE SET stamps = excluded.stamps, used = excluded.used, unlimited = excluded.unlimited, as_of = excluded.as_of`,
			b.IssuerRFC, b.Stamps, b.Used, boolInt(b.Unlimited), stampTime(b.AsOf))
		return err
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// LastBalance returns the last known balance of an issuer.
func (q *StampStore) LastBalance(ctx context.Context, issuerRFC string) (stamping.Balance, bool, error) {
	b := stamping.Balance{IssuerRFC: issuerRFC}
	var unlimited int
	var asOf string
	err := q.s.ReadDB().QueryRowContext(ctx, `SELECT stamps, used, unlimited, as_of FROM stamp_balances WHERE issuer_rfc = ? AND as_of <> ''`, issuerRFC).
		Scan(&b.Stamps, &b.Used, &unlimited, &asOf)
	if errors.Is(err, sql.ErrNoRows) {
		return b, false, nil
	}
	if err != nil {
		return b, false, mapErr("sqlite.StampStore.LastBalance", q.s.path, err)
	}
	b.Unlimited, b.AsOf = unlimited == 1, parseStampTime(asOf)
	return b, true, nil
}

// AddMovement appends a movement; a top-up also raises the last known balance.
func (q *StampStore) AddMovement(ctx context.Context, m stamping.Movement) error {
	return q.s.WriteTx(ctx, func(tx *sql.Tx) error {
		var doc any
		if m.DocumentID != 0 {
			doc = m.DocumentID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO stamp_movements (issuer_rfc, at, kind, stamps, document_id, uuid, comment) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			m.IssuerRFC, stampTime(m.At), string(m.Kind), m.Stamps, doc, m.UUID, m.Comment); err != nil {
			return err
		}
		if m.Kind == stamping.MovementTopUp {
			_, err := tx.ExecContext(ctx, `UPDATE stamp_balances SET stamps = stamps + ? WHERE issuer_rfc = ?`, m.Stamps, m.IssuerRFC)
			return err
		}
		return nil
	})
}

// Movements returns an issuer's newest movements first.
func (q *StampStore) Movements(ctx context.Context, issuerRFC string, limit int) ([]stamping.Movement, error) {
	const op = "sqlite.StampStore.Movements"
	if limit <= 0 {
		limit = 100
	}
	rows, err := q.s.ReadDB().QueryContext(ctx, `SELECT id, issuer_rfc, at, kind, stamps, COALESCE(document_id, 0), uuid, comment
		FROM stamp_movements WHERE issuer_rfc = ? ORDER BY at DESC, id DESC LIMIT ?`, issuerRFC, limit)
	if err != nil {
		return nil, mapErr(op, q.s.path, err)
	}
	defer rows.Close()
	var out []stamping.Movement
	for rows.Next() {
		var m stamping.Movement
		var at, kind string
		if err := rows.Scan(&m.ID, &m.IssuerRFC, &at, &kind, &m.Stamps, &m.DocumentID, &m.UUID, &m.Comment); err != nil {
			return nil, mapErr(op, q.s.path, err)
		}
		m.At, m.Kind = parseStampTime(at), stamping.MovementKind(kind)
		out = append(out, m)
	}
	return out, mapErr(op, q.s.path, rows.Err())
}

// SetLowThreshold sets the issuer's low-balance warning level.
func (q *StampStore) SetLowThreshold(ctx context.Context, issuerRFC string, n int64) error {
	return q.s.WriteTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO stamp_balances (issuer_rfc, low_threshold) VALUES (?, ?)
			ON CONFLICT (issuer_rfc) DO UPDATE SET low_threshold = excluded.low_threshold`, issuerRFC, n)
		return err
	})
}

// LowThreshold returns the issuer's threshold or stamping.DefaultLowThreshold.
func (q *StampStore) LowThreshold(ctx context.Context, issuerRFC string) (int64, error) {
	var n sql.NullInt64
	err := q.s.ReadDB().QueryRowContext(ctx, `SELECT low_threshold FROM stamp_balances WHERE issuer_rfc = ?`, issuerRFC).Scan(&n)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, mapErr("sqlite.StampStore.LowThreshold", q.s.path, err)
	}
	if !n.Valid {
		return stamping.DefaultLowThreshold, nil
	}
	return n.Int64, nil
}

// QueueCounts returns how many documents wait to be stamped (queued or being
// sent) and how many need the user (rejected or past the 72-hour window),
// across every issuer: what the status bar shows.
func (q *StampStore) QueueCounts(ctx context.Context) (waiting, attention int, err error) {
	const op = "sqlite.StampStore.QueueCounts"
	err = q.s.ReadDB().QueryRowContext(ctx, `SELECT
		COALESCE(SUM(state IN ('queued', 'sending')), 0),
		COALESCE(SUM(state IN ('rejected', 'expired')), 0)
		FROM documents WHERE state <> 'stamped'`).Scan(&waiting, &attention)
	return waiting, attention, mapErr(op, q.s.path, err)
}
