// Package cfdi is Folio's CFDI 4.0 document engine: the document model with
// SAT's names (Anexo 20, cfdv40.xsd), the XML writer and reader, the cadena
// original computed natively (byte-identical to SAT's XSLT), sealing and
// verification, the insertion of the TimbreFiscalDigital into sealed bytes,
// and the verification URL and QR code of the printed representation.
//
// The package is pure: besides the standard library it imports only domain,
// etree, decimal and the QR encoder — never fyne, database/sql, net/http or
// file paths. Business-rule validation against SAT's catalogs goes through
// the Catalogs port.
package cfdi
