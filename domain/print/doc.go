// Package print renders the printed representation of a CFDI 4.0 (the PDF a
// customer receives) with maroto, from the document parsed out of its stored
// XML. It never reads files: the logo comes from the caller and the fonts
// from package assets. It must not import fyne, database/sql or net/http.
package print
