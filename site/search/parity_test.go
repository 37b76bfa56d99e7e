package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/nashra-press/nashra/internal/testtools"
	"github.com/nashra-press/nashra/layouts"
)

// nodeTokens runs the analysis of layouts/assets/search.js under node on
// each text and returns, per text, its tokens in the form of the vector
// table.
func nodeTokens(t *testing.T, texts []string) [][][]string {
	t.Helper()
	node := testtools.RequireTool(t, "node")
	dir := t.TempDir()
	js, err := fs.ReadFile(layouts.FS, "assets/search.js")
	if err != nil {
		t.Fatal(err)
	}
	in, err := json.Marshal(texts)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"search.js": js,
		"in.json":   in,
		"run.js": []byte(`const s = require("./search.js");
const texts = JSON.parse(require("fs").readFileSync(__dirname + "/in.json", "utf8"));
process.stdout.write(JSON.stringify(texts.map(t => s.tokens(t).map(x => [x.n, ...x.st]))));
`),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(node, filepath.Join(dir, "run.js"))
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("node: %v\n%s", err, stderr.String())
	}
	var out [][][]string
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("node output: %v", err)
	}
	if len(out) != len(texts) {
		t.Fatalf("node analysed %d texts, want %d", len(out), len(texts))
	}
	return out
}

// TestJavaScriptVectors runs the shared vector table through search.js:
// the browser must give the same terms as the build.
func TestJavaScriptVectors(t *testing.T) {
	vectors := loadVectors(t)
	texts := make([]string, len(vectors))
	for i, v := range vectors {
		texts[i] = v.In
	}
	for i, got := range nodeTokens(t, texts) {
		if !slices.EqualFunc(got, vectors[i].Out, slices.Equal) {
			t.Errorf("search.js tokens(%q) = %q, want %q", vectors[i].In, got, vectors[i].Out)
		}
	}
}

// TestJavaScriptParity compares the Go and the JavaScript analysis beyond
// the table: on random strings made of the characters the rules treat
// specially, on every assigned character of Unicode alone and after an
// Arabic and a Latin letter, and on the sample site's posts.
func TestJavaScriptParity(t *testing.T) {
	var texts []string
	alphabet := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإٱىةؤئـًٌٍَُِّْٰٕٓٔ٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹0123456789AZazİẞΣçé\u0301ﻻﷺ ،؛؟.-_/()«»\u00ad\u200b\u200c\u200d\u200e\u200f\u061c\u2067\u2069\ufeff\u00a0\n")
	rng := rand.New(rand.NewPCG(5, 2024))
	for range 3000 {
		var b strings.Builder
		for n := 1 + rng.IntN(24); n > 0; n-- {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		texts = append(texts, b.String())
	}
	// Every character Go's tables (Unicode 15.0) know, in blocks of 512.
	var b strings.Builder
	for r := rune(0x80); r < 0x32000; r++ {
		if r >= 0xD800 && r <= 0xDFFF || !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Zs, unicode.Cf) {
			continue
		}
		fmt.Fprintf(&b, " %c ب%c x%c", r, r, r)
		if r%512 == 0 {
			texts = append(texts, b.String())
			b.Reset()
		}
	}
	texts = append(texts, b.String())
	posts, _ := filepath.Glob(filepath.Join("..", "..", "posts", "*.md"))
	more, _ := filepath.Glob(filepath.Join("..", "..", "posts", "*", "index.md"))
	for _, p := range append(posts, more...) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(data))
	}
	if len(posts) == 0 {
		t.Error("no sample posts found in ../../posts")
	}

	mismatches := 0
	for i, got := range nodeTokens(t, texts) {
		want := analyzed(texts[i])
		if slices.EqualFunc(got, want, slices.Equal) {
			continue
		}
		mismatches++
		if mismatches <= 20 {
			for j := 0; j < max(len(got), len(want)); j++ {
				var g, w []string
				if j < len(got) {
					g = got[j]
				}
				if j < len(want) {
					w = want[j]
				}
				if !slices.Equal(g, w) {
					t.Errorf("text %d %q: token %d: search.js %q, Go %q", i, truncate(texts[i], 200), j, g, w)
					break
				}
			}
		}
	}
	if mismatches > 0 {
		t.Errorf("%d of %d texts analysed differently", mismatches, len(texts))
	}
}
