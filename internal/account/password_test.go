package account_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dure-coop/dure/internal/account"
)

func TestHashPasswordIsArgon2idPHC(t *testing.T) {
	p := account.DefaultPasswordParams()
	start := time.Now()
	h1, err := account.HashPassword("올바른 말 배터리 스테이플", p)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("one hash with the default parameters took %v", time.Since(start))
	if !regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`).MatchString(h1) {
		t.Fatalf("hash %q is not an argon2id PHC string with the default parameters", h1)
	}
	h2, _ := account.HashPassword("올바른 말 배터리 스테이플", p)
	if h1 == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	for _, tc := range []struct {
		password string
		ok       bool
	}{
		{"올바른 말 배터리 스테이플", true},
		{"올바른 말 배터리 스테이플 ", false},
		{"", false},
		{"올바른 말 배터리", false},
	} {
		ok, rehash, err := account.VerifyPassword(h1, tc.password, p)
		if err != nil || ok != tc.ok || rehash {
			t.Errorf("Verify(%q) = %v, %v, %v; want %v, false, nil", tc.password, ok, rehash, err, tc.ok)
		}
	}
}

func TestVerifyPasswordRehashAndMalformed(t *testing.T) {
	old := account.PasswordParams{Memory: 64, Time: 1, Threads: 1}
	h, err := account.HashPassword("an old password", old)
	if err != nil {
		t.Fatal(err)
	}
	// A hash keeps its own parameters: it verifies under new ones and asks
	// to be rehashed; a wrong password never asks.
	if ok, rehash, err := account.VerifyPassword(h, "an old password", account.DefaultPasswordParams()); !ok || !rehash || err != nil {
		t.Errorf("old hash: ok=%v rehash=%v err=%v; want true, true, nil", ok, rehash, err)
	}
	if ok, rehash, _ := account.VerifyPassword(h, "wrong password", account.DefaultPasswordParams()); ok || rehash {
		t.Errorf("wrong password: ok=%v rehash=%v", ok, rehash)
	}
	parts := strings.Split(h, "$")
	for name, bad := range map[string]string{
		"empty":          "",
		"bcrypt":         "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
		"argon2i":        strings.Replace(h, "argon2id", "argon2i", 1),
		"version":        strings.Replace(h, "v=19", "v=16", 1),
		"huge memory":    strings.Join([]string{"", parts[1], parts[2], "m=4194304,t=1,p=1", parts[4], parts[5]}, "$"),
		"zero time":      strings.Join([]string{"", parts[1], parts[2], "m=64,t=0,p=1", parts[4], parts[5]}, "$"),
		"bad salt":       strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$"),
		"short key":      strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "AAAA"}, "$"),
		"missing fields": strings.Join(parts[:4], "$"),
	} {
		if ok, _, err := account.VerifyPassword(bad, "an old password", old); ok || err == nil {
			t.Errorf("%s: ok=%v err=%v; want false and an error", name, ok, err)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	for _, tc := range []struct {
		password, email string
		ok              bool
	}{
		{"", "a@b.kr", false},
		{"short1234", "a@b.kr", false}, // 9
		{"long-enough", "a@b.kr", true},
		{"열글자인비밀번호랍니다", "a@b.kr", true}, // 11 characters, 33 bytes
		{"가나다라마바사아자", "a@b.kr", false},  // 9 characters, 27 bytes
		{strings.Repeat("a", 128), "", false},
		{strings.Repeat("ab", 64), "", true},
		{strings.Repeat("ab", 64) + "c", "", false},
		{"aaaaaaaaaaaa", "a@b.kr", false},
		{"하하하하하하하하하하하", "a@b.kr", false},
		{"Kim.Minjun@Dure.kr", "kim.minjun@dure.kr", false},
		{"kim.minjun@dure.kr!", "kim.minjun@dure.kr", true},
	} {
		if got := account.CheckPassword(tc.password, tc.email); (got == "") != tc.ok {
			t.Errorf("CheckPassword(%q, %q) = %q; want ok=%v", tc.password, tc.email, got, tc.ok)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]bool{
		"  Kim@Dure.KR ":       true,
		"a.b+c@sub.example.kr": true,
		"no-at.example.kr":     false,
		"a@localhost":          false,
		"김@example.kr":         true,
		"Kim <kim@dure.kr>":    false,
		"a@b.kr.":              false,
		"a b@dure.kr":          false,
		"":                     false,
	} {
		got, ok := account.NormalizeEmail(in)
		if ok != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want ok=%v", in, got, ok, want)
		}
		if ok && got != strings.ToLower(strings.TrimSpace(in)) {
			t.Errorf("NormalizeEmail(%q) = %q", in, got)
		}
	}
}
