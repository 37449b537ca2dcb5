package sat

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/folio-mx/folio/domain"
)

// maxSearchWords bounds the words of a search query (as the SQLite
// store's catalog search does).
const maxSearchWords = 8

// Search finds up to limit entries in force of catalog (a SAT name such as
// ClaveProdServ) for a search box, in memory, with the answers of the
// SQLite store's SearchCatalog: first the keys that start with query (as
// typed or in upper case, when it is one word), then the entries whose
// search text (the description and, in c_ClaveProdServ, its similares; in
// c_ClaveUnidad its symbol) has a word starting with every word of query,
// accent- and case-insensitively, shortest descriptions first. c_CodigoPostal
// is searched by key only. An empty query lists the catalog from its
// start. limit ≤ 0 means 50. An unknown catalog is an Invalid error. It
// serves the window on a PostgreSQL server, which keeps no catalog tables;
// the search words of a catalog are computed on its first search.
func (c *Catalogs) Search(catalog, query string, limit int) ([]Entry, error) {
	const op = "sat.Search"
	ix, ok := c.tabs[catalog]
	if !ok {
		return nil, domain.E(domain.Invalid, op, fmt.Sprintf("No existe el catálogo %q.", catalog), nil)
	}
	if err := ix.get(); err != nil {
		return nil, domain.E(domain.Internal, op, "No se pudo leer el catálogo del SAT; reinstale Folio.", err)
	}
	if limit <= 0 {
		limit = 50
	}
	t := ix.t
	query = strings.TrimSpace(query)
	var out []Entry
	seen := map[int]bool{}
	if query == "" {
		for i := range t.Rows {
			if len(out) == limit {
				break
			}
			if !ix.expired[i] {
				out = append(out, t.Entry(i))
			}
		}
		return out, nil
	}
	if !strings.ContainsAny(query, " \t") {
		for _, p := range []string{query, strings.ToUpper(query)} {
			var rows []int
			for i := range t.Rows {
				if !ix.expired[i] && !seen[i] && strings.HasPrefix(t.Key(i), p) {
					rows = append(rows, i)
				}
			}
			sort.Slice(rows, func(a, b int) bool { return t.Key(rows[a]) < t.Key(rows[b]) })
			for _, i := range rows {
				if len(out) == limit {
					return out, nil
				}
				seen[i] = true
				out = append(out, t.Entry(i))
			}
		}
	}
	words := Words(query)
	if len(words) > maxSearchWords {
		words = words[:maxSearchWords]
	}
	if len(words) == 0 || catalog == CodigoPostal || len(out) == limit {
		return out, nil
	}
	index := ix.searchWords()
	var rows []int
	for i := range t.Rows {
		if !ix.expired[i] && !seen[i] && hasAllPrefixes(index[i], words) {
			rows = append(rows, i)
		}
	}
	sort.Slice(rows, func(a, b int) bool {
		// in characters, as SQLite's length() counts them
		da, db := utf8.RuneCountInString(t.Entry(rows[a]).Description), utf8.RuneCountInString(t.Entry(rows[b]).Description)
		if da != db {
			return da < db
		}
		return t.Key(rows[a]) < t.Key(rows[b])
	})
	for _, i := range rows {
		if len(out) == limit {
			break
		}
		out = append(out, t.Entry(i))
	}
	return out, nil
}

// searchWords returns, per row, the search words of its search text,
// computed once.
func (ix *indexed) searchWords() [][]string {
	ix.wordsOnce.Do(func() {
		ix.words = make([][]string, len(ix.t.Rows))
		for i := range ix.t.Rows {
			ix.words[i] = Words(ix.t.SearchText(i))
		}
	})
	return ix.words
}

// hasAllPrefixes reports whether every word of query starts some word of
// have.
func hasAllPrefixes(have, query []string) bool {
	for _, q := range query {
		found := false
		for _, h := range have {
			if strings.HasPrefix(h, q) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
