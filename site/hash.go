package site

import (
	"crypto/sha256"
	"encoding/hex"
)

// contentHash identifies bytes for caches and manifests.
func contentHash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}
