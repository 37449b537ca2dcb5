package assets

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
)

//go:embed catalogs/*.csv.gz
var catalogsFS embed.FS

// Catalogs holds SAT's CFDI 4.0 catalogs, one gzip-compressed CSV per
// catalog at the root of the file system ("c_UsoCFDI.csv.gz", …), as read by
// sat.NewCatalogs and (*sqlite.Store).EnsureCatalogs.
var Catalogs fs.FS = mustSub(catalogsFS, "catalogs")

// CatalogsVersion identifies the embedded catalog data: the first 16 hex
// digits of a SHA-256 over every file name and its bytes. It changes whenever
// a catalog file changes, so stores know when to reload.
var CatalogsVersion = catalogsVersion(Catalogs)

func mustSub(fsys fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // the embed pattern guarantees the folder exists
	}
	return sub
}

func catalogsVersion(fsys fs.FS) string {
	names, err := fs.Glob(fsys, "*.csv.gz") // sorted
	if err != nil {
		panic(err)
	}
	h := sha256.New()
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			panic(err)
		}
		h.Write([]byte(path.Base(name)))
		h.Write([]byte{0})
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
