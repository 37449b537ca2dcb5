// Package banks is the company's cash and bank accounts (cajas y bancos)
// and the money that moves through them.
//
// The package decides; stores record and add up. An account holds ONE
// currency (c_Moneda). A payment received goes into one account (a deposit,
// written by the posting transaction of its payment receipt, design
// decisions 11 and 12); a refund of a cash sale goes out of one (a
// withdrawal). Each movement keeps its amount in the account's currency
// and, when the document's currency differs, the exchange rate used
// (Convert is the one currency rule). Cancelling the document reverses its
// movements (Reverse); nothing is deleted. An account's balance is the
// exact sum of its movements (Balance).
//
// It imports no other domain package but the shared vocabulary and tax, so
// sales may call it while posting.
package banks
