// Package searchtest runs the query engine of the default theme's
// search.js under node, on index files written to a folder, for tests:
// the same code a reader's browser runs, without a browser.
package searchtest

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/nashra-press/nashra/internal/testtools"
	"github.com/nashra-press/nashra/layouts"
	"github.com/nashra-press/nashra/site/search"
)

// Result is what search.js found for one query.
type Result struct {
	// Total is the number of matching documents.
	Total int
	// IDs are the matching documents, best first; Scores their scores.
	IDs    []int
	Scores []int
	// URLs are the URLs of the first three results, read from the
	// document chunks.
	URLs []string
}

const runner = `const s = require(process.argv[2]);
const fs = require("fs");
const dir = process.argv[3];
const queries = JSON.parse(fs.readFileSync(process.argv[4], "utf8"));
const load = u => new Promise(ok => ok(JSON.parse(fs.readFileSync(u.replace(/\?.*$/, ""), "utf8"))));
const engine = s.createSearch(dir + "/index.json", load);
(async () => {
  const out = [];
  for (const q of queries) {
    const r = await engine.search(q);
    const ids = r.hits;
    const recs = await engine.docs(ids.slice(0, 3));
    out.push({Total: r.total, IDs: ids, Scores: r.scores || [], URLs: recs.map(d => d[0])});
  }
  process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
`

// Query runs each query through search.js on the index in dir (the folder
// holding index.json). It skips the test when node is missing, or fails
// it when CI=true (testtools.RequireTool).
func Query(t testing.TB, dir string, queries []string) []Result {
	t.Helper()
	node := testtools.RequireTool(t, "node")
	tmp := t.TempDir()
	js, err := fs.ReadFile(layouts.FS, "assets/search.js")
	if err != nil {
		t.Fatal(err)
	}
	q, err := json.Marshal(queries)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"search.js": js, "run.js": []byte(runner), "queries.json": q} {
		if err := os.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(node, filepath.Join(tmp, "run.js"), filepath.Join(tmp, "search.js"), dir, filepath.Join(tmp, "queries.json"))
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("search.js under node: %v\n%s", err, stderr.String())
	}
	var out []Result
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("search.js under node: %v\n%s", err, stdout.String())
	}
	if len(out) != len(queries) {
		t.Fatalf("search.js under node answered %d queries, want %d", len(out), len(queries))
	}
	return out
}

// WriteIndex writes the files of idx into a new folder and returns it.
func WriteIndex(t testing.TB, idx *search.Index) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range idx.Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Section5 returns the rows of site/search/testdata/section5.json: the
// written forms of the words of docs/arabic-rtl.md section 5. root is the
// path of the repository's root.
func Section5(t testing.TB, root string) [][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "site", "search", "testdata", "section5.json"))
	if err != nil {
		t.Fatal(err)
	}
	var table struct{ Rows [][]string }
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatal(err)
	}
	return table.Rows
}
