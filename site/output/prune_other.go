//go:build !linux

package output

import (
	"os"
	"path/filepath"
)

// pruneTo removes from the folder root every file and folder that is not
// one of files, a folder holding them, or the manifest, so that root
// holds exactly what its manifest says.
func pruneTo(root string, files map[string]string) error {
	dirs := parentDirs(files)
	var walk func(rel string) error
	walk = func(rel string) error {
		f, err := os.Open(filepath.Join(root, filepath.FromSlash(rel)))
		if err != nil {
			return err
		}
		entries, err := f.ReadDir(-1)
		f.Close()
		if err != nil {
			return err
		}
		for _, e := range entries {
			child := e.Name()
			if rel != "" {
				child = rel + "/" + child
			}
			_, isFile := files[child]
			switch {
			case e.IsDir() && dirs[child]:
				if err := walk(child); err != nil {
					return err
				}
			case e.Type().IsRegular() && (isFile || child == ManifestName):
			default:
				if err := os.RemoveAll(filepath.Join(root, filepath.FromSlash(child))); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return walk("")
}
