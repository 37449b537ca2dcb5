// Package preflight checks a CFDI 4.0 Comprobante against SAT's business
// rules before it is sealed, so that the user fixes every problem in one pass
// instead of learning them one by one from the PAC's rejections.
//
// Check reports every problem at once, each a *domain.Error of kind Invalid
// with the CFDI40xxx code of SAT's "Matriz de errores" where one applies, a
// Spanish message that says what is wrong and how to fix it, and the field it
// belongs to (Problems). Amounts are judged by domain/tax; catalog questions go
// through the cfdi.Catalogs port (implemented by *sat.Catalogs).
//
// The package imports only the standard library, decimal, domain, domain/cfdi,
// domain/sat and domain/tax; it never opens files.
package preflight
