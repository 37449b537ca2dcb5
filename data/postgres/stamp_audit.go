package postgres

import (
	"context"
	"time"
)

// PACExchange is one HTTP exchange with the PAC as kept for audit. The PAC
// client removes secrets before handing it over (data/pac.Exchange has the
// same fields; main adapts one to the other).
type PACExchange struct {
	At             time.Time
	Method, URL    string
	RequestHeader  string // "Name: value" lines
	RequestBody    []byte
	Status         int
	ResponseBody   []byte
	Duration       time.Duration
	TransportError string
}

// SavePACExchange appends an exchange to the audit log.
func (q *StampStore) SavePACExchange(ctx context.Context, x PACExchange) error {
	return q.s.WriteTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO pac_exchanges (at, method, url, request_header, request_body, status, response_body, duration_ms, transport_error)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, stampTime(x.At), x.Method, x.URL, x.RequestHeader, x.RequestBody, x.Status, x.ResponseBody,
			x.Duration.Milliseconds(), x.TransportError)
		return err
	})
}

// PACExchanges returns the newest exchanges first, at most limit.
func (q *StampStore) PACExchanges(ctx context.Context, limit int) ([]PACExchange, error) {
	const op = "postgres.StampStore.PACExchanges"
	rows, err := q.s.ReadDB().QueryContext(ctx, `SELECT at, method, url, request_header, request_body, status, response_body, duration_ms, transport_error
		FROM pac_exchanges ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, mapErr(op, q.s.name, err)
	}
	defer rows.Close()
	var out []PACExchange
	for rows.Next() {
		var x PACExchange
		var at string
		var ms int64
		if err := rows.Scan(&at, &x.Method, &x.URL, &x.RequestHeader, &x.RequestBody, &x.Status, &x.ResponseBody, &ms, &x.TransportError); err != nil {
			return nil, mapErr(op, q.s.name, err)
		}
		x.At, x.Duration = parseStampTime(at), time.Duration(ms)*time.Millisecond
		out = append(out, x)
	}
	return out, mapErr(op, q.s.name, rows.Err())
}
