// Package arabic formats dates and numbers for the Arabic pages of the site.
//
// It implements section 3 ("Dates and calendars") and the digits rule of
// section 1 of docs/arabic-rtl.md with a small table of CLDR names instead of
// a localisation dependency. Month names come in three styles (Levantine
// "كانون الثاني", Egyptian/Gulf "يناير", or the double form
// "كانون الثاني/يناير"); digits are European (0123, the default, as used by
// the Jordanian press) or Arabic-Indic (٠١٢٣).
//
// Dates are formatted in the location of the time.Time they are given; the
// caller converts to the site's time zone first.
package arabic

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MonthStyle selects the month names used in dates: "levant" (default,
// كانون الثاني …), "double" (كانون الأول/ديسمبر) or "egypt" (يناير …).
type MonthStyle string

// The month styles accepted by ParseMonthStyle.
const (
	// Levant uses the Levantine/Syriac month names of CLDR ar_JO
	// (كانون الثاني، شباط، …). It is the default.
	Levant MonthStyle = "levant"
	// Double joins the Levantine and the Egyptian name with a slash and no
	// spaces, e.g. "كانون الأول/ديسمبر".
	Double MonthStyle = "double"
	// Egypt uses the Egyptian/Gulf month names derived from the Latin ones
	// (يناير، فبراير، …).
	Egypt MonthStyle = "egypt"
)

// ParseMonthStyle converts a configuration value to a MonthStyle. The empty
// string gives Levant; surrounding spaces and letter case are ignored. Any
// other value is an error that lists the valid values.
func ParseMonthStyle(s string) (MonthStyle, error) {
	switch v := MonthStyle(strings.ToLower(strings.TrimSpace(s))); v {
	case "":
		return Levant, nil
	case Levant, Double, Egypt:
		return v, nil
	}
	return "", fmt.Errorf("arabic: unknown month style %q (valid: %q, %q, %q; empty means %q)",
		s, Levant, Double, Egypt, Levant)
}

// Digits selects the digits used for numbers: "latn" (default, 0123) or
// "arab" (Arabic-Indic, ٠١٢٣).
type Digits string

// The digit sets accepted by ParseDigits.
const (
	// Latin uses the ASCII (European) digits 0–9. It is the default.
	Latin Digits = "latn"
	// ArabicIndic uses the Arabic-Indic digits U+0660–U+0669 (٠–٩).
	ArabicIndic Digits = "arab"
)

// ParseDigits converts a configuration value to a Digits. The empty string
// gives Latin; surrounding spaces and letter case are ignored. Any other value
// is an error that lists the valid values.
func ParseDigits(s string) (Digits, error) {
	switch v := Digits(strings.ToLower(strings.TrimSpace(s))); v {
	case "":
		return Latin, nil
	case Latin, ArabicIndic:
		return v, nil
	}
	return "", fmt.Errorf("arabic: unknown digits %q (valid: %q, %q; empty means %q)",
		s, Latin, ArabicIndic, Latin)
}

// Formatter formats dates and numbers for Arabic pages. The zero value uses
// Levantine month names and Latin digits; an unknown Months or Digits value
// (one not obtained from the Parse functions) is treated like the default.
type Formatter struct {
	// Months selects the month names; see MonthStyle.
	Months MonthStyle
	// Digits selects the digits; see Digits.
	Digits Digits
}

// levantMonth returns the CLDR ar_JO month name for m (1–12).
func levantMonth(m time.Month) string {
	return [...]string{
		"كانون الثاني",
		"شباط",
		"آذار",
		"نيسان",
		"أيار",
		"حزيران",
		"تموز",
		"آب",
		"أيلول",
		"تشرين الأول",
		"تشرين الثاني",
		"كانون الأول",
	}[m-1]
}

// egyptMonth returns the Egyptian/Gulf month name for m (1–12).
func egyptMonth(m time.Month) string {
	return [...]string{
		"يناير",
		"فبراير",
		"مارس",
		"أبريل",
		"مايو",
		"يونيو",
		"يوليو",
		"أغسطس",
		"سبتمبر",
		"أكتوبر",
		"نوفمبر",
		"ديسمبر",
	}[m-1]
}

// MonthName returns the Arabic name of m in the formatter's month style, for
// example "كانون الأول" (Levant), "ديسمبر" (Egypt) or "كانون الأول/ديسمبر"
// (Double). It returns the empty string if m is not in January–December.
func (f Formatter) MonthName(m time.Month) string {
	if m < time.January || m > time.December {
		return ""
	}
	switch f.Months {
	case Egypt:
		return egyptMonth(m)
	case Double:
		return levantMonth(m) + "/" + egyptMonth(m)
	default:
		return levantMonth(m)
	}
}

// Weekday returns the Arabic name of d, e.g. "الثلاثاء" for time.Tuesday. It
// returns the empty string if d is not in Sunday–Saturday.
func (f Formatter) Weekday(d time.Weekday) string {
	if d < time.Sunday || d > time.Saturday {
		return ""
	}
	return [...]string{
		"الأحد",
		"الاثنين",
		"الثلاثاء",
		"الأربعاء",
		"الخميس",
		"الجمعة",
		"السبت",
	}[d]
}

// LongDate formats t in its own location as weekday, Arabic comma (U+060C),
// space, day without leading zero, month name and year, e.g.
// "الثلاثاء، 17 كانون الأول 2024".
func (f Formatter) LongDate(t time.Time) string {
	return f.Weekday(t.Weekday()) + "، " + f.Date(t)
}

// Date formats t in its own location as day without leading zero, month name
// and year, e.g. "17 كانون الأول 2024".
func (f Formatter) Date(t time.Time) string {
	y, m, d := t.Date()
	return f.Number(d) + " " + f.MonthName(m) + " " + f.Number(y)
}

// Number formats n in the formatter's digits without thousands separators,
// e.g. "2024" or "٢٠٢٤". A negative number keeps an ASCII hyphen-minus sign.
func (f Formatter) Number(n int) string {
	return f.Digitize(strconv.Itoa(n))
}

// Digitize converts the ASCII digits 0–9 in s to the formatter's digits and
// leaves every other character unchanged. With Latin digits s is returned as
// is; in particular Arabic-Indic digits are not converted to ASCII (use
// ToASCIIDigits for that).
func (f Formatter) Digitize(s string) string {
	if f.Digits != ArabicIndic {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r - '0' + '٠'
		}
		return r
	}, s)
}

// ToASCIIDigits converts Arabic-Indic digits (U+0660–U+0669, ٠–٩) and Eastern
// Arabic-Indic digits (U+06F0–U+06F9, ۰–۹) in s to the ASCII digits 0–9 and
// leaves every other character unchanged.
func ToASCIIDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '٠' && r <= '٩':
			return r - '٠' + '0'
		case r >= '۰' && r <= '۹':
			return r - '۰' + '0'
		}
		return r
	}, s)
}
