//go:build !unix

package output

import (
	"errors"
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

// writeNew writes data to a new file at name and returns its stamp. A
// file already at name is removed first, never written through: it may
// be a hard link to a file of the live output.
func writeNew(name string, data []byte) ([2]int64, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		if err = os.Remove(name); err == nil {
			f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		}
	}
	if err != nil {
		return [2]int64{}, err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
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
