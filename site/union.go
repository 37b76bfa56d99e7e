package site

import (
	"errors"
	"io/fs"
	"sort"
)

// unionFS serves each name from the first file system that has it, and
// merges directory listings: a site's layouts/ over the default theme.
type unionFS []fs.FS

// Open implements fs.FS.
func (u unionFS) Open(name string) (fs.File, error) {
	var firstErr error
	for _, f := range u {
		file, err := f.Open(name)
		if err == nil {
			return file, nil
		}
		if firstErr == nil || !errors.Is(err, fs.ErrNotExist) {
			firstErr = err
		}
	}
	if firstErr == nil {
		firstErr = &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return nil, firstErr
}

// ReadDir implements fs.ReadDirFS, merging entries by name (first wins).
func (u unionFS) ReadDir(name string) ([]fs.DirEntry, error) {
	seen := map[string]bool{}
	var out []fs.DirEntry
	found := false
	for _, f := range u {
		entries, err := fs.ReadDir(f, name)
		if err != nil {
			continue
		}
		found = true
		for _, e := range entries {
			if !seen[e.Name()] {
				seen[e.Name()] = true
				out = append(out, e)
			}
		}
	}
	if !found {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out, nil
}

// LayoutsFS returns the layouts of a site: its own layouts/ folder over
// the default theme, file by file.
func LayoutsFS(src fs.FS, theme fs.FS) fs.FS {
	own, err := fs.Sub(src, "layouts")
	if err != nil {
		return theme
	}
	return unionFS{own, theme}
}
