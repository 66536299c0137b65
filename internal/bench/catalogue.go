package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/dure-coop/dure/internal/demo"
	"github.com/dure-coop/dure/internal/kr"
)

// catalogueSeed fixes the synthetic catalogue: the same n gives the same file.
const catalogueSeed = 20261123

// Modifiers put in front of a demo product name to make a new, still
// realistic one ("유기농 청송 꿀사과 5kg").
var nameModifiers = []string{"", "", "", "유기농", "국산", "선물용", "가정용", "특품", "실속", "프리미엄", "친환경", "산지직송", "못난이", "대용량", "소포장"}

// Suffixes name another package of the same product.
var nameSuffixes = []string{"", "", "", "", "2입", "3입", "묶음", "기획세트", "체험팩", "한정판"}

// Catalogue returns a synthetic catalogue of n products (JSON Lines,
// docs/catalogue-format.md) built from the demo catalogue's vocabulary: its
// category tree, Enterprises(n) enterprises derived from the demo enterprises and n
// products derived from the demo products with varied names and prices.
// Stock is 100 times the demo's, so that a benchmark run does not sell out.
// The output depends only on n.
func Catalogue(n int) ([]byte, error) {
	var cats, ents, prods []map[string]any
	dec := json.NewDecoder(bytes.NewReader(stripComments(demo.Catalogue())))
	dec.UseNumber()
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			return nil, fmt.Errorf("bench: read demo catalogue: %w", err)
		}
		switch m["type"] {
		case "category":
			cats = append(cats, m)
		case "enterprise":
			ents = append(ents, m)
		case "product":
			prods = append(prods, m)
		}
	}
	if len(ents) == 0 || len(prods) == 0 {
		return nil, fmt.Errorf("bench: the demo catalogue is empty")
	}
	rng := rand.New(rand.NewPCG(catalogueSeed, uint64(n)))
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	fmt.Fprintf(&out, "# Dure benchmark catalogue: %d synthetic products from the demo vocabulary (internal/bench).\n", n)
	for _, c := range cats {
		if err := enc.Encode(c); err != nil {
			return nil, err
		}
	}
	nEnt := Enterprises(n)
	// Products keep the demo's pairing of enterprise and category: product j
	// is derived from demo product j%len, and its enterprise from that demo
	// product's enterprise, so every enterprise still sells what it makes.
	demoEnt := map[string]int{}
	for i, e := range ents {
		demoEnt[e["id"].(string)] = i
	}
	for k := range nEnt {
		e := clone(ents[k%len(ents)])
		e["id"] = entID(k)
		if round := k / len(ents); round > 0 {
			e["name"] = fmt.Sprintf("%s 제%d사업장", e["name"], round+1)
		}
		e["business_number"] = businessNumber(k)
		e["email"] = fmt.Sprintf("contact%05d@example.com", k)
		if err := enc.Encode(e); err != nil {
			return nil, err
		}
	}
	// Names are unique per enterprise (the catalogue's rule): a derived name
	// an enterprise already sells gets a numbered package suffix.
	taken := map[string]bool{}
	for j := range n {
		base := prods[j%len(prods)]
		p := clone(base)
		p["id"] = fmt.Sprintf("bprd-%06d", j)
		// The enterprise: one whose demo original sells this product.
		de := demoEnt[base["enterprise"].(string)]
		round := (j / len(prods)) % max(1, (nEnt+len(ents)-1-de)/len(ents))
		p["enterprise"] = entID(min(de+round*len(ents), nEnt-1))
		if j >= len(prods) {
			name := base["name"].(string)
			if m := nameModifiers[rng.IntN(len(nameModifiers))]; m != "" && !strings.Contains(name, m) {
				name = m + " " + name
			}
			if s := nameSuffixes[rng.IntN(len(nameSuffixes))]; s != "" {
				name += " " + s
			}
			p["name"] = name
			f := int64(85 + rng.IntN(31))
			p["consumer_price"] = round100(num(base["consumer_price"]) * f / 100)
			p["public_price"] = round100(num(base["public_price"]) * f / 100)
			p["popularity"] = rng.IntN(5000)
		}
		// Small catalogues fold many demo enterprises into one.
		name := p["name"].(string)
		for k := 2; taken[p["enterprise"].(string)+"\x00"+name]; k++ {
			name = fmt.Sprintf("%s %d호", strings.TrimSuffix(name, fmt.Sprintf(" %d호", k-1)), k)
		}
		p["name"] = name
		taken[p["enterprise"].(string)+"\x00"+name] = true
		p["stock"] = num(base["stock"]) * 100
		if opts, ok := base["options"].([]any); ok {
			var scaled []any
			for _, o := range opts {
				om := clone(o.(map[string]any))
				om["stock"] = num(om["stock"]) * 100
				scaled = append(scaled, om)
			}
			p["options"] = scaled
		}
		if err := enc.Encode(p); err != nil {
			return nil, err
		}
	}
	return out.Bytes(), nil
}

// Enterprises is the number of enterprises in the catalogue of n products:
// one per ten products, at most 30,000 (a national channel holds tens of
// thousands of enterprises; a 1M catalogue gives each ~33 products).
func Enterprises(n int) int { return max(1, min(n/10, 30000)) }

func entID(k int) string { return fmt.Sprintf("bent-%05d", k) }

func stripComments(b []byte) []byte {
	var out bytes.Buffer
	for _, line := range bytes.Split(b, []byte("\n")) {
		if t := bytes.TrimSpace(line); len(t) == 0 || t[0] == '#' {
			continue
		}
		out.Write(line)
		out.WriteByte('\n')
	}
	return out.Bytes()
}

func clone(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

func num(v any) int64 {
	n, _ := v.(json.Number).Int64()
	return n
}

func round100(n int64) int64 { return max((n+50)/100*100, 100) }

// businessNumber returns the k-th synthetic 사업자등록번호 with a valid check
// digit.
func businessNumber(k int) string {
	d := fmt.Sprintf("%03d%02d%04d", 101+k/10000, 81+(k/10000)%8, k%10000)
	return kr.FormatBusinessNumber(d + strconv.Itoa(kr.BusinessNumberCheckDigit(d)))
}
