package testtools

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestXMLLint(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := writeFile(t, filepath.Join(dir, "خلاصة.xml"),
		`<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>نشرة</title></feed>`)
	bad := writeFile(t, filepath.Join(dir, "مكسور.xml"),
		`<?xml version="1.0" encoding="utf-8"?><feed><title>نشرة</feed>`)

	if out, err := XMLLint(t, "--noout", good); err != nil {
		t.Errorf("xmllint --noout on well-formed XML: %v\n%s", err, out)
	}
	out, err := XMLLint(t, "--noout", bad)
	if err == nil {
		t.Fatalf("xmllint --noout accepted broken XML:\n%s", out)
	}
	t.Logf("xmllint on broken XML: %v\n%s", err, out)
	if !strings.Contains(out, "مكسور.xml") || !strings.Contains(out, "mismatch") {
		t.Errorf("xmllint output does not name the file and the error:\n%s", out)
	}
}
