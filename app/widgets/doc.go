// Package widgets holds Folio's reusable Fyne widgets (StatusBar, …). They
// carry no business rules: screens feed them already formatted state. This
// package never imports data/ or the domain services.
package widgets
