package site

import (
	"github.com/nashra-press/nashra/site/diag"
	"testing"
	"time"
)

func TestASCIISlug(t *testing.T) {
	cases := map[string]string{
		"CICA":                 "cica",
		"Foreign Policy":       "foreign-policy",
		"  United   Nations  ": "united-nations",
		"c++ & go":             "c-go",
		"snake_case.name":      "snake-case-name",
		"2024-12-17-visit":     "2024-12-17-visit",
		"سيكا":                 "",
		"visit-عمان":           "",
		"--edge--":             "edge",
	}
	for in, want := range cases {
		if got := asciiSlug(in); got != want {
			t.Errorf("asciiSlug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidSlug(t *testing.T) {
	valid := []string{"cica", "cica-2024", "a", "2024-12-17-1"}
	invalid := []string{"", "CICA", "visit amman", "-a", "a-", "a--b", "زيارة", "a_b", "a.b", string(make([]byte, 101))}
	for _, s := range valid {
		if !ValidSlug(s) {
			t.Errorf("ValidSlug(%q) = false", s)
		}
	}
	for _, s := range invalid {
		if ValidSlug(s) {
			t.Errorf("ValidSlug(%q) = true", s)
		}
	}
}

func TestTagKeyMatching(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Tags = map[string]TagConfig{"CICA": {Slug: "cica", Label: "سيكا"}}
	cfg.tagOrder = []string{"CICA"}
	ix := newTagIndex(&cfg)
	var diags = new(diagList)
	cica := ix.resolve(tagRef{Name: "CICA"}, "p.md", &diags.l)
	for _, spelling := range []string{"cica", " Cica ", "سيكا", "CICA"} {
		if got := ix.resolve(tagRef{Name: spelling}, "p.md", &diags.l); got != cica {
			t.Errorf("%q resolved to %+v, want the CICA tag", spelling, got)
		}
	}
	a := ix.resolve(tagRef{Name: "Foreign Policy"}, "p.md", &diags.l)
	for _, spelling := range []string{"foreign policy", "Foreign  Policy", "foreign-policy"} {
		if got := ix.resolve(tagRef{Name: spelling}, "p.md", &diags.l); got != a {
			t.Errorf("%q made a second tag %+v", spelling, got)
		}
	}
	if a.Slug != "foreign-policy" || a.Label != "Foreign Policy" {
		t.Errorf("unconfigured tag = %+v", a)
	}
	if len(diags.l) != 0 {
		t.Errorf("unexpected diagnostics: %v", diags.l)
	}
	if got := ix.resolve(tagRef{Name: "السياحة", Line: 5, Col: 3}, "p.md", &diags.l); got != nil || len(diags.l) != 1 || diags.l[0].Line != 5 {
		t.Errorf("Arabic tag without config: got %v, diagnostics %v", got, diags.l)
	}
	// Each post that uses it is told, not only the first.
	if got := ix.resolve(tagRef{Name: "السياحة", Line: 7, Col: 3}, "q.md", &diags.l); got != nil || len(diags.l) != 2 || diags.l[1].File != "q.md" {
		t.Errorf("Arabic tag without config, again: got %v, diagnostics %v", got, diags.l)
	}
}

func TestParseDate(t *testing.T) {
	amman, err := time.LoadLocation("Asia/Amman")
	if err != nil {
		t.Skip("no time zone database")
	}
	cases := map[string]string{
		"2024-12-17":                "2024-12-17T00:00:00+03:00",
		"2024-12-17 10:30":          "2024-12-17T10:30:00+03:00",
		"2024-12-17T10:30":          "2024-12-17T10:30:00+03:00",
		"2024-12-17 10:30:15":       "2024-12-17T10:30:15+03:00",
		"2024-12-17T10:30:00Z":      "2024-12-17T13:30:00+03:00",
		"2024-12-17T10:30:00+05:00": "2024-12-17T08:30:00+03:00",
	}
	for in, want := range cases {
		got, ok := parseDate(in, amman)
		if !ok || got.Format(time.RFC3339) != want {
			t.Errorf("parseDate(%q) = %v, %v; want %s", in, got.Format(time.RFC3339), ok, want)
		}
	}
	for _, bad := range []string{"17/12/2024", "2024-13-01", "yesterday", "2024-12-17 25:00"} {
		if _, ok := parseDate(bad, amman); ok {
			t.Errorf("parseDate(%q) accepted", bad)
		}
	}
}

type diagList struct{ l diag.List }

// TestSplitFrontMatterNestedJSON checks JSON front matter whose nested
// objects close on lines of their own, before the real end.
func TestSplitFrontMatterNestedJSON(t *testing.T) {
	src := "{\n  \"title\": \"خبر\",\n  \"extra\": {\n    \"a\": {\n      \"b\": 1\n    }\n  },\n  \"date\": \"2024-12-17\"\n}\n\nنص الخبر.\n"
	raw, body, _, bodyLine, err := splitFrontMatter([]byte(src), nil)
	if err != nil || raw.format != "json" || string(body) != "نص الخبر.\n" || bodyLine != 11 {
		t.Fatalf("format %q, body %q, line %d, err %v", raw.format, body, bodyLine, err)
	}
}
