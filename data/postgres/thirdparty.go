package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/folio-mx/folio/domain"
	"github.com/folio-mx/folio/domain/sales"
	"github.com/shopspring/decimal"
)

// Third parties (0043_third_parties.sql): the catalog, the sale details
// stored with an invoice and the company's sales settings.

const thirdPartyColumns = `id, issuer, rfc, name, regimen_fiscal, codigo_postal, contact, email, phone, bank,
	bank_account, notes, active, created_at, updated_at`

func duplicateThirdPartyRFC(err error) error {
	return domain.E(domain.Conflict, "save third party", "Ya existe un tercero con ese RFC en esta empresa.", err)
}

func insertThirdParty(ctx context.Context, q querier, t *sales.ThirdParty) error {
	res, err := q.ExecContext(ctx, `INSERT INTO third_parties (issuer, rfc, name, regimen_fiscal, codigo_postal,
		contact, email, phone, bank, bank_account, notes, active, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.Issuer, t.RFC, t.Name, t.RegimenFiscal, t.CodigoPostal, t.Contact, t.Email, t.Phone, t.Bank,
		t.BankAccount, t.Notes, t.Active, salesTimeText(t.CreatedAt), salesTimeText(t.UpdatedAt))
	if isUniqueViolation(err) {
		return duplicateThirdPartyRFC(err)
	}
	if err != nil {
		return fmt.Errorf("insert third party: %w", err)
	}
	t.ID, err = res.LastInsertId()
	return err
}

// updateThirdParty rewrites every field but the issuer and the creation
// time.
func updateThirdParty(ctx context.Context, q querier, t *sales.ThirdParty) error {
	res, err := q.ExecContext(ctx, `UPDATE third_parties SET rfc = ?, name = ?, regimen_fiscal = ?, codigo_postal = ?,
		contact = ?, email = ?, phone = ?, bank = ?, bank_account = ?, notes = ?, active = ?, updated_at = ?
		WHERE id = ?`,
		t.RFC, t.Name, t.RegimenFiscal, t.CodigoPostal, t.Contact, t.Email, t.Phone, t.Bank, t.BankAccount,
		t.Notes, t.Active, salesTimeText(t.UpdatedAt), t.ID)
	if isUniqueViolation(err) {
		return duplicateThirdPartyRFC(err)
	}
	if err != nil {
		return fmt.Errorf("update third party %d: %w", t.ID, err)
	}
	return salesAffected(res, "update third party", "El tercero no existe.")
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
	var s salesScan
	t.CreatedAt, t.UpdatedAt = s.time(ca), s.time(ua)
	return t, s.err
}

func findThirdParty(ctx context.Context, q querier, id int64) (sales.ThirdParty, error) {
	t, err := scanThirdParty(q.QueryRowContext(ctx, `SELECT `+thirdPartyColumns+` FROM third_parties WHERE id = ?`, id))
	if err == sql.ErrNoRows {
		return t, domain.E(domain.NotFound, "find third party", "El tercero no existe.", err)
	}
	if err != nil {
		return t, fmt.Errorf("find third party %d: %w", id, err)
	}
	return t, nil
}

// findThirdParties searches an issuer's third parties as findCustomers
// searches customers: an RFC prefix through the unique (issuer, rfc) index,
// name words through the trigram index (accent- and case-insensitive prefixes).
func findThirdParties(ctx context.Context, q querier, f sales.ThirdPartyFilter) ([]sales.ThirdParty, error) {
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	where := []string{"t.issuer = ?"}
	args := []any{strings.ToUpper(strings.TrimSpace(f.Issuer))}
	if !f.IncludeInactive {
		where = append(where, "t.active")
	}
	if hasWords(f.Query) {
		rfcish := strings.ToUpper(strings.TrimSpace(f.Query))
		if looksLikeRFC(rfcish) {
			cond, wargs := matchWords("t.search", f.Query)
			where = append(where, "(t.rfc >= ? AND t.rfc < ? OR "+cond+")")
			args = append(append(args, rfcish, rfcish+"\U0010FFFF"), wargs...)
		} else {
			cond, wargs := matchWords("t.search", f.Query)
			where = append(where, cond)
			args = append(args, wargs...)
		}
	}
	args = append(args, limit)
	rows, err := q.QueryContext(ctx, `SELECT `+prefixed("t.", thirdPartyColumns)+` FROM third_parties t WHERE `+
		strings.Join(where, " AND ")+` ORDER BY lower(t.name), t.id LIMIT ?`, args...)
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

var _ sales.ThirdPartyStore = (*Store)(nil)

// CreateThirdParty stores a new third party (already validated) and sets
// its ID and timestamps; an RFC its issuer already has is a Conflict.
func (s *Store) CreateThirdParty(ctx context.Context, t *sales.ThirdParty) error {
	t.CreatedAt = s.Now()
	t.UpdatedAt = t.CreatedAt
	return s.WriteTx(ctx, func(tx *Tx) error { return insertThirdParty(ctx, tx, t) })
}

// UpdateThirdParty rewrites a third party (its issuer never changes);
// NotFound if absent, Conflict if its new RFC is another's of the same
// issuer. Invoice lines keep the snapshot they carry.
func (s *Store) UpdateThirdParty(ctx context.Context, t *sales.ThirdParty) error {
	t.UpdatedAt = s.Now()
	return s.WriteTx(ctx, func(tx *Tx) error { return updateThirdParty(ctx, tx, t) })
}

// SetThirdPartyActive activates or deactivates a third party.
func (s *Store) SetThirdPartyActive(ctx context.Context, id int64, active bool) error {
	return s.WriteTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE third_parties SET active = ?, updated_at = ? WHERE id = ?`,
			active, salesTimeText(s.Now()), id)
		if err != nil {
			return fmt.Errorf("set third party %d active: %w", id, err)
		}
		return salesAffected(res, "set third party active", "El tercero no existe.")
	})
}

// FindThirdPartyByID returns one third party; NotFound if absent.
func (s *Store) FindThirdPartyByID(ctx context.Context, id int64) (sales.ThirdParty, error) {
	return findThirdParty(ctx, s.ReadDB(), id)
}

// FindThirdParties searches f.Issuer's third parties by name words or RFC
// prefix, ordered by name.
func (s *Store) FindThirdParties(ctx context.Context, f sales.ThirdPartyFilter) ([]sales.ThirdParty, error) {
	return findThirdParties(ctx, s.ReadDB(), f)
}

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

// writeThirdPartySnapshots records the third party each line of posted
// inv carries, as the post re-read it from the catalog (the sealed
// ACuentaTerceros), over the draft's copy.
func writeThirdPartySnapshots(ctx context.Context, q querier, inv *sales.Invoice) error {
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

// saleDetailsColumns returns the collect_from and sale_details values of d:
// NULL and ” for an invoice without details.
func saleDetailsColumns(d *sales.SaleDetails) (collect any, details string, err error) {
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

// parseSaleDetails is the inverse of saleDetailsColumns: nil when the row
// has neither a collect-from customer nor details.
func parseSaleDetails(collect sql.NullInt64, details string) (*sales.SaleDetails, error) {
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
	var s salesScan
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

// salesSettingsKey is the settings row of an issuer's sales settings.
func salesSettingsKey(issuer string) string {
	return "sales_settings:" + strings.ToUpper(strings.TrimSpace(issuer))
}

// storedSalesSettings is the JSON form of sales.SalesSettings.
type storedSalesSettings struct {
	ThirdParties    bool `json:"third_parties"`
	MultipleSellers bool `json:"multiple_sellers"`
}

var _ sales.SalesSettingsStore = (*Store)(nil)

// SalesSettings returns issuer's sales settings; the zero value when none
// were saved.
func (s *Store) SalesSettings(ctx context.Context, issuer string) (sales.SalesSettings, error) {
	return salesSettings(ctx, s.ReadDB(), issuer)
}

func salesSettings(ctx context.Context, q querier, issuer string) (sales.SalesSettings, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, salesSettingsKey(issuer)).Scan(&v)
	if err == sql.ErrNoRows {
		return sales.SalesSettings{}, nil
	}
	if err != nil {
		return sales.SalesSettings{}, fmt.Errorf("sales settings of %s: %w", issuer, err)
	}
	if v == "" {
		return sales.SalesSettings{}, err
	}
	var st storedSalesSettings
	if err := json.Unmarshal([]byte(v), &st); err != nil {
		return sales.SalesSettings{}, fmt.Errorf("decode sales settings of %s: %w", issuer, err)
	}
	return sales.SalesSettings{ThirdParties: st.ThirdParties, MultipleSellers: st.MultipleSellers}, nil
}

// SetSalesSettings saves issuer's sales settings.
func (s *Store) SetSalesSettings(ctx context.Context, issuer string, st sales.SalesSettings) error {
	if strings.TrimSpace(issuer) == "" {
		return domain.E(domain.Invalid, "set sales settings", "Elija la empresa cuya configuración quiere guardar.", nil)
	}
	b, err := json.Marshal(storedSalesSettings{ThirdParties: st.ThirdParties, MultipleSellers: st.MultipleSellers})
	if err != nil {
		return err
	}
	return s.WriteTx(ctx, func(tx *Tx) error { return s.putSetting(ctx, tx, salesSettingsKey(issuer), string(b)) })
}
