package sqlite

import "context"

// The administrator password is sales.Companies' business; these test-only
// methods let the posting tests written against the store (Admin: s,
// s.SetAdminPassword) reach it through the domain service, as the
// application does.

// SetAdminPassword sets the administrator password through sales.Companies.
func (s *Store) SetAdminPassword(ctx context.Context, current, next string) error {
	return companiesOf(s).SetAdminPassword(ctx, current, next)
}

// CheckAdminPassword verifies the administrator password through
// sales.Companies; with it the store serves as a sales.AdminVerifier in
// tests.
func (s *Store) CheckAdminPassword(ctx context.Context, password string) error {
	return companiesOf(s).CheckAdminPassword(ctx, password)
}
