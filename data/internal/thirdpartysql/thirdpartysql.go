// Package thirdpartysql is the SQL of the third parties (package sales'
// catalog, the snapshots and sale details an invoice carries, the sales
// settings) and of their balances, payouts and reports (package
// thirdparty) that the SQLite and PostgreSQL stores share: the same
// statements, written with ? placeholders (the PostgreSQL store rewrites
// them), over whatever transaction or pool the store passes. Where the
// dialects differ — a missing instant or rate (empty text on SQLite, NULL on
// PostgreSQL), the name search, SQLite's index hints — the store says so
// in a Dialect. Each store keeps its own transactions, its bank
// movements (Bank) and, on PostgreSQL, the lock that orders two payouts
// to one third party (PayoutTx.Lock).
package thirdpartysql

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/folio-mx/folio/data/internal/salessql"
	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// Q runs statements and reads: a transaction or a pool of either store
// (the sales SQL's).
type Q = salessql.Q

// Dialect is what differs between the stores.
type Dialect struct {
	// Postgres: instants are timestamptz and a missing one (or a missing
	// payout rate) is NULL; no index hints. Otherwise SQLite: '' and hints.
	Postgres bool
	// Unique reports a UNIQUE violation; ForeignKey a foreign key one.
	Unique, ForeignKey func(error) bool
	// Words returns the condition on third_parties t matching every word
	// of text (accent- and case-insensitive prefixes) and its arguments;
	// "" when text has no words.
	Words func(text string) (string, []any)
	// NameOrder orders third_parties t by name, case-insensitively.
	NameOrder string
}

// indexed is SQLite's INDEXED BY hint (the planner picks the partial
// index on PostgreSQL by itself).
func (d Dialect) indexed(index string) string {
	if d.Postgres {
		return ""
	}
	return " INDEXED BY " + index
}

// crossJoin keeps SQLite's join order (CROSS JOIN); PostgreSQL plans it.
func (d Dialect) crossJoin() string {
	if d.Postgres {
		return "JOIN"
	}
	return "CROSS JOIN"
}

// none is the stored value of a missing instant or payout rate.
func (d Dialect) none() any {
	if d.Postgres {
		return nil
	}
	return ""
}

// notCancelled is the condition on a live payout.
func (d Dialect) notCancelled() string {
	if d.Postgres {
		return `cancelled_at IS NULL`
	}
	return `cancelled_at = ''`
}

const timeFormat = "2006-01-02T15:04:05Z"

// timeText is how both stores write an instant: UTC, fixed width (text
// order is time order on SQLite; PostgreSQL reads it into timestamptz).
func timeText(t time.Time) string { return t.UTC().Format(timeFormat) }

func optionalTimeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return timeText(t)
}

// scan parses stored text into decimals and times, keeping the first
// error so a row is checked once at the end. PostgreSQL's timestamptz
// arrives as RFC 3339 text through database/sql.
type scan struct{ err error }

func (s *scan) parse(text string) decimal.Decimal {
	d, err := decimal.NewFromString(text)
	if err != nil && s.err == nil {
		s.err = fmt.Errorf("stored decimal %q: %w", text, err)
	}
	return d
}

func (s *scan) time(text string) time.Time {
	t, err := time.Parse(time.RFC3339, text)
	if err != nil && s.err == nil {
		s.err = fmt.Errorf("stored time %q: %w", text, err)
	}
	return t
}

// errNotMicro is an amount with more than six decimals or beyond int64
// micro-units.
var errNotMicro = errors.New("does not fit in micro-units")

// micro is d in micro-units (× 10^6), the exact INTEGER/BIGINT form sums
// use.
func micro(d decimal.Decimal) (int64, error) {
	m := d.Shift(6)
	if !m.Equal(m.Truncate(0)) || !m.BigInt().IsInt64() {
		return 0, domain.E(domain.Internal, "thirdpartysql.micro", "", fmt.Errorf("amount %s: %w", d, errNotMicro))
	}
	return m.IntPart(), nil
}

func fromMicro(n int64) decimal.Decimal { return decimal.New(n, -6) }

// affected turns "no row changed" into a NotFound with msg.
func affected(res sql.Result, op, msg string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if n == 0 {
		return domain.E(domain.NotFound, op, msg, nil)
	}
	return nil
}

// Third parties (SQLite 0043_third_parties.sql, PostgreSQL 0001): the
// catalog, the sale details stored with an invoice and the company's sales
// settings.

const thirdPartyColumns = `id, issuer, rfc, name, regimen_fiscal, codigo_postal, contact, email, phone, bank,
	bank_account, notes, active, created_at, updated_at`

func duplicateRFC(err error) error {
	return domain.E(domain.Conflict, "save third party", "Ya existe un tercero con ese RFC en esta empresa.", err)
}

// InsertThirdParty stores a new third party and sets its ID; an RFC its
// issuer already has is a Conflict.
func InsertThirdParty(ctx context.Context, q Q, d Dialect, t *sales.ThirdParty) error {
	res, err := q.ExecContext(ctx, `INSERT INTO third_parties (issuer, rfc, name, regimen_fiscal, codigo_postal,
		contact, email, phone, bank, bank_account, notes, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.Issuer, t.RFC, t.Name, t.RegimenFiscal, t.CodigoPostal, t.Contact, t.Email, t.Phone, t.Bank,
		t.BankAccount, t.Notes, t.Active, timeText(t.CreatedAt), timeText(t.UpdatedAt))
	if err != nil && d.Unique(err) {
		return duplicateRFC(err)
	}
	if err != nil {
		return fmt.Errorf("insert third party: %w", err)
	}
	t.ID, err = res.LastInsertId()
	return err
}

// UpdateThirdParty rewrites every field but the issuer and the creation
// time; NotFound if absent, Conflict on another's RFC of the same issuer.
func UpdateThirdParty(ctx context.Context, q Q, d Dialect, t *sales.ThirdParty) error {
	res, err := q.ExecContext(ctx, `UPDATE third_parties SET rfc = ?, name = ?, regimen_fiscal = ?, codigo_postal = ?,
		contact = ?, email = ?, phone = ?, bank = ?, bank_account = ?, notes = ?, active = ?, updated_at = ?
		WHERE id = ?`,
		t.RFC, t.Name, t.RegimenFiscal, t.CodigoPostal, t.Contact, t.Email, t.Phone, t.Bank, t.BankAccount,
		t.Notes, t.Active, timeText(t.UpdatedAt), t.ID)
	if err != nil && d.Unique(err) {
		return duplicateRFC(err)
	}
	if err != nil {
		return fmt.Errorf("update third party %d: %w", t.ID, err)
	}
	return affected(res, "update third party", "El tercero no existe.")
}

// SetThirdPartyActive activates or deactivates third party id at at;
// NotFound if absent.
func SetThirdPartyActive(ctx context.Context, q Q, id int64, active bool, at time.Time) error {
	res, err := q.ExecContext(ctx, `UPDATE third_parties SET active = ?, updated_at = ? WHERE id = ?`, active, timeText(at), id)
	if err != nil {
		return fmt.Errorf("set third party %d active: %w", id, err)
	}
	return affected(res, "set third party active", "El tercero no existe.")
}

func scanThirdParty(sc interface{ Scan(...any) error }) (sales.ThirdParty, error) {
	var (
		t      sales.ThirdParty
		ca, ua string
	)
	err := sc.Scan(&t.ID, &t.Issuer, &t.RFC, &t.Name, &t.RegimenFiscal, &t.CodigoPostal, &t.Contact, &t.Email,
		&t.Phone, &t.Bank, &t.BankAccount, &t.Notes, &t.Active, &ca, &ua)
	if err != nil {
		return t, err
	}
	var s scan
	t.CreatedAt, t.UpdatedAt = s.time(ca), s.time(ua)
	return t, s.err
}

// FindThirdParty returns one third party; NotFound if absent.
func FindThirdParty(ctx context.Context, q Q, id int64) (sales.ThirdParty, error) {
	t, err := scanThirdParty(q.QueryRowContext(ctx, `SELECT `+thirdPartyColumns+` FROM third_parties WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, domain.E(domain.NotFound, "find third party", "El tercero no existe.", err)
	}
	if err != nil {
		return t, fmt.Errorf("find third party %d: %w", id, err)
	}
	return t, nil
}

// FindThirdParties searches an issuer's third parties as the customers
// are searched: an RFC prefix through the unique (issuer, rfc) index, name
// words through the store's text index (Dialect.Words).
func FindThirdParties(ctx context.Context, q Q, d Dialect, f sales.ThirdPartyFilter) ([]sales.ThirdParty, error) {
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	where := []string{"t.issuer = ?"}
	args := []any{strings.ToUpper(strings.TrimSpace(f.Issuer))}
	if !f.IncludeInactive {
		where = append(where, "t.active = true")
	}
	if cond, wargs := d.Words(f.Query); cond != "" {
		rfcish := strings.ToUpper(strings.TrimSpace(f.Query))
		if looksLikeRFC(rfcish) {
			where = append(where, "(t.rfc >= ? AND t.rfc < ? OR "+cond+")")
			args = append(append(args, rfcish, rfcish+"\U0010FFFF"), wargs...)
		} else {
			where = append(where, cond)
			args = append(args, wargs...)
		}
	}
	args = append(args, limit)
	rows, err := q.QueryContext(ctx, `SELECT `+prefixed("t.", thirdPartyColumns)+` FROM third_parties t WHERE `+
		strings.Join(where, " AND ")+` ORDER BY `+d.NameOrder+`, t.id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("find third parties: %w", err)
	}
	defer rows.Close()
	var out []sales.ThirdParty
	for rows.Next() {
		t, err := scanThirdParty(rows)
		if err != nil {
			return nil, fmt.Errorf("scan third party: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// looksLikeRFC reports whether s could be the beginning of an RFC: three or
// more characters, letters first, no spaces.
func looksLikeRFC(s string) bool {
	if len(s) < 3 || len(s) > 13 || strings.ContainsAny(s, " \t") {
		return false
	}
	for _, r := range s[:3] {
		if !(r >= 'A' && r <= 'Z' || r == '&' || r == 'Ñ') {
			return false
		}
	}
	return true
}

// prefixed qualifies every column of a comma-separated list with p.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// ListCondition selects, on invoices, the documents of the "Saldos contra
// terceros" list (sales.InvoiceFilter.ThirdParty): those with sale details
// or a concept on behalf of a third party.
const ListCondition = `(sale_details <> '' OR EXISTS (SELECT 1 FROM invoice_lines l
	WHERE l.invoice_id = invoices.id AND l.third_party_id IS NOT NULL))`

// storedDetails is the JSON form of sales.SaleDetails in
// invoices.sale_details, with its own names so that renaming a Go field
// never breaks stored rows. CollectFromID has its own column.
type storedDetails struct {
	Branch       string         `json:"branch,omitempty"`
	Seller       string         `json:"seller,omitempty"`
	Responsible  string         `json:"responsible,omitempty"`
	ShipTo       string         `json:"ship_to,omitempty"`
	Vessel       string         `json:"vessel,omitempty"`
	Voyage       string         `json:"voyage,omitempty"`
	Container    string         `json:"container,omitempty"`
	Seal         string         `json:"seal,omitempty"`
	ExitPort     string         `json:"exit_port,omitempty"`
	DestPort     string         `json:"destination_port,omitempty"`
	Terms        string         `json:"shipping_terms,omitempty"`
	ContactName  string         `json:"contact_name,omitempty"`
	ContactReach string         `json:"contact_reach,omitempty"`
	Incoterm     string         `json:"incoterm,omitempty"`
	ShipDate     string         `json:"ship_date,omitempty"`
	DispatchDate string         `json:"dispatch_date,omitempty"`
	GeneratedBy  string         `json:"generated_by,omitempty"`
	GeneratedID  string         `json:"generated_by_id,omitempty"`
	VehiclePlate string         `json:"vehicle_plate,omitempty"`
	ReceivedBy   string         `json:"received_by,omitempty"`
	ReceivedID   string         `json:"received_by_id,omitempty"`
	Observations string         `json:"observations,omitempty"`
	Sellers      []storedSeller `json:"sellers,omitempty"`
}

type storedSeller struct {
	Name    string `json:"name"`
	Percent string `json:"percent"`
}

// WriteSnapshots records the third party each line of posted inv
// carries, as the post re-read it from the catalog (the sealed
// ACuentaTerceros), over the draft's copy.
func WriteSnapshots(ctx context.Context, q Q, inv *sales.Invoice) error {
	for i, l := range inv.Lines {
		tp := l.ThirdParty
		if tp == nil {
			continue
		}
		if _, err := q.ExecContext(ctx, `UPDATE invoice_lines SET third_party_id = ?, tp_rfc = ?, tp_name = ?,
			tp_regimen = ?, tp_cp = ? WHERE invoice_id = ? AND n = ?`,
			tp.ID, tp.RFC, tp.Name, tp.RegimenFiscal, tp.CodigoPostal, inv.ID, i+1); err != nil {
			return fmt.Errorf("third party of line %d: %w", i+1, err)
		}
	}
	return nil
}

// SaleDetailsColumns returns the collect_from and sale_details values of
// d: NULL and "" for an invoice without details.
func SaleDetailsColumns(d *sales.SaleDetails) (collect any, details string, err error) {
	if d == nil {
		return nil, "", nil
	}
	if d.CollectFromID != 0 {
		collect = d.CollectFromID
	}
	sh, m := d.Shipping, d.Management
	sd := storedDetails{Branch: d.Branch, Seller: d.Seller, Responsible: d.Responsible, ShipTo: d.ShipTo,
		Vessel: sh.Vessel, Voyage: sh.Voyage, Container: sh.Container, Seal: sh.Seal, ExitPort: sh.ExitPort,
		DestPort: sh.DestinationPort, Terms: sh.Terms, ContactName: sh.ContactName, ContactReach: sh.ContactReach,
		Incoterm: sh.Incoterm, ShipDate: optionalTimeText(sh.ShipDate), DispatchDate: optionalTimeText(sh.DispatchDate),
		GeneratedBy: m.GeneratedBy, GeneratedID: m.GeneratedByID, VehiclePlate: m.VehiclePlate,
		ReceivedBy: m.ReceivedBy, ReceivedID: m.ReceivedByID, Observations: m.Observations}
	for _, s := range d.Sellers {
		sd.Sellers = append(sd.Sellers, storedSeller{Name: s.Name, Percent: s.Percent.String()})
	}
	b, err := json.Marshal(sd)
	if err != nil {
		return nil, "", fmt.Errorf("encode sale details: %w", err)
	}
	return collect, string(b), nil
}

// ParseSaleDetails is the inverse of SaleDetailsColumns: nil when the row
// has neither a collect-from customer nor details.
func ParseSaleDetails(collect sql.NullInt64, details string) (*sales.SaleDetails, error) {
	if !collect.Valid && details == "" {
		return nil, nil
	}
	d := &sales.SaleDetails{CollectFromID: collect.Int64}
	if details == "" {
		return d, nil
	}
	var sd storedDetails
	if err := json.Unmarshal([]byte(details), &sd); err != nil {
		return nil, fmt.Errorf("decode sale details: %w", err)
	}
	var s scan
	day := func(v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		return s.time(v)
	}
	d.Branch, d.Seller, d.Responsible, d.ShipTo = sd.Branch, sd.Seller, sd.Responsible, sd.ShipTo
	d.Shipping = sales.Shipping{Vessel: sd.Vessel, Voyage: sd.Voyage, Container: sd.Container, Seal: sd.Seal,
		ExitPort: sd.ExitPort, DestinationPort: sd.DestPort, Terms: sd.Terms, ContactName: sd.ContactName,
		ContactReach: sd.ContactReach, Incoterm: sd.Incoterm, ShipDate: day(sd.ShipDate), DispatchDate: day(sd.DispatchDate)}
	d.Management = sales.Management{GeneratedBy: sd.GeneratedBy, GeneratedByID: sd.GeneratedID,
		VehiclePlate: sd.VehiclePlate, ReceivedBy: sd.ReceivedBy, ReceivedByID: sd.ReceivedID, Observations: sd.Observations}
	for _, x := range sd.Sellers {
		p, err := decimal.NewFromString(x.Percent)
		if err != nil {
			return nil, fmt.Errorf("decode sale details: seller %q: %w", x.Name, err)
		}
		d.Sellers = append(d.Sellers, sales.SellerShare{Name: x.Name, Percent: p})
	}
	return d, s.err
}

// SalesSettingsKey is the settings row of an issuer's sales settings.
func SalesSettingsKey(issuer string) string {
	return "sales_settings:" + strings.ToUpper(strings.TrimSpace(issuer))
}

// storedSalesSettings is the JSON form of sales.SalesSettings.
type storedSalesSettings struct {
	ThirdParties    bool `json:"third_parties"`
	MultipleSellers bool `json:"multiple_sellers"`
}

// SalesSettings returns issuer's sales settings; the zero value when none
// were saved.
func SalesSettings(ctx context.Context, q Q, issuer string) (sales.SalesSettings, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, SalesSettingsKey(issuer)).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return sales.SalesSettings{}, nil
	}
	if err != nil {
		return sales.SalesSettings{}, fmt.Errorf("sales settings of %s: %w", issuer, err)
	}
	if v == "" {
		return sales.SalesSettings{}, nil
	}
	var st storedSalesSettings
	if err := json.Unmarshal([]byte(v), &st); err != nil {
		return sales.SalesSettings{}, fmt.Errorf("decode sales settings of %s: %w", issuer, err)
	}
	return sales.SalesSettings{ThirdParties: st.ThirdParties, MultipleSellers: st.MultipleSellers}, nil
}

// SalesSettingsValue checks issuer and returns the settings row (key and
// value) the store writes for st.
func SalesSettingsValue(issuer string, st sales.SalesSettings) (key, value string, err error) {
	if strings.TrimSpace(issuer) == "" {
		return "", "", domain.E(domain.Invalid, "set sales settings", "Elija la empresa cuya configuración quiere guardar.", nil)
	}
	b, err := json.Marshal(storedSalesSettings{ThirdParties: st.ThirdParties, MultipleSellers: st.MultipleSellers})
	if err != nil {
		return "", "", err
	}
	return SalesSettingsKey(issuer), string(b), nil
}
