package web

import "github.com/gofiber/fiber/v2"

// PostcodeScript is the Kakao (Daum) postcode service's script, loaded by
// static/postcode.js only when the shopper presses 우편번호 찾기.
const PostcodeScript = "https://t1.daumcdn.net/mapjsapi/bundle/postcode/prod/postcode.v2.js"

// PostcodeCSP is the policy of a page with an address form (checkout, the
// address book): the site's own, plus the postcode service's script (which
// loads its further scripts from the same CDN) and the search frame it
// embeds. Kakao's newer hosts are allowed beside Daum's.
const PostcodeCSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; " +
	"script-src 'self' https://t1.daumcdn.net https://t1.kakaocdn.net; " +
	"frame-src https://postcode.map.daum.net https://postcode.map.kakao.com; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// AllowPostcodeSearch sets PostcodeCSP on the response: only the handlers of
// pages with an address form call it.
func AllowPostcodeSearch(c *fiber.Ctx) {
	c.Set(fiber.HeaderContentSecurityPolicy, PostcodeCSP)
}
