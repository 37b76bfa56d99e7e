// Package diag describes problems found in a site's sources: the file, the
// position inside it, what is wrong and what the author should do about it.
//
// Every stage of nashra reports through these values instead of printing or
// panicking, so that a build can collect all of its problems and show them
// together, sorted by file and line, the way a compiler does.
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Severity tells whether a problem stops the build.
type Severity int

const (
	// Error stops the build: nothing is published.
	Error Severity = iota
	// Warning is reported, and the build goes on.
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one problem in one file.
type Diagnostic struct {
	// File is the slash-separated path relative to the site root,
	// e.g. "posts/visit.md"; empty for problems of the whole site.
	File string
	// Line and Col are 1-based; zero when unknown.
	Line, Col int
	Severity  Severity
	// Msg says what is wrong.
	Msg string
	// Hint says what to do about it; may be empty.
	Hint string
	// Source is the offending line of the file, for display; may be empty.
	Source string
}

// Position returns "file:line:col", leaving out the parts that are unknown.
func (d Diagnostic) Position() string {
	var b strings.Builder
	b.WriteString(d.File)
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d", d.Line)
		if d.Col > 0 {
			fmt.Fprintf(&b, ":%d", d.Col)
		}
	}
	return b.String()
}

// Error formats the diagnostic as "file:line:col: message; hint".
// Warnings carry a "warning: " prefix before the message.
func (d Diagnostic) Error() string {
	var b strings.Builder
	if pos := d.Position(); pos != "" {
		b.WriteString(pos)
		b.WriteString(": ")
	}
	if d.Severity == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(d.Msg)
	if d.Hint != "" {
		b.WriteString("; ")
		b.WriteString(d.Hint)
	}
	return b.String()
}

// List is a set of diagnostics from one run.
type List []Diagnostic

// Add appends a diagnostic.
func (l *List) Add(d Diagnostic) { *l = append(*l, d) }

// Errorf appends an error-level diagnostic.
func (l *List) Errorf(file string, line, col int, hint, format string, args ...any) {
	l.Add(Diagnostic{File: file, Line: line, Col: col, Severity: Error, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// Warnf appends a warning.
func (l *List) Warnf(file string, line, col int, hint, format string, args ...any) {
	l.Add(Diagnostic{File: file, Line: line, Col: col, Severity: Warning, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// Sort orders the list by file, line, column, then message, so that output
// does not depend on the order in which parallel workers found problems.
func (l List) Sort() {
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
}

// Errors returns only the error-level diagnostics.
func (l List) Errors() List {
	var out List
	for _, d := range l {
		if d.Severity == Error {
			out = append(out, d)
		}
	}
	return out
}

// Warnings returns only the warnings.
func (l List) Warnings() List {
	var out List
	for _, d := range l {
		if d.Severity == Warning {
			out = append(out, d)
		}
	}
	return out
}

// Err returns nil when the list holds no error-level diagnostic, and
// otherwise an error that joins them all (sorted). Use errors.As with
// *Diagnostic or AsList to get them back.
func (l List) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	errs.Sort()
	joined := make([]error, len(errs))
	for i := range errs {
		joined[i] = errs[i]
	}
	return errors.Join(joined...)
}

// AsList extracts the diagnostics carried by err (as built by List.Err or
// errors.Join of Diagnostics). Other errors are returned as a site-wide
// Diagnostic with their message.
func AsList(err error) List {
	if err == nil {
		return nil
	}
	var out List
	var walk func(error)
	walk = func(e error) {
		var d Diagnostic
		if errors.As(e, &d) && e.Error() == d.Error() {
			out = append(out, d)
			return
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, inner := range j.Unwrap() {
				walk(inner)
			}
			return
		}
		out = append(out, Diagnostic{Severity: Error, Msg: e.Error()})
	}
	walk(err)
	return out
}

// Closest returns the candidate nearest to word by edit distance, and
// whether it is near enough to be a likely typo (at most a third of the
// word's length, and at least one edit allowed).
func Closest(word string, candidates []string) (string, bool) {
	best, bestDist := "", -1
	for _, c := range candidates {
		d := levenshtein(strings.ToLower(word), strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := max(1, len([]rune(word))/3)
	return best, bestDist >= 0 && bestDist <= limit
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
