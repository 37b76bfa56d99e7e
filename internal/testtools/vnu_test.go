package testtools

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	validHTML = `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>اختبار</title></head><body><p>مرحبا</p></body></html>`
	// A <p> inside <head>, an unclosed <div> and a duplicate id.
	invalidHTML = `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>خطأ</title><p>هنا</p></head>
<body><div id="x"><span id="x">مرحبا</span></body></html>`
)

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func errorsOf(msgs []VNUMessage) []VNUMessage {
	var errs []VNUMessage
	for _, m := range msgs {
		if m.IsError() {
			errs = append(errs, m)
		}
	}
	return errs
}

func TestVNUValidFile(t *testing.T) {
	t.Parallel()
	page := writeFile(t, filepath.Join(t.TempDir(), "صفحة صحيحة.html"), validHTML)
	msgs := VNU(t, page)
	if errs := errorsOf(msgs); len(errs) != 0 {
		t.Errorf("VNU found %d errors in a valid page, want 0: %v", len(errs), errs)
	}
}

func TestVNUInvalidFile(t *testing.T) {
	t.Parallel()
	page := writeFile(t, filepath.Join(t.TempDir(), "صفحة%خاطئة #1.html"), invalidHTML)
	errs := errorsOf(VNU(t, page))
	if len(errs) == 0 {
		t.Fatal("VNU found no error in an invalid page")
	}
	for _, m := range errs {
		t.Logf("%s", m)
		if m.File != page {
			t.Errorf("error names file %q (URL %q), want %q", m.File, m.URL, page)
		}
		if m.Line() < 1 || m.Message == "" {
			t.Errorf("error without line or message: %+v", m)
		}
	}
	var dup bool
	for _, m := range errs {
		dup = dup || strings.Contains(m.Message, "Duplicate ID")
	}
	if !dup {
		t.Errorf("no Duplicate ID error among %v", errs)
	}
}

// TestVNUDirectory checks a tree with Arabic names, a subdirectory and a
// file that is not HTML: only the invalid page has errors, and every page
// was checked (VNU fails the test otherwise).
func TestVNUDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "index.html"), validHTML)
	writeFile(t, filepath.Join(dir, "مقالات", "الأولى", "index.html"), validHTML)
	bad := writeFile(t, filepath.Join(dir, "مقالات", "خطأ.htm"), invalidHTML)
	writeFile(t, filepath.Join(dir, "style.css"), "p { color: red }")
	writeFile(t, filepath.Join(dir, "feed.xml"), "<not-html/>")

	errs := errorsOf(VNU(t, dir))
	if len(errs) == 0 {
		t.Fatal("VNU found no error in the directory")
	}
	for _, m := range errs {
		if m.File != bad {
			t.Errorf("error in %q, want only in %q: %s", m.File, bad, m)
		}
	}
}

func TestAssertValidHTML(t *testing.T) {
	t.Parallel()
	good := t.TempDir()
	writeFile(t, filepath.Join(good, "صفحة.html"), validHTML)
	writeFile(t, filepath.Join(good, "أ", "ب.html"), validHTML)
	AssertValidHTML(t, good)

	bad := t.TempDir()
	writeFile(t, filepath.Join(bad, "صفحة.html"), validHTML)
	writeFile(t, filepath.Join(bad, "قسم", "خطأ.html"), invalidHTML)
	r := record(t, func(tb testing.TB) { AssertValidHTML(tb, bad) })
	if !r.errored || r.fatal || r.skipped {
		t.Fatalf("AssertValidHTML on an invalid page: errored=%v fatal=%v skipped=%v\n%s", r.errored, r.fatal, r.skipped, r.text())
	}
	msg := r.text()
	t.Logf("AssertValidHTML said:\n%s", msg)
	for _, want := range []string{filepath.Join("قسم", "خطأ.html") + ":1:", filepath.Join("قسم", "خطأ.html") + ":2:", "Duplicate ID"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q", want)
		}
	}
	if strings.Contains(msg, "صفحة.html") {
		t.Errorf("message names the valid page")
	}
}

func TestVNUFailsOnNothingToCheck(t *testing.T) {
	t.Parallel()
	VNUJar(t) // skip, or fail in CI, before the recorder hides it
	RequireTool(t, "java")

	empty := t.TempDir()
	writeFile(t, filepath.Join(empty, "notes.txt"), "not html")
	missing := filepath.Join(t.TempDir(), "missing.html")
	for name, path := range map[string]string{"empty dir": empty, "missing file": missing} {
		r := record(t, func(tb testing.TB) { VNU(tb, path) })
		if !r.fatal {
			t.Errorf("%s: VNU did not fail the test: %s", name, r.text())
		}
		t.Logf("%s: %s", name, r.text())
	}
}
