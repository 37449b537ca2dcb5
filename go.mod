module github.com/folio-mx/folio

go 1.26.8

require (
	fyne.io/fyne/v2 v2.7.1 // indirect
	github.com/beevik/etree v1.8.1 // indirect
	github.com/boombuler/barcode v1.1.0 // indirect
	github.com/clipperhouse/uax29/v2 v2.7.0 // indirect
	github.com/f-amaral/go-async v0.3.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/hhrutter/lzw v1.0.0 // indirect
	github.com/hhrutter/pkcs7 v0.2.0 // indirect
	github.com/hhrutter/tiff v1.0.2 // indirect
	github.com/johnfercher/go-tree v1.1.0 // indirect
	github.com/johnfercher/maroto/v2 v2.4.0 // indirect
	github.com/mattn/go-runewidth v0.0.21 // indirect
	github.com/mattn/go-sqlite3 v1.14.53 // indirect
	github.com/pdfcpu/pdfcpu v0.11.1 // indirect
	github.com/phpdave11/gofpdf v1.4.3 // indirect
	github.com/pkg/errors v0.9.1 // indirect
	github.com/shopspring/decimal v1.6.0 // indirect
	github.com/youmark/pkcs8 v0.0.0-20240726163527-a2c0da244d78 // indirect
	golang.org/x/crypto v0.49.0 // indirect
	golang.org/x/image v0.37.0 // indirect
	golang.org/x/text v0.35.0 // indirect
	gopkg.in/yaml.v2 v2.4.0 // indirect
)
