//go:build !unix

package output

import (
	"io/fs"
	"os"
	"path/filepath"
)

// stampsIdentifyFiles tells that a stamp names one file; here it does
// not, so the spare's files are never taken for the output's.
const stampsIdentifyFiles = false

// stampOf identifies a file as written: where inode numbers are not
// available, its size and modification time.
func stampOf(info fs.FileInfo) [2]int64 {
	return [2]int64{info.ModTime().UnixNano(), info.Size()}
}

// writeNew writes data to a file that does not exist yet and returns its
// stamp.
func writeNew(name string, data []byte) ([2]int64, error) {
	if err := os.WriteFile(name, data, 0o644); err != nil {
		return [2]int64{}, err
	}
	info, err := os.Lstat(name)
	if err != nil {
		return [2]int64{}, err
	}
	return stampOf(info), nil
}

// oldRoot is the previous output folder.
type oldRoot struct{ dir string }

// openOldRoot names the folder dir.
func openOldRoot(dir string) oldRoot { return oldRoot{dir: dir} }

// stamp returns the stamp of the regular file at rel (slash-separated),
// and false if there is none.
func (r oldRoot) stamp(rel string) ([2]int64, bool) {
	info, err := os.Lstat(filepath.Join(r.dir, filepath.FromSlash(rel)))
	if err != nil || !info.Mode().IsRegular() {
		return [2]int64{}, false
	}
	return stampOf(info), true
}

// close does nothing.
func (r oldRoot) close() {}
