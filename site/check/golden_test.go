package check_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/nashra-press/nashra/layouts"
	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/check"
)

var update = flag.Bool("update", false, "rewrite want/OUTPUT of testdata/*.txtar from the current output")

// TestGolden checks each testdata/*.txtar site: want/OUTPUT is what
// "nashra check" prints for it. There is an archive per message.
func TestGolden(t *testing.T) {
	archives, _ := filepath.Glob(filepath.Join("testdata", "*.txtar"))
	if len(archives) == 0 {
		t.Fatal("no archives")
	}
	for _, file := range archives {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			src := fstest.MapFS{}
			for _, f := range ar.Files {
				if !strings.HasPrefix(f.Name, "want/") {
					src[f.Name] = &fstest.MapFile{Data: f.Data}
				}
			}
			rep := check.Run(context.Background(), src, site.Options{Theme: layouts.FS,
				LoadOptions: site.LoadOptions{Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)}})
			var out bytes.Buffer
			if err := check.WriteText(&out, rep); err != nil {
				t.Fatal(err)
			}
			found := false
			for i, f := range ar.Files {
				if f.Name != "want/OUTPUT" {
					continue
				}
				found = true
				if out.String() == string(f.Data) {
					continue
				}
				if *update {
					ar.Files[i].Data = out.Bytes()
					if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				t.Errorf("output differs\n--- got:\n%s--- want:\n%s", out.String(), f.Data)
			}
			if !found {
				t.Fatal("no want/OUTPUT")
			}
		})
	}
}

// TestSamplePasses checks the repository's own posts: no error and no
// warning.
func TestSamplePasses(t *testing.T) {
	rep := check.Run(context.Background(), os.DirFS("../.."), site.Options{Theme: layouts.FS})
	if rep.Posts < 10 {
		t.Fatalf("checked %d posts of the sample site", rep.Posts)
	}
	for _, d := range rep.Diagnostics {
		t.Errorf("%s", check.Line(d))
	}
}
