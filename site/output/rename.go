package output

import "os"

// swapByRename moves final aside, moves staging into its place, and moves
// the previous output to the staging path so the caller removes it.
func swapByRename(staging, final string) error {
	aside := staging + ".old"
	if err := os.Rename(final, aside); err != nil {
		return err
	}
	if err := os.Rename(staging, final); err != nil {
		_ = os.Rename(aside, final)
		return err
	}
	return os.Rename(aside, staging)
}
