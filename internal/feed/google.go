package feed

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"time"
)

// The Google Merchant-style feed is RSS 2.0 with the product attributes in
// the namespace http://base.google.com/ns/1.0 (prefix g), as Google Merchant
// Center's product data specification describes; the JSON form has the same
// attributes under the same names. Every item is in stock (only such
// products are listed), new, without GTIN/MPN (identifier_exists no: members'
// own products), prices in KRW without decimals.

// GoogleNS is the namespace of the g: attributes.
const GoogleNS = "http://base.google.com/ns/1.0"

// GoogleItem is one item of the Google feed; its XML names carry the g:
// prefix, declared on the rss element.
type GoogleItem struct {
	XMLName          xml.Name         `xml:"item" json:"-"`
	ID               string           `xml:"g:id" json:"id"`
	Title            string           `xml:"g:title" json:"title"`
	Description      string           `xml:"g:description" json:"description"`
	Link             string           `xml:"g:link" json:"link"`
	ImageLink        string           `xml:"g:image_link" json:"image_link"`
	AdditionalImages []string         `xml:"g:additional_image_link" json:"additional_image_link,omitempty"`
	Availability     string           `xml:"g:availability" json:"availability"`
	Price            string           `xml:"g:price" json:"price"`
	Brand            string           `xml:"g:brand" json:"brand"`
	Condition        string           `xml:"g:condition" json:"condition"`
	IdentifierExists string           `xml:"g:identifier_exists" json:"identifier_exists"`
	ProductType      string           `xml:"g:product_type,omitempty" json:"product_type,omitempty"`
	Shipping         []GoogleShipping `xml:"g:shipping" json:"shipping"`
}

// GoogleShipping is a g:shipping group.
type GoogleShipping struct {
	Country string `xml:"g:country" json:"country"`
	Price   string `xml:"g:price" json:"price"`
}

// GooglePrice is a price in Google's form: "12000 KRW".
func GooglePrice(won int64) string { return strconv.FormatInt(won, 10) + " KRW" }

// NewGoogleItem is it in the Google feed's terms.
func NewGoogleItem(it Item, links Links) GoogleItem {
	return GoogleItem{
		ID:               strconv.FormatInt(it.ID, 10),
		Title:            it.Title,
		Description:      it.Description,
		Link:             links.Link(it),
		ImageLink:        links.Image(it),
		AdditionalImages: links.MoreImages(it),
		Availability:     "in_stock",
		Price:            GooglePrice(it.Price),
		Brand:            it.Brand,
		Condition:        "new",
		IdentifierExists: "no",
		ProductType:      strings.Join(it.Categories, " > "),
		Shipping:         []GoogleShipping{{Country: "KR", Price: GooglePrice(it.Shipping)}},
	}
}

// Channel describes the feed itself.
type Channel struct {
	Title       string // the shop's name
	Description string
	Updated     time.Time
}

// GoogleXMLWriter streams the RSS feed.
type GoogleXMLWriter struct {
	w     *bufio.Writer
	enc   *xml.Encoder
	links Links
}

// NewGoogleXMLWriter writes the document's start and the channel to w.
func NewGoogleXMLWriter(w io.Writer, links Links, ch Channel) (*GoogleXMLWriter, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	gw := &GoogleXMLWriter{w: bw, enc: xml.NewEncoder(bw), links: links}
	bw.WriteString(xml.Header)
	bw.WriteString(`<rss version="2.0" xmlns:g="` + GoogleNS + `">` + "\n<channel>\n")
	head := struct {
		Title       string `xml:"title"`
		Link        string `xml:"link"`
		Description string `xml:"description"`
	}{ch.Title, links.Abs("/"), ch.Description}
	for _, f := range []struct{ name, v string }{{"title", head.Title}, {"link", head.Link}, {"description", head.Description}} {
		if err := gw.enc.EncodeElement(f.v, xml.StartElement{Name: xml.Name{Local: f.name}}); err != nil {
			return nil, err
		}
	}
	return gw, nil
}

// Item writes an item.
func (gw *GoogleXMLWriter) Item(it Item) error {
	if err := gw.enc.Encode(NewGoogleItem(it, gw.links)); err != nil {
		return err
	}
	_, err := gw.w.WriteString("\n")
	return err
}

// Close ends the document and flushes it.
func (gw *GoogleXMLWriter) Close() error {
	if err := gw.enc.Flush(); err != nil {
		return err
	}
	gw.w.WriteString("</channel>\n</rss>\n")
	return gw.w.Flush()
}

// GoogleJSONWriter streams the JSON feed: {"title", "link", "description",
// "updated", "items": [...]}.
type GoogleJSONWriter struct {
	w     *bufio.Writer
	links Links
	n     int
}

// NewGoogleJSONWriter writes the document's start to w.
func NewGoogleJSONWriter(w io.Writer, links Links, ch Channel) (*GoogleJSONWriter, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	head, err := json.Marshal(struct {
		Title       string `json:"title"`
		Link        string `json:"link"`
		Description string `json:"description"`
		Updated     string `json:"updated,omitempty"`
	}{ch.Title, links.Abs("/"), ch.Description, rfc3339(ch.Updated)})
	if err != nil {
		return nil, err
	}
	bw.Write(head[:len(head)-1]) // without the closing brace
	bw.WriteString(`,"items":[`)
	return &GoogleJSONWriter{w: bw, links: links}, nil
}

// Item writes an item.
func (gw *GoogleJSONWriter) Item(it Item) error {
	b, err := json.Marshal(NewGoogleItem(it, gw.links))
	if err != nil {
		return err
	}
	if gw.n > 0 {
		gw.w.WriteByte(',')
	}
	gw.n++
	gw.w.WriteString("\n")
	_, err = gw.w.Write(b)
	return err
}

// Close ends the document and flushes it.
func (gw *GoogleJSONWriter) Close() error {
	gw.w.WriteString("\n]}\n")
	return gw.w.Flush()
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
