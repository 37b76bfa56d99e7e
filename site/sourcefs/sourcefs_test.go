package sourcefs_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/nashra-press/nashra/site/sourcefs"
)

// TestReadFileMatchesDirFS reads files of every size around the buffer
// edges, an empty file, a folder, a missing file and invalid names, and
// checks that FS answers as os.DirFS does.
func TestReadFileMatchesDirFS(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{"empty.md": nil}
	for _, n := range []int{1, 511, 512, 4095, 4096, 4097, 1 << 20} {
		files[filepath.Join("posts", "f"+string(rune('a'+n%26))+".md")] = bytes.Repeat([]byte("نشرة"), n)[:n]
	}
	for name, data := range files {
		full := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fsys, std := sourcefs.New(dir), os.DirFS(dir)
	for name, want := range files {
		name = filepath.ToSlash(name)
		got, err := fs.ReadFile(fsys, name)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: read %d bytes (err %v), want %d", name, len(got), err, len(want))
		}
	}
	for _, name := range []string{"missing.md", "posts", "../escape", "/abs", "posts/../empty.md", ""} {
		_, errStd := fs.ReadFile(std, name)
		_, err := fs.ReadFile(fsys, name)
		if (err == nil) != (errStd == nil) || errors.Is(err, fs.ErrNotExist) != errors.Is(errStd, fs.ErrNotExist) {
			t.Errorf("%s: error %v, os.DirFS says %v", name, err, errStd)
		}
		var pe *fs.PathError
		if err != nil && (!errors.As(err, &pe) || pe.Path != name) {
			t.Errorf("%s: error %#v does not name the file as given", name, err)
		}
	}
	if err := fstest.TestFS(fsys, "empty.md", "posts"); err != nil {
		t.Error(err)
	}
}
