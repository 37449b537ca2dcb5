// Package widgets holds Folio's reusable Fyne widgets (StatusBar,
// MasterList, CatalogPicker, FormDialog, …). They carry no business rules:
// screens feed them already formatted state, and FormDialog only places
// each sales.FieldError under the field it names. This package never
// imports data/ or the domain services.
package widgets
