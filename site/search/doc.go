// Package search builds the static search index of a nashra site and holds
// the text analysis that the browser repeats on queries.
//
// Readers search for a name or a place, and in Arabic one word appears in
// many written forms: الأردن، والأردن، بالأردن، للأردن، الأردنية، اردن, with
// or without hamza and diacritics. Analyze turns each form into a
// normalised word (its exact form) and one or two light stems; the index
// records both, so that every form finds the others and exact matches rank
// first. layouts/assets/search.js implements the same analysis in the
// browser; the shared table testdata/vectors.json holds the Go and the
// JavaScript code to the same terms.
//
// # The index
//
// Build writes, under /search/ of the site:
//
//	index.json     what the client reads first: the number of documents,
//	               the documents per chunk, the version, and the first
//	               term of every shard of the two dictionaries
//	s/HASH.json    a shard of the stem dictionary
//	w/HASH.json    a shard of the word dictionary
//	d/N.json       documents N×chunk … (N+1)×chunk-1: what a result shows
//
// Documents are numbered from 0, oldest first, so a new post takes the
// next number and leaves the files of older posts as they were; ties in
// ranking go to the higher number, the newer post.
//
// The stem dictionary maps every stem to the documents that contain a word
// with that stem; the word dictionary maps every normalised word that is
// not one of its own stems (والاردن, but not اردن) to the documents that
// contain it. A shard is a JSON array of [term, postings] pairs sorted by
// term (code point order); postings is an array of numbers, one per
// document in increasing order, each the difference from the previous
// document number shifted left by 4 (stems) or 2 (words) bits, plus flags:
//
//	stems: 1 stem in the body, 2 stem in the title or tags,
//	       4 the stem itself as a word in the body, 8 … in the title or tags
//	words: 1 in the body, 2 in the title or tags
//
// Shards hold consecutive terms and close at about Options.ShardSize bytes,
// so a query reads one shard per dictionary and word, whatever the size of
// the site. Shard files are named by their content; a client caches them
// for ever. Documents come in chunks of consecutive documents, as many as
// make about Options.ChunkSize bytes of source, each chunk a JSON array of
// [url, title, date (RFC 3339), date as shown, [[tag label, tag url]…],
// summary, text], one per line; clients read index.json anew (it is
// small) and add ?v=VERSION to the URL of chunks.
//
// A site builds the index in steps (Dictionaries, Record, Chunk, Meta)
// rather than with Build, so that it never holds the text of every post:
// a chunk is written as soon as its posts are known, and a post that did
// not change is taken from the previous build's chunk (SplitChunk).
//
// All output is deterministic: the same posts give the same bytes.
package search
