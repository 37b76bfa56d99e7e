package layouts_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/nashra-press/nashra/layouts"
	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/output"
)

// buildMap builds a site held in memory with the default theme.
func buildMap(t *testing.T, src fstest.MapFS) *output.Memory {
	t.Helper()
	out := output.NewMemory()
	_, err := site.Generate(context.Background(), src, out, site.Options{
		Theme:       layouts.FS,
		LoadOptions: site.LoadOptions{Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func page(t *testing.T, out *output.Memory, rel string) string {
	t.Helper()
	data, ok := out.File(rel)
	if !ok {
		t.Fatalf("%s not written; files: %v", rel, out.Paths())
	}
	return string(data)
}

// mixedSite has Latin in a title, a summary, a tag label, a tag
// description and the author.
func mixedSite(config string) fstest.MapFS {
	return fstest.MapFS{
		"config.yaml": {Data: []byte(`title: "أخبار السفارة"
base_url: https://example.gov.kz/amman/news/
author: "سفارة كازاخستان"
` + config + `
tags:
  CICA:
    slug: cica
    label: "CICA"
    description: "أخبار مؤتمر CICA في آسيا"
  Foreign Policy:
    slug: foreign-policy
`)},
		"posts/a.md": {Data: []byte(`---
title: "منظمات مثل CICA، SCO، وCSTO."
date: 2024-12-17 10:00
summary: "اتصلوا على +962 6 593 3000 بشأن C++."
tags: [CICA, Foreign Policy]
author: "Press Office"
---
نص.
`)},
		"posts/b.md": {Data: []byte(`---
title: "الخبر الثاني"
date: 2024-12-18
tags: [CICA, Foreign Policy]
---
نص.
`)},
	}
}

// TestTemplatesIsolateLatin checks that every template passes authored
// text through bidi: titles, summaries, tag labels and descriptions,
// author names.
func TestTemplatesIsolateLatin(t *testing.T) {
	out := buildMap(t, mixedSite(""))
	title := `منظمات مثل <span dir="ltr">CICA</span>، <span dir="ltr">SCO</span>، و<span dir="ltr">CSTO</span>.`
	summary := `اتصلوا على <span dir="ltr">+962 6 593 3000</span> بشأن <span dir="ltr">C++</span>.`
	checks := map[string][]string{
		"posts/a/index.html": {
			"<h1>" + title + "</h1>",
			`<span class="author"><span lang="en" dir="ltr">Press Office</span></span>`,
			`rel="tag"><span dir="ltr">CICA</span></a>`,
			`rel="tag"><span lang="en" dir="ltr">Foreign Policy</span></a>`,
		},
		"posts/b/index.html": {`<span class="title">` + title + `</span>`},
		"index.html": {
			`<a href="/amman/news/posts/a/">` + title + `</a>`,
			`<p class="summary">` + summary + `</p>`,
			`<li><a href="/amman/news/tags/cica/"><span dir="ltr">CICA</span></a></li>`,
		},
		"tags/cica/index.html": {
			`<h1 class="page-title"><span dir="ltr">CICA</span></h1>`,
			`<p class="lead">أخبار مؤتمر <span dir="ltr">CICA</span> في آسيا</p>`,
		},
		"tags/index.html": {`<a href="/amman/news/tags/foreign-policy/"><span lang="en" dir="ltr">Foreign Policy</span></a>`},
	}
	for rel, wants := range checks {
		html := page(t, out, rel)
		for _, want := range wants {
			if !strings.Contains(html, want) {
				t.Errorf("%s lacks\n%s", rel, want)
			}
		}
	}
	for _, rel := range out.Paths() {
		if !strings.HasSuffix(rel, ".html") {
			continue
		}
		html := page(t, out, rel)
		if !strings.Contains(html, `<html lang="ar" dir="rtl">`) {
			t.Errorf("%s: no <html lang=ar dir=rtl>", rel)
		}
		if strings.Contains(html, `dir="auto"`) {
			t.Errorf("%s: dir=auto", rel)
		}
		// Plain-text sinks get plain text: no markup, no controls by default.
		if m := regexp.MustCompile(`<title>([^<]*)</title>`).FindStringSubmatch(html); m == nil || strings.ContainsAny(m[1], "\u2066\u2067\u2069") {
			t.Errorf("%s: <title> = %q", rel, m)
		}
	}
}

// TestOpenGraphAndJSONLD checks the metadata of section 6 of
// docs/arabic-rtl.md: og:locale ar_AR, og:title as plain text (with
// isolates when bidi_controls is on), and a NewsArticle in JSON-LD.
func TestOpenGraphAndJSONLD(t *testing.T) {
	html := page(t, buildMap(t, mixedSite("")), "posts/a/index.html")
	for _, want := range []string{
		`<meta property="og:locale" content="ar_AR">`,
		`<meta property="og:type" content="article">`,
		`<meta property="og:title" content="منظمات مثل CICA، SCO، وCSTO.">`,
		`<meta property="og:url" content="https://example.gov.kz/amman/news/posts/a/">`,
		`<meta property="article:published_time" content="2024-12-17T10:00:00&#43;03:00">`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("post page lacks %s", want)
		}
	}
	m := regexp.MustCompile(`<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(html)
	if m == nil {
		t.Fatal("no JSON-LD")
	}
	var article map[string]any
	if err := json.Unmarshal([]byte(m[1]), &article); err != nil {
		t.Fatalf("JSON-LD: %v\n%s", err, m[1])
	}
	for key, want := range map[string]any{
		"@type": "NewsArticle", "headline": "منظمات مثل CICA، SCO، وCSTO.", "inLanguage": "ar",
		"datePublished": "2024-12-17T10:00:00+03:00", "url": "https://example.gov.kz/amman/news/posts/a/",
	} {
		if article[key] != want {
			t.Errorf("JSON-LD %s = %v, want %v", key, article[key], want)
		}
	}

	withControls := page(t, buildMap(t, mixedSite("bidi_controls: true")), "posts/a/index.html")
	want := "<meta property=\"og:title\" content=\"\u2067منظمات مثل \u2066CICA\u2069، \u2066SCO\u2069، و\u2066CSTO\u2069.\u2069\">"
	if !strings.Contains(withControls, want) {
		t.Errorf("with bidi_controls, og:title is not isolated:\n%s", regexp.MustCompile(`<meta property="og:title"[^>]*>`).FindString(withControls))
	}
	if strings.Contains(withControls, "<h1>\u2067") {
		t.Error("bidi_controls reached the HTML text")
	}
}

// buildSample builds the repository's own site (config.yaml, posts/,
// static/) with the default theme into a temporary folder.
func buildSample(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "public")
	out, err := output.Open(dir, output.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = site.Generate(context.Background(), os.DirFS(".."), out, site.Options{Theme: layouts.FS})
	if err != nil {
		out.Abort()
		t.Fatal(err)
	}
	if _, err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	return dir
}
