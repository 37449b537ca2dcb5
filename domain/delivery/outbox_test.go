package delivery

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/cfdi"
)

// memStore is an in-memory Store for the worker's decisions; the SQLite
// implementation is tested against a real SMTP server in data/sqlite.
type memStore struct {
	mu    sync.Mutex
	docs  map[int64]memDoc
	rows  []*Delivery
	msgs  map[int64]Message
	lease map[int64]time.Time
}

type memDoc struct {
	state DocumentState
	xml   []byte
}

func newMemStore() *memStore {
	return &memStore{docs: map[int64]memDoc{}, msgs: map[int64]Message{}, lease: map[int64]time.Time{}}
}

func (m *memStore) EnqueueMessage(_ context.Context, issuer string, to []string, msg Message, now time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	id := int64(len(m.rows) + 1)
	m.rows = append(m.rows, &Delivery{ID: id, Subject: msg.Subject, To: to, State: StateQueued, NextAttemptAt: now, CreatedAt: now})
	m.msgs[id] = msg
	return id, nil
}

func (m *memStore) Enqueue(_ context.Context, doc int64, to []string, now time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.docs[doc]
	if !ok {
		return 0, domain.E(domain.NotFound, "mem", "No existe.", nil)
	}
	if d.state == DocumentRejected {
		return 0, domain.E(domain.Conflict, "mem", "Rechazado.", nil)
	}
	m.rows = append(m.rows, &Delivery{ID: int64(len(m.rows) + 1), DocumentID: doc, To: to, State: StateQueued, NextAttemptAt: now, CreatedAt: now})
	return int64(len(m.rows)), nil
}

func (m *memStore) Claim(_ context.Context, now, leaseUntil time.Time, limit int) ([]Job, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var jobs []Job
	for _, r := range m.rows {
		d := m.docs[r.DocumentID]
		if len(jobs) == limit || !r.State.Pending() || r.NextAttemptAt.After(now) || m.lease[r.ID].After(now) || d.state == DocumentPending {
			continue
		}
		r.State, r.Attempts = StateSending, r.Attempts+1
		m.lease[r.ID] = leaseUntil
		j := Job{ID: r.ID, DocumentID: r.DocumentID, IssuerRFC: "EKU9003173C9", To: r.To, XML: d.xml, DocState: d.state, Attempts: r.Attempts}
		if msg, ok := m.msgs[r.ID]; ok {
			j.Message = &msg
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

func (m *memStore) NextDue(context.Context) (time.Time, bool, error) { return time.Time{}, false, nil }
func (m *memStore) ReleaseLeases(context.Context) error              { return nil }

func (m *memStore) update(id int64, f func(*Delivery)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	f(m.rows[id-1])
	delete(m.lease, id)
	return nil
}

func (m *memStore) MarkSent(_ context.Context, id int64, now time.Time) error {
	return m.update(id, func(d *Delivery) { d.State, d.SentAt = StateSent, now })
}

func (m *memStore) Retry(_ context.Context, id int64, next time.Time, reason string, _ time.Time) error {
	return m.update(id, func(d *Delivery) { d.State, d.NextAttemptAt, d.LastError = StateQueued, next, reason })
}

func (m *memStore) Fail(_ context.Context, id int64, reason string, _ time.Time) error {
	return m.update(id, func(d *Delivery) { d.State, d.LastError = StateFailed, reason })
}

func (m *memStore) Delivery(_ context.Context, id int64) (Delivery, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return *m.rows[id-1], nil
}

func (m *memStore) DeliveryStates(context.Context, []int64) (map[int64]State, error) {
	return nil, errors.New("not used")
}

// memSettings holds one company's settings (or none).
type memSettings struct{ s *SMTPSettings }

func (m memSettings) MailSettings(context.Context, string) (SMTPSettings, error) {
	if m.s == nil {
		return SMTPSettings{}, domain.E(domain.NotFound, "mem", "Sin configuración.", nil)
	}
	return *m.s, nil
}

func (m memSettings) SaveMailSettings(context.Context, SMTPSettings) error { return nil }

// scriptMailer answers each send with the next scripted error.
type scriptMailer struct {
	mu      sync.Mutex
	answers []error
	sent    []string // "to|serie-folio|len(pdf)>0"
}

func (s *scriptMailer) SendDocument(_ context.Context, _ SMTPSettings, to []string, c *cfdi.Comprobante, xml, pdf []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	if len(s.answers) > 0 {
		err, s.answers = s.answers[0], s.answers[1:]
	}
	if err == nil {
		s.sent = append(s.sent, strings.Join(to, ",")+"|"+c.Serie+"-"+c.Folio)
	}
	return err
}

func (s *scriptMailer) SendMessage(_ context.Context, _ SMTPSettings, to []string, m Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	if len(s.answers) > 0 {
		err, s.answers = s.answers[0], s.answers[1:]
	}
	if err == nil {
		s.sent = append(s.sent, strings.Join(to, ",")+"|"+m.Subject+"|"+m.Attachments[0].Name)
	}
	return err
}

// TestOutboxMessage: a message (an account statement) waits like a
// document while the server is down and is sent, attachment and all, on
// the next attempt.
func TestOutboxMessage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	st := newMemStore()
	mailer := &scriptMailer{answers: []error{domain.E(domain.Unavailable, "smtp", "No hay conexión con el servidor de correo.", nil)}}
	o := NewOutbox(st, memSettings{&SMTPSettings{Host: "smtp.example.mx", From: "a@b.mx"}}, mailer, func() time.Time { return now }, Options{Rand: func(n int64) int64 { return 0 }})
	m := StatementMessage(Statement{IssuerName: "ESCUELA KEMPER URGATE", IssuerRFC: "EKU9003173C9", CustomerName: "UNIVERSIDAD ROBOTICA ESPAÑOLA",
		CustomerRFC: "URE180429TM6", From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Moneda: "MXN", PDF: []byte("%PDF-1.3")})
	if _, err := o.EnqueueMessage(ctx, "EKU9003173C9", []string{"no es correo"}, m); domain.KindOf(err) != domain.Invalid {
		t.Fatalf("bad address: %v, want Invalid", err)
	}
	id, err := o.EnqueueMessage(ctx, "EKU9003173C9", []string{"pagos@robotica.es"}, m)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if d, _ := st.Delivery(ctx, id); d.State != StateQueued || d.LastError == "" {
		t.Fatalf("after the server was down: %+v, want queued with its reason", d)
	}
	now = now.Add(time.Hour)
	if _, err := o.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	want := "pagos@robotica.es|Estado de cuenta de UNIVERSIDAD ROBOTICA ESPAÑOLA, ESCUELA KEMPER URGATE, del 01/11/2026 al 30/11/2026|estado-de-cuenta_URE180429TM6_2026-11-01_2026-11-30.pdf"
	if d, _ := st.Delivery(ctx, id); d.State != StateSent || len(mailer.sent) != 1 || mailer.sent[0] != want {
		t.Fatalf("sent %q, state %s; want %q", mailer.sent, d.State, want)
	}
}

func TestOutboxDecisions(t *testing.T) {
	t.Parallel()
	xml := stampedXML(t, "A", "7", testUUID(7))
	settings := &SMTPSettings{IssuerRFC: "EKU9003173C9", Host: "smtp.ejemplo.mx", From: "facturas@ejemplo.mx"}
	unreachable := domain.E(domain.Unavailable, "mail.Send", "No se pudo conectar con el servidor de correo.", errors.New("dial tcp: refused"))
	refused := domain.E(domain.Rejected, "mail.Send", "El servidor de correo rechazó el destinatario x@y.mx.", nil)
	badPassword := domain.E(domain.Invalid, "mail.Send", "El servidor de correo rechazó el usuario o la contraseña.", nil)
	tests := []struct {
		name      string
		doc       memDoc
		settings  *SMTPSettings
		answers   []error
		wantState State
		wantSent  int
		wantError string        // substring of LastError
		wantNext  time.Duration // NextAttemptAt - now for a retry
	}{
		{"delivered", memDoc{DocumentStamped, xml}, settings, nil, StateSent, 1, "", 0},
		{"server down is retried with backoff", memDoc{DocumentStamped, xml}, settings, []error{unreachable}, StateQueued, 0, "No se pudo conectar", 30 * time.Second},
		{"a broken connection is retried", memDoc{DocumentStamped, xml}, settings, []error{errors.New("EOF")}, StateQueued, 0, "", 30 * time.Second},
		{"recipient refused fails", memDoc{DocumentStamped, xml}, settings, []error{refused}, StateFailed, 0, "rechazó el destinatario", 0},
		{"bad credentials fail", memDoc{DocumentStamped, xml}, settings, []error{badPassword}, StateFailed, 0, "contraseña", 0},
		{"no settings waits", memDoc{DocumentStamped, xml}, nil, nil, StateQueued, 0, "Configure el servidor de correo", 15 * time.Minute},
		{"rejected document fails", memDoc{DocumentRejected, nil}, settings, nil, StateFailed, 0, "no se timbró", 0},
		{"unstamped XML is never sent", memDoc{DocumentStamped, []byte(strings.Replace(string(xml), "tfd:TimbreFiscalDigital", "tfd:Otro", 2))}, settings, nil, StateFailed, 0, "timbre", 0},
	}
	now := time.Date(2026, 11, 25, 18, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// given a delivery of one document
			st := newMemStore()
			st.docs[1] = tt.doc
			if tt.doc.state == DocumentRejected {
				st.rows = append(st.rows, &Delivery{ID: 1, DocumentID: 1, To: []string{"a@b.mx"}, State: StateQueued, NextAttemptAt: now})
			}
			m := &scriptMailer{answers: tt.answers}
			var changes []State
			var mu sync.Mutex
			o := NewOutbox(st, memSettings{tt.settings}, m, func() time.Time { return now }, Options{
				Rand:     func(n int64) int64 { return n - 1 }, // no jitter: the longest wait
				OnChange: func(_ int64, s State) { mu.Lock(); changes = append(changes, s); mu.Unlock() },
			})
			if tt.doc.state != DocumentRejected {
				if _, err := o.Enqueue(context.Background(), 1, []string{"Compras <compras@cliente.mx>, pagos@cliente.mx"}); err != nil {
					t.Fatalf("Enqueue: %v", err)
				}
			}
			// when the worker runs once
			n, err := o.RunOnce(context.Background())
			if err != nil || n != 1 {
				t.Fatalf("RunOnce = %d, %v; want 1 claimed", n, err)
			}
			// then the delivery is recorded as expected
			d, _ := st.Delivery(context.Background(), 1)
			if d.State != tt.wantState || d.Attempts != 1 {
				t.Errorf("state = %s after %d attempts, want %s after 1", d.State, d.Attempts, tt.wantState)
			}
			if len(m.sent) != tt.wantSent {
				t.Errorf("sent %d messages, want %d", len(m.sent), tt.wantSent)
			}
			if tt.wantSent == 1 && m.sent[0] != "compras@cliente.mx,pagos@cliente.mx|A-7" {
				t.Errorf("sent %q", m.sent[0])
			}
			if !strings.Contains(d.LastError, tt.wantError) || (tt.wantError == "" && tt.wantState == StateSent && d.LastError != "") {
				t.Errorf("LastError = %q, want it to contain %q", d.LastError, tt.wantError)
			}
			if tt.wantState == StateQueued {
				if got := d.NextAttemptAt.Sub(now); got != tt.wantNext {
					t.Errorf("next attempt in %v, want %v", got, tt.wantNext)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if last := changes[len(changes)-1]; last != tt.wantState || !slices.Contains(changes, StateSending) {
				t.Errorf("OnChange saw %v, want …sending…%s", changes, tt.wantState)
			}
		})
	}
}

func TestOutboxWaitsForTheStamp(t *testing.T) {
	t.Parallel()
	// given a delivery of a document still waiting for its stamp
	st := newMemStore()
	st.docs[1] = memDoc{state: DocumentPending}
	m := &scriptMailer{}
	settings := &SMTPSettings{IssuerRFC: "EKU9003173C9", Host: "smtp.ejemplo.mx", From: "facturas@ejemplo.mx"}
	o := NewOutbox(st, memSettings{settings}, m, nil, Options{})
	if _, err := o.Enqueue(context.Background(), 1, []string{"a@b.mx"}); err != nil {
		t.Fatal(err)
	}
	// then nothing is sent while it waits
	if n, err := o.RunOnce(context.Background()); n != 0 || err != nil || len(m.sent) != 0 {
		t.Fatalf("RunOnce = %d, %v, sent %v; want nothing", n, err, m.sent)
	}
	// and it goes out once stamped
	st.mu.Lock()
	st.docs[1] = memDoc{DocumentStamped, stampedXML(t, "B", "1", testUUID(1))}
	st.mu.Unlock()
	if n, err := o.RunOnce(context.Background()); n != 1 || err != nil || len(m.sent) != 1 {
		t.Fatalf("RunOnce = %d, %v, sent %v; want one", n, err, m.sent)
	}
}

func TestOutboxEnqueueRefusesBadAddresses(t *testing.T) {
	t.Parallel()
	st := newMemStore()
	st.docs[1] = memDoc{DocumentStamped, nil}
	o := NewOutbox(st, memSettings{}, &scriptMailer{}, nil, Options{})
	if _, err := o.Enqueue(context.Background(), 1, []string{"no-es-correo"}); domain.KindOf(err) != domain.Invalid {
		t.Fatalf("Enqueue(bad) = %v, want Invalid", err)
	}
	if _, err := o.Enqueue(context.Background(), 2, []string{"a@b.mx"}); domain.KindOf(err) != domain.NotFound {
		t.Fatalf("Enqueue(missing document) = %v, want NotFound", err)
	}
	if len(st.rows) != 0 {
		t.Fatalf("stored %d deliveries, want none", len(st.rows))
	}
}
