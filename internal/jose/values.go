package jose

import (
	"encoding/json"
	"regexp"
	"strings"
)

// Password hash formats: modular crypt ($2b$, $argon2id$, $6$, ...),
// passlib ($pbkdf2-sha256$), werkzeug (pbkdf2:sha256:600000$salt$hex,
// scrypt:32768:8:1$salt$hex, sha256$salt$hex) and Django (pbkdf2_sha256$...).
var passwordHash = regexp.MustCompile(`^(?:` +
	`\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}` +
	`|\$argon2(?:id|i|d)\$[^$\s]+(?:\$[^$\s]+){2,}` +
	`|\$(?:1|5|6|y|7|scrypt|pbkdf2(?:-sha\d+)?|sha1|bcrypt-sha256)\$[^$\s]+(?:\$[^$\s]*)+` +
	`|(?:pbkdf2:sha\d+(?::\d+)?|scrypt:\d+:\d+:\d+|sha\d+|md5)\$[^$\s]+\$[0-9a-fA-F]{16,}` +
	`|(?:pbkdf2_sha\d+|bcrypt_sha256|bcrypt|argon2|scrypt|sha1|md5|unsalted_sha1|unsalted_md5)\$\S+` +
	`)$`)

var (
	cardDigits  = regexp.MustCompile(`^\d{1,19}(?:[ -]\d{1,19})*$`)
	idLikeWord  = regexp.MustCompile(`^(id|ids|uid|sub|jti|sid|nonce|iat|exp|nbf|ts|time|timestamp|at|version|seq|serial|phone|tel|mobile|msisdn|imei|iccid|account|order|tracking|invoice)$`)
	cardLikeTok = regexp.MustCompile(`^(card|cards|cc|ccn|ccnum|pan|creditcard|cardnumber|cardno)$`)
)

// sensitiveValue says why a value (of a member called name) is sensitive
// whatever the name: a password hash or a payment card number.
func sensitiveValue(name string, v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = x
		if passwordHash.MatchString(s) {
			return "its value looks like a password hash"
		}
	case json.Number:
		s = x.String()
	default:
		return ""
	}
	if looksLikeCard(name, s) {
		return "its value looks like a payment card number"
	}
	return ""
}

// looksLikeCard: 13–19 digits (optionally grouped by spaces or dashes) that
// pass the Luhn check and start with a card network's prefix. Members whose
// names say id, time or phone are skipped; ones that say card need no prefix.
func looksLikeCard(name, s string) bool {
	if !cardDigits.MatchString(s) {
		return false
	}
	digits := strings.NewReplacer(" ", "", "-", "").Replace(s)
	if len(digits) < 13 || len(digits) > 19 || !luhn(digits) {
		return false
	}
	cardName := false
	for _, w := range nameWords(name) {
		if idLikeWord.MatchString(w) {
			return false
		}
		cardName = cardName || cardLikeTok.MatchString(w)
	}
	return cardName || cardPrefix(digits)
}

func luhn(digits string) bool {
	sum := 0
	for i := 0; i < len(digits); i++ {
		d := int(digits[len(digits)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// cardPrefix checks the issuer prefix and length of the major networks.
func cardPrefix(d string) bool {
	n := len(d)
	p2 := atoi(d[:2])
	p4 := atoi(d[:4])
	p3 := p4 / 10
	switch {
	case d[0] == '4':
		return n == 13 || n == 16 || n == 19 // Visa
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return n == 16 // Mastercard
	case p2 == 34 || p2 == 37:
		return n == 15 // American Express
	case p4 == 6011, p2 == 65, p3 >= 644 && p3 <= 649, p2 == 62, p4 >= 3528 && p4 <= 3589:
		return n >= 16 // Discover, UnionPay, JCB
	case p2 == 36, p2 == 38, p2 == 39, p3 >= 300 && p3 <= 305:
		return n >= 14 // Diners Club
	case p2 == 50, p2 >= 56 && p2 <= 58, p2 == 67:
		return true // Maestro
	}
	return false
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
