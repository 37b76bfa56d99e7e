package testtools

import (
	"embed"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// schemas holds the grammars that generated XML is checked against:
//
//   - atom.rng: RFC 4287's RELAX NG grammar of Atom (Appendix B), in the
//     XML syntax that xmllint reads;
//   - sitemap.xsd: the sitemaps.org 0.9 XML Schema of sitemaps.
//
//go:embed schemas/atom.rng schemas/sitemap.xsd
var schemas embed.FS

// schemaFile writes the embedded schema name to a temporary file and
// returns its path.
func schemaFile(t testing.TB, name string) string {
	t.Helper()
	data, err := schemas.ReadFile("schemas/" + name)
	if err != nil {
		t.Fatalf("testtools: %v", err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatalf("testtools: %v", err)
	}
	return p
}

// AssertValidAtom validates each file against RFC 4287's RELAX NG grammar
// of Atom with xmllint --relaxng, and fails the test (t.Errorf) with
// xmllint's messages when one does not validate. When xmllint is missing,
// it stops the test with [Unavailable].
func AssertValidAtom(t testing.TB, files ...string) {
	t.Helper()
	assertValid(t, "--relaxng", schemaFile(t, "atom.rng"), "RFC 4287 Atom grammar", files)
}

// AssertValidSitemap validates each file against the sitemaps.org 0.9 XML
// Schema with xmllint --schema, and fails the test (t.Errorf) with
// xmllint's messages when one does not validate. When xmllint is missing,
// it stops the test with [Unavailable].
func AssertValidSitemap(t testing.TB, files ...string) {
	t.Helper()
	assertValid(t, "--schema", schemaFile(t, "sitemap.xsd"), "sitemaps.org 0.9 schema", files)
}

func assertValid(t testing.TB, flag, schema, what string, files []string) {
	t.Helper()
	if len(files) == 0 {
		t.Fatalf("testtools: no file to validate against the %s", what)
	}
	args := append([]string{"--noout", "--nonet", flag, schema}, files...)
	out, err := XMLLint(t, args...)
	if err != nil {
		t.Errorf("xmllint: not valid against the %s: %v\n%s", what, err, out)
		return
	}
	// xmllint prints "FILE validates" for each file that does.
	for _, f := range files {
		if !strings.Contains(out, f+" validates") {
			t.Errorf("xmllint did not report %s as valid against the %s:\n%s", f, what, out)
		}
	}
}
