package catalog

// SplitVAT splits a tax-inclusive price into 공급가액 and 부가세. For taxable
// items 공급가액 is the total divided by 1.1 rounded down (in integers:
// total*10/11), and 부가세 is the rest, so the two always add up to the total.
// Exempt (면세) items carry no VAT.
func SplitVAT(total int64, t TaxType) (supply, vat int64) {
	if t == Exempt {
		return total, 0
	}
	supply = total * 10 / 11
	return supply, total - supply
}
