package site

import "github.com/nashra-press/nashra/site/output"

// contentHash identifies bytes for caches and manifests. It is the hash
// the output's manifest records, so a source file's hash tells whether
// its copy in the output is unchanged.
func contentHash(data []byte) string { return output.Hash(data) }
