// Package sat holds SAT's CFDI 4.0 catalogs and the rules built on them:
// lookups by key, régimen/uso CFDI/código postal compatibility, allowed
// TasaOCuota values, RFC validation and the accent-insensitive text
// normalisation used by catalog search.
//
// Catalog data arrives as an fs.FS of CSV files (gzip-compressed or plain)
// handed over by the caller, normally assets.Catalogs; this package never
// opens paths and imports neither database/sql nor fyne.
package sat
