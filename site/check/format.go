package check

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/nashra-press/nashra/site/diag"
)

// Line formats a problem as "file:line:col: level: message; hint", the
// form editors and CI logs recognise.
func Line(d diag.Diagnostic) string {
	s := d.Severity.String() + ": " + d.Msg
	if d.Hint != "" {
		s += "; " + d.Hint
	}
	if pos := d.Position(); pos != "" {
		s = pos + ": " + s
	}
	return s
}

// Summary is the last line of the text output.
func (r Report) Summary() string {
	errs, warns := len(r.Diagnostics.Errors()), len(r.Diagnostics.Warnings())
	if errs == 0 && warns == 0 {
		return fmt.Sprintf("checked %s: no problems", count(r.Posts, "post"))
	}
	return fmt.Sprintf("checked %s: %s, %s", count(r.Posts, "post"), count(errs, "error"), count(warns, "warning"))
}

func count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// WriteText writes one line per problem, sorted by file and line, then
// the summary.
func WriteText(w io.Writer, r Report) error {
	for _, d := range r.Diagnostics {
		if _, err := fmt.Fprintln(w, Line(d)); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintln(w, r.Summary())
	return err
}

// jsonReport is the JSON output.
type jsonReport struct {
	Diagnostics []jsonDiag `json:"diagnostics"`
	Errors      int        `json:"errors"`
	Warnings    int        `json:"warnings"`
	Posts       int        `json:"posts"`
}

type jsonDiag struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Col     int    `json:"col,omitempty"`
	Level   string `json:"level"`
	Message string `json:"message"`
	Hint    string `json:"hint,omitempty"`
	Source  string `json:"source,omitempty"`
}

// WriteJSON writes the report as one JSON object: {"diagnostics": [{"file",
// "line", "col", "level", "message", "hint", "source"}], "errors",
// "warnings", "posts"}.
func WriteJSON(w io.Writer, r Report) error {
	out := jsonReport{Diagnostics: []jsonDiag{}, Posts: r.Posts,
		Errors: len(r.Diagnostics.Errors()), Warnings: len(r.Diagnostics.Warnings())}
	for _, d := range r.Diagnostics {
		out.Diagnostics = append(out.Diagnostics, jsonDiag{File: d.File, Line: d.Line, Col: d.Col,
			Level: d.Severity.String(), Message: d.Msg, Hint: d.Hint, Source: d.Source})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
